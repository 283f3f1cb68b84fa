// The rotation function, its schedule and its deploy/destroy lifecycle. Hourly streams live
// outside Pulumi's state, so a lifecycle resource (rotation-lifecycle.ts) runs the function on
// `pulumi up` (deploy: record its lifecycle id, rotate, so the streams exist right after deploy) and
// on `pulumi destroy` (destroy: tear them down). A replaced or renamed lifecycle resource never
// tears down: its successor recorded a newer lifecycle id first. On destroy the schedule goes
// first: it depends on the lifecycle resource.
import { createHash } from 'node:crypto';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ASYNC_EVENT_AGE_SECONDS } from '../rotation/core/lifecycle-event';
import { RotationSettings, settingsEnvironmentValue } from '../rotation/core/settings';
import { BundleOptions, HANDLER_ENTRIES } from './bundle';
import { BundledFunction, knownSettings } from './bundled-function';
import { failedRunsQueue, sendFailedRunsTo } from './failed-runs';
import { checkedEnvironment } from './lambda-environment';
import { rotationStatements } from './rotation-policy';
import { awsEnvironment, policyDocument, serviceTrustPolicy } from './policy';
import { RotationLifecycle } from './rotation-lifecycle';
import { AWS_RANGES, intArg, matches } from './validate';

export interface RotationArgs {
  entry?: string;
  /**
   * The runtime settings the function runs with (parseSettings' value). The role's permissions are
   * derived from them (prefix, ownership tag, delivery role, bucket, bus), so they cannot drift
   * from what it does.
   */
  settings: pulumi.Input<RotationSettings>;
  /** Encrypts the function's environment. */
  kmsKeyArn: pulumi.Input<string>;
  /** EventBridge Scheduler expression, evaluated in UTC. Hourly keeps each run small. */
  scheduleExpression?: string;
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
   * baseline, fallback stream). The lifecycle resource depends on them, so on destroy it runs its
   * teardown before any of them is deleted.
   */
  lifecycleDependsOn?: pulumi.Resource[];
  /**
   * What the function itself must come after (the delivery role's policy and the bucket): a
   * function never runs with settings, e.g. a new dataPrefix, the role does not allow yet.
   */
  functionDependsOn?: pulumi.Resource[];
  bundle?: BundleOptions;
}

export class Rotation extends pulumi.ComponentResource {
  public readonly fn: BundledFunction;
  public readonly functionName: pulumi.Output<string>;
  public readonly deadLetterQueue: aws.sqs.Queue;
  public readonly schedule: aws.scheduler.Schedule;
  public readonly lifecycle: RotationLifecycle;

  constructor(name: string, args: RotationArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'Rotation';
    // Plain settings are checked now; an Output (the Pipeline's) was validated where it was built.
    const known = knownSettings(args.settings);
    if (known) checkedEnvironment(C, settingsEnvironmentValue(known));
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
        : intArg(C, 'reservedConcurrency', args.reservedConcurrency, 1, AWS_RANGES.reservedConcurrency);
    // The destroy-time teardown waits for Firehose buffers (up to 900 s + margin): Lambda's maximum.
    const timeoutSeconds = intArg(C, 'timeoutSeconds', args.timeoutSeconds, 900, {
      min: 60,
      max: 900,
      unit: 'seconds',
    });
    super('firehose-rotation:index:Rotation', name, {}, opts);

    const env = awsEnvironment(this);
    const tags = args.tags ?? {};
    this.deadLetterQueue = failedRunsQueue(name, this, tags);
    const settings = pulumi.output(args.settings);
    this.fn = new BundledFunction(
      `${name}-fn`,
      {
        entry: args.entry ?? HANDLER_ENTRIES.rotation,
        description: 'Creates and deletes the hourly Firehose streams inside the quota (firehose-rotation)',
        settings,
        kmsKeyArn: args.kmsKeyArn,
        // A rotation takes well under a minute at 5 control-plane calls/s; the teardown needs more.
        timeoutSeconds,
        memoryMiB: args.memoryMiB ?? 256,
        reservedConcurrency: reserved,
        logRetentionDays: args.logRetentionDays,
        tags: args.tags,
        bundle: args.bundle,
        dependsOn: args.functionDependsOn,
        statements: pulumi
          .all([settings, this.deadLetterQueue.arn])
          .apply(([s, dlq]) => pulumi.output(rotationStatements(env, s, dlq))),
      },
      { parent: this },
    );
    this.functionName = this.fn.functionName;

    // Failed asynchronous (scheduled) runs land in the DLQ after Lambda's own retries. A retry may
    // land during or after a destroy: the function holds for this age and more (DESTROY_HOLD_SECONDS).
    sendFailedRunsTo(name, this, this.fn.functionName, this.deadLetterQueue, ASYNC_EVENT_AGE_SECONDS);

    // The settings digest is an input, so a settings change re-runs the rotation at `up` time: the
    // digest of exactly what the function receives, so an unchanged stack keeps its resource.
    this.lifecycle = new RotationLifecycle(
      `${name}-lifecycle`,
      {
        functionName: this.fn.functionName,
        region: env.region,
        profile: new pulumi.Config('aws').get('profile'),
        settingsSha256: settings.apply((s) =>
          createHash('sha256').update(settingsEnvironmentValue(s)).digest('hex'),
        ),
      },
      // Never deleteBeforeReplace: the successor's create must record its lifecycle id first.
      { parent: this, dependsOn: [this.fn.policy, this.fn.function, ...(args.lifecycleDependsOn ?? [])] },
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
