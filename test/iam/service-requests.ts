// The requests AWS services make on the pipeline's behalf with its roles, derived from the
// configuration the code builds (never written out by hand): Firehose delivering each stream's
// objects and errors with the delivery role, the bucket's KMS key used through S3, delivery-error
// logs; the event source mapping reading Kinesis and writing failed batches with the router's role;
// the scheduler invoking the rotation and dead-lettering; Lambda's own logs and async destination.
import { DateTime } from 'luxon';
import { hourlyStreamRequest } from '../../rotation/aws/stream-config';
import { RotationSettings } from '../../rotation/core/settings';
import { LedgerEntry, Principal } from '../support/request-ledger';
import { ACCOUNT, PipelineUnderTest, REGION } from './pipeline-under-test';

/** The instant the derived object keys and log streams are made at. */
export const DELIVERY_INSTANT = DateTime.fromISO('2026-12-01T05:17:00Z', { zone: 'utc' });

const entry = (
  principal: Principal,
  source: string,
  action: string,
  resource: string,
  context: LedgerEntry['context'] = {},
): LedgerEntry => ({ principal, source, action, resource, context });

/** Renders Firehose's `!{timestamp:…}` and `!{firehose:error-output-type}` expressions at an instant. */
export function renderPrefix(prefix: string, at: DateTime): string {
  return prefix
    .replace(/!\{timestamp:([^}]+)\}/g, (_, format: string) => at.toFormat(format))
    .replace(/!\{firehose:error-output-type\}/g, 'processing-failed');
}

/** Where Firehose writes: a static prefix gets the arrival time appended, an expression prefix does not. */
function objectKey(prefix: string, stream: string, at: DateTime): string {
  const base = prefix.includes('!{') ? renderPrefix(prefix, at) : `${prefix}${at.toFormat('yyyy/MM/dd/HH/')}`;
  return `${base}${stream}-1-${at.toFormat('yyyy-MM-dd-HH-mm-ss')}-0a1b2c3d`;
}

export interface Destination {
  stream: string;
  bucketArn: string;
  prefix: string;
  errorPrefix: string;
  kmsKeyArn?: string;
  logGroup: string;
  logStream: string;
}

/** What the delivery role is asked for while Firehose delivers one stream to S3. */
export function deliveryRequests(d: Destination, at = DELIVERY_INSTANT): LedgerEntry[] {
  const source = `firehose delivery of ${d.stream}`;
  const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
  const objects = [objectKey(d.prefix, d.stream, at), objectKey(d.errorPrefix, d.stream, at)];
  return [
    ...['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'].map((a) =>
      entry('delivery', source, a, d.bucketArn),
    ),
    ...objects.flatMap((key) =>
      ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'].map((a) =>
        entry('delivery', source, a, `${d.bucketArn}/${key}`),
      ),
    ),
    // The bucket's default encryption uses a bucket key: the encryption context is the bucket ARN.
    ...(d.kmsKeyArn
      ? ['kms:GenerateDataKey', 'kms:Decrypt'].map((a) =>
          entry('delivery', source, a, d.kmsKeyArn!, {
            ...viaS3,
            'kms:EncryptionContext:aws:s3:arn': d.bucketArn,
          }),
        )
      : []),
    entry(
      'delivery',
      source,
      'logs:PutLogEvents',
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${d.logGroup}:log-stream:${d.logStream}`,
    ),
  ];
}

/** An hourly stream's destination, from the very request the rotation sends. */
export function hourlyDestination(s: RotationSettings, hour = DELIVERY_INSTANT): Destination {
  const request = hourlyStreamRequest(s, hour.startOf('hour'));
  const c = request.ExtendedS3DestinationConfiguration!;
  return {
    stream: request.DeliveryStreamName!,
    bucketArn: c.BucketARN!,
    prefix: c.Prefix!,
    errorPrefix: c.ErrorOutputPrefix!,
    kmsKeyArn: c.EncryptionConfiguration?.KMSEncryptionConfig?.AWSKMSKeyARN,
    logGroup: c.CloudWatchLoggingOptions!.LogGroupName!,
    logStream: c.CloudWatchLoggingOptions!.LogStreamName!,
  };
}

/** The fallback's destination, from the inputs Pulumi registered for it. */
export function fallbackDestination(p: PipelineUnderTest): Destination {
  const c = p.fallback.extendedS3Configuration;
  return {
    stream: p.fallback.name,
    bucketArn: c.bucketArn,
    prefix: c.prefix,
    errorPrefix: c.errorOutputPrefix,
    kmsKeyArn: c.kmsKeyArn,
    logGroup: c.cloudwatchLoggingOptions.logGroupName,
    logStream: c.cloudwatchLoggingOptions.logStreamName,
  };
}

/** The event source mapping polling with the router's role, and its on-failure destination. */
export function eventSourceMappingRequests(p: PipelineUnderTest): LedgerEntry[] {
  const source = 'lambda event source mapping';
  const stream = p.mapping.eventSourceArn as string;
  const failed = p.mapping.destinationConfig.onFailure.destinationArn as string;
  const at = DELIVERY_INSTANT;
  // Lambda names on-failure objects aws/lambda/<mapping UUID>/<shard>/YYYY/MM/DD/<time>-<uuid>.
  const key = `aws/lambda/5f1e0c9a-uuid/shardId-000000000000/${at.toFormat('yyyy/MM/dd')}/${at.toFormat("yyyy-MM-dd'T'HH.mm.ss")}-0a1b2c3d`;
  return [
    ...['DescribeStream', 'DescribeStreamSummary', 'ListShards', 'GetShardIterator', 'GetRecords'].map((a) =>
      entry('router', source, `kinesis:${a}`, stream),
    ),
    entry('router', source, 'kms:Decrypt', p.settings.kmsKeyArn!, {
      'kms:ViaService': `kinesis.${REGION}.amazonaws.com`,
      'kms:EncryptionContext:aws:kinesis:arn': stream,
    }),
    entry('router', source, 's3:ListBucket', failed),
    entry('router', source, 's3:PutObject', `${failed}/${key}`),
    entry('router', source, 'kms:GenerateDataKey', p.settings.kmsKeyArn!, {
      'kms:ViaService': `s3.${REGION}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': failed,
    }),
  ];
}

/** The schedule's target and dead-letter queue, and Lambda's async on-failure destination. */
export function schedulingRequests(p: PipelineUnderTest): LedgerEntry[] {
  const target = p.schedule.target;
  return [
    entry('scheduler', 'eventbridge scheduler', 'lambda:InvokeFunction', target.arn),
    entry('scheduler', 'eventbridge scheduler', 'sqs:SendMessage', target.deadLetterConfig.arn),
    entry('rotation', 'lambda async on-failure destination', 'sqs:SendMessage', p.asyncDestination),
  ];
}

/** Lambda writing each function's logs with the function's role. */
export function functionLogRequests(p: PipelineUnderTest): LedgerEntry[] {
  return (['rotation', 'router'] as const).flatMap((fn) =>
    ['logs:CreateLogStream', 'logs:PutLogEvents'].map((a) =>
      entry(fn, 'lambda logging', a, `${p.functionLogGroups[fn]}:log-stream:2026/12/01/[$LATEST]0a1b2c3d`),
    ),
  );
}

/**
 * An object the runtime code writes to the SSE-KMS lake bucket makes S3 call KMS for a data key;
 * one it reads back (the lifecycle record) makes S3 decrypt it. With the bucket key the context is
 * the bucket's ARN.
 */
export function objectEncryptionRequests(recorded: LedgerEntry[], s: RotationSettings): LedgerEntry[] {
  if (!s.kmsKeyArn) return [];
  const kms = { GetObject: 'kms:Decrypt', PutObject: 'kms:GenerateDataKey' } as Record<string, string>;
  return recorded
    .filter((e) => /^s3:(Get|Put)Object$/.test(e.action) && e.resource.startsWith(`${s.bucketArn}/`))
    .map((e) =>
      entry(
        e.principal,
        `s3 ${e.action === 's3:GetObject' ? 'decrypting' : 'encrypting'} ${e.source}`,
        kms[e.action.slice(3)],
        s.kmsKeyArn!,
        {
          'kms:ViaService': `s3.${REGION}.amazonaws.com`,
          'kms:EncryptionContext:aws:s3:arn': s.bucketArn,
        },
      ),
    );
}

/** Every request made on the pipeline's behalf, given what the runtime code itself sent. */
export function serviceRequests(p: PipelineUnderTest, recorded: LedgerEntry[]): LedgerEntry[] {
  return [
    ...deliveryRequests(hourlyDestination(p.settings)),
    ...deliveryRequests(fallbackDestination(p)),
    ...eventSourceMappingRequests(p),
    ...schedulingRequests(p),
    ...functionLogRequests(p),
    ...objectEncryptionRequests(recorded, p.settings),
  ];
}
