// routeBatch: one Kinesis batch through decode → route → deliver → summary. It takes its
// dependencies, so tests and the local demo run exactly the code the Lambda runs, in-process.
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { deliverCounted, DeliveryCounts, DeliveryDeps, DeliveryLog, DeliverySettings } from '../aws/delivery';
import { decodeKinesisBatch, planBatch, SourceRecord } from '../core/routing';

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

function sourceRecords(event: KinesisStreamEvent): SourceRecord[] {
  const data = decodeKinesisBatch(event.Records.map((r) => r.kinesis.data));
  const records: SourceRecord[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const id = event.Records[i].kinesis.sequenceNumber;
    // An empty identifier makes Lambda fail the whole batch anyway; say why instead.
    if (!id)
      throw new Error(`Kinesis record ${i} has no sequenceNumber; cannot report it as a batch item failure`);
    records[i] = { id, data: data[i] };
  }
  return records;
}

export async function routeBatch(
  event: KinesisStreamEvent,
  deps: RouterDeps,
  settings: DeliverySettings,
): Promise<RouteBatchResult> {
  const records = sourceRecords(event);
  const plan = planBatch(records, deps.now(), settings);
  const { counts, failed } = await deliverCounted(deps, settings, plan);
  deps.log.info('router batch', { ...counts, failures: failed.slice(0, LOGGED_FAILURES) });
  return { response: { batchItemFailures: itemFailures(records, failed) }, counts };
}

/** In input order: Lambda resumes from the lowest failed sequence number, and so does a reader. */
function itemFailures(records: readonly SourceRecord[], failed: readonly { id: string }[]) {
  if (!failed.length) return [];
  const ids = new Set(failed.map((f) => f.id));
  return records.filter((r) => ids.has(r.id)).map((r) => ({ itemIdentifier: r.id }));
}
