// Reads the account's Firehose stream quota from Service Quotas (GetServiceQuota: the applied
// value, which for a quota never raised is AWS's default). Never fails a rotation: anything else
// (no entry, as on moto; no permission; no code configured) falls back to the `quota` setting with
// the reason, which the caller logs. GetAWSDefaultServiceQuota is not asked: IAM allows it only on
// "*", and the security baseline keeps ListDeliveryStreams the only wildcard.
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { FIREHOSE_SERVICE_CODE, QuotaReading, settingQuota } from '../core/capacity';
import { errorName } from './error-name';

// moto answers with a non-JSON error body for services it lacks, which the SDK reports as a
// SyntaxError: the HTTP status says more.
const errorWithStatus = (err: unknown) => {
  const e = err as { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  return `${errorName(err)}${status ? ` (HTTP ${status})` : ''}`;
};

export async function readStreamQuota(
  client: ServiceQuotasClient | undefined,
  s: { serviceQuotaCode?: string },
): Promise<QuotaReading> {
  const code = s.serviceQuotaCode;
  if (!client || !code) return settingQuota(s);
  try {
    const applied = await client.send(
      new GetServiceQuotaCommand({ ServiceCode: FIREHOSE_SERVICE_CODE, QuotaCode: code }),
    );
    if (applied.Quota?.Value !== undefined) return { value: applied.Quota.Value, origin: 'applied' };
    return settingQuota(s, 'Service Quotas has no value for it');
  } catch (err) {
    return settingQuota(s, `Service Quotas has no entry (${errorWithStatus(err)})`);
  }
}
