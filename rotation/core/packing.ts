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
 * "off": exactly chunk(records, limits), one record per entry.
 *
 * An entry's bytes are one view when its records lie side by side (a decoded batch's runs of one
 * stream), else one copy into `arena`. The pass notes the spans of adjacent bytes as it goes, so the
 * copy is one native memcpy per span and no record is looked at twice: packing costs about what
 * chunk() costs plus the bytes it must move (measured in docs/performance.md).
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
  // The open span: the entry's last run of adjacent bytes, [spanStart, spanEnd) of spanBuffer.
  // Earlier runs of the entry wait in `spans` (empty while the entry is one run).
  let spanBuffer: ArrayBufferLike | undefined;
  let spanStart = 0;
  let spanEnd = 0;
  const spans = new Spans();
  const close = (end: number) => {
    if (end - start === 1) current.push(records[start]);
    else if (end > start) {
      let data: Uint8Array;
      if (spans.length === 0) data = new Uint8Array(spanBuffer!, spanStart, entryBytes);
      else {
        spans.push(spanBuffer!, spanStart, spanEnd);
        data = arena.take(entryBytes);
        spans.copyTo(data);
      }
      const first = records[start];
      current.push({ id: first.id, data, route: first.route, packed: records.slice(start, end) });
    }
    spans.length = 0;
  };
  for (let i = 0; i < records.length; i++) {
    const data = records[i].data;
    // `length`, not `byteLength`: the same for bytes, and an inlined load where Node 20's
    // byteLength, byteOffset and buffer are calls of about 20-40 ns each (measured here).
    const size = data.length;
    if (size > limits.bytes) {
      throw new RangeError(`a record of ${size} bytes exceeds the batch limit of ${limits.bytes} bytes`);
    }
    const offset = data.byteOffset;
    const fitsCall = callBytes + size <= limits.bytes;
    if (i > start && fitsCall && entryBytes + size <= maxBytes) {
      // Adjacent: starts where the span ends, in the same buffer (only then is `buffer` read).
      if (offset !== spanEnd || data.buffer !== spanBuffer) {
        spans.push(spanBuffer!, spanStart, spanEnd);
        spanBuffer = data.buffer;
        spanStart = offset;
      }
      spanEnd = offset + size;
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
    spanBuffer = data.buffer;
    spanStart = offset;
    spanEnd = offset + size;
  }
  close(records.length);
  if (current.length) chunks.push(current);
  return chunks;
}

/** The runs of adjacent bytes an entry is made of, kept as columns so noting one allocates nothing. */
class Spans {
  length = 0;
  private readonly buffers: ArrayBufferLike[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  push(buffer: ArrayBufferLike, start: number, end: number): void {
    this.buffers[this.length] = buffer;
    this.starts[this.length] = start;
    this.ends[this.length++] = end;
  }

  /** Copies the spans, in order, to the start of `target` (exactly their bytes long). */
  copyTo(target: Uint8Array): void {
    let at = 0;
    for (let k = 0; k < this.length; k++) {
      const bytes = this.ends[k] - this.starts[k];
      // A view and TypedArray#set: one memcpy, without Buffer#copy's argument checks.
      target.set(new Uint8Array(this.buffers[k], this.starts[k], bytes), at);
      at += bytes;
    }
  }
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

  constructor(private readonly records: readonly Outbound[]) {}

  take(bytes: number): Uint8Array {
    if (!this.buffer) {
      let total = 0;
      for (const r of this.records) total += r.data.length;
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

  /** Only once nothing reads the entries any more: the next delivery overwrites the bytes. */
  release(): void {
    if (this.buffer && (!spare || spare.byteLength < this.buffer.byteLength)) spare = this.buffer;
    this.buffer = undefined;
  }
}
