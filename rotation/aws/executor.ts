// Gathers the facts the planner needs, then applies its plan: deletes first, then creates, each
// idempotent, so a run that died half-way is completed by the next one.
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  TagDeliveryStreamCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { DateTime } from 'luxon';
import { parseKnownName } from '../core/generations';
import { hourFromKey, hourKey } from '../core/names';
import { hourOf } from '../core/time-window';
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
import { giveBackOverQuota } from './give-back';
import { SignalClients } from './hour-complete';
import { signalGate } from './signal-gate';
import { hourlyStreamTags } from '../core/hourly-stream';
import { hourlyDestinationUpdate, hourlyStreamRequest } from './stream-config';
import { readStreamQuota } from './stream-quota';
import { describeStatus } from './stream-status';
import { listStreamNames, readTags } from './stream-listing';
import { lookAround } from './discovery';
import { refusedDelete, sharingLine } from './sharing-deletes';

export { listStreamNames, readTags };

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
export type ApplyResult = RotationOutcome & Required<Pick<RotationOutcome, 'updated' | 'notUpdated'>>;

export interface RotationReport {
  plan: RotationPlan;
  result: ApplyResult;
}

const errorName = (err: unknown) => (err as { name?: string }).name ?? 'Error';

/**
 * Firehose answers CreateDeliveryStream with LimitExceededException for the stream quota ("You
 * have already consumed your firehose quota of 50 hoses…") but also for other limits (tags, for
 * one). Only the quota is a planning fact; any other limit is a bug to show, not a shortfall.
 */
export function isStreamQuota(err: unknown): boolean {
  const message = (err as { message?: string }).message ?? '';
  return errorName(err) === 'LimitExceededException' && /\b(quota|hoses)\b/i.test(message);
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
      // one with ResourceInUseException, which applyPlan reports and the next run retries.
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

export async function applyPlan(
  deps: RotationDeps,
  plan: Pick<RotationPlan, 'deletes' | 'creates'> &
    Partial<Pick<RotationPlan, 'quota' | 'countBefore' | 'reserve' | 'updates'>>,
  s: RotationSettings,
): Promise<ApplyResult> {
  const { client, progress = () => undefined } = deps;
  // Slots the plan leaves unused, minus the reserve kept for any deployment's near-term hours:
  // the only ones a drained hour whose signal fails may keep.
  const spare =
    plan.quota === undefined || plan.countBefore === undefined
      ? 0
      : Math.max(
          0,
          plan.quota - (plan.countBefore - plan.deletes.length + plan.creates.length) - (plan.reserve ?? 0),
        );
  const gate = deps.signals && signalGate({ signals: deps.signals, now: deps.now }, s, spare);
  const result: ApplyResult = {
    created: [],
    deleted: [],
    completed: gate ? gate.completed : [],
    notCreated: [],
    notDeleted: [],
    signalFailures: gate ? gate.failures : [],
    updated: [],
    notUpdated: [],
  };
  for (const d of plan.deletes) {
    // A signal never throws here: the creates below must not depend on it (see signal-hold.ts).
    if (gate && d.reason === 'drained' && !(await gate.beforeDelete(d))) {
      result.notDeleted.push({ name: d.name, reason: 'hour-complete signal failed; held for a retry' });
      progress(`kept ${d.name}: its hour-complete signal failed; a later run retries`);
      continue;
    }
    const refused = refusedDelete(d, deps.now());
    if (refused) {
      result.notDeleted.push({ name: d.name, reason: refused });
      continue;
    }
    try {
      await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: d.name }));
      result.deleted.push(d.name);
      progress(`deleted ${d.name} (${d.reason})`);
    } catch (err) {
      const denied = refusedDelete(d, deps.now(), err);
      if (denied) {
        result.notDeleted.push({ name: d.name, reason: denied });
        progress(`kept ${d.name}: ${denied}`);
      } else if (errorName(err) === 'ResourceNotFoundException') {
        result.deleted.push(d.name); // already gone: the goal is reached
      } else if (errorName(err) === 'ResourceInUseException') {
        result.notDeleted.push({ name: d.name, reason: 'in use (CREATING or DELETING); next run retries' });
      } else throw err;
    }
  }
  const recreate = new Set(plan.deletes.filter((d) => d.reason === 'creating-failed').map((d) => d.name));
  // The plan's budget counted on its deletes; a refused delete keeps its slot, so the creates
  // must fit what was actually freed, or the count would pass the quota.
  const room =
    plan.quota === undefined || plan.countBefore === undefined
      ? Infinity
      : plan.quota - (plan.countBefore - result.deleted.length);
  const madeHere: RotationPlan['creates'] = [];
  const countStreams = async () => (await listStreamNames(client)).length;
  // Far-ahead hours leave `reserve` slots free (the planner's rule), so the re-count and the
  // give-back hold them to the quota minus the reserve; near-term hours may take any slot.
  const reserve = plan.reserve ?? 0;
  const next = hourOf(deps.now()).plus({ hours: 1 });
  const limitFor = (c: { hour: string }, quota: number) =>
    hourFromKey(c.hour)! <= next ? quota : quota - reserve;
  // The quota as learned: a quota LimitExceeded below the planned quota shows the real one.
  let quota = plan.quota;
  let giveBackReason: string | undefined;
  for (let i = 0; i < plan.creates.length; i++) {
    const c = plan.creates[i];
    if (result.created.length >= room) {
      result.notCreated.push({ name: c.name, reason: 'quota: a planned delete did not happen' });
      continue;
    }
    if (recreate.has(c.name) && !result.deleted.includes(c.name)) {
      result.notCreated.push({ name: c.name, reason: 'failed stream could not be deleted yet' });
      continue;
    }
    // Re-counted before every create: a concurrent run, or a stream still DELETING, may have taken
    // the slot the plan counted on. Two runs can still both pass this check at once: see give-back.
    if (quota !== undefined && (await countStreams()) >= limitFor(c, quota)) {
      for (const rest of plan.creates.slice(i))
        result.notCreated.push({ name: rest.name, reason: 'quota: filled since the plan' });
      progress(`quota filled since the plan; ${plan.creates.length - i} stream(s) left for the next run`);
      break;
    }
    try {
      await client.send(
        new CreateDeliveryStreamCommand(hourlyStreamRequest(s, hourFromKey(c.hour)!, c.name)),
      );
      result.created.push(c.name);
      madeHere.push(c);
      progress(`created ${c.name}`);
    } catch (err) {
      const name = errorName(err);
      if (name === 'LimitExceededException' && !isStreamQuota(err)) {
        throw new Error(
          `CreateDeliveryStream ${c.name}: LimitExceededException that is not the stream quota: ${(err as Error).message}`,
          { cause: err },
        );
      }
      if (name === 'LimitExceededException') {
        // The quota is full (streams still DELETING, or foreign streams appeared): the rest of the
        // plan is farther away than this hour, so it cannot fit either. Report, do not fail.
        for (const rest of plan.creates.slice(i))
          result.notCreated.push({ name: rest.name, reason: 'quota reached' });
        progress(`quota reached; ${plan.creates.length - i} stream(s) left for the next run`);
        // The account is full now: the real quota is this count, whatever was planned with. The
        // far-ahead streams made here must still leave the reserve free for near-term hours.
        const real = await countStreams();
        if (quota !== undefined && real < quota) {
          quota = real;
          giveBackReason = 'the real stream quota is below the planned one';
        }
        break;
      }
      if (name === 'ResourceInUseException' && recreate.has(c.name)) {
        result.notCreated.push({ name: c.name, reason: 'failed stream still deleting; next run recreates' });
      } else if (name === 'ResourceInUseException') {
        result.created.push(c.name); // exists already, e.g. made by a concurrent run: goal reached
      } else throw err;
    }
  }
  if (quota !== undefined && madeHere.length > 0) {
    // Give-back only ever deletes far-ahead streams, so its target is the far-ahead limit.
    await giveBackOverQuota(deps, quota - reserve, madeHere, result, countStreams, giveBackReason);
  }
  // After the creates: those serve hours that have no stream at all; these only refresh settings.
  for (const u of plan.updates ?? []) await updateStream(deps, u.name, hourFromKey(u.hour)!, s, result);
  return result;
}

/**
 * UpdateDestination with the current configuration, then the current tags (config digest, owner,
 * extra tags). The stream stays ACTIVE and keeps accepting records meanwhile. A run that dies
 * between the two calls leaves the old digest tag: the next run sees the stream as stale again
 * and repeats both, which is harmless.
 */
async function updateStream(
  deps: RotationDeps,
  name: string,
  hour: DateTime,
  s: RotationSettings,
  result: ApplyResult,
): Promise<void> {
  const { client, progress = () => undefined } = deps;
  try {
    const described = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    const d = described.DeliveryStreamDescription!;
    if (d.DeliveryStreamStatus !== 'ACTIVE') {
      result.notUpdated.push({ name, reason: `${d.DeliveryStreamStatus}; next run retries` });
      return;
    }
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: name,
        CurrentDeliveryStreamVersionId: d.VersionId,
        DestinationId: d.Destinations?.[0]?.DestinationId,
        ExtendedS3DestinationUpdate: hourlyDestinationUpdate(s, hour),
      }),
    );
    await client.send(
      new TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: hourlyStreamTags(s, hour) }),
    );
    result.updated.push(name);
    progress(`updated ${name} to the current configuration`);
  } catch (err) {
    const why = errorName(err);
    if (
      why === 'ResourceNotFoundException' ||
      why === 'ConcurrentModificationException' ||
      why === 'ResourceInUseException'
    ) {
      result.notUpdated.push({ name, reason: `${why}; next run retries` });
    } else throw err;
  }
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
