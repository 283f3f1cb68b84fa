// The capacity rule: how many streams may this deployment make? Read top to bottom: the quota a
// run plans with, the budget and the slots one run takes stream by stream (the planner's create
// loop, then the executor's re-count before each create and its give-back after them), the live
// window and what any settings must fit (answers that core/settings.ts only words into messages),
// and the day profile that the settings check at preview and the `tomorrow-not-ready` alarm use,
// so that accepted settings never leave an alarm that can only fire. Everything counts streams: an
// hour holds `streamsPerHour` of them (N), so each hour figure is multiplied by N. Which hours come first is the planner's (planner.ts), the share of far-ahead
// slots among deployments the sharing rule's (fair-share.ts). Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import './luxon-strict'; // hour arithmetic throws on an invalid date instead of comparing as false
import { drainDuration, hourOf, PlanningWindow } from './time-window';

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

/** The quota a run plans with: the smaller of the `quota` setting and Service Quotas' value. */
export function plannedQuota(setting: number, r: QuotaReading): number {
  return Math.min(setting, r.value);
}

// ---- one run's slots: near-term first, far-ahead within the reserve, ours within the budget ----

/** The account-wide limits one run's creates keep to (RotationPlan's quota and reserve). */
export interface QuotaLimits {
  /** Streams the account and Region may hold, every owner's (plannedQuota). */
  quota: number;
  /** Free slots far-ahead creates leave for near-term creates of any deployment (reserveStreams). */
  reserve: number;
}

/**
 * Near-term: the current hour, the next one and every past hour (of the past hours the plan ensures
 * only the open ones, hoursToEnsure, but a drained or orphaned past hour counts as near-term too).
 * Such hours may fill the quota (countLimit); every later hour is far-ahead, leaves the reserve
 * free, and is the only kind a rotation ever deletes before it drains (stream-deletion.ts).
 */
export function isNearTerm(hour: DateTime, now: DateTime): boolean {
  return hour <= hourOf(now).plus({ hours: 1 });
}

/**
 * The most streams the account may hold once a create is made. A near-term hour (isNearTerm) may
 * take any free slot; a far-ahead hour stops while fewer than `reserve` free slots would remain,
 * so another deployment's near-term hours always find room (docs/sharing.md). Far-ahead streams
 * over this limit are what give-back deletes.
 */
export function countLimit(l: QuotaLimits, nearTerm: boolean): number {
  return nearTerm ? l.quota : l.quota - l.reserve;
}

/** May one more stream be made while the account holds `count` streams? */
export function roomForOne(count: number, l: QuotaLimits, nearTerm: boolean): boolean {
  return count < countLimit(l, nearTerm);
}

/** Streams this deployment may hold, its fallback included: `streamBudget`, at most the quota. */
function budgetOf(s: { streamBudget?: number }, quota: number): number {
  return Math.min(s.streamBudget ?? quota, quota);
}

/** What one plan starts from: the account's streams once its deletes are done. */
interface SlotsAfterDeletes {
  /** Every stream in the account and Region, ours and foreign, fallback included. */
  account: number;
  /** Our hourly streams that stay (not the fallback, not another deployment's lookalikes). */
  ownHourly: number;
  fallbackMissing: boolean;
}

/**
 * One plan's slots, taken one stream at a time by the planner's create loop. A missing fallback
 * keeps its slot, in the account's count and in the budget, so the hourly streams never take the
 * room it needs to be made again; the budget always counts the fallback.
 */
export class PlanSlots {
  readonly limits: QuotaLimits;
  readonly budget: number;
  private count: number;
  private held: number;

  constructor(s: { streamBudget?: number; reserveStreams: number }, quota: number, start: SlotsAfterDeletes) {
    this.limits = { quota, reserve: s.reserveStreams };
    this.budget = budgetOf(s, quota);
    this.count = start.account + (start.fallbackMissing ? 1 : 0);
    this.held = 1 + start.ownHourly;
  }

  /** Room for one more stream: under the account's limit for its kind and within the budget. */
  mayCreate(nearTerm: boolean): boolean {
    return roomForOne(this.count, this.limits, nearTerm) && this.held < this.budget;
  }

  take(): void {
    this.count += 1;
    this.held += 1;
  }
}

/** A plan's counts as the executor applies it (RotationPlan; a teardown's plan has none). */
interface AppliedCounts {
  quota?: number;
  reserve?: number;
  /** Every stream in the account and Region when the plan was made. */
  countBefore?: number;
  deletes: readonly unknown[];
  creates: readonly unknown[];
}

/**
 * Slots a plan leaves unused once its deletes and creates are done, below the far-ahead limit
 * (countLimit: the quota minus the reserve kept for any deployment's near-term hours): the only
 * slots a drained hour whose hour-complete signal fails may keep its stream in
 * (stream-deletion.ts onSignalFailure), so a held stream never takes a planned create's slot.
 * None for a plan without a quota (teardown).
 */
export function spareSlots(plan: AppliedCounts): number {
  if (plan.quota === undefined || plan.countBefore === undefined) return 0;
  const after = plan.countBefore - plan.deletes.length + plan.creates.length;
  return Math.max(0, countLimit({ quota: plan.quota, reserve: plan.reserve ?? 0 }, false) - after);
}

// ---- the live window and the day profile: what the settings promise ----------------------------

/** Streams per hour (settings.streamsPerHour); absent = 1, as before the setting existed. */
interface PerHour {
  streamsPerHour?: number;
}

const perHour = (s: PerHour) => s.streamsPerHour ?? 1;

interface CapacitySettings extends PlanningWindow, PerHour {
  /** Streams in the account and Region (every owner); the planner may lower it (Service Quotas). */
  quota: number;
  /** Streams this deployment may hold at once, its fallback included; unset means the quota. */
  streamBudget?: number;
  /** Free slots far-ahead creates leave for near-term creates (any deployment's). */
  reserveStreams: number;
}

/**
 * The most hours whose streams must coexist for the router alone to work: hours still draining
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

// What the settings check (core/settings.ts) asks before any run, in order: the live window and
// the fallback in the quota, then in the budget, the reserve beside them, the lookahead at all.
// Answers only; settings.ts words them into its messages.

/** The live window's streams and the fallback: what the quota and the budget must hold at least. */
function liveWindowAndFallback(s: PlanningWindow & PerHour): number {
  return liveWindowStreams(s) + 1;
}

/** Does the quota hold the live window and the fallback? If not, no settings of the rest can work. */
export function liveWindowFits(s: PlanningWindow & PerHour & { quota: number }): boolean {
  return liveWindowAndFallback(s) <= s.quota;
}

/** The most streams per hour whose live window and fallback fit the quota (0: not even one). */
export function mostStreamsPerHour(s: PlanningWindow & { quota: number }): number {
  return Math.floor((s.quota - 1) / maxLiveWindowHours(s));
}

/** A `streamBudget` against the quota and the live window (with the fallback). */
export function budgetFit(
  budget: number,
  s: PlanningWindow & PerHour & { quota: number },
): 'fits' | 'over-quota' | 'below-live-window' {
  if (budget > s.quota) return 'over-quota';
  return budget < liveWindowAndFallback(s) ? 'below-live-window' : 'fits';
}

/** Does the reserve leave the live window and the fallback room in the quota? */
export function reserveFits(s: CapacitySettings): boolean {
  return s.reserveStreams <= s.quota - liveWindowAndFallback(s);
}

/** Hourly streams this deployment may hold when alone: its budget and the reserve, minus the fallback. */
function hourlyCapacity(s: CapacitySettings): number {
  const limits = { quota: s.quota, reserve: s.reserveStreams };
  return Math.min(budgetOf(s, s.quota), countLimit(limits, false)) - 1;
}

/**
 * Streams one deployment holds once its plan is complete, for an instant `minute` minutes into UTC
 * hour `hourOfDay`: the current hour, the hours ahead up to the horizon, and each past hour whose
 * stream may not be deleted yet (hour k back ends (1 - k) h from the current hour's start, and is
 * held for the drain duration after that). By arithmetic: the settings check runs it 48 times per
 * parse, where the time window's luxon hours would take ~60 ms (test/support/streams-needed.ts
 * counts the same with them, and the tests hold the two equal).
 */
function streamsNeededAt(hourOfDay: number, minute: number, s: PlanningWindow & PerHour): number {
  const toDayEnd = 24 * (s.horizonDays + 1) - hourOfDay - 1;
  const ahead = s.lookaheadHours === undefined ? toDayEnd : Math.min(s.lookaheadHours, toDayEnd);
  const drain = s.latenessMinutes + s.safetyMarginMinutes + s.bufferingIntervalSeconds / 60;
  return (1 + ahead + Math.max(0, Math.ceil((drain - minute) / 60))) * perHour(s);
}

interface DayProfile {
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

/**
 * Can the lookahead ever be complete: do the fewest streams it needs at any hour of the day fit the
 * capacity? If not, the settings check names the largest lookahead that does.
 */
export function lookaheadEverFits(p: DayProfile): boolean {
  return p.minimum <= p.capacity;
}

/** CloudWatch evaluates at most a day of hourly periods; 3 runs in a row was the original alarm. */
export function tomorrowAlarmPeriods(s: CapacitySettings): number {
  return Math.min(24, Math.max(3, dayProfile(s).tightHours + 1));
}
