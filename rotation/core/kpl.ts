// KPL de-aggregation: a Kinesis record the Kinesis Producer Library aggregated is the magic
// F3 89 9A C2, a protobuf AggregatedRecord of user records, and the MD5 of that protobuf
// (https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md). The
// reading is awslabs' aws-kinesis-agg (Apache-2.0), its de-aggregation module only: the aggregator
// beside it pulls `async` into the router bundle for nothing. Pure: protobufjs and node:crypto's
// MD5 are computation, no I/O.
import type * as KplDeagg from 'aws-kinesis-agg/lib/kpl-deagg';

let library: typeof KplDeagg | undefined;

/**
 * The library, loaded on the first aggregate: protobufjs builds its reflection when required (tens
 * of ms at a cold start, docs/router.md), which a stream of plain records should not pay. esbuild
 * still bundles it: a literal require is followed, and run only when reached.
 */
function deaggregateSync(...args: Parameters<typeof KplDeagg.deaggregateSync>): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
  library ??= require('aws-kinesis-agg/lib/kpl-deagg') as typeof KplDeagg;
  library.deaggregateSync(...args);
}

/**
 * Whether `data` (from `at`, to its end) starts with the KPL aggregate's magic F3 89 9A C2 — no UTF-8
 * text starts with it (0xC2 after 0xF3 0x89 0x9A); no view made, for the hot path.
 */
export const isKplAggregate = (data: Uint8Array, at = 0, end = data.length): boolean =>
  end - at >= 4 &&
  data[at] === 0xf3 &&
  data[at + 1] === 0x89 &&
  data[at + 2] === 0x9a &&
  data[at + 3] === 0xc2;

interface UserRecords {
  /** Each user record's bytes, "\n"-terminated like withNewline, views of one buffer. */
  datas: Uint8Array[];
  /** Each user record's own partition key (undefined when the aggregate's table lacks it). */
  partitionKeys: (string | undefined)[];
}

type Deaggregated = ({ ok: true } & UserRecords) | { ok: false; detail: string };

const NEWLINE = 0x0a;

/**
 * The user records of an aggregate, checksum verified, or why it cannot be read: then the caller
 * keeps the Kinesis record whole. An aggregate of no user records is refused too: the KPL never
 * writes one, and taking it as "nothing to deliver" would drop its bytes from the lake.
 */
export function deaggregate(aggregate: Uint8Array): Deaggregated {
  let error: Error | undefined;
  let records: { data: string; partitionKey?: string }[] = [];
  const data = Buffer.from(aggregate.buffer, aggregate.byteOffset, aggregate.byteLength).toString('base64');
  // Synchronous despite the callback; called twice when one user record fails (its error, then the
  // end): the first error decides. The callback must not throw, or the library calls it again.
  deaggregateSync({ data }, true, (err, userRecords) => {
    error ??= err ?? undefined;
    records = userRecords ?? [];
  });
  if (error) return { ok: false, detail: describe(error) };
  if (!records.length) return { ok: false, detail: 'aggregate holds no user records' };
  // One buffer for all: adjacent views pack without a copy (core/packing), as a batch's runs do.
  let total = 0;
  for (const r of records) total += (r.data.length >>> 2) * 3 + 4;
  const arena = Buffer.allocUnsafe(total);
  const datas = new Array<Uint8Array>(records.length);
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    let end = at + arena.write(records[i].data, at, 'base64');
    if (end === at || arena[end - 1] !== NEWLINE) arena[end++] = NEWLINE;
    datas[i] = arena.subarray(at, end);
    at = end;
  }
  return { ok: true, datas, partitionKeys: records.map((r) => r.partitionKey) };
}

// protobufjs says "index out of range: 12 + 10 > 20" for a truncated message, or names the field.
function describe(err: Error): string {
  const message = err.message.length > 120 ? `${err.message.slice(0, 120)}…` : err.message;
  return err.message === 'Invalid record checksum'
    ? 'KPL aggregate: MD5 checksum does not match its protobuf'
    : `KPL aggregate: protobuf does not decode (${message})`;
}
