// What the Pulumi program would create, made directly on moto from the same settings: the bucket,
// the source Kinesis stream and the permanent fallback stream. Plus the router wired the way its
// Lambda is (same routeBatch, same settings), with a Firehose client pointed at moto.
import { FALLBACK_OF_TAG } from '../core/region-census';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import '../core/luxon-strict'; // the router's deadline is luxon arithmetic: throws, never NaN
import { DeliveryCounts } from '../aws/delivery';
import { bucketName } from '../core/hour-complete';
import { RotationSettings, SettingsInput } from '../core/settings';
// route-batch, not router: the handler module parses its settings from the environment on import.
import { routeBatch } from '../handlers/route-batch';
import { Invoke } from './esm';

/**
 * The demo deployment. UNCOMPRESSED because moto stores plain bytes whatever the setting says, and
 * the read-back should not pretend to gunzip; 60 s buffering is what a small real stream would use.
 */
const DEMO_SETTINGS_INPUT: SettingsInput = {
  deploymentId: 'local/demo',
  streamPrefix: 'demo-events',
  fallbackStreamName: 'demo-events-fallback',
  bucketArn: 'arn:aws:s3:::firehose-rotation-demo',
  deliveryRoleArn: 'arn:aws:iam::123456789012:role/firehose-rotation-demo-delivery',
  compression: 'UNCOMPRESSED',
  bufferingIntervalSeconds: 60,
};
/** The demo's settings input with `npm start -- --streams-per-hour N` (1 leaves it as it was). */
export function demoSettingsInput(streamsPerHour = 1): SettingsInput {
  return streamsPerHour === 1 ? DEMO_SETTINGS_INPUT : { ...DEMO_SETTINGS_INPUT, streamsPerHour };
}
export const SOURCE_STREAM = 'demo-source';
export const SOURCE_SHARDS = 2;
export const ROUTER_ROLE_ARN = 'arn:aws:iam::123456789012:role/firehose-rotation-demo-router';

export async function createBucket(s3: S3Client, s: RotationSettings): Promise<string> {
  const bucket = bucketName(s.bucketArn);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/**
 * The fallback stream as the FallbackStream component makes it, except the prefix: Pulumi's
 * `late/!{timestamp:yyyy/MM/dd/HH}/` is an expression moto never evaluates, so the static
 * `late/` is used and moto appends the arrival hour, as Firehose does for a static prefix.
 */
export async function createFallbackStream(firehose: FirehoseClient, s: RotationSettings): Promise<void> {
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: s.fallbackStreamName,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        RoleARN: s.deliveryRoleArn,
        BucketARN: s.bucketArn,
        Prefix: `${s.fallbackPrefix}/`,
        ErrorOutputPrefix: `${s.errorOutputPrefix}/fallback/`,
        BufferingHints: { SizeInMBs: s.bufferingSizeMiB, IntervalInSeconds: s.bufferingIntervalSeconds },
        CompressionFormat: s.compression,
      },
      // As the component tags it: other deployments in the Region count this one (docs/sharing.md).
      Tags: [{ Key: FALLBACK_OF_TAG, Value: s.deploymentId }],
    }),
  );
}

export interface RouterTotals {
  invocations: number;
  /** Delivered records per route: 'hourly' or the fallback reason. */
  perReason: Record<string, number>;
  /** Delivered records per destination stream. */
  perStream: Record<string, number>;
  /** Records Firehose refused for throughput, once per refusal. */
  throttled: number;
  failed: number;
  errors: string[];
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/**
 * The router as its Lambda runs it, at a fixed `now` (the demo's instant) and a generous deadline;
 * each call stands for one invocation by the event source mapping.
 */
export function routerInvoke(
  firehose: FirehoseClient,
  s: RotationSettings,
  now: DateTime,
): { invoke: Invoke; totals: RouterTotals } {
  const totals: RouterTotals = {
    invocations: 0,
    perReason: {},
    perStream: {},
    throttled: 0,
    failed: 0,
    errors: [],
  };
  const log = {
    info: () => undefined,
    warn: () => undefined,
    error: (message: string, extra: Record<string, unknown>) =>
      void totals.errors.push(`${message} ${JSON.stringify(extra)}`),
  };
  const invoke: Invoke = async (event) => {
    totals.invocations++;
    const deps = {
      client: firehose,
      now: () => now,
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
      deadline: now.plus({ minutes: 5 }),
      log,
    };
    const { response, counts } = await routeBatch(event, deps, s);
    tally(totals, counts);
    return response;
  };
  return { invoke, totals };
}

function tally(totals: RouterTotals, counts: DeliveryCounts): void {
  add(totals.perReason, counts.perReason);
  add(totals.perStream, counts.perStream);
  totals.throttled += counts.throttled;
  totals.failed += counts.failed;
}
