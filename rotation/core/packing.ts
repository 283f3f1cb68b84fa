// Packing: consecutive records bound for one stream become one Firehose record of up to
// recordPackingKiB. Firehose bills every record in 5 KB steps, so a 200 B event sent alone is
// billed as 5 KB; packed, 5,000 of them are billed as their bytes. Every record already ends with
// exactly one "\n", so a packed record is the same bytes, in the same order, that the records
// would have put into the S3 object one by one. Pure: no AWS or Pulumi imports.
import { ChunkLimits, chunk, PUT_RECORD_BATCH_LIMITS } from './chunking';
import { Outbound } from './routing';

/** KiB setting → bytes; 1000 KiB is Firehose's record limit (MAX_RECORD_BYTES). */
export const packingBytes = (kib: number) => kib * 1024;

/** The source records an entry carries: itself, or the records packed into it, in order. */
export const recordsOf = (e: Outbound): readonly Outbound[] => e.packed ?? [e];

/** How many source records a list of entries carries. */
export function recordCount(entries: readonly Outbound[]): number {
  let n = 0;
  for (const e of entries) n += e.packed ? e.packed.length : 1;
  return n;
}

/**
 * Packs `records` (one stream's, in order) into entries of at most `maxBytes` and splits those into
 * PutRecordBatch calls within `limits`, in one greedy pass: each call is filled to within one record
 * of the byte limit, so calls ≈ ⌈bytes / 4 MiB⌉ instead of ⌈records / 500⌉. Records keep their own
 * routes inside an entry (the fallback's records have different reasons; an hourly stream's all
 * share one hour). A record larger than `maxBytes` is an entry on its own, as today. maxBytes 0 is
 * "off": exactly chunk(records), one record per entry.
 */
export function packChunks(
  records: readonly Outbound[],
  maxBytes: number,
  limits: ChunkLimits = PUT_RECORD_BATCH_LIMITS,
  arena: CopyArena = new CopyArena(records),
): Outbound[][] {
  if (maxBytes <= 0) return chunk(records, limits);
  const chunks: Outbound[][] = [];
  let current: Outbound[] = [];
  let callBytes = 0;
  let start = 0; // the open entry is records[start, i)
  let entryBytes = 0;
  let contiguous = true;
  let prevBuffer: ArrayBufferLike | undefined;
  let prevEnd = -1;
  const close = (end: number) => {
    if (end > start) current.push(packed(records, start, end, entryBytes, contiguous, arena));
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const size = r.data.byteLength;
    if (size > limits.bytes) {
      throw new RangeError(`a record of ${size} bytes exceeds the batch limit of ${limits.bytes} bytes`);
    }
    const fitsCall = callBytes + size <= limits.bytes;
    const buffer = r.data.buffer;
    const adjacent = buffer === prevBuffer && r.data.byteOffset === prevEnd;
    prevBuffer = buffer;
    prevEnd = r.data.byteOffset + size;
    if (i > start && fitsCall && entryBytes + size <= maxBytes) {
      contiguous &&= adjacent;
      entryBytes += size;
      callBytes += size;
      continue;
    }
    close(i);
    // The new entry needs a slot and room in this call, or it opens the next call.
    if (!fitsCall || current.length === limits.records) {
      chunks.push(current);
      current = [];
      callBytes = 0;
    }
    start = i;
    entryBytes = size;
    callBytes += size;
    contiguous = true;
  }
  close(records.length);
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * records[start, end) as one entry: the record itself when alone; else one view when the bytes
 * already lie side by side (the router decodes a batch into one buffer, so runs of one stream do),
 * or a copy into the delivery's arena. The entry keeps the records for their fates, and the first record's route.
 */
function packed(
  records: readonly Outbound[],
  start: number,
  end: number,
  bytes: number,
  contiguous: boolean,
  arena: CopyArena,
) {
  const first = records[start];
  if (end - start === 1) return first;
  let data: Uint8Array;
  if (contiguous) {
    data = new Uint8Array(first.data.buffer, first.data.byteOffset, bytes);
  } else {
    // One copy per span of adjacent records.
    data = arena.take(bytes);
    let at = 0;
    for (let k = start; k < end;) {
      const { buffer, byteOffset } = records[k].data;
      let spanEnd = byteOffset + records[k].data.byteLength;
      for (k++; k < end && records[k].data.buffer === buffer && records[k].data.byteOffset === spanEnd; k++)
        spanEnd += records[k].data.byteLength;
      at += arena.copy(buffer, byteOffset, spanEnd, data, at);
    }
  }
  return { id: first.id, data, route: first.route, packed: records.slice(start, end) };
}

/** A buffer a finished delivery gave back; reused by the next one (see CopyArena). */
let spare: Buffer | undefined;

/**
 * Room for the packed copies of one delivery: enough for all its records' bytes, taken on first
 * use. Fresh megabytes cost more than the copying (the pages are faulted in on first touch: 300-700
 * ns per 2 KB record measured here, against 85-120 ns into memory already touched), so a delivery
 * gives its buffer back when its sends are done and the next one reuses it: a warm Lambda copies
 * into memory it already touched. Deliveries running at once each get their own.
 */
export class CopyArena {
  private buffer: Buffer | undefined;
  private at = 0;
  private source: ArrayBufferLike | undefined;
  private sourceView: Buffer | undefined;

  constructor(private readonly records: readonly Outbound[]) {}

  take(bytes: number): Uint8Array {
    if (!this.buffer) {
      let total = 0;
      for (const r of this.records) total += r.data.byteLength;
      if (spare && spare.byteLength >= total) [this.buffer, spare] = [spare, undefined];
      else this.buffer = Buffer.allocUnsafe(total);
    }
    // Each record is copied at most once, so its delivery's bytes always fit; a miss is a bug.
    if (this.at + bytes > this.buffer.byteLength) {
      throw new RangeError(
        `packing needs ${this.at + bytes} bytes, more than its records' ${this.buffer.byteLength}`,
      );
    }
    this.at += bytes;
    return this.buffer.subarray(this.at - bytes, this.at);
  }

  /** Copies source[start, end) to target at `at`, natively and without a view per span. */
  copy(source: ArrayBufferLike, start: number, end: number, target: Uint8Array, at: number): number {
    // The records of a batch share one decode buffer: one Buffer over it serves every span.
    if (source !== this.source) [this.source, this.sourceView] = [source, Buffer.from(source)];
    return this.sourceView!.copy(target, at, start, end);
  }

  /** Only once nothing reads the entries any more: the next delivery overwrites the bytes. */
  release(): void {
    if (this.buffer && (!spare || spare.byteLength < this.buffer.byteLength)) spare = this.buffer;
    this.buffer = this.source = this.sourceView = undefined;
  }
}
