// `status --timeline`: the hours at a glance, one line per UTC day and one cell per hour, from the
// same status report `status` prints (plus the plan's conflicts and shortfall). Pure: it imports
// only types from status.ts, the shared time window and the capacity rule's near-term test, never
// the AWS SDK, so the picture follows the router's and the rotation's own rules rather than a copy
// of them.
import { DateTime } from 'luxon';
import '../core/luxon-strict'; // hour arithmetic throws on an invalid date instead of comparing as false
import { isNearTerm } from '../core/capacity';
import { HOUR_KEY_LENGTH, hourFromKey, hourKey, streamKeyOfName } from '../core/names';
import type { RotationSettings } from '../core/settings';
import { hourOf, horizonEnd, hoursToEnsure } from '../core/time-window';
import type { HourlyStreamStatus, StatusReport } from './status';
import { sharingLines } from './sharing-lines';

/** What the plan adds to the status: streams of our name owned by someone else, hours without room. */
export interface PlanFacts {
  conflicts: readonly string[];
  shortfall: readonly string[];
}

type Cell =
  | 'current'
  | 'upcoming'
  | 'draining'
  | 'drained'
  | 'deleted'
  | 'missing'
  | 'conflict'
  | 'not-active'
  | 'beyond'
  | 'shared'
  | 'unplanned';

const SYMBOL: Record<Cell, string> = {
  current: '#',
  upcoming: '+',
  draining: '=',
  drained: '-',
  deleted: '.',
  missing: '!',
  conflict: 'C',
  'not-active': '~',
  beyond: '>',
  shared: 's',
  unplanned: ' ',
};

// ANSI SGR codes: bold green, green, yellow, dim, dim, bold red, bold magenta, yellow, cyan.
const COLOUR: Record<Cell, string> = {
  current: '1;32',
  upcoming: '32',
  draining: '33',
  drained: '2',
  deleted: '2',
  missing: '1;31',
  conflict: '1;35',
  'not-active': '33',
  beyond: '36',
  shared: '2',
  unplanned: '0',
};

const LEGEND: [Cell, string][][] = [
  [
    ['current', 'current'],
    ['upcoming', 'upcoming'],
    ['draining', 'draining'],
    ['drained', 'drained (to delete)'],
    ['deleted', 'deleted'],
  ],
  [
    ['missing', 'missing'],
    ['conflict', "another owner's stream"],
    ['not-active', 'not ACTIVE'],
    ['beyond', 'beyond the horizon'],
  ],
];

/** Colour only for a terminal, and never when NO_COLOR is set to anything but "" (no-color.org). */
export function useColour(stdoutIsTTY: boolean, env: Record<string, string | undefined>): boolean {
  return stdoutIsTTY && !env.NO_COLOR;
}

export type TimelineSettings = Pick<
  RotationSettings,
  'streamPrefix' | 'latenessMinutes' | 'bufferingIntervalSeconds' | 'safetyMarginMinutes' | 'horizonDays'
> &
  Partial<Pick<RotationSettings, 'streamsPerHour'>>;

/** The index of an hourly stream from its name's end (`…-yyyyMMddHH-<i>`); 0 for `…-yyyyMMddHH`. */
const indexOf = (name: string) => Number(streamKeyOfName(name)?.slice(HOUR_KEY_LENGTH + 1) || 0);
/** Which of an hour's streams' cells shows, when they differ: the one an operator must act on. */
const PRECEDENCE: Cell[] = ['conflict', 'not-active'];

const WINDOW_CELL: Record<HourlyStreamStatus['window'], Cell> = {
  current: 'current',
  upcoming: 'upcoming',
  'accepting-late': 'draining',
  draining: 'draining',
  deletable: 'drained',
  'beyond-horizon': 'beyond',
};

/** The cell of every hour that has something to show, by hour key. */
function classifyHours(
  status: StatusReport,
  now: DateTime,
  s: TimelineSettings,
  plan: PlanFacts,
): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  const conflicts = new Set(plan.conflicts);
  const ensured = hoursToEnsure(now, s).map(hourKey);
  for (const key of ensured) cells.set(key, 'missing');
  // With N streams per hour an hour shows as present only once all N exist (indexes below N).
  const n = s.streamsPerHour ?? 1;
  const counted = new Map<string, number>();
  for (const stream of status.hourly) {
    // The router can write only to an ACTIVE stream; an ended hour's state no longer matters to it.
    const needed = ['current', 'upcoming', 'accepting-late'].includes(stream.window);
    let cell = WINDOW_CELL[stream.window];
    if (conflicts.has(stream.name)) cell = 'conflict';
    else if (needed && stream.state !== 'ACTIVE') cell = 'not-active';
    if (indexOf(stream.name) < n) counted.set(stream.hour, (counted.get(stream.hour) ?? 0) + 1);
    const shown = cells.get(stream.hour);
    if (!shown || shown === 'missing' || !PRECEDENCE.includes(shown)) cells.set(stream.hour, cell);
  }
  for (const key of ensured) {
    const cell = cells.get(key)!;
    if ((counted.get(key) ?? 0) < n && !PRECEDENCE.includes(cell)) cells.set(key, 'missing');
  }
  // Far-ahead hours left out for the fair share are not missing: another deployment holds them.
  const short = new Set(plan.shortfall.map((k) => k.slice(0, HOUR_KEY_LENGTH)));
  if (typeof status.sharing?.share === 'number')
    for (const key of ensured)
      if (!isNearTerm(hourFromKey(key)!, now) && cells.get(key) === 'missing' && !short.has(key))
        cells.set(key, 'shared');
  return cells;
}

const RULER = '           00    03    06    09    12    15    18    21';
const at = (key: string) => hourFromKey(key)!.toFormat("yyyy-MM-dd HH:mm 'UTC'");

export function renderTimeline(
  status: StatusReport,
  now: DateTime,
  s: TimelineSettings,
  plan: PlanFacts,
  opts: { colour: boolean },
): string {
  // Blank cells stay unpainted, so a row ends in the same place with and without colour.
  const paint = (cell: Cell, text: string) =>
    opts.colour && cell !== 'unplanned' ? `\u001b[${COLOUR[cell]}m${text}\u001b[0m` : text;
  const cells = classifyHours(status, now, s, plan);
  const today = hourOf(now).startOf('day');
  const lastDay = horizonEnd(now, s).minus({ days: 1 });
  const days = new Set<string>();
  for (let d = today; d <= lastDay; d = d.plus({ days: 1 })) days.add(d.toFormat('yyyyMMdd'));
  for (const key of cells.keys()) days.add(key.slice(0, 8));

  const current = hourOf(now);
  const label = (day: DateTime) =>
    day.equals(today) ? 'today' : day.equals(today.plus({ days: 1 })) ? 'tomorrow' : '';
  const perHour = (s.streamsPerHour ?? 1) > 1 ? ` (${s.streamsPerHour} streams per hour)` : '';
  const lines = [
    `timeline of ${s.streamPrefix}-yyyyMMddHH${perHour} at ${now.toUTC().toFormat("HH:mm 'UTC'")}`,
    RULER,
  ];
  for (const key of [...days].sort()) {
    const day = hourFromKey(`${key}00`)!;
    const row: string[] = [];
    let missing = 0;
    for (let h = 0; h < 24; h++) {
      const hour = day.plus({ hours: h });
      const cell = cells.get(hourKey(hour)) ?? (hour < current ? 'deleted' : 'unplanned');
      if (cell === 'missing') missing += 1;
      row.push(paint(cell, SYMBOL[cell]));
    }
    const note = [label(day), missing ? `${missing} missing` : ''].filter(Boolean).join(', ');
    lines.push(`${day.toFormat('yyyy-MM-dd')} ${row.join(' ')}${note ? `  ${note}` : ''}`.trimEnd());
  }
  const legend = [...cells.values()].includes('shared')
    ? [...LEGEND, [['shared', 'left to other deployments (fair share)']] as [Cell, string][]]
    : LEGEND;
  lines.push(
    ...legend.map(
      (entries, i) =>
        `${i === 0 ? 'legend:' : '       '} ${entries.map(([c, text]) => `${paint(c, SYMBOL[c])} ${text}`).join('  ')}`,
    ),
  );
  lines.push(
    `quota ${status.quota}: ${status.streamsInRegion} streams in ${status.region}, headroom ${status.headroom}`,
  );
  lines.push(`fallback ${status.fallback.name}: ${status.fallback.state}`);
  const gap = hourFromKey(status.nextHourWithoutStream)!;
  lines.push(
    `next gap: ${at(status.nextHourWithoutStream)}` +
      (gap >= horizonEnd(now, s)
        ? ', after the horizon (a later run creates it)'
        : ' (its records go to the fallback)'),
  );
  // Shortfall entries are stream keys (`<hour key>-<i>` for a sibling): with one stream per hour, hours.
  const what = (s.streamsPerHour ?? 1) > 1 ? 'stream(s)' : 'hour(s)';
  if (plan.shortfall.length > 0)
    lines.push(
      `shortfall: ${plan.shortfall.length} ${what} without room in the quota, nearest ${at(plan.shortfall[0].slice(0, HOUR_KEY_LENGTH))}`,
    );
  for (const name of plan.conflicts) lines.push(`conflict, left alone: ${name}`);
  // The other deployments seen and this one's share (nothing for a deployment alone).
  if (status.sharing) lines.push(...sharingLines(status.sharing));
  return lines.join('\n');
}
