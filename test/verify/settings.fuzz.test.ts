// Hostile settings: fast-check drives every field of the schema with valid, boundary and garbage
// values and compares the verdict with an independent oracle (test/support/settings-oracle.ts).
import { expect } from 'chai';
import fc from 'fast-check';
import { streamName } from '../../rotation/core/names';
import { parseSettings, SettingsError } from '../../rotation/core/settings';
import { BASE, candidates, isValid, liveWindow, RULES } from '../support/settings-oracle';
import { at } from '../support/fixtures';

/** The problem lines of a rejected input, or undefined when it is accepted. */
function verdict(raw: unknown): string[] | undefined {
  try {
    parseSettings(raw);
    return undefined;
  } catch (err) {
    expect(err).to.be.instanceOf(SettingsError);
    return (err as SettingsError).problems;
  }
}

const RUNS = { numRuns: 300 };

describe('hostile settings (fuzz)', () => {
  for (const field of Object.keys(RULES)) {
    it(`${field}: accepted exactly when valid; rejections name ${field} and nothing else`, () => {
      fc.assert(
        fc.property(candidates(field), (value) => {
          const problems = verdict({ ...BASE, [field]: value });
          if (isValid(field, value)) {
            expect(problems, `value ${JSON.stringify(value)}`).to.equal(undefined);
            const parsed = parseSettings({ ...BASE, [field]: value })[field as 'quota'];
            if (value !== undefined) expect(parsed).to.deep.equal(value);
            return;
          }
          expect(problems, `value ${JSON.stringify(value)}`)
            .to.be.an('array')
            .that.has.length.above(0);
          // A prefix overlap is reported on one of the two fields and names the other in its text.
          const names = (line: string) =>
            line.startsWith(`${field}:`) || line.startsWith(`${field}.`) || line.includes(` ${field} `);
          for (const line of problems!) expect(names(line), line).to.equal(true);
          const rule = RULES[field];
          // Integer fields have one documented message; quota adds the live-window one.
          if (rule.kind === 'int') {
            const inRange =
              Number.isInteger(value) && (value as number) >= rule.min && (value as number) <= rule.max;
            // Only built for in-range values: a hostile value (toString: 0) cannot be interpolated.
            const inRangeMessage = () =>
              field === 'streamsPerHour'
                ? `streamsPerHour: ${value as number} streams per hour need up to ${liveWindow() * (value as number)} hourly streams at once (a live window of ${liveWindow()} hours × ${value as number}) plus the fallback, more than quota 50; at most 12 fit, or raise quota`
                : field === 'streamBudget'
                  ? (value as number) > 50
                    ? 'streamBudget: must not exceed quota 50'
                    : `streamBudget: ${value as number} cannot hold the live window: up to ${liveWindow()} hourly streams plus the fallback`
                  : `quota: quota ${value as number} cannot hold the live window: up to ${liveWindow()} hourly streams must exist at once (lateness 60 min + buffering 300 s + margin 15 min of draining hours, plus the current and next hour) plus the fallback; raise quota or shorten latenessMinutes`;
            const expected = inRange ? inRangeMessage() : `${field}: ${rule.message}`;
            expect([...new Set(problems)]).to.deep.equal([expected]);
          }
        }),
        RUNS,
      );
    });
  }

  it('unknown fields are rejected by name, whatever else is present', () => {
    const known = new Set([...Object.keys(RULES), 'kmsKeyArn', 'logGroupName']);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((k) => !known.has(k) && k !== '__proto__'),
        fc.anything(),
        (key, value) => {
          expect(verdict({ ...BASE, [key]: value })).to.deep.equal([`(settings): unknown field(s) ${key}`]);
        },
      ),
      RUNS,
    );
  });

  it('a top-level "__proto__" key from JSON is an unknown field, not a prototype', () => {
    const raw = JSON.parse(`{"__proto__": {"quota": 3}, ${JSON.stringify(BASE).slice(1)}`) as unknown;
    expect(verdict(raw)).to.deep.equal(['(settings): unknown field(s) __proto__']);
  });

  it('each missing required field is named', () => {
    for (const field of Object.keys(BASE)) {
      const { [field as keyof typeof BASE]: _omitted, ...rest } = BASE;
      void _omitted;
      expect(verdict(rest)).to.deep.equal([`${field}: Invalid input: expected string, received undefined`]);
    }
  });

  it('boundaries: 1 and 128 MiB, 0 and 900 s, a 53-character prefix makes a 64-character name', () => {
    expect(verdict({ ...BASE, bufferingSizeMiB: 1, bufferingIntervalSeconds: 0 })).to.equal(undefined);
    expect(verdict({ ...BASE, bufferingSizeMiB: 128, bufferingIntervalSeconds: 900 })).to.equal(undefined);
    const prefix = 'p'.repeat(53);
    const s = parseSettings({ ...BASE, streamPrefix: prefix, fallbackStreamName: 'f'.repeat(64) });
    expect(streamName(s.streamPrefix, at('2026-12-31T23:00:00Z'))).to.have.length(64);
    expect(verdict({ ...BASE, streamPrefix: `${prefix}p` })).to.have.length(1);
  });

  it('the quota must hold the live window plus the fallback: live + 1 accepted, live rejected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1440 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 1, max: 120 }),
        (lateness, buffer, margin) => {
          const live = liveWindow(lateness, buffer, margin);
          const timing = {
            latenessMinutes: lateness,
            bufferingIntervalSeconds: buffer,
            safetyMarginMinutes: margin,
          };
          expect(verdict({ ...BASE, ...timing, quota: live + 1 })).to.equal(undefined);
          const problems = verdict({ ...BASE, ...timing, quota: live });
          expect(problems).to.have.length(1);
          expect(problems![0]).to.match(
            new RegExp(`^quota: quota ${live} cannot hold the live window: up to ${live} `),
          );
        },
      ),
      RUNS,
    );
  });

  it('any mix of fields: accepted exactly when every field is valid on its own and together', () => {
    const fields = [
      'quota',
      'latenessMinutes',
      'bufferingIntervalSeconds',
      'safetyMarginMinutes',
      'streamPrefix',
    ];
    fc.assert(
      fc.property(fc.tuple(...fields.map(candidates)), (values) => {
        const raw: Record<string, unknown> = { ...BASE };
        fields.forEach((f, i) => (raw[f] = values[i]));
        const each = fields.every((f, i) => f === 'quota' || isValid(f, values[i]));
        // Only an absent quota takes the default; null is a value, and an invalid one.
        const q = (raw.quota === undefined ? 50 : raw.quota) as number;
        const quotaOk = Number.isInteger(q) && q >= 2 && q <= 5000;
        const timing = [
          raw.latenessMinutes,
          raw.bufferingIntervalSeconds,
          raw.safetyMarginMinutes,
        ] as number[];
        const fits = each && quotaOk && q >= liveWindow(...timing) + 1;
        expect(verdict(raw) === undefined, JSON.stringify(raw)).to.equal(each && quotaOk && fits);
      }),
      RUNS,
    );
  });
});
