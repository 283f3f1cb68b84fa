// The Pulumi program: validated stack config in, one Pipeline, flat string outputs out (read by
// other projects with `new pulumi.StackReference("<org>/firehose-rotation/<stack>")`).
import * as pulumi from '@pulumi/pulumi';
import { Pipeline } from './components/pipeline';
import { readStackConfig } from './components/stack-config';

const config = new pulumi.Config();
const namespace = `${config.name}:`;
const args = readStackConfig(
  {
    name: config.name,
    get: (key) => config.get(key),
    // All config of the stack, to reject typos like `quta` instead of silently using a default.
    keys: () =>
      Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(namespace))
        .map((k) => k.slice(namespace.length)),
  },
  { deploymentId: `${pulumi.getProject()}/${pulumi.getStack()}` },
);

const pipeline = new Pipeline('firehose-rotation', args);

/** Data lake bucket: grant readers here; objects are SSE-KMS with kmsKeyArn. */
export const bucketName = pipeline.bucketName;
export const bucketArn = pipeline.bucketArn;
/** Event-time partitions: s3://<bucketName>/<dataPrefix>/dt=YYYY-MM-DD/hr=HH/ (Athena table location). */
export const dataPrefix = pipeline.dataPrefix;
/** Late, early and unparseable records, partitioned by arrival hour. */
export const fallbackPrefix = pipeline.fallbackPrefix;
/** Names of the rotated hourly streams, e.g. events-2026112205 (they are not in Pulumi's state). */
export const hourlyStreamNamePattern = pipeline.hourlyStreamNamePattern;
export const fallbackStreamName = pipeline.fallbackStreamName;
export const fallbackStreamArn = pipeline.fallbackStreamArn;
/** Producers PutRecords here (they need kms:GenerateDataKey on kmsKeyArn too). */
export const kinesisStreamName = pipeline.kinesisStreamName;
export const kinesisStreamArn = pipeline.kinesisStreamArn;
export const routerFunctionName = pipeline.routerFunctionName;
/** Invoke by hand (`aws lambda invoke`) to rotate now; it also runs on `pulumi up` and `destroy`. */
export const rotationFunctionName = pipeline.rotationFunctionName;
export const kmsKeyArn = pipeline.kmsKeyArn;
export const failedBatchesBucketName = pipeline.failedBatchesBucketName;
/** Glue database and table over the event-time partitions (partition projection, no crawler). */
export const athenaDatabase = pipeline.athenaDatabase;
export const athenaEventsTable = pipeline.athenaEventsTable;
export const athenaFallbackTable = pipeline.athenaFallbackTable;
/** SNS topic every alarm notifies: subscribe on-call here. */
export const alarmTopicArn = pipeline.alarmTopicArn;
/** CloudWatch dashboard of the pipeline (absent when `dashboard` is false). */
export const dashboardUrl = pipeline.dashboardUrl;
/** The placer writing late and early records into their hour (absent when `placeLateRecords` is false). */
export const placerFunctionName = pipeline.placerFunctionName;
/**
 * The generation state: the current and former configurations (JSON). The next `pulumi up` of this
 * stack reads it back (a StackReference to itself) so streams made under a former configuration
 * keep being served until they are gone. Keep the key `lifecycleState`, the state's old name: it is
 * what every deployed stack exported and what the self-reference reads
 * (components/generation-state.ts); under another key an `up` would forget the former
 * configurations and leak their streams (docs/lifecycle.md).
 */
export const lifecycleState = pipeline.generationState;
