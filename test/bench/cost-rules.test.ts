// AWS's rounding rules as the cost model applies them, against hand-computed figures, and the KPL
// sizes against the aws-kinesis-agg library's own encoder (the packing the demo producer uses).
import { expect } from 'chai';
import fc from 'fast-check';
import * as kinesisAgg from 'aws-kinesis-agg';
import {
  firehoseBilledBytes,
  GB,
  kinesisRecords,
  onDemandBilledBytes,
  putPayloadUnits,
  recordsPerInvocation,
  shardsNeeded,
  TB,
} from '../../bench/cost-rules';
import { kplEventsPerRecord, kplRecordBytes } from '../../bench/kpl-size';

/** aws-kinesis-agg's limit on one aggregate's protobuf: 1 MiB less the 4-byte magic and the MD5. */
const KPL_MAX_PROTOBUF = 1_048_556;

interface Aggregator {
  checkIfUserRecordFits(r: { data: Buffer; partitionKey: string }): boolean;
  addUserRecord(r: { data: Buffer; partitionKey: string }): void;
  build(): { data: Buffer };
}

/** Fills one aggregate with the library, keys of exactly `keyBytes` characters, all distinct. */
function libraryAggregate(dataBytes: number, keyBytes: number): { events: number; bytes: number } {
  // The package's types omit RecordAggregator, which index.js exports.
  const { RecordAggregator } = kinesisAgg as unknown as { RecordAggregator: new () => Aggregator };
  const agg = new RecordAggregator();
  let events = 0;
  for (;;) {
    const record = {
      data: Buffer.alloc(dataBytes, 0x61),
      partitionKey: events.toString(36).padStart(keyBytes, '0'),
    };
    if (!agg.checkIfUserRecordFits(record)) break;
    agg.addUserRecord(record);
    events++;
  }
  return { events, bytes: agg.build().data.length };
}

describe('cost rules', () => {
  it('varint sizes at the 7-bit boundaries', () => {
    // One empty user record under a key of k bytes: 27 bytes of magic, MD5 and one-byte fields and
    // lengths, the key, and the varint of the key's length.
    const keyLengthVarint = (k: number) => kplRecordBytes(1, 0, k) - k - 27;
    expect([0, 127, 128, 16_383, 16_384, 2_097_152].map(keyLengthVarint)).to.deep.equal([1, 1, 2, 2, 3, 4]);
  });

  it('on-demand, one 200 B event per record: every record billed as 1 KB, so 1,048,576/201 GB per TB', () => {
    // A TB of 201-byte landed events is 2^40/201 records of 200 B, each billed 1,024 B.
    const k = kinesisRecords('one per record', 201, 36);
    expect(k).to.deep.include({ eventsPerRecord: 1, recordBytes: 200, records: TB / 201 });
    expect(onDemandBilledBytes(k) / GB).to.equal(1_048_576 / 201); // 5,216.796… GB, 5.09× the payload
    // 2 KB events (2,048 B + newline): 2 KB billed per record, exact.
    expect(onDemandBilledBytes(kinesisRecords('one per record', 2049, 36)) / GB).to.equal(
      (1024 * 2048) / 2049,
    );
  });

  it('provisioned PUT payload units: ⌈record / 25 KB⌉ per record', () => {
    expect(putPayloadUnits(kinesisRecords('one per record', 201, 36))).to.equal(TB / 201);
    // 131,071 B per record is 5.12 units of 25,600 B: 6 per record, 2^23 records per TB.
    expect(putPayloadUnits(kinesisRecords('one per record', 131_072, 36))).to.equal(6 * 2 ** 23);
    // JSON Lines at 200 B: 5,216 lines (1,048,416 B) per record → 41 units per record.
    const jsonl = kinesisRecords('JSON Lines', 201, 36);
    expect(jsonl).to.deep.include({ eventsPerRecord: 5216, recordBytes: 5216 * 201 });
    expect(putPayloadUnits(jsonl)).to.equal((TB / 201 / 5216) * 41);
    expect(onDemandBilledBytes(jsonl) / GB).to.equal((1024 * 1_048_576) / (201 * 5216));
  });

  it('Firehose limits on JSON Lines: at most 500 lines and 1,000 KiB per record', () => {
    const limits = { maxEventsPerRecord: 500, maxRecordBytes: 1000 * 1024 };
    expect(kinesisRecords('JSON Lines', 201, 36, limits)).to.deep.include({
      eventsPerRecord: 500,
      recordBytes: 100_500,
    });
    expect(kinesisRecords('JSON Lines', 131_072, 36, limits)).to.deep.include({ eventsPerRecord: 7 });
    expect(() => kinesisRecords('JSON Lines', 1_048_576, 36)).to.throw(
      'an event of 1048576 B does not fit a JSON Lines record',
    );
  });

  it('KPL aggregates: the size and the count per record equal what aws-kinesis-agg builds', () => {
    for (const [dataBytes, keyBytes, events] of [
      [200, 36, 4245],
      [2048, 36, 500],
      [131_071, 36, 7],
      [5000, 200, 201],
    ]) {
      const lib = libraryAggregate(dataBytes, keyBytes);
      expect([
        kplEventsPerRecord(dataBytes, keyBytes),
        kplRecordBytes(lib.events, dataBytes, keyBytes),
      ]).to.deep.equal([events, lib.bytes]);
      expect(lib.events).to.equal(events);
    }
  });

  it('property: a full KPL aggregate fits 1 MiB and one more event would not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 1, max: 256 }), (data, key) => {
        const n = kplEventsPerRecord(data, key);
        expect(kplRecordBytes(n, data, key) - 20).to.be.at.most(KPL_MAX_PROTOBUF);
        expect(kplRecordBytes(n + 1, data, key) - 20).to.be.above(KPL_MAX_PROTOBUF);
      }),
      { numRuns: 40 },
    );
  });

  it('property: billed bytes are at least the payload and at most one step more per record', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_000_000 }), (eventBytes) => {
        // Judged on one record, in whole bytes: over TB / eventBytes records the same sums differ
        // from the payload by floating-point rounding alone (2^40 / 512,001 records × 20 units).
        const one = { ...kinesisRecords('one per record', eventBytes, 36), records: 1 };
        expect(onDemandBilledBytes(one)).to.be.within(one.recordBytes, one.recordBytes + 1023);
        expect(putPayloadUnits(one) * 25 * 1024).to.be.within(
          one.recordBytes,
          one.recordBytes + 25 * 1024 - 1,
        );
        expect(firehoseBilledBytes(1, one.recordBytes)).to.equal(Math.ceil(one.recordBytes / 5120) * 5120);
      }),
    );
  });

  it('shards for 1 TB in a month at a flat rate: records/s binds for small events, 1 MiB/s otherwise', () => {
    // 2^40/201 records over 2,628,000 s = 2,081.6 records/s → 3 shards.
    expect(shardsNeeded(kinesisRecords('one per record', 201, 36))).to.equal(3);
    // Packed, 0.40 MiB/s and under 1 record/s → the one-shard minimum.
    expect(shardsNeeded(kinesisRecords('JSON Lines', 201, 36))).to.equal(1);
    expect(shardsNeeded(kinesisRecords('one per record', 131_072, 36))).to.equal(1);
  });

  it('records per invocation: 10,000 at most, and the base64 batch under 6 MB', () => {
    expect(recordsPerInvocation(10)).to.equal(10_000);
    // 200 B → 268 B of base64 + 480 B of metadata: ⌊6,000,000 / 748⌋.
    expect(recordsPerInvocation(200)).to.equal(8021);
    expect(recordsPerInvocation(1_048_416)).to.equal(4);
    expect(recordsPerInvocation(10_000_000)).to.equal(1);
  });
});
