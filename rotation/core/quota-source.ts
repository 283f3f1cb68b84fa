// Where the number of streams the account may hold comes from. Each run asks Service Quotas (the
// applied value) and plans with the smaller of that and the `quota` setting,
// which stays a cap an operator can lower. Pure: the executor does the asking.

/** Firehose's service code in Service Quotas. */
export const FIREHOSE_SERVICE_CODE = 'firehose';

/**
 * The Service Quotas code of Firehose's delivery-stream quota (quota name "Delivery streams",
 * account level, usage metric AWS/Usage ResourceCount Resource=DeliveryStreams): the default of
 * `serviceQuotaCode`. AWS's documentation does not print quota codes; sources in docs/sharing.md.
 */
export const FIREHOSE_STREAM_QUOTA_CODE = 'L-14BB0BE7';

export interface QuotaReading {
  /** The Service Quotas value; Infinity when none was read (the setting then decides alone). */
  value: number;
  origin: 'applied' | 'setting';
  /** Why Service Quotas gave no number (origin 'setting'). */
  note?: string;
}

export function settingQuota(
  s: { serviceQuotaCode?: string },
  note = s.serviceQuotaCode ? 'Service Quotas not read' : 'serviceQuotaCode not set',
): QuotaReading {
  return { value: Infinity, origin: 'setting', note };
}

/** One line for the CLI and the run summary: the number planned with and where it came from. */
export function describeQuota(setting: number, r: QuotaReading): string {
  if (r.origin === 'setting')
    return `${setting} from the quota setting (${r.note ?? 'no Service Quotas value'})`;
  const kind = 'applied value';
  return r.value < setting
    ? `${r.value} from Service Quotas (${kind}; the quota setting ${setting} is higher)`
    : `${setting} from the quota setting (Service Quotas ${kind}: ${r.value})`;
}
