// A consumer of the pipeline's stack outputs: reads them with a StackReference and creates the two
// IAM policies other teams attach — one for producers (write to the Kinesis stream) and one for
// readers (read the event-time partitions). Nothing here hard-codes a name or an ARN: when the
// pipeline stack changes, `pulumi up` here follows.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

const config = new pulumi.Config();
/** e.g. "my-org/firehose-rotation/dev" */
const pipeline = new pulumi.StackReference(config.require('pipelineStack'));
const output = (name: string): pulumi.Output<string> => pipeline.requireOutput(name).apply((v) => String(v));

const bucketName = output('bucketName');
const bucketArn = output('bucketArn');
const dataPrefix = output('dataPrefix');
const kinesisStreamArn = output('kinesisStreamArn');
const kmsKeyArn = output('kmsKeyArn');
const region = aws.getRegionOutput().region;

const producer = new aws.iam.Policy('pipeline-producer', {
  description: 'Put records into the firehose-rotation source stream',
  policy: pulumi.jsonStringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PutRecords',
        Effect: 'Allow',
        Action: ['kinesis:DescribeStreamSummary', 'kinesis:PutRecord', 'kinesis:PutRecords'],
        Resource: [kinesisStreamArn],
      },
      {
        // The stream is encrypted with the pipeline's key; producers need a data key through Kinesis.
        Sid: 'EncryptRecords',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey'],
        Resource: [kmsKeyArn],
        Condition: {
          StringEquals: { 'kms:ViaService': pulumi.interpolate`kinesis.${region}.amazonaws.com` },
        },
      },
    ],
  }),
});

const reader = new aws.iam.Policy('pipeline-reader', {
  description: 'Read the event-time partitions written by firehose-rotation',
  policy: pulumi.jsonStringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListPartitions',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [bucketArn],
        Condition: { StringLike: { 's3:prefix': [pulumi.interpolate`${dataPrefix}/*`] } },
      },
      {
        Sid: 'ReadObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [pulumi.interpolate`${bucketArn}/${dataPrefix}/*`],
      },
      {
        Sid: 'DecryptThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: [kmsKeyArn],
        Condition: { StringEquals: { 'kms:ViaService': pulumi.interpolate`s3.${region}.amazonaws.com` } },
      },
    ],
  }),
});

export const producerPolicyArn = producer.arn;
export const readerPolicyArn = reader.arn;
/** Athena table location / Spark path of the hourly partitions. */
export const dataLocation = pulumi.interpolate`s3://${bucketName}/${dataPrefix}/`;
export const hourlyStreamNamePattern = output('hourlyStreamNamePattern');
