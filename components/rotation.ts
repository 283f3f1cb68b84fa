// The rotation function, its schedule and its deploy/destroy lifecycle. Hourly streams live
// outside Pulumi's state, so an aws.lambda.Invocation with the CRUD lifecycle scope runs the
// function on `pulumi up` (create/update: rotate, so the streams exist right after deploy) and on
// `pulumi destroy` (delete: the handler sees event.tf.action === "delete" and tears them down).
// The provider also sends that delete when it replaces the invocation (create new, delete old);
// the handler then finds the schedule, named from the stream prefix, still there and keeps every
// stream. On destroy the schedule goes first: it depends on the invocation.
import { createHash } from 'node:crypto';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { rotationScheduleName } from '../rotation/core/names';
import { parseSettings, RotationSettings } from '../rotation/core/settings';
import { BundleOptions, HANDLER_ENTRIES } from './bundle';
import { BundledFunction } from './bundled-function';
import { checkedEnvironment } from './lambda-environment';
import { rotationStatements } from './rotation-policy';
import { awsEnvironment, policyDocument, serviceTrustPolicy } from './policy';
import { ArgumentError, intIn, matches, streamPrefix } from './validate';

export interface RotationArgs {
  entry?: string;
  /**
   * JSON of the runtime settings the function runs with. The role's permissions are derived from
   * it (prefix, ownership tag, delivery role, bucket, bus), so they cannot drift from what it does.
   */
  settings: pulumi.Input<string>;
  /** Encrypts the function's environment. */
  kmsKeyArn: pulumi.Input<string>;
  /** EventBridge Scheduler expression, evaluated in UTC. Hourly keeps each run small. */
  scheduleExpression?: string;
  /** The settings' streamPrefix: the schedule is named from it, so the function can look it up. */
  streamPrefix: string;
  /**
   * Unset by default: a new account's concurrency quota (often 10) leaves no room to reserve.
   * Overlapping runs are safe without it (the executor re-counts and gives back over the quota).
   */
  reservedConcurrency?: number;
  timeoutSeconds?: number;
  memoryMiB?: number;
  logRetentionDays?: number;
  tags?: Record<string, string>;
  /**
   * What the function needs while it creates or deletes streams (delivery role and policy, bucket
   * baseline, fallback stream). The lifecycle invocation depends on them, so on destroy it runs its
   * teardown before any of them is deleted.
   */
  lifecycleDependsOn?: pulumi.Resource[];
  bundle?: BundleOptions;
}

function runtimeSettings(component: string, json: string): RotationSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ArgumentError(component, 'settings', 'must be the JSON of the runtime settings', json);
  }
  return parseSettings(raw);
}

function samePrefix(component: string, prefix: string, s: RotationSettings): RotationSettings {
  if (s.streamPrefix !== prefix) {
    throw new ArgumentError(
      component,
      'streamPrefix',
      `must equal the settings' streamPrefix "${s.streamPrefix}"`,
      prefix,
    );
  }
  return s;
}

export class Rotation extends pulumi.ComponentResource {
  public readonly fn: BundledFunction;
  public readonly functionName: pulumi.Output<string>;
  public readonly deadLetterQueue: aws.sqs.Queue;
  public readonly schedule: aws.scheduler.Schedule;
  public readonly lifecycle: aws.lambda.Invocation;

  constructor(name: string, args: RotationArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'Rotation';
    const prefix = streamPrefix(C, args.streamPrefix);
    // A plain string is checked now; an Output (the Pipeline's) was validated where it was built.
    if (typeof args.settings === 'string') {
      samePrefix(C, prefix, runtimeSettings(C, args.settings));
      checkedEnvironment(C, args.settings);
    }
    const scheduleExpression = matches(
      C,
      'scheduleExpression',
      args.scheduleExpression ?? 'rate(1 hour)',
      /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/,
      'must be an EventBridge Scheduler rate(...) or cron(...) expression',
    );
    const reserved =
      args.reservedConcurrency === undefined
        ? undefined
        : intIn(C, 'reservedConcurrency', args.reservedConcurrency, 1, 1, 1000, 'executions');
    // The destroy-time teardown waits for Firehose buffers (up to 900 s + margin): Lambda's maximum.
    const timeoutSeconds = intIn(C, 'timeoutSeconds', args.timeoutSeconds, 900, 60, 900, 'seconds');
    super('firehose-rotation:index:Rotation', name, {}, opts);

    const env = awsEnvironment(this);
    const tags = args.tags ?? {};
    // SSE-SQS: encrypted at rest without a key policy for the scheduler and Lambda service principals.
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600, tags },
      { parent: this },
    );
    const settings = pulumi
      .output(args.settings)
      .apply((json) => samePrefix(C, prefix, runtimeSettings(C, json)));
    this.fn = new BundledFunction(
      `${name}-fn`,
      {
        entry: args.entry ?? HANDLER_ENTRIES.rotation,
        description: 'Creates and deletes the hourly Firehose streams inside the quota (firehose-rotation)',
        settings: args.settings,
        kmsKeyArn: args.kmsKeyArn,
        // A rotation takes well under a minute at 5 control-plane calls/s; the teardown needs more.
        timeoutSeconds,
        memoryMiB: args.memoryMiB ?? 256,
        reservedConcurrency: reserved,
        logRetentionDays: args.logRetentionDays,
        tags: args.tags,
        bundle: args.bundle,
        statements: pulumi
          .all([settings, this.deadLetterQueue.arn])
          .apply(([s, dlq]) => pulumi.output(rotationStatements(env, s, dlq))),
      },
      { parent: this },
    );
    this.functionName = this.fn.functionName;

    // Failed asynchronous (scheduled) runs land in the DLQ after Lambda's own retries.
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async`,
      {
        functionName: this.fn.functionName,
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 3600,
        destinationConfig: { onFailure: { destination: this.deadLetterQueue.arn } },
      },
      { parent: this },
    );

    // Pulumi passes the settings digest so a settings change re-runs the rotation at `up` time.
    const input = pulumi
      .output(args.settings)
      .apply((s) =>
        JSON.stringify({ source: 'pulumi', settingsSha256: createHash('sha256').update(s).digest('hex') }),
      );
    this.lifecycle = new aws.lambda.Invocation(
      `${name}-lifecycle`,
      { functionName: this.fn.functionName, input, lifecycleScope: 'CRUD' },
      { parent: this, dependsOn: [this.fn.policy, ...(args.lifecycleDependsOn ?? [])] },
    );

    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        description: 'EventBridge Scheduler invoking the rotation (firehose-rotation)',
        assumeRolePolicy: serviceTrustPolicy('scheduler.amazonaws.com', {
          StringEquals: { 'aws:SourceAccount': env.accountId },
        }),
        tags,
      },
      { parent: this },
    );
    const schedulerPolicy = new aws.iam.RolePolicy(
      `${name}-scheduler-policy`,
      {
        role: schedulerRole.name,
        policy: policyDocument([
          {
            Sid: 'InvokeRotation',
            Effect: 'Allow',
            Action: ['lambda:InvokeFunction'],
            Resource: [this.fn.functionArn],
          },
          {
            Sid: 'DeadLetter',
            Effect: 'Allow',
            Action: ['sqs:SendMessage'],
            Resource: [this.deadLetterQueue.arn],
          },
        ]),
      },
      { parent: this },
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        // A fixed name (unique per account and Region like the streams it rotates) that the
        // function reads on a lifecycle delete to tell a replacement from a destroy.
        name: rotationScheduleName(prefix),
        description: 'Hourly rotation of the Firehose streams (firehose-rotation)',
        scheduleExpression,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: this.fn.functionArn,
          roleArn: schedulerRole.arn,
          input: JSON.stringify({ source: 'schedule' }),
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 900 },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
      },
      // After the bootstrap on create; on destroy it is deleted first, so no scheduled run can
      // recreate streams after the teardown.
      { parent: this, dependsOn: [this.lifecycle, schedulerPolicy] },
    );
    this.registerOutputs({ functionName: this.functionName });
  }
}
