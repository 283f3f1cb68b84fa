// Where a function's failed asynchronous invocations go: the rotation's scheduled runs and the
// placer's S3 events both land in a dead-letter queue after Lambda's own retries, with the event
// that failed, so an operator can run it again. Plain functions, not a component: each caller
// keeps the children `<name>-dlq` and `<name>-async` under itself, so their URNs stay as they were.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Statement } from './policy';

/** SQS's longest retention: a failure found after a long weekend is still there to replay. */
const RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * The queue (SSE-SQS: encrypted at rest without a key policy for the scheduler and Lambda service
 * principals). Made before the function, whose role policy names its ARN.
 */
export function failedRunsQueue(
  name: string,
  parent: pulumi.Resource,
  tags: Record<string, string>,
): aws.sqs.Queue {
  return new aws.sqs.Queue(
    `${name}-dlq`,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: RETENTION_SECONDS, tags },
    { parent },
  );
}

/** The function's asynchronous-invocation config: two retries, then the queue. */
export function sendFailedRunsTo(
  name: string,
  parent: pulumi.Resource,
  functionName: pulumi.Input<string>,
  queue: aws.sqs.Queue,
  maximumEventAgeInSeconds: number,
): aws.lambda.FunctionEventInvokeConfig {
  return new aws.lambda.FunctionEventInvokeConfig(
    `${name}-async`,
    {
      functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds,
      destinationConfig: { onFailure: { destination: queue.arn } },
    },
    { parent },
  );
}

/** The function role's statement for it: Lambda delivers to the destination with that role. */
export function failedRunsStatement(queueArn: string): Statement {
  return {
    Sid: 'FailedRunsToDeadLetterQueue',
    Effect: 'Allow',
    Action: ['sqs:SendMessage'],
    Resource: [queueArn],
  };
}
