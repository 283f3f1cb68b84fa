// Gathers the facts the planner needs, then applies its plan: deletes first, then creates, each
// idempotent, so a run that died half-way is completed by the next one.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { DateTime } from 'luxon';
import { spareSlots } from '../core/capacity';
import { parseKnownName } from '../core/generations';
import { hourKey } from '../core/names';
import {
  asOwned,
  ExistingStream,
  PlannedDelete,
  planRotation,
  RotationPlan,
  streamsToInspect,
} from '../core/planner';
import type { RotationOutcome } from '../core/rotation-summary';
import { RotationSettings } from '../core/settings';
import { CreatePass } from './create-pass';
import { applyDeletes } from './delete-pass';
import { SignalClients } from './hour-complete-signal';
import { signalGate } from './signal-gate';
import { readStreamQuota } from './stream-quota';
import { describeStatus, listStreamNames, readTags } from './firehose-streams';
import { lookAround } from './discovery';
import { sharingLine } from './sharing-deletes';

export interface RotationDeps {
  client: FirehoseClient;
  now: () => DateTime;
  sleep?: (ms: number) => Promise<void>;
  /** When set, a drained hour is signalled complete (marker + event) before its stream is deleted. */
  signals?: SignalClients;
  /** Progress lines for a human (CLI); the summary is returned either way. */
  progress?: (line: string) => void;
  /** Service Quotas, read once per run for the real stream quota; without it the setting rules. */
  quotas?: ServiceQuotasClient;
  /** Where a fallback to the `quota` setting is logged (the Lambda's logger, the CLI's stderr). */
  log?: (line: string) => void;
}

/** What applyPlan did: the one outcome type, defined in core beside the summary built from it. */
export type ApplyResult = RotationOutcome & Required<Pick<RotationOutcome, 'recreated'>>;

export interface RotationReport {
  plan: RotationPlan;
  result: ApplyResult;
}

/**
 * Every stream in the account and Region (the quota counts them all), with tags and status read
 * only where the plan depends on them; see `streamsToInspect`.
 */
export async function discover(
  client: FirehoseClient,
  now: DateTime,
  s: RotationSettings,
): Promise<ExistingStream[]> {
  const names = await listStreamNames(client);
  const needs = streamsToInspect(now, names, s);
  const ownership = new Set(needs.ownership);
  const health = new Set(needs.health);
  const proof = new Set(needs.proof);
  const config = new Set(needs.config);
  const streams: ExistingStream[] = [];
  for (const name of names) {
    if (ownership.has(name)) {
      // A drained stream is deleted whatever its status: Firehose refuses a CREATING or DELETING
      // one with ResourceInUseException, which the delete pass reports and the next run retries.
      streams.push({ name, status: 'UNKNOWN', tags: await readTags(client, name) });
    } else if (health.has(name) || config.has(name)) {
      // Gone between List and Describe: as good as DELETING, which the planner already handles.
      const status = (await describeStatus(client, name)) ?? 'DELETING';
      // Tags when the answer could lead to a delete (replacing a failed create), for the proof, or
      // to see which configuration a stream of an hour not yet open was made with.
      const wanted = status === 'CREATING_FAILED' || proof.has(name) || config.has(name);
      const tags = wanted ? await readTags(client, name) : undefined;
      streams.push({ name, status, tags });
    } else {
      streams.push({ name, status: 'UNKNOWN' });
    }
  }
  return streams;
}

/** The plan's deletes (delete-pass.ts), then its creates (create-pass.ts), into one result. */
async function applyPlan(
  deps: RotationDeps,
  plan: Pick<RotationPlan, 'deletes' | 'creates'> &
    Partial<Pick<RotationPlan, 'quota' | 'countBefore' | 'reserve'>>,
  s: RotationSettings,
): Promise<ApplyResult> {
  const { client } = deps;
  // The only slots a drained hour whose signal fails may keep its stream in (capacity.ts).
  const spare = spareSlots(plan);
  const gate = deps.signals && signalGate({ signals: deps.signals, now: deps.now, client }, s, spare);
  const result: ApplyResult = {
    created: [],
    deleted: [],
    completed: gate ? gate.completed : [],
    notCreated: [],
    notDeleted: [],
    signalFailures: gate ? gate.failures : [],
    recreated: [],
  };
  await applyDeletes(deps, plan.deletes, s, result, gate);
  await new CreatePass(deps, plan, s, result).run();
  result.recreated = plan.deletes
    .filter(
      (d) => d.reason === 'reconfigure' && result.deleted.includes(d.name) && result.created.includes(d.name),
    )
    .map((d) => d.name);
  return result;
}

/** One rotation: discover, plan, apply. */
export async function rotate(deps: RotationDeps, s: RotationSettings): Promise<RotationReport> {
  const now = deps.now();
  const reading = await readStreamQuota(deps.quotas, s);
  // Only a configured code that found no value is news; without one the summary says so.
  if (reading.origin === 'setting' && s.serviceQuotaCode)
    deps.log?.(`stream quota: ${s.quota} from the quota setting (${reading.note})`);
  const existing = await discover(deps.client, now, s);
  const census = await lookAround(deps.client, now, s, existing, Math.min(s.quota, reading.value));
  const plan = planRotation(now, existing, s, reading, census);
  const sharing = plan.sharing && sharingLine(plan.sharing);
  if (sharing) deps.log?.(sharing);
  return { plan, result: await applyPlan(deps, plan, s) };
}

/**
 * Every hourly stream this deployment owns (name pattern and ownership tag), whatever its hour,
 * including those named or owned under a live former configuration.
 */
export async function findOwnedStreams(
  client: FirehoseClient,
  s: RotationSettings,
): Promise<PlannedDelete[]> {
  const names = (await listStreamNames(client)).filter((n) => parseKnownName(n, s));
  const owned: PlannedDelete[] = [];
  for (const name of names) {
    const tags = await readTags(client, name);
    const stream = tags && asOwned({ name, status: 'UNKNOWN', tags }, s);
    if (stream) owned.push({ name, hour: hourKey(stream.hour), reason: 'teardown' });
  }
  return owned;
}

/** Deletes every hourly stream this deployment owns at once (the CLI; destroy waits: see teardown.ts). */
export async function teardown(deps: RotationDeps, s: RotationSettings): Promise<ApplyResult> {
  return applyPlan(deps, { deletes: await findOwnedStreams(deps.client, s), creates: [] }, s);
}
