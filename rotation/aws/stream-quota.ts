// Reads the account's Firehose stream quota from Service Quotas: the applied value, else AWS's
// default. Never fails a rotation: anything else (no entry, as on moto; no permission; no code
// configured) falls back to the `quota` setting with the reason, which the caller logs.
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { FIREHOSE_SERVICE_CODE, QuotaReading, settingQuota } from '../core/quota-source';

// moto answers GetAWSDefaultServiceQuota with a non-JSON 404, which the SDK reports as a
// SyntaxError: the HTTP status says more.
const errorName = (err: unknown) => {
  const e = err as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  return `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}`;
};

export async function readStreamQuota(
  client: ServiceQuotasClient | undefined,
  s: { serviceQuotaCode?: string },
): Promise<QuotaReading> {
  const code = s.serviceQuotaCode;
  if (!client || !code) return settingQuota(s);
  const ask = { ServiceCode: FIREHOSE_SERVICE_CODE, QuotaCode: code };
  let why: string;
  try {
    const applied = await client.send(new GetServiceQuotaCommand(ask));
    if (applied.Quota?.Value !== undefined) return { value: applied.Quota.Value, origin: 'applied' };
    why = 'no applied value';
  } catch (err) {
    why = `applied value: ${errorName(err)}`;
  }
  try {
    const byDefault = await client.send(new GetAWSDefaultServiceQuotaCommand(ask));
    if (byDefault.Quota?.Value !== undefined) return { value: byDefault.Quota.Value, origin: 'aws-default' };
    return settingQuota(s, `Service Quotas has no entry (${why}; no default value)`);
  } catch (err) {
    return settingQuota(s, `Service Quotas has no entry (${why}; default value: ${errorName(err)})`);
  }
}
