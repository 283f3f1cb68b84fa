// What placing late and early records costs per GB of fallback placed: the placer's Lambda time
// (bench-measured CPU seconds per GB, scaled to the function's vCPU share), its requests (one
// invocation and one GetObject per fallback object, one PutObject per placed object, one marker
// listing per hour touched). Pure, kept apart from cost-model.ts, whose prices it reuses. Not
// counted: the second copy's S3 storage (the fallback keeps every original; expire it with a
// lifecycle rule if the copy is not needed) and "Hour Partition Amended" events (complete hours only).
import { MB_PER_VCPU } from './cost-model';
import { Price, PRICES } from './cost-prices';
import { GB } from './cost-rules';

const S3_GET: Price = {
  usd: 0.0004 / 1000,
  per: 'GET request, S3 Standard',
  source:
    'https://c3x.dev/blog/s3-request-fees-explained (third party: "GET, HEAD, SELECT (Tier 2): $0.0004 per 1,000"; read 2026-12-07)',
};

export interface PlacerMeasured {
  /** CPU seconds the placer spent per GiB of fallback read, on one bench core. */
  cpuSecondsPerGb: number;
  /**
   * Hours each fallback object holds records of: one placed object (an hour's share of a fallback
   * object is far below the 32 MiB cut) and one marker listing each.
   */
  hoursPerObject: number;
}

export interface PlacerCostLine {
  name: string;
  quantity: number;
  usd: number;
}

/** USD per GiB of fallback placed, line by line, for fallback objects of `objectMiB` (its buffer size). */
export function placerCostPerGb(m: PlacerMeasured, memoryMiB: number, objectMiB: number): PlacerCostLine[] {
  const invocations = GB / (objectMiB * 1024 * 1024);
  // CPU-bound: at memoryMiB the function has memoryMiB / 1,769 of a vCPU, so it runs that much longer.
  const seconds = m.cpuSecondsPerGb / Math.min(1, memoryMiB / MB_PER_VCPU);
  const gbSeconds = seconds * (memoryMiB / 1024);
  const price = (p: Price) => p.usd ?? 0;
  const perHour = invocations * m.hoursPerObject;
  return [
    { name: 'Lambda GB-seconds', quantity: gbSeconds, usd: gbSeconds * price(PRICES.lambdaGbSecond) },
    { name: 'Lambda requests', quantity: invocations, usd: invocations * price(PRICES.lambdaRequest) },
    { name: 'S3 GET (fallback objects)', quantity: invocations, usd: invocations * price(S3_GET) },
    { name: 'S3 PUT (placed objects)', quantity: perHour, usd: perHour * price(PRICES.s3Put) },
    // LIST is billed like PUT (S3 Standard's tier 1 requests).
    { name: 'S3 LIST (marker per hour)', quantity: perHour, usd: perHour * price(PRICES.s3Put) },
  ];
}
