// The capacity rule's reference count, with the time window's luxon hours: the streams one
// deployment holds at `now` once its plan is complete. rotation/core/capacity.ts counts the same by
// arithmetic for its day profile (fast enough for the settings check); the tests hold the two equal.
import { DateTime } from 'luxon';
import { hourOf, hoursToEnsure, PlanningWindow, writeDeadline } from '../../rotation/core/time-window';
import { mayDelete } from '../../rotation/core/stream-deletion';

/** Open hours plus draining ones, times the streams each hour has (streamsPerHour, absent = 1). */
export function streamsNeeded(now: DateTime, s: PlanningWindow & { streamsPerHour?: number }): number {
  const open = hoursToEnsure(now, s).length;
  let draining = 0;
  // Hours before the oldest open one that may not be deleted yet still hold a stream.
  let h = hourOf(now).minus({ hours: 1 });
  while (now < writeDeadline(h, s)) h = h.minus({ hours: 1 });
  for (; !mayDelete(h, now, s); h = h.minus({ hours: 1 })) draining++;
  return (open + draining) * (s.streamsPerHour ?? 1);
}
