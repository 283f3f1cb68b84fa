// What the rotation function does with a lifecycle event (rotation/core/lifecycle-event.ts). A
// deploy records its lifecycle id, then rotates: the bootstrap that makes the hours exist when `up`
// ends. A destroy tears down only if its lifecycle id is the recorded one: the delete of a replaced
// (`pulumi up --replace`) or renamed lifecycle resource comes after its successor's create, which
// recorded a newer id, so that delete finds a mismatch and keeps every stream. S3 reads
// after writes are strongly consistent, so no stale read can turn a replacement into a destroy, and
// the record's key is the same under every settings version, so no permission can be missing.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { bucketName } from '../core/hour-complete';
import {
  destroyHoldUntil,
  lifecycleEventOf,
  LIFECYCLE_RECORD_KEY,
  LifecyclePayload,
  LifecycleRecord,
  lifecycleRecordText,
  parseLifecycleRecord,
} from '../core/lifecycle-event';
import { RotationSettings } from '../core/settings';
import { RotationDeps } from './executor';
import { destroyTeardown, lambdaDeadline, TeardownOptions, TeardownResult } from './teardown';

export interface LifecycleDeps extends RotationDeps {
  /** Reads and writes the lifecycle record in the data-lake bucket. */
  s3: S3Client;
}

/** The record of the latest deploy, or undefined when none was ever recorded. */
async function readLifecycleRecord(s3: S3Client, s: RotationSettings): Promise<LifecycleRecord | undefined> {
  try {
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucketName(s.bucketArn), Key: LIFECYCLE_RECORD_KEY }),
    );
    return parseLifecycleRecord(await out.Body!.transformToString());
  } catch (err) {
    // Anything but "no such key" (AccessDenied, throttling) fails the event: guessing "destroy"
    // would drop live buffers, guessing "superseded" would leak the streams.
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** A deploy: its lifecycle id becomes the recorded one (a destroy mark, if any, is cleared). */
export async function recordDeploy(
  deps: LifecycleDeps,
  s: RotationSettings,
  lifecycleId: string,
): Promise<void> {
  await writeRecord(deps, s, { lifecycleId, deployedAt: deps.now().toUTC().toISO() });
}

async function writeRecord(deps: LifecycleDeps, s: RotationSettings, record: LifecycleRecord): Promise<void> {
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: bucketName(s.bucketArn),
      Key: LIFECYCLE_RECORD_KEY,
      Body: lifecycleRecordText(record),
      ContentType: 'application/json',
    }),
  );
}

/**
 * The function's answer to a destroy, also logged as `lifecycle destroy`. `generation` is the
 * destroy's lifecycle id, `recorded` the one on record. Wire names: kept for deployed stacks (an
 * operator may alert on the log fields).
 */
export type DestroyOutcome =
  | { action: 'superseded'; generation: string; recorded: string; deleted: [] }
  | ({ action: 'teardown'; generation: string } & TeardownResult);

/**
 * A destroy event. No record at all also tears down: nothing newer claimed the deployment (the
 * record is written before any stream exists, by the very create whose delete this is).
 */
export async function onDestroy(
  deps: LifecycleDeps,
  s: RotationSettings,
  lifecycleId: string,
  opts: TeardownOptions,
): Promise<DestroyOutcome> {
  const recorded = await readLifecycleRecord(deps.s3, s);
  if (recorded && recorded.lifecycleId !== lifecycleId) {
    return { action: 'superseded', generation: lifecycleId, recorded: recorded.lifecycleId, deleted: [] };
  }
  // Said before the teardown starts: a scheduled run landing from now on holds (heldByDestroy).
  const destroyedAt = deps.now().toUTC().toISO();
  await writeRecord(deps, s, { lifecycleId, deployedAt: recorded?.deployedAt ?? destroyedAt, destroyedAt });
  return { action: 'teardown', generation: lifecycleId, ...(await destroyTeardown(deps, s, opts)) };
}

/**
 * Why a scheduled run must do nothing now, or undefined: a destroy began less than
 * DESTROY_HOLD_SECONDS ago. Only scheduled runs ask; lifecycle events and the CLI never hold. The
 * reason is logged; its wording ("destroy of generation …") is kept, an operator may alert on it.
 */
export async function heldByDestroy(
  s3: S3Client,
  s: RotationSettings,
  now: Date,
): Promise<string | undefined> {
  const record = await readLifecycleRecord(s3, s);
  const until = destroyHoldUntil(record);
  if (!until || now >= until) return undefined;
  return `destroy of generation ${record!.lifecycleId} began ${record!.destroyedAt}: scheduled runs hold until ${until.toISOString()}`;
}

/** The event a legacy aws.lambda.Invocation (CRUD scope) sends: `tf.action` and the previous input. */
interface LegacyInvocationEvent {
  tf?: { action?: 'create' | 'update' | 'delete'; prev_input?: unknown };
}

/**
 * Upgrading a stack that still has the aws.lambda.Invocation: removing it from the program makes
 * the provider invoke the (by then new) function with `tf.action = "delete"`. That is never a
 * destroy: the lifecycle resource now says destroys. Its create/update fall through to a rotation.
 */
function isLegacyDelete(event: LegacyInvocationEvent): boolean {
  return event.tf?.action === 'delete';
}

/** An event the rotation function receives: scheduled, CLI-like, lifecycle or legacy. */
export interface RotationEvent extends LegacyInvocationEvent {
  action?: 'rotate' | 'teardown' | LifecyclePayload['action'];
  /** With deploy and destroy: the lifecycle id (LifecyclePayload: a wire name, kept). */
  generation?: LifecyclePayload['generation'];
}

export type LifecycleAnswer =
  | DestroyOutcome
  | { action: 'ignored'; reason: string; deleted: [] }
  | { action: 'held'; reason: string; created: [] };

/**
 * The lifecycle part of one invocation, before any rotation: an answer ends the invocation
 * (destroy, a legacy delete, a scheduled run held by a destroy); undefined means "rotate now"
 * (after a deploy has recorded its lifecycle id). `info` and `error` are the handler's logger.
 */
export async function lifecycleStep(
  deps: LifecycleDeps & { info: (line: string, extra?: object) => void; error: (line: string) => void },
  s: RotationSettings,
  event: RotationEvent,
  remainingMs: number,
): Promise<LifecycleAnswer | undefined> {
  if (isLegacyDelete(event)) {
    deps.info('legacy aws.lambda.Invocation delete ignored: destroys come from the lifecycle resource');
    return { action: 'ignored', reason: 'legacy invocation delete', deleted: [] };
  }
  const lifecycle = lifecycleEventOf(event);
  if (lifecycle?.action === 'destroy') {
    const deadlineMs = lambdaDeadline(deps.now(), remainingMs);
    const outcome = await onDestroy(deps, s, lifecycle.lifecycleId, { deadlineMs });
    deps.info('lifecycle destroy', { ...outcome });
    return outcome;
  }
  if (lifecycle?.action === 'deploy') {
    await recordDeploy(deps, s, lifecycle.lifecycleId);
    // Log field `generation`: wire name, kept for deployed stacks (an operator may alert on it).
    deps.info('lifecycle deploy', { generation: lifecycle.lifecycleId });
    return undefined;
  }
  if (event.action !== undefined && event.action !== 'rotate') return undefined;
  // A scheduled (or retried, up to an hour late) run after a destroy began: no stream may appear.
  // Fails open: an unreadable record must not stop the hourly streams (it risks at most a stream
  // left after a destroy, which `firehose-rotation status` shows).
  const held = await heldByDestroy(deps.s3, s, new Date(deps.now().toMillis())).catch((err: unknown) => {
    deps.error(`destroy hold not checked, rotating: ${String(err)}`);
    return undefined;
  });
  if (!held) return undefined;
  deps.info(held);
  return { action: 'held', reason: held, created: [] };
}
