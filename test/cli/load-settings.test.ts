// The operator's input errors: each message names the input (flag, file, variable) and what is
// expected. Pure: no AWS, no commander.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { checkNowSkew, loadSettings, parseNow, UsageError } from '../../rotation/cli/load-settings';
import { BASE_SETTINGS, settings } from '../support/fixtures';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('cli input: --now', () => {
  const accepted: [string, string][] = [
    ['2026-11-22T05:30:00Z', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:30Z', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T05:30:00.250z', '2026-11-22T05:30:00.250Z'],
    ['2026-11-22T07:30:00+02:00', '2026-11-22T05:30:00.000Z'],
    ['2026-11-22T00:30:00-0500', '2026-11-22T05:30:00.000Z'],
  ];
  for (const [input, utc] of accepted) {
    it(`reads ${input} as ${utc}`, () => {
      const now = parseNow(input);
      expect(now.toISO()).to.equal(utc);
      expect(now.zoneName).to.equal('UTC');
    });
  }

  // Without an offset the instant is ambiguous; a date alone or a word is not an instant.
  for (const input of [
    'yesterday',
    '2026-11-22',
    '2026-11-22T05:30:00',
    '2026-13-22T05:30:00Z',
    '2026-11-22T05:30:00+05:99', // the router's rule: offsets are range-checked
    '2026-11-22 05:30:00Z',
    '',
  ]) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => parseNow(input)).to.throw(
        'expected an RFC 3339 instant with Z or an offset, e.g. 2026-11-22T05:30:00Z',
      );
    });
  }
});

describe('cli input: settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-settings-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const env = { FIREHOSE_ROTATION_SETTINGS: JSON.stringify(BASE_SETTINGS) };

  it('reads the environment variable, filling defaults exactly like the Lambdas', () => {
    expect(loadSettings({ env })).to.deep.equal(settings());
  });

  it('prefers --config over the environment', () => {
    const path = file('ok.json', JSON.stringify({ ...BASE_SETTINGS, quota: 70 }));
    expect(loadSettings({ config: path, env }).quota).to.equal(70);
  });

  it('names the source and every bad field, one line each', () => {
    const path = file(
      'bad.json',
      JSON.stringify({ ...BASE_SETTINGS, quota: 1, compression: 'LZ4', qouta: 3 }),
    );
    expect(usageMessage(() => loadSettings({ config: path, env: {} }))).to.equal(
      `invalid settings in --config ${path}:\n` +
        '  - quota: must be an integer from 2 to 5000 streams\n' +
        '  - compression: must be one of UNCOMPRESSED, GZIP, Snappy, HADOOP_SNAPPY\n' +
        '  - (settings): unknown field(s) qouta',
    );
    const bad = { FIREHOSE_ROTATION_SETTINGS: JSON.stringify({ ...BASE_SETTINGS, bucketArn: 'my-bucket' }) };
    expect(usageMessage(() => loadSettings({ env: bad }))).to.equal(
      'invalid settings in FIREHOSE_ROTATION_SETTINGS:\n' +
        '  - bucketArn: must be an S3 bucket ARN like arn:aws:s3:::my-bucket',
    );
  });

  it('says when the JSON itself is broken, and where', () => {
    expect(
      usageMessage(() => loadSettings({ env: { FIREHOSE_ROTATION_SETTINGS: '{"quota": 5,' } })),
    ).to.match(/^FIREHOSE_ROTATION_SETTINGS is not valid JSON: /);
  });

  it('says when there are no settings at all, or the file cannot be read', () => {
    expect(usageMessage(() => loadSettings({ env: {} }))).to.equal(
      'no settings: pass --config <file.json> or set FIREHOSE_ROTATION_SETTINGS to the settings JSON',
    );
    expect(usageMessage(() => loadSettings({ env: { FIREHOSE_ROTATION_SETTINGS: '  ' } }))).to.equal(
      'no settings: pass --config <file.json> or set FIREHOSE_ROTATION_SETTINGS to the settings JSON',
    );
    const missing = join(dir, 'missing.json');
    expect(usageMessage(() => loadSettings({ config: missing, env }))).to.equal(
      `cannot read --config ${missing}: ENOENT`,
    );
  });
});

describe('cli input: --now near the clock for rotate and teardown', () => {
  const clock = DateTime.fromISO('2026-11-22T05:30:00Z', { zone: 'utc' });
  const refusal = (command: string, now: string, skew: string) =>
    `--now ${now} is ${skew} this machine's clock (2026-11-22T05:30:00.000Z); ${command} accepts at most ` +
    '300 s, because it changes real streams: ahead it can delete streams the router still writes to, ' +
    'behind it can recreate hours already complete and signal them again. Use plan --now to look; ' +
    `pass --allow-clock-skew to ${command} anyway`;
  const cases: [string, string, boolean, string | undefined][] = [
    ['rotate', '2026-11-22T05:35:00.000Z', false, undefined], // exactly 300 s ahead
    ['rotate', '2026-11-22T05:25:00.000Z', false, undefined], // exactly 300 s behind
    [
      'rotate',
      '2026-11-22T05:35:00.001Z',
      false,
      refusal('rotate', '2026-11-22T05:35:00.001Z', '301 s ahead of'),
    ],
    [
      'rotate',
      '2026-11-22T07:30:00.000Z',
      false,
      refusal('rotate', '2026-11-22T07:30:00.000Z', '7200 s ahead of'),
    ],
    [
      'teardown',
      '2026-11-21T05:30:00.000Z',
      false,
      refusal('teardown', '2026-11-21T05:30:00.000Z', '86400 s behind'),
    ],
    ['rotate', '2026-11-22T07:30:00.000Z', true, undefined], // --allow-clock-skew
    ['teardown', '2020-01-01T00:00:00.000Z', true, undefined],
  ];
  for (const [command, now, allowed, message] of cases) {
    it(`${command} --now ${now}${allowed ? ' --allow-clock-skew' : ''} → ${message ? 'refused' : 'accepted'}`, () => {
      const check = () => checkNowSkew(command, DateTime.fromISO(now, { zone: 'utc' }), clock, allowed);
      if (message) expect(usageMessage(check)).to.equal(message);
      else expect(check).not.to.throw();
    });
  }

  it('without --now there is nothing to check', () => {
    expect(() => checkNowSkew('rotate', undefined, clock, false)).not.to.throw();
  });
});
