// routeBatch over any mix of plain records, JSON Lines records and KPL aggregates (some corrupted),
// against a Firehose that refuses entries and calls at random: every event is delivered exactly
// once, byte for byte, to the stream its own event time says (a broken record whole to the
// fallback), or its Kinesis record is in batchItemFailures — and a record is there only then.
import { PutRecordBatchCommand, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { prng } from '../support/prng';
import { routeBatch, RouterDeps } from '../../rotation/handlers/route-batch';
import { settings } from '../support/fixtures';
import { kinesisEvent } from '../support/kinesis-event';
import { aggregate, badChecksum, magicThenGarbage, truncatedProtobuf } from '../support/kpl';
import { referenceRoute } from '../support/router-reference';

const S = settings({ latenessMinutes: 10, routerConcurrency: 3 });
const NOW_MS = Date.parse('2026-11-22T05:20:00Z');
const HOUR = 3_600_000;

/** A unit the lake must hold whole: one event, or a broken record kept in one piece. */
interface Unit {
  seq: string;
  bytes: Buffer;
  /** The stream it must reach: an hourly name or the fallback. */
  stream: string;
}

const nl = (b: Buffer) => (b.at(-1) === 0x0a ? b : Buffer.concat([b, Buffer.from('\n')]));

/** Event n: a JSON document with a unique id and an event time around now (or none, or broken). */
const event = fc
  .record({
    offset: fc.integer({ min: -4 * HOUR, max: 40 * HOUR }),
    form: fc.constantFrom('iso', 'iso', 'epoch', 'none', 'bad', 'not-json'),
  })
  .map(({ offset, form }) => (id: string) => {
    const t = NOW_MS + offset;
    // The id is never in the last 4 bytes: a 'truncated' aggregate loses its last 2 bytes and a
    // 'garbage' one its last 4, and two records that differ only there would become identical
    // units, which unitsIn cannot tell apart. (JSON.stringify drops an undefined timestamp, so
    // the trailing field is what keeps the id off the end for form 'none'.)
    if (form === 'not-json') return `not json ${id} at all`;
    const timestamp =
      form === 'iso' ? new Date(t).toISOString() : form === 'epoch' ? t : form === 'bad' ? 'soon' : undefined;
    return JSON.stringify({ id, timestamp, source: 'property' });
  });

const record = fc.oneof(
  fc.record({ kind: fc.constant('plain' as const), events: fc.array(event, { minLength: 1, maxLength: 1 }) }),
  fc.record({
    kind: fc.constant('json-lines' as const),
    events: fc.array(event, { minLength: 2, maxLength: 5 }),
  }),
  fc.record({ kind: fc.constant('kpl' as const), events: fc.array(event, { minLength: 1, maxLength: 6 }) }),
  fc.record({
    kind: fc.constantFrom('bad-checksum' as const, 'truncated' as const, 'garbage' as const),
    events: fc.array(event, { minLength: 1, maxLength: 4 }),
  }),
);

/** The Kinesis record's bytes and the units it must become, each with where it must go. */
function build(kind: string, texts: string[], seq: string): { data: Buffer; units: Unit[] } {
  const unit = (bytes: Buffer): Unit => {
    const route = referenceRoute(bytes, NOW_MS, S);
    return { seq, bytes: nl(bytes), stream: route.startsWith('fallback') ? S.fallbackStreamName : route };
  };
  const whole = (data: Buffer) => ({ data, units: [{ seq, bytes: nl(data), stream: S.fallbackStreamName }] });
  if (kind === 'plain') return { data: Buffer.from(texts[0]), units: [unit(Buffer.from(texts[0]))] };
  if (kind === 'json-lines') {
    const data = Buffer.from(texts.join('\n'));
    // Every line a document: split. A "not json" line keeps the record whole (not-json).
    if (texts.some((t) => t.startsWith('not json'))) return whole(data);
    return { data, units: texts.map((t) => unit(Buffer.from(t))) };
  }
  const agg = aggregate(texts.map((data) => ({ data })));
  if (kind === 'kpl') return { data: agg, units: texts.map((t) => unit(Buffer.from(t))) };
  if (kind === 'bad-checksum') return whole(badChecksum(agg));
  if (kind === 'truncated') return whole(truncatedProtobuf(agg, 2));
  return whole(magicThenGarbage(agg.subarray(4, -20))); // a protobuf cut short, no checksum at all
}

/** A Firehose that keeps every call's raw entries and refuses entries and calls at random (seeded). */
function chaosClient(seed: number) {
  const random = prng(seed);
  const accepted: { stream: string; data: Buffer }[] = [];
  const client = {
    send(command: unknown): Promise<PutRecordBatchCommandOutput> {
      if (!(command instanceof PutRecordBatchCommand)) throw new Error('unexpected command');
      const stream = command.input.DeliveryStreamName!;
      const entries = command.input.Records!.map((r) => Buffer.from(r.Data!));
      if (random() < 0.1) return Promise.reject(new Error('connection reset'));
      const codes = entries.map(() => (random() < 0.25 ? 'InternalFailure' : undefined));
      entries.forEach((data, i) => codes[i] || accepted.push({ stream, data }));
      return Promise.resolve({
        FailedPutCount: codes.filter(Boolean).length,
        RequestResponses: codes.map((ErrorCode) => (ErrorCode ? { ErrorCode } : { RecordId: 'r' })),
        $metadata: {},
      });
    },
  };
  return { client, accepted };
}

/** Splits what a stream accepted back into units: every byte must belong to a known unit. */
function unitsIn(data: Buffer, units: readonly Unit[]): Unit[] {
  const found: Unit[] = [];
  for (let at = 0; at < data.length;) {
    const u = units.find((c) => data.subarray(at, at + c.bytes.length).equals(c.bytes));
    if (!u)
      throw new Error(`unknown bytes at ${at}: ${JSON.stringify(data.subarray(at, at + 60).toString())}`);
    found.push(u);
    at += u.bytes.length;
  }
  return found;
}

describe('routeBatch with producer-packed records', () => {
  it('property: every event once, unchanged, where its own time says — or its Kinesis record failed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.integer(),
        async (records, seed) => {
          let n = 0;
          const built = records.map((r, i) => {
            const seq = `seq-${String(i).padStart(3, '0')}`;
            return {
              seq,
              ...build(
                r.kind,
                r.events.map((e) => e(`e${n++}`)),
                seq,
              ),
            };
          });
          const units = built.flatMap((b) => b.units);
          const { client, accepted } = chaosClient(seed);
          const now = DateTime.fromMillis(NOW_MS, { zone: 'utc' });
          const deps: RouterDeps = {
            client,
            now: () => now,
            sleep: () => Promise.resolve(),
            deadline: now.plus({ minutes: 1 }),
            armCutoff: () => () => undefined,
            random: prng(seed + 1),
            log: { info: () => undefined, warn: () => undefined, error: () => undefined },
          };
          const event = kinesisEvent(built.map((b) => ({ sequenceNumber: b.seq, data: b.data })));
          const { response } = await routeBatch(event, deps, S);

          const delivered = new Map<Unit, number>();
          for (const { stream, data } of accepted)
            for (const u of unitsIn(data, units)) {
              expect(stream, u.bytes.toString()).to.equal(u.stream);
              delivered.set(u, (delivered.get(u) ?? 0) + 1);
            }
          for (const u of units) expect(delivered.get(u) ?? 0).to.be.at.most(1);
          // Failed exactly when some unit of the record was not delivered; in input order.
          const failed = built.filter((b) => b.units.some((u) => !delivered.has(u))).map((b) => b.seq);
          expect(response.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(failed);
        },
      ),
      { numRuns: 300 },
    );
  });
});
