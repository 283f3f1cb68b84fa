// The terminal timeline: exact snapshots at fixed instants (a shortfall night, an ownership
// conflict), piped (plain) and on a terminal (colour), beside properties over random instants,
// settings and stream sets: 80 columns, colour only as decoration, every cell what the shared time
// window says. Colour escapes are shown as <code>…</> by `tags` to keep the snapshots readable; one
// line is also checked raw.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { hourKey } from '../../rotation/core/names';
import { hourOf, hoursToEnsure } from '../../rotation/core/time-window';
import { buildStatus } from '../../rotation/cli/status';
import { renderTimeline, useColour } from '../../rotation/cli/timeline';
import { at, settings } from '../support/fixtures';

const ESC = '\u001b';
const tags = (s: string) => s.replace(new RegExp(`${ESC}\\[([0-9;]+)m`, 'g'), '<$1>').replace(/<0>/g, '</>');
const plain = (s: string) => s.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
const hours = (from: string, n: number) =>
  Array.from({ length: n }, (_, i) => hourKey(at(from).plus({ hours: i })));
const active = (names: string[]) => Object.fromEntries(names.map((n) => [n, 'ACTIVE']));

const LEGEND = [
  'legend: # current  + upcoming  = draining  - drained (to delete)  . deleted',
  "        ! missing  C another owner's stream  ~ not ACTIVE  > beyond the horizon",
];
const COLOUR_LEGEND = [
  'legend: <1;32>#</> current  <32>+</> upcoming  <33>=</> draining  <2>-</> drained (to delete)  <2>.</> deleted',
  "        <1;31>!</> missing  <1;35>C</> another owner's stream  <33>~</> not ACTIVE  <36>></> beyond the horizon",
];
const cells = (code: string, symbol: string, n: number) => Array(n).fill(`<${code}>${symbol}</>`).join(' ');

describe('status --timeline rendering', () => {
  // 00:30, quota 30: yesterday's last two hours drain, today is complete, tomorrow has no room.
  const S1 = settings({ quota: 30 });
  const NOW1 = at('2026-11-22T00:30:00Z');
  const names1 = [
    'events-fallback',
    'team-a',
    'team-b',
    ...hours('2026-11-21T22:00:00Z', 26).map((h) => `events-${h}`),
  ];
  const status1 = buildStatus(NOW1, { region: 'eu-west-1', names: names1, states: active(names1) }, S1);
  const plan1 = { conflicts: [], shortfall: hours('2026-11-23T02:00:00Z', 22) };

  it('shortfall, piped: tomorrow all missing, the quota full, the nearest hour without room named', () => {
    expect(renderTimeline(status1, NOW1, S1, plan1, { colour: false })).to.equal(
      [
        'timeline of events-yyyyMMddHH at 00:30 UTC',
        '           00    03    06    09    12    15    18    21',
        '2026-11-21 . . . . . . . . . . . . . . . . . . . . . . - =',
        '2026-11-22 # + + + + + + + + + + + + + + + + + + + + + + +  today',
        '2026-11-23 ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! !  tomorrow, 24 missing',
        ...LEGEND,
        'quota 30: 29 streams in eu-west-1, headroom 1',
        'fallback events-fallback: ACTIVE',
        'next gap: 2026-11-23 00:00 UTC (its records go to the fallback)',
        'shortfall: 22 hour(s) without room in the quota, nearest 2026-11-23 02:00 UTC',
      ].join('\n'),
    );
  });

  it('shortfall, on a terminal: the same characters, coloured', () => {
    const out = renderTimeline(status1, NOW1, S1, plan1, { colour: true });
    expect(tags(out)).to.equal(
      [
        'timeline of events-yyyyMMddHH at 00:30 UTC',
        '           00    03    06    09    12    15    18    21',
        `2026-11-21 ${cells('2', '.', 22)} <2>-</> <33>=</>`,
        `2026-11-22 <1;32>#</> ${cells('32', '+', 23)}  today`,
        `2026-11-23 ${cells('1;31', '!', 24)}  tomorrow, 24 missing`,
        ...COLOUR_LEGEND,
        'quota 30: 29 streams in eu-west-1, headroom 1',
        'fallback events-fallback: ACTIVE',
        'next gap: 2026-11-23 00:00 UTC (its records go to the fallback)',
        'shortfall: 22 hour(s) without room in the quota, nearest 2026-11-23 02:00 UTC',
      ].join('\n'),
    );
    // Raw bytes of one cell pair: SGR bold green "#", reset, space, green "+", reset.
    expect(out.split('\n')[3].slice(11, 34)).to.equal(`${ESC}[1;32m#${ESC}[0m ${ESC}[32m+${ESC}[0m`);
  });

  // 10:10: the next hour's stream carries another deployment's tags; the one after is CREATING.
  const S2 = settings();
  const NOW2 = at('2026-11-22T10:10:00Z');
  const names2 = ['events-fallback', ...hours('2026-11-22T08:00:00Z', 40).map((h) => `events-${h}`)];
  const states2 = { ...active(names2), 'events-2026112212': 'CREATING' };
  const status2 = buildStatus(NOW2, { region: 'eu-west-1', names: names2, states: states2 }, S2);
  const plan2 = { conflicts: ['events-2026112211'], shortfall: [] };

  it('ownership conflict, piped: C on the hour, ~ on the stream not yet ACTIVE, the name listed', () => {
    expect(renderTimeline(status2, NOW2, S2, plan2, { colour: false })).to.equal(
      [
        'timeline of events-yyyyMMddHH at 10:10 UTC',
        '           00    03    06    09    12    15    18    21',
        '2026-11-22 . . . . . . . . = = # C ~ + + + + + + + + + + +  today',
        '2026-11-23 + + + + + + + + + + + + + + + + + + + + + + + +  tomorrow',
        ...LEGEND,
        'quota 50: 41 streams in eu-west-1, headroom 9',
        'fallback events-fallback: ACTIVE',
        'next gap: 2026-11-24 00:00 UTC, after the horizon (a later run creates it)',
        'conflict, left alone: events-2026112211',
      ].join('\n'),
    );
  });

  it('ownership conflict, on a terminal', () => {
    expect(tags(renderTimeline(status2, NOW2, S2, plan2, { colour: true }))).to.equal(
      [
        'timeline of events-yyyyMMddHH at 10:10 UTC',
        '           00    03    06    09    12    15    18    21',
        `2026-11-22 ${cells('2', '.', 8)} <33>=</> <33>=</> <1;32>#</> <1;35>C</> <33>~</> ${cells('32', '+', 11)}  today`,
        `2026-11-23 ${cells('32', '+', 24)}  tomorrow`,
        ...COLOUR_LEGEND,
        'quota 50: 41 streams in eu-west-1, headroom 9',
        'fallback events-fallback: ACTIVE',
        'next gap: 2026-11-24 00:00 UTC, after the horizon (a later run creates it)',
        'conflict, left alone: events-2026112211',
      ].join('\n'),
    );
  });

  it('a missing current hour, a gap, a missing fallback and a stream left beyond the horizon', () => {
    const s = settings();
    const now = at('2026-11-22T23:59:00Z');
    const names = ['events-2026112222', 'events-2026112300', 'events-2026112302', 'events-2026112503'];
    const status = buildStatus(now, { region: 'us-east-1', names, states: active(names) }, s);
    expect(renderTimeline(status, now, s, { conflicts: [], shortfall: [] }, { colour: false })).to.equal(
      [
        'timeline of events-yyyyMMddHH at 23:59 UTC',
        '           00    03    06    09    12    15    18    21',
        '2026-11-22 . . . . . . . . . . . . . . . . . . . . . . = !  today, 1 missing',
        '2026-11-23 + ! + ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! ! !  tomorrow, 22 missing',
        '2026-11-25       >',
        ...LEGEND,
        'quota 50: 4 streams in us-east-1, headroom 46',
        'fallback events-fallback: MISSING',
        'next gap: 2026-11-22 23:00 UTC (its records go to the fallback)',
      ].join('\n'),
    );
  });

  it('two streams per hour: an hour shows present only with both; a missing sibling is a missing hour', () => {
    const s = settings({ streamsPerHour: 2, lookaheadHours: 3 });
    const now = at('2026-11-22T10:10:00Z');
    const names = [
      'events-fallback',
      ...['09', '10', '11', '12'].map((h) => `events-20261122${h}`),
      ...['09', '10', '12'].map((h) => `events-20261122${h}-1`),
      'events-2026112212-5', // sibling-shaped beyond N = 2: not ours, not counted
    ];
    const status = buildStatus(now, { region: 'eu-west-1', names, states: active(names) }, s);
    const plan = { conflicts: [], shortfall: ['2026112211-1', '2026112213', '2026112213-1'] };
    expect(renderTimeline(status, now, s, plan, { colour: false })).to.equal(
      [
        'timeline of events-yyyyMMddHH (2 streams per hour) at 10:10 UTC',
        '           00    03    06    09    12    15    18    21',
        '2026-11-22 . . . . . . . . . = # ! + !' + ' '.repeat(22) + 'today, 2 missing',
        ...LEGEND,
        'quota 50: 9 streams in eu-west-1, headroom 41',
        'fallback events-fallback: ACTIVE',
        'next gap: 2026-11-22 13:00 UTC (its records go to the fallback)',
        'shortfall: 3 stream(s) without room in the quota, nearest 2026-11-22 11:00 UTC',
      ].join('\n'),
    );
  });

  it('colour only on a terminal without NO_COLOR (an empty NO_COLOR does not count)', () => {
    const table: [boolean, Record<string, string | undefined>, boolean][] = [
      [true, {}, true],
      [false, {}, false],
      [true, { NO_COLOR: '1' }, false],
      [false, { NO_COLOR: '1' }, false],
      [true, { NO_COLOR: '' }, true],
    ];
    for (const [tty, env, expected] of table)
      expect(useColour(tty, env), JSON.stringify([tty, env])).to.equal(expected);
  });

  it('loads no AWS SDK module (a pure renderer over the status data)', () => {
    const root = path.join(__dirname, '..', '..');
    const loaded = execFileSync(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        '-e',
        "require('./rotation/cli/timeline'); console.log(Object.keys(require.cache).join('\\n'))",
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(loaded).to.include('time-window');
    expect(loaded).not.to.include('@aws-sdk');
  });

  const instant = fc
    .integer({ min: at('2026-01-01T00:00:00Z').toMillis(), max: at('2028-01-01T00:00:00Z').toMillis() })
    .map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }));
  const world = fc.record({
    now: instant,
    lateness: fc.integer({ min: 0, max: 1440 }),
    margin: fc.integer({ min: 1, max: 120 }),
    horizonDays: fc.integer({ min: 1, max: 3 }),
    prefix: fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/),
    // Offsets (hours from the current one) that have a stream, and each one's fate.
    streams: fc.array(
      fc.record({
        offset: fc.integer({ min: -40, max: 90 }),
        state: fc.constantFrom('ACTIVE', 'CREATING'),
        foreign: fc.boolean(),
      }),
      { maxLength: 60 },
    ),
  });

  it('property: ≤ 80 columns, colour is decoration only, each cell follows the time window', () => {
    fc.assert(
      fc.property(world, (w) => {
        const s = settings({
          streamPrefix: w.prefix,
          fallbackStreamName: `${w.prefix}-fallback`,
          latenessMinutes: w.lateness,
          safetyMarginMinutes: w.margin,
          horizonDays: w.horizonDays,
          quota: 5000,
        });
        const current = hourOf(w.now);
        const byName = new Map(
          w.streams.map((x) => [`${w.prefix}-${hourKey(current.plus({ hours: x.offset }))}`, x]),
        );
        const names = [...byName.keys()];
        const states = Object.fromEntries([...byName].map(([n, x]) => [n, x.state]));
        const plan = {
          conflicts: [...byName]
            .filter(([, x]) => x.foreign)
            .map(([n]) => n)
            .sort(),
          shortfall: [],
        };
        const status = buildStatus(w.now, { region: 'eu-west-1', names, states }, s);
        const text = renderTimeline(status, w.now, s, plan, { colour: false });
        const coloured = renderTimeline(status, w.now, s, plan, { colour: true });
        expect(text).not.to.include(ESC);
        expect(plain(coloured)).to.equal(text);
        for (const line of text.split('\n')) expect(line.length, line).to.be.at.most(80);

        const ensure = new Set(hoursToEnsure(w.now, s).map(hourKey));
        const seen = new Map<string, string>();
        for (const line of text.split('\n')) {
          const m = /^(\d{4})-(\d{2})-(\d{2}) /.exec(line);
          if (!m) continue;
          for (let h = 0; h < 24; h++)
            seen.set(`${m[1]}${m[2]}${m[3]}${String(h).padStart(2, '0')}`, line[11 + 2 * h] ?? ' ');
        }
        for (const key of ensure) {
          const has = byName.has(`${w.prefix}-${key}`);
          expect(seen.get(key), key).to.equal(has ? seen.get(key) : '!');
        }
        for (const [name, x] of byName) {
          const cell = seen.get(name.slice(-10));
          if (x.foreign) expect(cell, name).to.equal('C');
          else expect(['#', '+', '=', '-', '~', '>'], name).to.include(cell);
        }
        expect(['#', '~', 'C', '!']).to.include(seen.get(hourKey(current)));
      }),
    );
  });
});
