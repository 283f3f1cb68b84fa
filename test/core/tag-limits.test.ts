// The tag limits every resource that receives extraTags enforces, checked at preview: the count
// an hourly stream can hold next to the code's own tags, and the character set the strictest
// receiver (IAM, S3) accepts.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { hourlyStreamTags, parseSettings, SettingsError } from '../../rotation/core/settings';
import { BASE_SETTINGS } from '../support/fixtures';

const HOUR = DateTime.fromISO('2026-11-22T05:00:00Z', { zone: 'utc' });
const tagsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, `v${i}`]));

function problems(extraTags: Record<string, string>): string[] {
  try {
    parseSettings({ ...BASE_SETTINGS, extraTags });
  } catch (err) {
    expect(err).to.be.instanceOf(SettingsError);
    return (err as SettingsError).problems;
  }
  return [];
}

describe('tag limits', () => {
  it('extraTags leave room for exactly the tags the code adds: 46 + 4 = 50 on every stream', () => {
    // The code's own tags: those of a stream without extraTags. The config digest (settings
    // changes, docs/lifecycle.md) is the fourth.
    expect(hourlyStreamTags(parseSettings(BASE_SETTINGS), HOUR).map((t) => t.Key)).to.deep.equal([
      'firehose-rotation:deployment',
      'firehose-rotation:managed-by',
      'firehose-rotation:hour',
      'firehose-rotation:config',
    ]);
    // 46 extraTags are accepted (47 are not: next test), and they make the request's 50 tags, not
    // a restated count: a tag added in stream-config outside codeStreamTags would push this past
    // 50 and fail here.
    expect(problems(tagsOf(46))).to.deep.equal([]);
    const s = parseSettings({ ...BASE_SETTINGS, extraTags: tagsOf(46) });
    expect(hourlyStreamTags(s, HOUR)).to.have.length(50);
  });

  it('one tag more is rejected naming extraTags, the limit and why', () => {
    expect(problems(tagsOf(47))).to.deep.equal([
      'extraTags: at most 46 tags (got 47): Firehose allows 50 per stream and the rotation adds 4 of its own',
    ]);
  });

  const rejected: [Record<string, string>, string][] = [
    [
      { budget: '100%' },
      'extraTags.budget: tag values may contain only letters, digits, spaces and _ . : / = + - @',
    ],
    [{ 'a%b': 'x' }, 'extraTags.a%b: tag keys may contain only letters, digits, spaces and _ . : / = + - @'],
    [{ team: 'a', Team: 'b' }, 'extraTags.Team: duplicates "team": IAM tag keys are case-insensitive'],
    [
      { 'AWS:cost': 'x' },
      'extraTags.AWS:cost: keys starting with "firehose-rotation:" or "aws:" (any case) are reserved',
    ],
    [
      { 'Firehose-Rotation:owner': 'x' },
      'extraTags.Firehose-Rotation:owner: keys starting with "firehose-rotation:" or "aws:" (any case) are reserved',
    ],
  ];
  for (const [tags, message] of rejected) {
    it(`rejects ${JSON.stringify(tags)}`, () => {
      expect(problems(tags)).to.deep.equal([message]);
    });
  }

  it('accepts what IAM, S3 and Firehose all accept: letters of any script, spaces, _ . : / = + - @', () => {
    const s = parseSettings({
      ...BASE_SETTINGS,
      extraTags: { équipe: 'données', 'cost center': 'a/b=c+d-e@f:g_h.i' },
    });
    expect(s.extraTags).to.deep.equal({ équipe: 'données', 'cost center': 'a/b=c+d-e@f:g_h.i' });
  });

  it('property: any tag value with "%" is rejected, naming its key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const found = problems({ team: `${a}%${b}` });
        expect(found.some((p) => p.startsWith('extraTags.team: tag values may contain only'))).to.equal(true);
      }),
    );
  });
});
