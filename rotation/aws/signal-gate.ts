// The hour-complete signal as the executor's delete loop meets it: signal a drained hour, and on
// failure decide (rotation/core/stream-deletion.ts) whether its delete waits for a later run or goes
// ahead unsignalled. Either way the failure is recorded for the summary, the log and the
// HourSignalsFailed metric; it never throws, so no signal can stop the creates that follow.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { hourFromKey } from '../core/names';
import { PlannedDelete } from '../core/planner';
import { RotationSettings } from '../core/settings';
import { drainWindow, onSignalFailure, SignalFailureAction } from '../core/stream-deletion';
import { hourCompleteDetail, SignalClients, signalHourComplete } from './hour-complete-signal';
import { describeError } from './error-name';
import { describeDestination } from './firehose-streams';

interface SignalFailure {
  hour: string;
  stream: string;
  action: SignalFailureAction;
  error: string;
  why: string;
}

export interface SignalGateDeps {
  signals: SignalClients;
  now: () => DateTime;
  /** Reads the stream's own destination: the marker goes where the hour's data went (I2). */
  client: FirehoseClient;
}

export interface SignalGate {
  /** Signals `d`'s hour; resolves to whether its stream may be deleted now. */
  beforeDelete(d: PlannedDelete): Promise<boolean>;
  readonly completed: string[];
  readonly failures: SignalFailure[];
}

/**
 * `spareSlots`: quota slots the plan leaves unused after all its deletes and creates, the reserve
 * kept (core/capacity.ts spareSlots); only those may be held, so a held stream never takes a slot a
 * planned create counts on.
 */
export function signalGate(deps: SignalGateDeps, s: RotationSettings, spareSlots: number): SignalGate {
  const completed: string[] = [];
  const failures: SignalFailure[] = [];
  let spare = spareSlots;
  // An hour with several streams (streamsPerHour) is signalled once, at its first delete. Once an
  // hour has a held stream, its other streams go: one stream left is enough to owe the signal
  // (the next run finds it drained, signals, then deletes it), and each held stream costs a slot.
  const signalled = new Set<string>();
  const decided = new Set<string>();
  return {
    completed,
    failures,
    async beforeDelete(d) {
      if (signalled.has(d.hour) || decided.has(d.hour)) return true;
      const hour = hourFromKey(d.hour)!;
      try {
        const destination = await describeDestination(deps.client, d.name);
        // Gone or DELETING: deleted by an earlier run, which signalled before its delete.
        if (!destination) return true;
        const where = { bucketArn: destination.BucketARN!, prefix: destination.Prefix! };
        await signalHourComplete(
          deps.signals,
          s.eventBusName,
          hourCompleteDetail(s, hour, d.name, deps.now(), where),
        );
        completed.push(d.hour);
        signalled.add(d.hour);
        return true;
      } catch (err) {
        // The window the planner's delete used (drainWindow: the longest of every live
        // configuration), so a hold never ends before the hour may be deleted at all.
        const { action, why } = onSignalFailure(hour, deps.now(), drainWindow(s), spare);
        if (action === 'held') spare--;
        failures.push({ hour: d.hour, stream: d.name, action, error: describeError(err), why });
        decided.add(d.hour);
        return action !== 'held';
      }
    },
  };
}
