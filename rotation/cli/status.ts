// `status`: what exists now, read live. The model (which window each hour is in, the headroom, the
// next hour without a stream) is pure; `gatherStatus` only collects names and states to feed it.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { hourKey, parseStreamName, streamName } from '../core/names';
import { RotationSettings } from '../core/settings';
import { horizonEnd, hourOf, isOpen, mayDelete } from '../core/time-window';
import { listStreamNames } from '../aws/executor';
import { describeStatus } from '../aws/stream-status';

/** Where an hour stands relative to `now`, in the shared time window's terms. */
export type HourWindow =
  'current' | 'upcoming' | 'accepting-late' | 'draining' | 'deletable' | 'beyond-horizon';

/** A Firehose stream state, or MISSING when the stream does not exist (or vanished meanwhile). */
export type LiveState = string;

export interface HourlyStreamStatus {
  name: string;
  hour: string;
  state: LiveState;
  window: HourWindow;
}

export interface StatusReport {
  now: string;
  region: string;
  quota: number;
  /** Where `quota` came from; statusCommand fills it in after reading Service Quotas. */
  quotaSource?: string;
  streamsInRegion: number;
  /** quota − every stream in the Region (ours, foreign, fallback); negative means over quota. */
  headroom: number;
  fallback: { name: string; state: LiveState };
  /** Streams named `<streamPrefix>-yyyyMMddHH`, oldest hour first (by name: tags are not read). */
  hourly: HourlyStreamStatus[];
  /** First hour from the current one on that has no stream: the router sends it to the fallback. */
  nextHourWithoutStream: string;
}

export function hourWindow(hour: DateTime, now: DateTime, s: RotationSettings): HourWindow {
  const current = hourOf(now);
  if (hour >= horizonEnd(now, s)) return 'beyond-horizon';
  if (hour.equals(current)) return 'current';
  if (hour > current) return 'upcoming';
  if (isOpen(hour, now, s)) return 'accepting-late';
  return mayDelete(hour, now, s) ? 'deletable' : 'draining';
}

export function nextHourWithoutStream(now: DateTime, names: readonly string[], s: RotationSettings): string {
  const present = new Set(names);
  let hour = hourOf(now);
  // Terminates: the names are finite, so some hour after the last one is free.
  while (present.has(streamName(s.streamPrefix, hour))) hour = hour.plus({ hours: 1 });
  return hourKey(hour);
}

export interface StatusFacts {
  region: string;
  names: string[];
  /** State of the fallback and of every hourly-named stream, by name. */
  states: Record<string, LiveState>;
}

export function buildStatus(now: DateTime, facts: StatusFacts, s: RotationSettings): StatusReport {
  const hourly = facts.names
    .map((name) => ({ name, hour: parseStreamName(s.streamPrefix, name) }))
    .filter(
      (e): e is { name: string; hour: DateTime } => e.hour !== undefined && e.name !== s.fallbackStreamName,
    )
    .sort((a, b) => a.hour.toMillis() - b.hour.toMillis())
    .map(({ name, hour }) => ({
      name,
      hour: hourKey(hour),
      state: facts.states[name] ?? 'MISSING',
      window: hourWindow(hour, now, s),
    }));
  return {
    now: now.toUTC().toISO(),
    region: facts.region,
    quota: s.quota,
    streamsInRegion: facts.names.length,
    headroom: s.quota - facts.names.length,
    fallback: { name: s.fallbackStreamName, state: facts.states[s.fallbackStreamName] ?? 'MISSING' },
    hourly,
    nextHourWithoutStream: nextHourWithoutStream(now, facts.names, s),
  };
}

/** One List, then one Describe per hourly-named stream and the fallback (paced by the client). */
export async function gatherStatus(client: FirehoseClient, s: RotationSettings): Promise<StatusFacts> {
  const names = await listStreamNames(client);
  const states: Record<string, LiveState> = {};
  const described = names.filter((n) => n !== s.fallbackStreamName && parseStreamName(s.streamPrefix, n));
  for (const name of [s.fallbackStreamName, ...described]) {
    states[name] = (names.includes(name) && (await describeStatus(client, name))) || 'MISSING';
  }
  return { region: await client.config.region(), names, states };
}
