// KPL aggregates for tests, made by the aggregator of the same library the router reads them with
// (aws-kinesis-agg), and the three ways one can be broken: a wrong MD5, a protobuf cut short (with
// the MD5 of the cut bytes, so only the protobuf is wrong), and the magic followed by garbage.
import { RecordAggregator } from 'aws-kinesis-agg/lib/kpl-agg';
import { createHash } from 'node:crypto';

/** The KPL aggregate's magic bytes, as the KPL's aggregation format defines them. */
export const KPL_MAGIC = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);

export interface UserRecordInput {
  partitionKey?: string;
  data: string | Uint8Array;
}

/** One KPL aggregate of `records`, in order (partition key "pk-<i>" when not given). */
export function aggregate(records: readonly UserRecordInput[]): Buffer {
  const aggregator = new RecordAggregator();
  records.forEach((r, i) =>
    aggregator.addUserRecord({ partitionKey: r.partitionKey ?? `pk-${i}`, data: Buffer.from(r.data) }),
  );
  const built = aggregator.build();
  if (!built) throw new Error('aggregate: no user records');
  return built.data;
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();

/** The same aggregate with the last byte of its MD5 changed. */
export function badChecksum(agg: Uint8Array): Buffer {
  const out = Buffer.from(agg);
  out[out.length - 1] ^= 0xff;
  return out;
}

/** The aggregate's protobuf without its last `cut` bytes, and the MD5 of what is left. */
export function truncatedProtobuf(agg: Uint8Array, cut = 3): Buffer {
  const protobuf = agg.subarray(4, agg.length - 16).subarray(0, -cut);
  return Buffer.concat([KPL_MAGIC, protobuf, md5(protobuf)]);
}

/** The magic, then bytes that are no aggregate (and no valid MD5 of anything before them). */
export function magicThenGarbage(garbage: Uint8Array): Buffer {
  return Buffer.concat([KPL_MAGIC, garbage]);
}

/** An aggregate with a correct MD5 over a protobuf `body` of your choosing. */
export function withChecksum(body: Uint8Array): Buffer {
  return Buffer.concat([KPL_MAGIC, body, md5(body)]);
}
