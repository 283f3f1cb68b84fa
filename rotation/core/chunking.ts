// PutRecordBatch limits, enforced here because moto accepts what AWS rejects. Pure.

/** Firehose: at most 500 records per PutRecordBatch call. */
export const MAX_BATCH_RECORDS = 500;
/** Firehose: at most 4 MiB of record data per PutRecordBatch call. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Firehose: at most 1,000 KiB per record, newline included. */
export const MAX_RECORD_BYTES = 1_024_000;

export interface ChunkLimits {
  records: number;
  bytes: number;
}

export const PUT_RECORD_BATCH_LIMITS: ChunkLimits = { records: MAX_BATCH_RECORDS, bytes: MAX_BATCH_BYTES };

/**
 * Splits `items` greedily, in order, into chunks within both limits. Order is kept so a resend of
 * failed entries stays in the producer's order. A single item over the byte limit cannot be sent at
 * all; that is the caller's bug (records are size-checked first), so it throws.
 */
export function chunk<T extends { data: Uint8Array }>(
  items: readonly T[],
  limits: ChunkLimits = PUT_RECORD_BATCH_LIMITS,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = item.data.byteLength;
    if (size > limits.bytes) {
      throw new RangeError(`a record of ${size} bytes exceeds the batch limit of ${limits.bytes} bytes`);
    }
    if (current.length === limits.records || bytes + size > limits.bytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
