// routeBatch: one Kinesis batch through decode → route → deliver → summary. It takes its
// dependencies, so tests and the local demo run exactly the code the Lambda runs, in-process.
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { Delivery, DeliveryCounts, DeliveryDeps, DeliveryLog, DeliverySettings } from '../aws/delivery';
import { planColumns } from '../core/batch-plan';
import { decodeKinesisBatch } from '../core/routing';

/** How many failures the summary log lists in full; the counts cover the rest. */
const LOGGED_FAILURES = 20;

export interface RouterLog extends DeliveryLog {
  info(message: string, extra: Record<string, unknown>): void;
}

export interface RouterDeps extends DeliveryDeps {
  log: RouterLog;
}

export interface RouteBatchResult {
  response: KinesisStreamBatchResponse;
  counts: DeliveryCounts;
}

/** Sequence numbers (the batchItemFailures identifiers), checked: an empty one cannot be reported. */
function sequenceNumbers(event: KinesisStreamEvent): string[] {
  return event.Records.map((r, i) => {
    const id = r.kinesis.sequenceNumber;
    // An empty identifier makes Lambda fail the whole batch anyway; say why instead.
    if (!id)
      throw new Error(`Kinesis record ${i} has no sequenceNumber; cannot report it as a batch item failure`);
    return id;
  });
}

export async function routeBatch(
  event: KinesisStreamEvent,
  deps: RouterDeps,
  settings: DeliverySettings,
): Promise<RouteBatchResult> {
  const ids = sequenceNumbers(event);
  const data = decodeKinesisBatch(event.Records.map((r) => r.kinesis.data));
  // Partition keys are read only to spread an hour over several streams (streamsPerHour > 1).
  const keys = settings.streamsPerHour > 1 ? event.Records.map((r) => r.kinesis.partitionKey) : undefined;
  const plan = planColumns(ids, data, deps.now(), settings, keys);
  const { counts, failed } = await Delivery.counted(deps, settings, plan);
  deps.log.info('router batch', { ...counts, failures: failed.slice(0, LOGGED_FAILURES) });
  return { response: { batchItemFailures: itemFailures(ids, failed) }, counts };
}

/** In input order: Lambda resumes from the lowest failed sequence number, and so does a reader. */
function itemFailures(ids: readonly string[], failed: readonly { id: string }[]) {
  if (!failed.length) return [];
  const failedIds = new Set(failed.map((f) => f.id));
  return ids.filter((id) => failedIds.has(id)).map((id) => ({ itemIdentifier: id }));
}
