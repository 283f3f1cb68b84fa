// Settings inputs the fuzz found mishandled (fixed in settings.ts since); each test states the
// behaviour the README promises and stays as a regression test (verify/README-section.md, "Findings").
import { expect } from 'chai';
import { parseSettings, SettingsError } from '../../rotation/core/settings';
import { BASE } from '../support/settings-oracle';

function problems(raw: unknown): string[] | undefined {
  try {
    parseSettings(raw);
    return undefined;
  } catch (err) {
    expect(err).to.be.instanceOf(SettingsError);
    return (err as SettingsError).problems;
  }
}

/** Firehose's documented Tag patterns (API reference, Tag): what CreateDeliveryStream accepts. */
const FIREHOSE_TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$/u;
const FIREHOSE_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$/u;

describe('verify: settings findings of the fuzz', () => {
  it('an out-of-range lateness is reported once, on latenessMinutes, not also as a quota problem', () => {
    // 2801 min makes the (invalid) live window 50 hours, so the quota check fires on a bad value.
    expect(problems({ ...BASE, latenessMinutes: 2801 })).to.deep.equal([
      'latenessMinutes: must be an integer from 0 to 1440 minutes',
    ]);
  });

  it('a tag key longer than 128 characters gets the documented message, not "Invalid key in record"', () => {
    const key = 'k'.repeat(129);
    expect(problems({ ...BASE, extraTags: { [key]: 'v' } })).to.deep.equal([
      `extraTags.${key}: tag keys must be 1-128 characters`,
    ]);
  });

  it('a "__proto__" tag key from JSON config is kept or rejected, never silently dropped', () => {
    const raw = { ...BASE, extraTags: JSON.parse('{"__proto__": "x", "team": "data"}') as unknown };
    const rejected = problems(raw);
    if (rejected) expect(rejected.every((line) => line.startsWith('extraTags'))).to.equal(true);
    else
      expect(Object.entries(parseSettings(raw).extraTags)).to.deep.equal([
        ['__proto__', 'x'],
        ['team', 'data'],
      ]);
  });

  // Accepted at preview today, then every CreateDeliveryStream fails with InvalidArgumentException:
  // each rotation run throws and no hourly stream is ever created.
  const firehoseRejects: Record<string, string>[] = [
    { 'cost-center!': 'x' },
    { team: 'a&b' },
    { url: 'https://example.com/?q=1' },
    { owner: 'line\nbreak' },
  ];
  it('tags Firehose rejects are rejected at preview, naming extraTags', () => {
    for (const tags of firehoseRejects) {
      const [[key, value]] = Object.entries(tags);
      expect(FIREHOSE_TAG_KEY.test(key) && FIREHOSE_TAG_VALUE.test(value)).to.equal(false);
    }
    const verdicts = firehoseRejects.map(
      (tags) => problems({ ...BASE, extraTags: tags })?.[0]?.split(':')[0],
    );
    expect(verdicts).to.deep.equal([
      'extraTags.cost-center!',
      'extraTags.team',
      'extraTags.url',
      'extraTags.owner',
    ]);
  });
});
