// The router's decision for generated records — event times near hour edges, in every accepted and
// many refused forms, epochs a hair before a boundary, malformed bytes, multi-line and BOM records —
// compared with a reference model written from docs/router.md (test/support/router-reference.ts).
// And the partition invariant: every line of what an hourly stream receives is one JSON document.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { planColumns } from '../../rotation/core/batch-plan';
import { decodeKinesisBatch, withNewline } from '../../rotation/core/routing';
import { EVENT_TIME_FORMATS } from '../../rotation/core/settings';
import { settings } from '../support/fixtures';
import { referenceRoutes } from '../support/router-reference';
import { planBatch } from '../support/routing';
import { runs } from '../support/property-runs';

const HOUR = 3_600_000;
const BASE = Date.parse('2026-11-22T00:00:00Z');
const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** The router's clock: any instant of BASE's day, often at or within 2 ms of minute 0, 1 or 3. */
const clock = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: BASE, max: BASE + 24 * HOUR - 1 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 1, 3), fc.constantFrom(-1, 0, 0, 0, 1))
      .map(([h, m, ms]) => Math.max(BASE, BASE + h * HOUR + m * 60_000 + ms)),
  },
);

/**
 * Event instants within ±1 s of an hour edge: mostly the few hours before and after the clock's
 * (where the exact write deadlines are), sometimes a day before to past the horizon.
 */
function instantsNear(nowMs: number) {
  const hour = Math.floor(nowMs / HOUR) * HOUR;
  return fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -5, max: 2 }) }, fc.integer({ min: -30, max: 75 })),
      fc.integer({ min: -1000, max: 1000 }),
    )
    .map(([h, ms]) => hour + h * HOUR + ms);
}

/** RFC 3339-ish text of `ms` at an offset (in range or not), in the forms the docs list and more. */
const isoText = (nearEdge: fc.Arbitrary<number>) =>
  fc
    .record({
      ms: nearEdge,
      offsetMinutes: fc.oneof(fc.integer({ min: -1439, max: 1439 }), fc.constantFrom(0, 60, -60, 330)),
      badOffset: fc.option(fc.constantFrom('+24:00', '-00:60', '+05:99', '+99:00', '+5'), {
        freq: 4,
        nil: undefined,
      }),
      colon: fc.boolean(),
      t: fc.constantFrom('T', 'T', 't', ' '),
      z: fc.constantFrom('Z', 'z', ''),
      extraDigits: fc.stringMatching(/^\d{0,17}$/),
      seconds: fc.boolean(),
    })
    .map((r) => {
      const local = new Date(r.ms + r.offsetMinutes * 60_000).toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ
      const date = local.slice(0, 10);
      const time = r.seconds ? `${local.slice(11, 23)}${r.extraDigits}` : local.slice(11, 16);
      const a = Math.abs(r.offsetMinutes);
      const offset =
        r.badOffset ??
        (r.offsetMinutes === 0 && r.z
          ? r.z
          : `${r.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${r.colon ? ':' : ''}${pad(a % 60)}`);
      return `${date}${r.t}${time}${offset}`;
    });

const epoch = (nearEdge: fc.Arbitrary<number>) =>
  fc.oneof(
    nearEdge.map((ms) => ms / 1000),
    nearEdge,
    nearEdge.map((ms) => ms / 1000 - 1e-7), // a hair before: must floor to the previous ms
    nearEdge.map((ms) => ms - 0.0005),
    fc.integer({ min: 1, max: 99_999 }).map((n) => Math.floor(BASE / 1000) + 3599 + (99_999 + n) / 1e5 / 2),
  );

const value = (nearEdge: fc.Arbitrary<number>) =>
  fc.oneof(
    { weight: 4, arbitrary: isoText(nearEdge) },
    { weight: 3, arbitrary: epoch(nearEdge) },
    { weight: 1, arbitrary: fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.constant([1])) },
  );

const layouts = ['flat', 'nested', 'array', 'missing'] as const;
const encodings = [
  'line',
  'crlf',
  'pretty',
  'cr-pretty',
  'cr-cr-lf',
  'leading-lf',
  'blank-after',
  'bom',
  'truncated',
  'bad-utf8',
  'json-lines',
  'json-lines-cut',
];
const encoding = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('line', 'crlf') },
  { weight: 6, arbitrary: fc.constantFrom(...encodings) },
);

const record = (nearEdge: fc.Arbitrary<number>) =>
  fc
    .record({
      value: value(nearEdge),
      layout: fc.oneof({ weight: 6, arbitrary: fc.constant('flat' as const) }, fc.constantFrom(...layouts)),
      encoding,
    })
    .map(({ value: v, layout, encoding }) => {
      const doc =
        layout === 'flat'
          ? { id: 1, timestamp: v, meta: { ts: v } }
          : layout === 'nested'
            ? { id: 2, meta: { ts: v } }
            : layout === 'array'
              ? { id: 3, meta: [v], timestamp: [v] }
              : { id: 4 };
      const json = JSON.stringify(doc);
      const text =
        encoding === 'crlf'
          ? `${json}\r\n`
          : encoding === 'pretty'
            ? JSON.stringify(doc, null, 2)
            : encoding === 'cr-pretty'
              ? JSON.stringify(doc, null, 1).replace(/\n/g, '\r')
              : encoding === 'cr-cr-lf'
                ? `${json}\r\r\n`
                : encoding === 'leading-lf'
                  ? `\n${json}`
                  : encoding === 'blank-after'
                    ? `${json}\n\n`
                    : encoding === 'bom'
                      ? `\ufeff${json}`
                      : encoding === 'truncated'
                        ? json.slice(0, -1)
                        : encoding === 'json-lines'
                          ? `${json}\n${JSON.stringify({ id: 5, timestamp: v })}`
                          : encoding === 'json-lines-cut'
                            ? `${json}\n${json.slice(0, -1)}`
                            : json;
      const bytes = new TextEncoder().encode(text);
      return encoding === 'bad-utf8'
        ? new Uint8Array([...bytes.slice(0, 5), 0xc3, 0x28, ...bytes.slice(5)])
        : bytes;
    });

const routerSettings = fc.record({
  eventTimeField: fc.constantFrom(
    'timestamp',
    'timestamp',
    'timestamp',
    'meta.ts',
    'meta.0',
    'timestamp.length',
  ),
  eventTimeFormat: fc.oneof(fc.constant('auto' as const), fc.constantFrom(...EVENT_TIME_FORMATS)),
  latenessMinutes: fc.constantFrom(0, 1, 60, 180, 183),
  earlyMinutes: fc.constantFrom(0, 1, 15, 60),
  horizonDays: fc.constantFrom(1, 2),
});

describe('router decision vs the reference model of docs/router.md', () => {
  it('property: every generated record, or each of its lines, goes where the documented rules say', () => {
    fc.assert(
      fc.property(
        clock.chain((now) => fc.tuple(fc.constant(now), record(instantsNear(now)))),
        routerSettings,
        ([nowMs, data], o) => {
          const s = settings(o);
          const plan = planBatch([{ id: 'r', data }], DateTime.fromMillis(nowMs, { zone: 'utc' }), s);
          const got = plan.outbound.map((o) =>
            o.route.kind === 'hourly' ? o.route.stream : `fallback ${o.route.reason}`,
          );
          const ref = referenceRoutes(data, nowMs, { ...s, eventTimeFormat: s.eventTimeFormat });
          expect(
            got,
            `${JSON.stringify(new TextDecoder().decode(data))} with ${JSON.stringify(o)}`,
          ).to.deep.equal(ref);
        },
      ),
      { numRuns: runs(1500) },
    );
  });

  it('property: every line an hourly stream receives is one complete JSON document, bytes unchanged', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(
        clock.chain((now) =>
          fc.tuple(fc.constant(now), fc.array(record(instantsNear(now)), { maxLength: 40 })),
        ),
        ([nowMs, records]) => {
          const s = settings();
          const base64 = records.map((r) => Buffer.from(r).toString('base64'));
          const ids = records.map((_, i) => String(i));
          const plan = planColumns(
            ids,
            decodeKinesisBatch(base64),
            DateTime.fromMillis(nowMs, { zone: 'utc' }),
            s,
          );
          for (const o of plan.outbound.filter((x) => x.route.kind === 'hourly')) {
            // Unchanged: the producer's bytes, plus "\n" only when missing; a JSON Lines record's
            // events are its lines, each starting the record or right after an LF.
            const input = Buffer.from(withNewline(records[Number(o.id)]));
            const offset = input.indexOf(Buffer.from(o.data));
            expect(offset === 0 || (offset > 0 && input[offset - 1] === 0x0a)).to.equal(true);
            if (offset === 0 && o.data.length < input.length) expect(o.data.at(-1)).to.equal(0x0a);
          }
          // What one hourly object holds: the records of one stream, concatenated (as Firehose does).
          const perStream = new Map<string, Uint8Array[]>();
          for (const o of plan.outbound)
            if (o.route.kind === 'hourly')
              perStream.set(o.route.stream, [...(perStream.get(o.route.stream) ?? []), o.data]);
          for (const parts of perStream.values()) {
            const object = strict.decode(Buffer.concat(parts));
            expect(object.endsWith('\n')).to.equal(true);
            // JSON Lines splits on LF; Hadoop's LineRecordReader (Athena) on LF, CR and CRLF.
            for (const lines of [object.slice(0, -1).split('\n'), object.split(/\r\n|\r|\n/).slice(0, -1)])
              for (const line of lines)
                expect(() => JSON.parse(line) as unknown, JSON.stringify(line)).not.to.throw();
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
