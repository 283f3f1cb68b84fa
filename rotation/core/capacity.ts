// Capacity arithmetic: how many streams a deployment needs at each hour of a day, how many it may
// hold, and what that means for its promises. Everything counts streams: an hour holds
// `streamsPerHour` of them (N), so each hour figure below is multiplied by N. The planner applies the same limits run by run; the
// settings check and the `tomorrow-not-ready` alarm use this day profile so that accepted settings
// never leave an alarm that can only fire. Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import {
  drainDuration,
  hourOf,
  hoursToEnsure,
  mayDelete,
  PlanningWindow,
  writeDeadline,
} from './time-window';

// ---- the quota: where the number of streams the account may hold comes from -------------------
// Each run asks Service Quotas (the applied value) and plans with the smaller of that and the
// `quota` setting, which stays a cap an operator can lower. The executor does the asking
// (aws/stream-quota.ts).

/** Firehose's service code in Service Quotas. */
export const FIREHOSE_SERVICE_CODE = 'firehose';

/**
 * The Service Quotas code of Firehose's delivery-stream quota (quota name "Delivery streams",
 * account level, usage metric AWS/Usage ResourceCount Resource=DeliveryStreams): the default of
 * `serviceQuotaCode`. AWS's documentation does not print quota codes; sources in docs/sharing.md.
 */
export const FIREHOSE_STREAM_QUOTA_CODE = 'L-14BB0BE7';

export interface QuotaReading {
  /** The Service Quotas value; Infinity when none was read (the setting then decides alone). */
  value: number;
  origin: 'applied' | 'setting';
  /** Why Service Quotas gave no number (origin 'setting'). */
  note?: string;
}

export function settingQuota(
  s: { serviceQuotaCode?: string },
  note = s.serviceQuotaCode ? 'Service Quotas not read' : 'serviceQuotaCode not set',
): QuotaReading {
  return { value: Infinity, origin: 'setting', note };
}

/** One line for the CLI and the run summary: the number planned with and where it came from. */
export function describeQuota(setting: number, r: QuotaReading): string {
  if (r.origin === 'setting')
    return `${setting} from the quota setting (${r.note ?? 'no Service Quotas value'})`;
  const kind = 'applied value';
  return r.value < setting
    ? `${r.value} from Service Quotas (${kind}; the quota setting ${setting} is higher)`
    : `${setting} from the quota setting (Service Quotas ${kind}: ${r.value})`;
}

/** Streams per hour (settings.streamsPerHour); absent = 1, as before the setting existed. */
export interface PerHour {
  streamsPerHour?: number;
}

const perHour = (s: PerHour) => s.streamsPerHour ?? 1;

export interface CapacitySettings extends PlanningWindow, PerHour {
  /** Streams in the account and Region (every owner); the planner may lower it (Service Quotas). */
  quota: number;
  /** Streams this deployment may hold at once, its fallback included; unset means the quota. */
  streamBudget?: number;
  /** Free slots far-ahead creates leave for near-term creates (any deployment's). */
  reserveStreams: number;
}

/**
 * The most hourly streams that must coexist for the router alone to work: hours still draining
 * (ended less than the drain duration ago), the current hour and the next one. Settings whose live
 * window does not fit the quota can never work and are rejected.
 */
export function maxLiveWindowHours(s: PlanningWindow): number {
  return Math.ceil(drainDuration(s).as('hours')) + 2;
}

/**
 * The most hourly streams that must coexist for the router alone to work: the live window's hours
 * (maxLiveWindowHours) times the streams each of them has. The settings check at preview wants
 * this plus the fallback to fit the quota and the budget.
 */
export function liveWindowStreams(s: PlanningWindow & PerHour): number {
  return maxLiveWindowHours(s) * perHour(s);
}

/** Streams one deployment holds at `now` once its plan is complete: open hours plus draining ones. */
export function streamsNeeded(now: DateTime, s: PlanningWindow & PerHour): number {
  const open = hoursToEnsure(now, s).length;
  let draining = 0;
  // Hours before the oldest open one that may not be deleted yet still hold a stream.
  let h = hourOf(now).minus({ hours: 1 });
  while (now < writeDeadline(h, s)) h = h.minus({ hours: 1 });
  for (; !mayDelete(h, now, s); h = h.minus({ hours: 1 })) draining++;
  return (open + draining) * perHour(s);
}

/** Hourly streams this deployment may hold when alone: its budget and the reserve, minus the fallback. */
function hourlyCapacity(s: CapacitySettings, quota = s.quota): number {
  const budget = Math.min(s.streamBudget ?? quota, quota);
  return Math.min(budget, quota - s.reserveStreams) - 1;
}

/**
 * streamsNeeded by arithmetic, for an instant `minute` minutes into UTC hour `hourOfDay`: the
 * current hour, the hours ahead up to the horizon, and each past hour whose stream may not be
 * deleted yet (hour k back ends (1 - k) h from the current hour's start, and is held for the drain
 * duration after that). The settings check runs it 48 times per parse; luxon would take ~60 ms.
 */
export function streamsNeededAt(hourOfDay: number, minute: number, s: PlanningWindow & PerHour): number {
  const toDayEnd = 24 * (s.horizonDays + 1) - hourOfDay - 1;
  const ahead = s.lookaheadHours === undefined ? toDayEnd : Math.min(s.lookaheadHours, toDayEnd);
  const drain = s.latenessMinutes + s.safetyMarginMinutes + s.bufferingIntervalSeconds / 60;
  return (1 + ahead + Math.max(0, Math.ceil((drain - minute) / 60))) * perHour(s);
}

export interface DayProfile {
  /** Per UTC hour of day: streams needed just after the hour starts (most draining ones). */
  worst: number[];
  /** Per UTC hour of day: streams needed just before the hour ends (fewest draining ones). */
  best: number[];
  capacity: number;
  /** Hours of the day in which a run may not have room for the whole lookahead. */
  tightHours: number;
  /** Fewest streams ever needed: above the capacity the lookahead can never be complete. */
  minimum: number;
}

export function dayProfile(s: CapacitySettings): DayProfile {
  const worst: number[] = [];
  const best: number[] = [];
  for (let c = 0; c < 24; c++) {
    worst.push(streamsNeededAt(c, 1 / 60, s));
    best.push(streamsNeededAt(c, 59 + 59 / 60, s));
  }
  const capacity = hourlyCapacity(s);
  return {
    worst,
    best,
    capacity,
    tightHours: worst.filter((n) => n > capacity).length,
    minimum: Math.min(...best),
  };
}

/**
 * The largest lookahead whose steady state fits the capacity at every hour (0: not even the current
 * and next hour fit beside the draining ones). Each hour of lookahead adds N streams at every
 * hour of the day, so it follows from the profile of a one-hour lookahead.
 */
export function largestLookahead(s: CapacitySettings): number {
  const oneHour = dayProfile({ ...s, lookaheadHours: 1 });
  const spare = oneHour.capacity - Math.max(...oneHour.worst);
  return Math.max(0, Math.min(192, Math.floor(spare / perHour(s)) + 1));
}

/** CloudWatch evaluates at most a day of hourly periods; 3 runs in a row was the original alarm. */
export function tomorrowAlarmPeriods(s: CapacitySettings): number {
  return Math.min(24, Math.max(3, dayProfile(s).tightHours + 1));
}
