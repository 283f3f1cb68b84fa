// When a drained hour's hour-complete signal (`_SUCCESS` marker + EventBridge event) fails, its
// delete waits, so the stream itself records the signal still owed and the next run retries both
// (no ledger is needed, which the failing bucket or bus could not hold anyway). The wait is bounded
// twice, because a held stream occupies a quota slot: in time (SIGNAL_HOLD_HOURS after the hour
// became deletable, i.e. a few hourly runs for an operator to fix the cause) and in slots (only
// slots no planned create needs, so a failing signal never costs any hour its stream). Past either
// bound the stream is deleted with its signal unsent, and reported. Pure: no AWS or Pulumi imports.
import { DateTime, Duration } from 'luxon';
import { deletableAt, WindowSettings } from './time-window';

/** How long a drained hour may keep its stream while its signal fails. */
export const SIGNAL_HOLD_HOURS = 3;

/** The last instant a drained hour whose signal fails may keep its stream. */
export function signalHoldEnds(hour: DateTime, s: WindowSettings): DateTime {
  return deletableAt(hour, s).plus(Duration.fromObject({ hours: SIGNAL_HOLD_HOURS }));
}

export type SignalFailureAction = 'held' | 'deleted-unsignalled';

/**
 * What to do with a drained hour whose signal just failed: hold its stream while both bounds allow
 * (`spareSlots`: quota slots no planned create needs and no earlier hold took), else delete it.
 */
export function onSignalFailure(
  hour: DateTime,
  now: DateTime,
  s: WindowSettings,
  spareSlots: number,
): { action: SignalFailureAction; why: string } {
  const ends = signalHoldEnds(hour, s);
  if (now >= ends)
    return {
      action: 'deleted-unsignalled',
      why: `held since ${deletableAt(hour, s).toISO()}, the most allowed`,
    };
  if (spareSlots <= 0)
    return { action: 'deleted-unsignalled', why: 'no quota slot to spare: a planned create needs it' };
  return { action: 'held', why: `stream kept for a retry by a later run until ${ends.toISO()}` };
}
