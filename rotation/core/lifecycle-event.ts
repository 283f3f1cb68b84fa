// The lifecycle contract between the Pulumi side (components/rotation-lifecycle.ts, a dynamic
// resource) and the rotation function (rotation/aws/lifecycle.ts). Destroy is said, not inferred:
// the resource's create makes a fresh lifecycle id (a UUID that names that one resource, from its
// create to its delete) and sends `deploy`, its update sends `deploy` with the same id, its delete
// sends `destroy` with the id it was created with. The function keeps the lifecycle id of the
// latest deploy in one S3 object (strongly consistent), so the delete of a replaced or renamed
// resource (whose successor already recorded a newer id) is told apart from a real destroy by a
// comparison, not by a read of something Pulumi has just deleted.
// Pure: the Pulumi program and the IAM policy read these constants without loading an SDK client.
//
// Wire names: the lifecycle id was first called a "generation", a word that now means only the
// stack's former configurations (generations.ts). Its old name stays wherever it leaves the code:
// the record's key and field, the payload field, the resource's output. Deployed stacks read and
// write those, and their delete runs the provider code stored in their state, which sends
// `generation`; each is pinned by a test.

/**
 * The object that records the latest deploy, in the data-lake bucket. Fixed, whatever the
 * settings: every version of the rotation role, old or new, may read it, so a delete sent to a
 * function still running under a former policy (a prefix change in the same `up`) never fails for
 * want of a permission. Underscore-led, like `_SUCCESS`: Athena and Hive skip such keys.
 * Wire name: kept for deployed stacks (`generation.json` is the lifecycle id's old name).
 */
export const LIFECYCLE_RECORD_KEY = '_firehose-rotation/lifecycle/generation.json';

/**
 * The invocation payload the dynamic resource sends: the only events that deploy (bootstrap) or
 * destroy (teardown). `generation` carries the lifecycle id. Wire name: kept for deployed stacks.
 */
export interface LifecyclePayload {
  action: 'deploy' | 'destroy';
  generation: string;
}

/** A lifecycle event as the function acts on it. */
export interface LifecycleEvent {
  action: 'deploy' | 'destroy';
  lifecycleId: string;
}

/** The durable record: the lifecycle id the latest create or update deployed. */
export interface LifecycleRecord {
  lifecycleId: string;
  deployedAt: string;
  /** Set by that resource's destroy, before its teardown: scheduled runs then hold (see below). */
  destroyedAt?: string;
}

/** The oldest event Lambda still retries for the rotation (its FunctionEventInvokeConfig). */
export const ASYNC_EVENT_AGE_SECONDS = 3600;

/**
 * How long after a destroy began a scheduled run does nothing: Lambda retries a failed
 * asynchronous run with events up to 3,600 s old (the rotation's FunctionEventInvokeConfig), and
 * a run lasts up to its 900 s timeout; 300 s more for the clocks. A run that lands after the
 * teardown's last list (but before Pulumi deletes the function) would otherwise leave streams
 * behind for good. Bounded, so a destroy that failed and an `up` after it cannot stop the rotation
 * for longer (the CLI's `rotate` is never held).
 */
const DESTROY_HOLD_SECONDS = ASYNC_EVENT_AGE_SECONDS + 900 + 300;

/** Until when scheduled runs hold after the recorded destroy, or undefined when none is recorded. */
export function destroyHoldUntil(record: LifecycleRecord | undefined): Date | undefined {
  if (!record?.destroyedAt) return undefined;
  return new Date(Date.parse(record.destroyedAt) + DESTROY_HOLD_SECONDS * 1000);
}

/** A lifecycle id: crypto.randomUUID's shape, so a typo or an empty value cannot match by accident. */
const LIFECYCLE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The event if it is a lifecycle event, an error naming the field if it is a malformed one (the
 * message names the payload's wire field, `generation`).
 */
export function lifecycleEventOf(event: {
  action?: unknown;
  generation?: unknown;
}): LifecycleEvent | undefined {
  if (event.action !== 'deploy' && event.action !== 'destroy') return undefined;
  if (typeof event.generation !== 'string' || !LIFECYCLE_ID_PATTERN.test(event.generation)) {
    throw new Error(
      `lifecycle event ${event.action}: generation must be a UUID made by the lifecycle resource ` +
        `(got ${JSON.stringify(event.generation)})`,
    );
  }
  return { action: event.action, lifecycleId: event.generation };
}

/**
 * The record as stored, one JSON object. Wire names: kept for deployed stacks, whose functions
 * read what this code writes (`generation` holds the lifecycle id).
 */
interface StoredRecord {
  generation: string;
  deployedAt: string;
  destroyedAt?: string;
}

/** The object's body: the fields in the stored order, an absent `destroyedAt` left out. */
export function lifecycleRecordText(record: LifecycleRecord): string {
  const stored: StoredRecord = {
    generation: record.lifecycleId,
    deployedAt: record.deployedAt,
    destroyedAt: record.destroyedAt,
  };
  return `${JSON.stringify(stored)}\n`;
}

/** Parses the stored record; anything else is an error (the object is written by this code only). */
export function parseLifecycleRecord(text: string): LifecycleRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${LIFECYCLE_RECORD_KEY}: is not JSON; it is written by the rotation function only`);
  }
  const r = value as Partial<StoredRecord>;
  if (typeof r?.generation !== 'string' || !LIFECYCLE_ID_PATTERN.test(r.generation)) {
    throw new Error(`${LIFECYCLE_RECORD_KEY}: generation is missing or not a UUID`);
  }
  const destroyedAt = typeof r.destroyedAt === 'string' && !Number.isNaN(Date.parse(r.destroyedAt));
  return {
    lifecycleId: r.generation,
    deployedAt: String(r.deployedAt ?? ''),
    ...(destroyedAt ? { destroyedAt: r.destroyedAt } : {}),
  };
}
