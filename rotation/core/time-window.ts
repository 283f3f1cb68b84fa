// The shared time window: the instants and durations of an hour that the three rules read, for a
// given `now` and settings — the hour of an instant (hourOf), the end of the planning horizon
// (horizonEnd), when an hour opens and closes to the router (opensAt, writeDeadline), how long it
// drains (drainDuration, each setting at its longest over live configurations: longestWindow),
// whether it is far-ahead (isFarAhead, resting on ROUTER_TIMEOUT_SECONDS) and which hours should
// have streams (hoursToEnsure). The rules themselves live elsewhere: when a stream may be deleted
// in stream-deletion.ts, how many streams may be made in capacity.ts, whether the router may write
// to an hour now in event-hour.ts. Pure: no AWS or Pulumi imports; UTC hour arithmetic happens
// only here.
import { DateTime, Duration } from 'luxon';
import './luxon-strict'; // luxon throws on invalid dates: hour arithmetic never yields NaN

export interface WindowSettings {
  latenessMinutes: number;
  bufferingIntervalSeconds: number;
  safetyMarginMinutes: number;
  horizonDays: number;
  /**
   * Hours after the current one that get a stream ahead of time; unset means through the end of
   * the horizon's last day. Hours beyond it have no stream and go to the fallback.
   */
  lookaheadHours?: number;
  /**
   * Minutes before an hour starts from which the router writes to its streams (design §11 I1):
   * every hour that opens later has empty streams, which may be deleted or recreated at any time.
   */
  earlyMinutes: number;
}

/** What the planning and drain arithmetic reads: everything but when an hour opens. */
export type PlanningWindow = Omit<WindowSettings, 'earlyMinutes'>;

const HOUR = Duration.fromObject({ hours: 1 });

export function utc(t: DateTime): DateTime {
  return t.setZone('utc');
}

/** The UTC hour containing instant `t` (its start). */
export function hourOf(t: DateTime): DateTime {
  return utc(t).startOf('hour');
}

/**
 * Exclusive end of the planning horizon: midnight UTC after the last planned day, or sooner when a
 * lookahead is set (the hour after `current + lookaheadHours`).
 */
export function horizonEnd(
  now: DateTime,
  s: Pick<WindowSettings, 'horizonDays' | 'lookaheadHours'>,
): DateTime {
  const days = utc(now)
    .startOf('day')
    .plus({ days: s.horizonDays + 1 });
  if (s.lookaheadHours === undefined) return days;
  const ahead = hourOf(now).plus({ hours: s.lookaheadHours + 1 });
  return ahead < days ? ahead : days;
}

/** Writes to hour H are allowed while now < writeDeadline(H) = H end + lateness. */
export function writeDeadline(hour: DateTime, s: PlanningWindow): DateTime {
  return hour.plus(HOUR).plus({ minutes: s.latenessMinutes });
}

/** The settings an hour's drain reads: how long writes go on, how long a buffer takes to flush. */
type DrainSettings = Pick<
  WindowSettings,
  'latenessMinutes' | 'bufferingIntervalSeconds' | 'safetyMarginMinutes'
>;

/** Total drain delay after an hour ends: lateness, then one full buffer interval, then a margin. */
export function drainDuration(s: DrainSettings): Duration {
  return Duration.fromObject({
    minutes: s.latenessMinutes + s.safetyMarginMinutes,
    seconds: s.bufferingIntervalSeconds,
  });
}

/**
 * Each setting of `windows` (one per live configuration) at its longest: a stream made under any
 * of them is written to and flushed by its own, and was opened by its router's earlyMinutes (absent
 * in a configuration from before it existed: 0). The one place the maxima are taken: the deletion
 * rule judges deletes by it (stream-deletion.ts drainWindow) and a former configuration's expiry
 * is dated by it (generations.ts nextFormers).
 */
export function longestWindow(
  windows: readonly (DrainSettings & { earlyMinutes?: number })[],
): DrainSettings & Pick<WindowSettings, 'earlyMinutes'> {
  const longest = (of: (w: (typeof windows)[number]) => number) => Math.max(...windows.map(of));
  return {
    latenessMinutes: longest((w) => w.latenessMinutes),
    bufferingIntervalSeconds: longest((w) => w.bufferingIntervalSeconds),
    safetyMarginMinutes: longest((w) => w.safetyMarginMinutes),
    earlyMinutes: longest((w) => w.earlyMinutes ?? 0),
  };
}

/** Writes to hour H are allowed from opensAt(H) = H start − earlyMinutes (I1 Empty until near). */
export function opensAt(hour: DateTime, s: Pick<WindowSettings, 'earlyMinutes'>): DateTime {
  return hour.minus({ minutes: s.earlyMinutes });
}

/**
 * The router function's timeout, and the most the Router component accepts: the far-ahead test
 * below and the drain margin (`safetyMarginMinutes` ≥ 1) both rest on a router decision being
 * acted on within it. A longer timeout would let a decision outlive both.
 */
export const ROUTER_TIMEOUT_SECONDS = 60;
/**
 * The longest a router decision taken at `now` can still be acted on: the router function's
 * timeout. A PutRecordBatch of a decision is sent by then.
 */
const ROUTER_DECISION_MS = ROUTER_TIMEOUT_SECONDS * 1000;
/**
 * Beyond the decision time: a deleted stream stays DELETING for minutes, during which Firehose may
 * still accept records it never delivers, and the two functions' clocks may differ by seconds.
 */
const FAR_AHEAD_MARGIN_MS = 10 * 60_000;

/**
 * Is H "far-ahead" at instant t: does it open later than t plus the longest a router decision can
 * still be acted on plus the margin? Such a hour's streams are empty (I1), and stay so until well
 * after t: a delete sent at t, judged by this at t, never drops a record. Judge it at the instant
 * of the delete (the executor's clock), never at plan time.
 */
export function isFarAhead(hour: DateTime, t: DateTime, s: Pick<WindowSettings, 'earlyMinutes'>): boolean {
  return opensAt(hour, s).toMillis() > t.toMillis() + ROUTER_DECISION_MS + FAR_AHEAD_MARGIN_MS;
}

/**
 * Every hour that should have a stream at `now` — each open hour, from the oldest one still
 * accepting late records, and every hour up to the horizon (made ahead of time, empty until it
 * opens) — nearest to the current hour first (future wins a
 * tie), so a short budget keeps the hours the router needs soonest.
 */
export function hoursToEnsure(now: DateTime, s: PlanningWindow): DateTime[] {
  const current = hourOf(now);
  const end = horizonEnd(now, s);
  const hours: DateTime[] = [];
  for (let h = current; h < end; h = h.plus(HOUR)) hours.push(h);
  // Past hours: open while their deadline has not passed (they opened long ago).
  for (let h = current.minus(HOUR); now < writeDeadline(h, s); h = h.minus(HOUR)) hours.push(h);
  const distance = (h: DateTime) => Math.abs(h.diff(current, 'hours').hours);
  return hours.sort((a, b) => distance(a) - distance(b) || b.toMillis() - a.toMillis());
}
