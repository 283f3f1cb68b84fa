// The size of a KPL aggregate as aws-kinesis-agg builds it: the magic, a protobuf of user records
// each with its own partition key, and the MD5 of that protobuf. Pure arithmetic for the cost rules
// (cost-rules.ts: how many events a KPL producer packs into one Kinesis record, and its bytes);
// test/bench/cost-rules.test.ts checks both against the library's own encoder.

/** aws-kinesis-agg's limit for the protobuf of one aggregate: 1 MiB less the magic and MD5. */
const KPL_MAX_PROTOBUF = 1024 * 1024 - 16 - 4;

/** Bytes of a protobuf varint. */
function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    bytes++;
  }
  return bytes;
}

/**
 * Protobuf bytes one user record adds to a KPL aggregate when it is the `index`-th, with its own
 * partition key: a partition_key_table entry, and a Record of partition_key_index and data.
 */
function kplUserRecordBytes(index: number, dataBytes: number, keyBytes: number): number {
  const key = 1 + varintBytes(keyBytes) + keyBytes;
  const inner = 1 + varintBytes(index) + 1 + varintBytes(dataBytes) + dataBytes;
  return key + 1 + varintBytes(inner) + inner;
}

/** A KPL aggregate of `events` user records, each with a distinct key: magic + protobuf + MD5. */
export function kplRecordBytes(events: number, dataBytes: number, keyBytes: number): number {
  let protobuf = 0;
  for (let i = 0; i < events; i++) protobuf += kplUserRecordBytes(i, dataBytes, keyBytes);
  return 4 + protobuf + 16;
}

/** How many user records fill one aggregate, as aws-kinesis-agg packs them (protobuf ≤ 1 MiB − 20). */
export function kplEventsPerRecord(dataBytes: number, keyBytes: number): number {
  let protobuf = 0;
  let events = 0;
  for (;;) {
    const next = kplUserRecordBytes(events, dataBytes, keyBytes);
    if (protobuf + next > KPL_MAX_PROTOBUF) return events;
    protobuf += next;
    events++;
  }
}
