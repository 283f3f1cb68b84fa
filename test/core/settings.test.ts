import { expect } from 'chai';
import { parsePipelineConfig, parseSettings, SettingsError } from '../../rotation/core/settings';
import { generationOf } from '../../rotation/core/generations';
import { BASE_SETTINGS, settings } from '../support/fixtures';

function problems(
  overrides: Record<string, unknown>,
  parse: (raw: unknown) => unknown = parseSettings,
): string[] {
  try {
    parse({ ...BASE_SETTINGS, ...overrides });
  } catch (err) {
    expect(err).to.be.instanceOf(SettingsError);
    return (err as SettingsError).problems;
  }
  throw new Error('expected the settings to be rejected');
}

describe('settings schema', () => {
  it('fills documented defaults', () => {
    const s = parseSettings(BASE_SETTINGS);
    expect(s).to.deep.include({
      quota: 50,
      horizonDays: 1,
      latenessMinutes: 60,
      safetyMarginMinutes: 15,
      bufferingSizeMiB: 5,
      bufferingIntervalSeconds: 300,
      compression: 'GZIP',
      dataPrefix: 'data',
      fallbackPrefix: 'late',
      errorOutputPrefix: 'errors',
      eventTimeField: 'timestamp',
      eventTimeFormat: 'auto',
      routerConcurrency: 4,
    });
  });

  const rejected: [Record<string, unknown>, string][] = [
    [{ bufferingSizeMiB: 0 }, 'bufferingSizeMiB: must be an integer from 1 to 128 MiB'],
    [{ bufferingSizeMiB: 129 }, 'bufferingSizeMiB: must be an integer from 1 to 128 MiB'],
    [{ bufferingSizeMiB: 2.5 }, 'bufferingSizeMiB: must be an integer from 1 to 128 MiB'],
    [{ bufferingIntervalSeconds: -1 }, 'bufferingIntervalSeconds: must be an integer from 0 to 900 seconds'],
    [{ bufferingIntervalSeconds: 901 }, 'bufferingIntervalSeconds: must be an integer from 0 to 900 seconds'],
    [
      { bufferingIntervalSeconds: '60' },
      'bufferingIntervalSeconds: must be an integer from 0 to 900 seconds',
    ],
    [{ quota: 1 }, 'quota: must be an integer from 2 to 5000 streams'],
    [{ compression: 'LZ4' }, 'compression: must be one of UNCOMPRESSED, GZIP, Snappy, HADOOP_SNAPPY'],
    [
      { streamPrefix: 'p'.repeat(54) },
      'streamPrefix: must be 1-53 characters of [a-zA-Z0-9_.-] (the hourly name adds "-yyyyMMddHH" and Firehose allows 64)',
    ],
    [
      { streamPrefix: 'has space' },
      'streamPrefix: must be 1-53 characters of [a-zA-Z0-9_.-] (the hourly name adds "-yyyyMMddHH" and Firehose allows 64)',
    ],
    [{ fallbackStreamName: 'f'.repeat(65) }, 'fallbackStreamName: must be 1-64 characters of [a-zA-Z0-9_.-]'],
    [
      { fallbackStreamName: 'events-2026112205' },
      'fallbackStreamName: must not look like an hourly stream name (<streamPrefix>-yyyyMMddHH)',
    ],
    [{ bucketArn: 'my-bucket' }, 'bucketArn: must be an S3 bucket ARN like arn:aws:s3:::my-bucket'],
    [
      { dataPrefix: '/data/' },
      `dataPrefix: dataPrefix must be path segments of [a-zA-Z0-9!_.*'()=-] joined by "/", without leading or trailing "/"`,
    ],
    [{ fallbackPrefix: 'data/late' }, 'fallbackPrefix: must not overlap dataPrefix ("data" vs "data/late")'],
    [
      { extraTags: { 'firehose-rotation:x': 'y' } },
      'extraTags.firehose-rotation:x: keys starting with "firehose-rotation:" or "aws:" (any case) are reserved',
    ],
    [{ eventTimeFormat: 'unix' }, 'eventTimeFormat: must be one of auto, iso8601, epochSeconds, epochMillis'],
    [{ qouta: 40 }, '(settings): unknown field(s) qouta'],
    [
      { quota: 10, latenessMinutes: 600 },
      'quota: quota 10 cannot hold the live window: up to 13 hourly streams must exist at once (lateness 600 min + buffering 300 s + margin 15 min of draining hours, plus the current and next hour) plus the fallback; raise quota or shorten latenessMinutes',
    ],
    [
      // The live window counts streams: 4 hours × 3 streams + the fallback = 13 > 12; with one
      // stream per hour it would fit, so the message names streamsPerHour.
      { quota: 12, streamsPerHour: 3 },
      'streamsPerHour: 3 streams per hour need up to 12 hourly streams at once (a live window of 4 hours × 3) plus the fallback, more than quota 12; at most 2 fit, or raise quota',
    ],
    [
      { quota: 4, streamsPerHour: 2 },
      'quota: quota 4 cannot hold the live window: up to 8 hourly streams must exist at once (4 hours × streamsPerHour 2: lateness 60 min + buffering 300 s + margin 15 min of draining hours, plus the current and next hour) plus the fallback; raise quota or shorten latenessMinutes or lower streamsPerHour',
    ],
    [{ streamsPerHour: 17 }, 'streamsPerHour: must be an integer from 1 to 16 streams per hour'],
  ];
  for (const [overrides, message] of rejected) {
    it(`rejects ${JSON.stringify(overrides)} naming the field`, () => {
      expect(problems(overrides)).to.deep.equal([message]);
    });
  }

  it('rejects a missing required field by name', () => {
    const { bucketArn: _omitted, ...rest } = BASE_SETTINGS;
    void _omitted;
    expect(() => parseSettings(rest)).to.throw(SettingsError, /bucketArn: /);
  });

  it('Pulumi config takes the tunables only: deployed ARNs are not config', () => {
    const { bucketArn: _b, deliveryRoleArn: _r, ...tunables } = BASE_SETTINGS;
    void _b;
    void _r;
    expect(parsePipelineConfig(tunables).quota).to.equal(50);
    expect(problems({ bufferingSizeMiB: 200 }, parsePipelineConfig)).to.include(
      'bufferingSizeMiB: must be an integer from 1 to 128 MiB',
    );
  });
});

describe('settings: sharing an account (checked at preview)', () => {
  const config = (o: Record<string, unknown>) => {
    const { bucketArn: _b, deliveryRoleArn: _r, ...tunables } = { ...BASE_SETTINGS, ...o };
    void _b;
    void _r;
    return tunables;
  };
  // problems() adds the deployed ARNs, which Pulumi config does not take.
  const preview = (raw: unknown) => parsePipelineConfig(config(raw as Record<string, unknown>));

  it("defaults: reserve 1, no lookahead, no budget, Firehose's delivery-stream quota code", () => {
    const c = parsePipelineConfig(config({}));
    expect([c.reserveStreams, c.lookaheadHours, c.streamBudget, c.serviceQuotaCode]).to.deep.equal([
      1,
      undefined,
      undefined,
      'L-14BB0BE7',
    ]);
  });

  const rejectedAtPreview: [Record<string, unknown>, string][] = [
    [
      { latenessMinutes: 1440 },
      'horizonDays: the lookahead never fits: at least 49 hourly streams are needed at every hour of the day, and 48 fit (budget 50, quota 50 minus reserveStreams 1, minus the fallback); set lookaheadHours to at most 22, or raise quota or streamBudget',
    ],
    [
      { streamBudget: 10, lookaheadHours: 12 },
      'lookaheadHours: the lookahead never fits: at least 14 hourly streams are needed at every hour of the day, and 9 fit (budget 10, quota 50 minus reserveStreams 1, minus the fallback); set lookaheadHours to at most 6, or raise quota or streamBudget',
    ],
    [
      { reserveStreams: 46 },
      'reserveStreams: 46 leaves no room for the live window (4 hourly streams plus the fallback) in quota 50',
    ],
    [
      // Two streams per hour at quota 50: a whole day ahead never fits, 21 hours do (24 × 2 = 48).
      { streamsPerHour: 2 },
      'horizonDays: the lookahead never fits: at least 52 hourly streams are needed at every hour of the day, and 48 fit (budget 50, quota 50 minus reserveStreams 1, minus the fallback); set lookaheadHours to at most 21, or raise quota or streamBudget',
    ],
    [
      { streamsPerHour: 2, streamBudget: 8 },
      'streamBudget: 8 cannot hold the live window: up to 8 hourly streams plus the fallback',
    ],
    [
      { streamsPerHour: 4, reserveStreams: 34 },
      'reserveStreams: 34 leaves no room for the live window (16 hourly streams plus the fallback) in quota 50',
    ],
    [{ streamBudget: 60 }, 'streamBudget: must not exceed quota 50'],
    [
      { streamBudget: 4 },
      'streamBudget: 4 cannot hold the live window: up to 4 hourly streams plus the fallback',
    ],
    [{ lookaheadHours: 0 }, 'lookaheadHours: must be an integer from 1 to 192 hours after the current one'],
    [{ reserveStreams: -1 }, 'reserveStreams: must be an integer from 0 to 100 free streams'],
    [
      { serviceQuotaCode: 'l-1234abcd' },
      'serviceQuotaCode: must be a Service Quotas code like L-0123ABCD (see docs/sharing.md)',
    ],
  ];
  for (const [o, message] of rejectedAtPreview) {
    it(`rejects ${JSON.stringify(o)} at preview naming the field`, () => {
      expect(problems(o, preview)).to.deep.equal([message]);
    });
  }

  it('the functions and the CLI accept a lookahead that never fits (they report the shortfall)', () => {
    expect(parseSettings({ ...BASE_SETTINGS, latenessMinutes: 1440 }).latenessMinutes).to.equal(1440);
    expect(parseSettings({ ...BASE_SETTINGS, quota: 10 }).quota).to.equal(10);
  });

  it('accepts the documented dev settings beside a default prod in quota 50', () => {
    const dev = parsePipelineConfig(config({ streamBudget: 10, lookaheadHours: 6 }));
    expect([dev.streamBudget, dev.lookaheadHours]).to.deep.equal([10, 6]);
  });
});

describe('settings: a former streamPrefix against the current streamsPerHour', () => {
  const long = 'p'.repeat(53); // the longest prefix streamsPerHour 1 allows
  const former = (prefix: string) => ({
    ...generationOf(settings({ streamPrefix: prefix })),
    namesUntil: '2026112400',
    expires: '2026-11-24T08:20:00.000Z',
  });

  it('a 53-character former prefix with streamsPerHour 2 is refused, naming the way out', () => {
    const raw = {
      ...BASE_SETTINGS,
      streamPrefix: 'short',
      streamsPerHour: 2,
      formerGenerations: [former(long)],
    };
    expect(() => parseSettings(raw)).to.throw(
      SettingsError,
      `streamsPerHour: 2 streams per hour with the former streamPrefix "${long}" (53 characters), which still names ` +
        "the hours before 2026112400, would make names over Firehose's 64 characters; keep streamsPerHour at most 1 " +
        'until 2026-11-24T08:20:00.000Z (formerGenerations)',
    );
  });

  const table: [number, number, boolean][] = [
    [51, 2, true], // "-yyyyMMddHH-1": 51 + 13 = 64
    [52, 2, false],
    [50, 11, true], // "-yyyyMMddHH-10": 50 + 14 = 64
    [51, 11, false],
    [53, 1, true],
  ];
  for (const [length, n, ok] of table) {
    it(`former prefix of ${length} characters with streamsPerHour ${n}: ${ok ? 'accepted' : 'refused'}`, () => {
      const raw = {
        ...BASE_SETTINGS,
        streamPrefix: 'short',
        streamsPerHour: n,
        quota: 500,
        formerGenerations: [former('p'.repeat(length))],
      };
      if (ok) expect(parseSettings(raw).formerGenerations).to.have.length(1);
      else expect(() => parseSettings(raw)).to.throw(SettingsError, /former streamPrefix/);
    });
  }
});
