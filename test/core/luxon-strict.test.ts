// rotation/core/luxon-strict: luxon throws at an impossible date instead of returning an Invalid
// DateTime (NaN millis, every comparison false). The setting is process-wide, so this holds the
// module to its effect, not to being the only one that sets it.
import { expect } from 'chai';
import { DateTime, Settings } from 'luxon';
import '../../rotation/core/luxon-strict';

describe('luxon-strict', () => {
  it('turns on luxon throwOnInvalid', () => {
    expect(Settings.throwOnInvalid).to.equal(true);
  });

  const cases: [string, () => DateTime, string][] = [
    ['February 30', () => DateTime.utc(2026, 2, 30), 'you specified 30 (of type number) as a day'],
    [
      'hour 25 in text',
      () => DateTime.fromISO('2026-11-22T25:00Z'),
      'you specified 25 (of type number) as a hour',
    ],
    [
      'month 13 of an hour key',
      () => DateTime.fromFormat('2026133105', 'yyyyMMddHH', { zone: 'utc' }),
      'you specified 13 (of type number) as a month',
    ],
  ];
  for (const [name, make, detail] of cases) {
    it(`throws on ${name}`, () => {
      expect(make).to.throw(`Invalid DateTime: unit out of range: ${detail}, which is invalid`);
    });
  }
});
