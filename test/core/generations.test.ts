import { expect } from 'chai';
import fc from 'fast-check';
import { hourlyStreamRequest } from '../../rotation/aws/stream-config';
import {
  configDigest,
  generationOf,
  GenerationState,
  generationStateSchema,
  nextFormers,
  retainedObjectPrefixes,
  STREAM_SHAPING_FIELDS,
  maxStreamsPerHour,
  parseKnownHourlyName,
  streamNameFor,
  streamNamesFor,
} from '../../rotation/core/generations';
import { parseSettings, RotationSettings, SettingsInput } from '../../rotation/core/settings';
import { drainWindow, emptyAndRemakeable } from '../../rotation/core/stream-deletion';
import { at, BASE_SETTINGS, settings } from '../support/fixtures';

/**
 * What the delivery role must allow for settings `s`, from the settings alone: the data, fallback
 * and error prefixes of the current and every live former generation. The Pipeline computes it
 * before the settings exist (retainedObjectPrefixes); this is the oracle it is checked against.
 */
function allowedObjectPrefixes(s: RotationSettings): string[] {
  const all = [s, ...s.formerGenerations];
  return [...new Set(all.flatMap((g) => [g.dataPrefix, g.fallbackPrefix, g.errorOutputPrefix]))];
}

const A = settings(); // lateness 60 min, buffering 300 s, margin 15 min: drain 80 min; horizon 1 day
const stateOf = (s: RotationSettings): GenerationState => ({
  current: generationOf(s),
  formers: s.formerGenerations,
});
/** One `up` from `prev` to `next` at `iso`, as the Pipeline computes it. */
function up(prev: RotationSettings | undefined, next: Partial<SettingsInput>, iso: string): RotationSettings {
  const base = settings(next);
  return parseSettings({ ...base, formerGenerations: nextFormers(prev && stateOf(prev), base, at(iso)) });
}

describe('configDigest: the configuration a stream is made with', () => {
  const changed: Record<(typeof STREAM_SHAPING_FIELDS)[number], Partial<SettingsInput>> = {
    dataPrefix: { dataPrefix: 'data2' },
    errorOutputPrefix: { errorOutputPrefix: 'errors2' },
    bufferingSizeMiB: { bufferingSizeMiB: 64 },
    bufferingIntervalSeconds: { bufferingIntervalSeconds: 60 },
    compression: { compression: 'UNCOMPRESSED' },
    bucketArn: { bucketArn: 'arn:aws:s3:::other-lake' },
    deliveryRoleArn: { deliveryRoleArn: 'arn:aws:iam::123456789012:role/other' },
    kmsKeyArn: { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k-2' },
    logGroupName: { logGroupName: 'other-group' },
  };
  for (const [field, override] of Object.entries(changed)) {
    it(`changes with ${field}, and so does the stream's destination`, () => {
      const b = settings(override);
      expect(configDigest(b)).to.not.equal(configDigest(A));
      const hour = at('2026-11-22T05:00:00Z');
      expect(hourlyStreamRequest(b, hour).ExtendedS3DestinationConfiguration).to.not.deep.equal(
        hourlyStreamRequest(A, hour).ExtendedS3DestinationConfiguration,
      );
    });
  }

  it('is 16 hex characters, stable for equal settings', () => {
    expect(configDigest(A)).to.match(/^[0-9a-f]{16}$/);
    expect(configDigest(settings())).to.equal(configDigest(A));
  });

  it('property: settings with the same digest make the same destination (no shaping field is missing)', () => {
    const others = fc.record({
      quota: fc.integer({ min: 10, max: 5000 }),
      latenessMinutes: fc.integer({ min: 0, max: 120 }),
      safetyMarginMinutes: fc.integer({ min: 1, max: 120 }),
      horizonDays: fc.integer({ min: 1, max: 7 }),
      routerConcurrency: fc.integer({ min: 1, max: 32 }),
      eventTimeField: fc.constantFrom('timestamp', 'meta.ts'),
      fallbackPrefix: fc.constantFrom('late', 'fallback/x'),
    });
    fc.assert(
      fc.property(others, others, (x, y) => {
        const [a, b] = [settings(x), settings(y)];
        expect(configDigest(a)).to.equal(configDigest(b));
        const hour = at('2026-11-22T05:00:00Z');
        expect(hourlyStreamRequest(a, hour).ExtendedS3DestinationConfiguration).to.deep.equal(
          hourlyStreamRequest(b, hour).ExtendedS3DestinationConfiguration,
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe('nextFormers: what an `up` keeps of the configurations before it', () => {
  it('first deploy and an unchanged `up` keep nothing', () => {
    expect(nextFormers(undefined, A, at('2026-11-22T10:20:00Z'))).to.deep.equal([]);
    expect(nextFormers(stateOf(A), settings({ quota: 40 }), at('2026-11-22T10:20:00Z'))).to.deep.equal([]);
  });

  it('a streamPrefix change at 10:20: the old names serve every hour through tomorrow, expiring after their drain', () => {
    const B = up(A, { streamPrefix: 'orders' }, '2026-11-22T10:20:00Z');
    expect(B.formerGenerations).to.deep.equal([
      {
        ...generationOf(A),
        // horizonEnd(11:20) with horizonDays 1: the old function may create hours until then.
        namesUntil: '2026112400',
        // the last old hour (23h of the 23rd) drains at 00:00 + 80 min; six hourly runs of slack.
        expires: '2026-11-24T07:20:00.000Z',
      },
    ]);
    expect(streamNameFor(at('2026-11-23T23:00:00Z'), B)).to.equal('events-2026112323');
    expect(streamNameFor(at('2026-11-24T00:00:00Z'), B)).to.equal('orders-2026112400');
  });

  it('a state exported before streamsPerHour existed reads as one per hour: the upgrade retires nothing', () => {
    const { streamsPerHour, ...old } = generationOf(A);
    expect(streamsPerHour).to.equal(1);
    const previous = generationStateSchema.parse({ current: old, formers: [] });
    expect(nextFormers(previous, A, at('2026-11-22T10:20:00Z'))).to.deep.equal([]);
  });

  it('a streamsPerHour change: every hour gets the new count at once, the old one stays for IAM until it expires', () => {
    const B = up(A, { streamsPerHour: 3 }, '2026-11-22T10:20:00Z');
    expect(B.formerGenerations.map((f) => [f.streamsPerHour, f.namesUntil])).to.deep.equal([
      [1, '2026112400'],
    ]);
    expect(streamNamesFor(at('2026-11-22T11:00:00Z'), B)).to.deep.equal([
      'events-2026112211',
      'events-2026112211-1',
      'events-2026112211-2',
    ]);
    const C = up(B, { streamsPerHour: 1 }, '2026-11-22T12:20:00Z');
    expect(streamNamesFor(at('2026-11-22T13:00:00Z'), C)).to.deep.equal(['events-2026112213']);
    expect(maxStreamsPerHour(C)).to.equal(3); // the siblings made under B may still exist
    // Ours by name: any index below the largest live N, and nothing beyond it (IAM covers no more).
    expect(parseKnownHourlyName('events-2026112213-2', C)?.index).to.equal(2);
    expect(parseKnownHourlyName('events-2026112213-3', C)).to.equal(undefined);
    expect(parseKnownHourlyName('events-2026112213-1', A)).to.equal(undefined);
    expect(parseKnownHourlyName('events-2026112213', A)?.index).to.equal(0);
  });

  it('a change at 23:30 reaches one day further: the old function may still run past midnight', () => {
    const B = up(A, { dataPrefix: 'data2' }, '2026-11-22T23:30:00Z');
    expect(B.formerGenerations.map((f) => f.namesUntil)).to.deep.equal(['2026112500']);
  });

  it('a longer lateness is retired with the longer drain: every expiry uses the longest live window', () => {
    const L = settings({ latenessMinutes: 600 });
    const B = up(L, { latenessMinutes: 30 }, '2026-11-22T10:20:00Z');
    expect(drainWindow(B)).to.deep.equal({
      latenessMinutes: 600,
      bufferingIntervalSeconds: 300,
      safetyMarginMinutes: 15,
      horizonDays: 1,
      earlyMinutes: 15,
    });
    expect(B.formerGenerations[0].expires).to.equal('2026-11-24T16:20:00.000Z'); // 00:00 + 615 min + 300 s + 6 h
  });

  it('each setting at its longest wherever it comes from: deletes and the expiry use the same window', () => {
    // lateness and buffering from the former configuration, the margin from the new one.
    const L = settings({ bufferingIntervalSeconds: 900 });
    const B = up(
      L,
      { latenessMinutes: 30, bufferingIntervalSeconds: 60, safetyMarginMinutes: 30 },
      '2026-11-22T10:20:00Z',
    );
    expect(drainWindow(B)).to.deep.equal({
      latenessMinutes: 60,
      bufferingIntervalSeconds: 900,
      safetyMarginMinutes: 30,
      horizonDays: 1,
      earlyMinutes: 15,
    });
    expect(B.formerGenerations[0].expires).to.equal('2026-11-24T07:45:00.000Z'); // 00:00 + 90 min + 900 s + 6 h
  });

  it('two changes: names stay monotonic, and a former is dropped only after it expired', () => {
    const B = up(A, { streamPrefix: 'orders' }, '2026-11-22T10:20:00Z');
    const C = up(B, { streamPrefix: 'billing' }, '2026-11-22T12:00:00Z');
    expect(C.formerGenerations.map((f) => [f.streamPrefix, f.namesUntil])).to.deep.equal([
      ['events', '2026112400'],
      ['orders', '2026112400'], // an empty range: orders never named an hour
    ]);
    expect(streamNameFor(at('2026-11-24T00:00:00Z'), C)).to.equal('billing-2026112400');
    const later = up(C, { streamPrefix: 'billing' }, '2026-11-24T07:19:59Z');
    expect(later.formerGenerations.map((f) => f.streamPrefix)).to.deep.equal(['events', 'orders']);
    const expired = up(C, { streamPrefix: 'billing' }, '2026-11-24T07:20:00Z');
    expect(expired.formerGenerations).to.deep.equal([]);
  });

  it('a fifth live former configuration is refused, naming the field', () => {
    let s = A;
    for (const [i, prefix] of ['b', 'c', 'd', 'e'].entries()) {
      s = up(s, { streamPrefix: prefix }, `2026-11-22T1${i}:00:00Z`);
    }
    expect(s.formerGenerations).to.have.length(4);
    expect(() => up(s, { streamPrefix: 'f' }, '2026-11-22T15:00:00Z')).to.throw(
      'invalid settings:\n  - formerGenerations: at most 4 former configurations may be live at once; ' +
        'wait until the oldest expires (see docs/lifecycle.md)',
    );
  });

  it('the delivery role keeps the old prefixes: data, fallback and errors of every live generation', () => {
    const B = up(
      A,
      { dataPrefix: 'd2', fallbackPrefix: 'late2', errorOutputPrefix: 'err2' },
      '2026-11-22T10:20:00Z',
    );
    expect(allowedObjectPrefixes(B)).to.deep.equal(['d2', 'late2', 'err2', 'data', 'late', 'errors']);
    expect(retainedObjectPrefixes(stateOf(A), at('2026-11-22T10:20:00Z'))).to.deep.equal([
      'data',
      'late',
      'errors',
    ]);
  });

  it('property: over any sequence of `up`s, the role allows exactly the prefixes of the settings the functions get', () => {
    const change = fc.record({
      dataPrefix: fc.constantFrom('data', 'd1', 'd2'),
      errorOutputPrefix: fc.constantFrom('errors', 'e1'),
      fallbackPrefix: fc.constantFrom('late', 'l1'),
      streamPrefix: fc.constantFrom('events', 'orders'),
      latenessMinutes: fc.constantFrom(0, 60, 300),
      hoursLater: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 6 }), (ups) => {
        let prev: RotationSettings | undefined;
        let t = at('2026-11-22T00:00:00Z');
        for (const { hoursLater, ...next } of ups) {
          t = t.plus({ hours: hoursLater });
          const base = settings(next);
          const formers = nextFormers(prev && stateOf(prev), base, t);
          if (formers.length > 4) return; // more than 4 are refused at preview (test above)
          const s = parseSettings({ ...BASE_SETTINGS, ...next, formerGenerations: formers });
          const role = new Set([
            s.dataPrefix,
            s.fallbackPrefix,
            s.errorOutputPrefix,
            ...retainedObjectPrefixes(prev && stateOf(prev), t),
          ]);
          expect([...role].sort()).to.deep.equal([...allowedObjectPrefixes(s)].sort());
          prev = s;
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('upgrade to I1 (earlyMinutes): streams an older router may have written to early', () => {
  // A state exported before earlyMinutes existed: the same generation without the field.
  const old = generationStateSchema.parse(
    JSON.parse(JSON.stringify({ current: { ...generationOf(A), earlyMinutes: undefined }, formers: [] })),
  );
  const upgraded = parseSettings({
    ...A,
    formerGenerations: nextFormers(old, A, at('2026-11-22T10:20:00Z')),
  });

  it('the first `up` with the new code retires the old generation, without earlyMinutes, until its horizon', () => {
    expect(old.current.earlyMinutes).to.equal(undefined);
    expect(
      upgraded.formerGenerations.map((f) => [f.namesUntil, f.earlyMinutes, f.streamPrefix, f.expires]),
    ).to.deep.equal([['2026112400', undefined, 'events', '2026-11-24T07:20:00.000Z']]);
    // Same names, owner and digest: nothing else about the streams changes.
    expect(streamNameFor(at('2026-11-23T05:00:00Z'), upgraded)).to.equal('events-2026112305');
    // The next `up` with unchanged settings retires nothing more.
    const again = nextFormers(stateOf(upgraded), upgraded, at('2026-11-22T11:20:00Z'));
    expect(again).to.deep.equal(upgraded.formerGenerations);
  });

  const table: [string, string, boolean, string][] = [
    [
      '2026-11-23T23:00:00Z',
      '2026-11-22T10:30:00Z',
      false,
      'made by the old rotation: may hold early records',
    ],
    ['2026-11-24T00:00:00Z', '2026-11-22T10:30:00Z', true, 'at namesUntil: only the new rotation makes it'],
    ['2026-11-24T00:00:00Z', '2026-11-23T23:34:00Z', false, 'new, but opens within 11 min'],
    ['2026-11-23T12:00:00Z', '2026-11-23T11:40:00Z', false, 'old, and open at 11:45 anyway'],
  ];
  for (const [hour, t, expected, why] of table) {
    it(`hour ${hour} at ${t}: ${expected ? 'far-ahead and empty' : 'kept'} (${why})`, () => {
      expect(emptyAndRemakeable(at(hour), at(t), upgraded)).to.equal(expected);
    });
  }

  it('without a pre-I1 former every far-ahead hour is empty', () => {
    const [hour, t] = [at('2026-11-23T23:00:00Z'), at('2026-11-22T10:30:00Z')];
    expect(emptyAndRemakeable(hour, t, A)).to.equal(true);
    expect(emptyAndRemakeable(hour, t, upgraded)).to.equal(false);
  });
});
