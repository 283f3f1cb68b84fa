// Which hourly streams are "far ahead": empty by invariant I1 (design.md §11: the router writes to
// an hour's streams only from `earlyMinutes` before the hour starts), so they may be given back
// to another deployment, or deleted when found under a prefix the settings no longer name,
// without losing a record. Pure: no AWS or Pulumi imports.
//
// Stand-in until the time window owns `earlyMinutes` (issue #23, branch i23-runtime): without the
// setting, a router may write up to an hour early, so only hours after the next one are far ahead
// at plan time, and the executor asks again at the instant of each delete.
import { DateTime } from 'luxon';
import { hourOf } from './time-window';

/** The most minutes before an hour starts that the router may write to its streams (I1's bound). */
export const MAX_EARLY_MINUTES = 60;

/** Planned at `now`: hours after the next one, whatever `earlyMinutes` is (at most an hour). */
export function isFarAhead(hour: DateTime, now: DateTime): boolean {
  return hour > hourOf(now).plus({ hours: 1 });
}

/** At the instant of a delete: the router cannot have written to the hour yet. */
export function stillEmptyAt(hour: DateTime, instant: DateTime, earlyMinutes = MAX_EARLY_MINUTES): boolean {
  return instant < hour.minus({ minutes: earlyMinutes });
}
