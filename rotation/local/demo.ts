// `npm start`: the whole data path on moto, no AWS account. Creates what the Pulumi program would,
// runs the rotation, produces events into Kinesis, routes them the way the event source mapping
// feeds the Lambda, then reads S3 back and checks every produced record by id.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import { rotate } from '../aws/executor';
import { controlPlaneClient } from '../aws/firehose-clients';
import { buildStatus, gatherStatus } from '../cli/status';
import { renderTimeline } from '../cli/timeline';
import { parseHourlyName } from '../core/names';
import { parseSettings } from '../core/settings';
import { clientConfig, TEST_REGION } from './moto';
import { EVENT_KINDS, generateEvents, ProducedEvent } from './events';
import { formatTree, judge, readBucket, StoredObject, Verdict } from './layout';
import { produceRecords, Producer } from './producer';
import {
  createBucket,
  createFallbackStream,
  demoSettingsInput,
  ROUTER_ROLE_ARN,
  routerInvoke,
  SOURCE_SHARDS,
  SOURCE_STREAM,
} from './resources';
import { consumeAll, createSourceStream, putAll } from './source';
import { placeFallback } from './place-fallback';
import { judgePlacement, PlacementVerdict } from './placement-verdict';

export interface DemoOptions {
  records: number;
  seed: number;
  /** The demo's instant for rotation and router; default the clock at start. */
  now?: DateTime;
  /** The moto to run against (start.ts starts one; tests share theirs). */
  endpoint: string;
  /** Control-plane pacing; default AWS's 5 calls/s, so the demo shows real rotation timing. */
  callsPerSecond?: number;
  /** Colour the timeline (start.ts: stdout is a terminal and NO_COLOR is unset). */
  colour?: boolean;
  /** settings.streamsPerHour of the demo deployment (`--streams-per-hour`); default 1. */
  streamsPerHour?: number;
  /** How events become Kinesis records (`--producer`, rotation/local/producer); default plain. */
  producer?: Producer;
  /**
   * Called with each client the pipeline's own code uses, and the role it stands for: the
   * rotation's control plane, the router's Firehose, the event source mapping's Kinesis reader
   * (tests record them for the IAM proof). Set-up and read-back clients are not passed.
   */
  instrument?: (client: FirehoseClient | KinesisClient, role: 'rotation' | 'router') => void;
}

export interface DemoHooks {
  /** Runs after routing and before S3 is read back: tests tamper with the bucket here. */
  beforeVerdict?: (s3: S3Client, bucket: string) => Promise<void>;
}

export interface DemoResult {
  endpoint: string;
  produced: ProducedEvent[];
  objects: StoredObject[];
  /** With placeLateRecords (the default) the reconcile after the placer ran. */
  verdict: Verdict | PlacementVerdict;
}

const ESM_MAX_RETRIES = 3;

export async function runDemo(
  o: DemoOptions,
  out: (line: string) => void,
  hooks: DemoHooks = {},
): Promise<DemoResult> {
  const { endpoint } = o;
  const S = parseSettings(demoSettingsInput(o.streamsPerHour));
  const config = clientConfig(endpoint);
  const s3 = new S3Client(config);
  const kinesis = new KinesisClient(config); // clientConfig carries the HTTP/1.1 handler moto needs
  const firehose = new FirehoseClient(config);
  const control = controlPlaneClient({ ...config, callsPerSecond: o.callsPerSecond });
  // The event source mapping reads with the router's role; the producer writes with its own.
  const reader = new KinesisClient(config);
  o.instrument?.(firehose, 'router');
  o.instrument?.(reader, 'router');
  try {
    const now = o.now ?? DateTime.utc();
    out(`moto_server at ${endpoint}; demo instant ${now.toISO()}`);

    const bucket = await createBucket(s3, S);
    const streamArn = await createSourceStream(kinesis, SOURCE_STREAM, SOURCE_SHARDS);
    await createFallbackStream(control, S);
    o.instrument?.(control, 'rotation'); // Pulumi made the fallback; from here on it is the rotation
    out(
      `created s3://${bucket}, Kinesis ${SOURCE_STREAM} (${SOURCE_SHARDS} shards), fallback ${S.fallbackStreamName} → ${S.fallbackPrefix}/`,
    );

    out(
      `rotation: planning and creating hourly streams (≤ ${o.callsPerSecond ?? 5} control-plane calls/s) …`,
    );
    const { plan, result } = await rotate({ client: control, now: () => now }, S);
    const hours = plan.creates.map((c) => c.hour).sort();
    out(
      `rotation: created ${result.created.length} hourly streams ${S.streamPrefix}-${hours[0]} … ${S.streamPrefix}-${hours[hours.length - 1]}` +
        `, ${plan.countAfter} of quota ${plan.quota} in use, shortfall ${plan.shortfall.length ? plan.shortfall.join(',') : 'none'}`,
    );
    // What `firehose-rotation status --timeline` shows now: an operator's read (the CLI runs with
    // the rotation role's permissions), unpaced since moto has no control-plane limit and the
    // rotation's timing was shown above.
    const operator = new FirehoseClient(config);
    o.instrument?.(operator, 'rotation');
    const status = buildStatus(now, await gatherStatus(operator, S), S);
    operator.destroy();
    out('');
    out(renderTimeline(status, now, S, plan, { colour: o.colour === true }));
    out('');
    const produced = generateEvents(o.records, o.seed, now);
    const producer = o.producer ?? 'plain';
    const records = produceRecords(produced, producer);
    await putAll(kinesis, SOURCE_STREAM, records);
    out(
      producer === 'plain'
        ? `produced ${produced.length} records into ${SOURCE_STREAM} (seed ${o.seed}): ${kinds(produced)}`
        : `produced ${produced.length} events in ${records.length} ${PACKED_LABEL[producer]} records into ${SOURCE_STREAM} (seed ${o.seed}): ${kinds(produced)}`,
    );

    const { invoke, totals } = routerInvoke(firehose, S, now);
    const consumed = await consumeAll(reader, {
      streamName: SOURCE_STREAM,
      streamArn,
      region: TEST_REGION,
      functionRoleArn: ROUTER_ROLE_ARN,
      invoke,
      maxRetries: ESM_MAX_RETRIES,
    });
    out(
      `router: ${consumed.batches} batches of ≤ 100 from ${consumed.shards} shards, ${consumed.invocations} invocations ` +
        `(${consumed.retries} retries); delivered ${entries(totals.perReason)}`,
    );
    if (S.streamsPerHour > 1) out(`router: ${spread(totals.perStream, S.streamPrefix)}`);
    for (const e of totals.errors.slice(0, 5)) out(`router error: ${e}`);
    if (consumed.onFailure.length)
      out(`on-failure destination: ${consumed.onFailure.length} records after ${ESM_MAX_RETRIES} retries`);

    if (S.placeLateRecords) {
      // S3 would notify the placer of each object the fallback stream wrote: here, one call each.
      const events = new EventBridgeClient(config);
      const placed = await placeFallback({ s3, events, now }, S);
      events.destroy();
      out(
        `placer: ${placed.objects} fallback objects read, ${placed.placed} late and early records written into ` +
          `their event hour (${placed.objectsWritten} objects), ${placed.kept} kept in the fallback only`,
      );
    }
    await hooks.beforeVerdict?.(s3, bucket);
    const objects = await readBucket(s3, bucket, S);
    out('');
    out(formatTree(bucket, objects, S));
    out('');
    const verdict = S.placeLateRecords ? judgePlacement(produced, objects) : judge(produced, objects);
    out(verdict.line);
    return { endpoint, produced, objects, verdict };
  } finally {
    for (const c of [s3, kinesis, reader, firehose, control]) c.destroy();
  }
}

const PACKED_LABEL = { jsonl: 'JSON Lines', kpl: 'KPL-aggregated' };

function entries(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => (a === 'hourly' ? -1 : b === 'hourly' ? 1 : a.localeCompare(b)))
    .map(([k, n]) => (k === 'hourly' ? `${n} to hourly streams` : `${n} ${k} to fallback`))
    .join(', ');
}

/** Records per stream index across the hours: how the partition keys spread them. */
function spread(perStream: Record<string, number>, prefix: string): string {
  const byIndex = new Map<number, number>();
  for (const [stream, n] of Object.entries(perStream)) {
    const parsed = parseHourlyName(prefix, stream);
    if (parsed) byIndex.set(parsed.index, (byIndex.get(parsed.index) ?? 0) + n);
  }
  const parts = [...byIndex].sort(([a], [b]) => a - b).map(([i, n]) => `${n} to index ${i}`);
  return `hourly records by stream index: ${parts.join(', ')}`;
}

function kinds(events: readonly ProducedEvent[]): string {
  return EVENT_KINDS.map((kind) => `${events.filter((e) => e.kind === kind).length} ${kind}`).join(', ');
}

/** Ready-to-paste CLI commands against the kept moto. */
export function keepInstructions(endpoint: string, now?: DateTime, streamsPerHour = 1): string {
  const aws = `AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${TEST_REGION} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing`;
  const settings = `FIREHOSE_ROTATION_SETTINGS='${JSON.stringify(demoSettingsInput(streamsPerHour))}'`;
  const at = now ? ` --now ${now.toISO()}` : '';
  return [
    '',
    `moto keeps running at ${endpoint} (Ctrl-C stops it). Point the CLI at it:`,
    `  ${aws} ${settings} npx firehose-rotation status${at}`,
    'or export the variables once and run any command:',
    `  export ${aws}`,
    `  export ${settings}`,
    `  npx firehose-rotation plan${at}`,
    '  npx firehose-rotation teardown --yes',
  ].join('\n');
}
