// A Lambda function built from one handler file: esbuild bundle, its own role with an inline
// least-privilege policy, its own log group with a retention, the pipeline's settings as one
// KMS-encrypted environment variable. The router and the rotation are both one of these.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RotationSettings, settingsEnvironmentValue } from '../rotation/core/settings';
import { bundleHandler, BundleOptions, HANDLER } from './bundle';
import { checkedEnvironment } from './lambda-environment';
import { lambdaLogStatements, policyDocument, serviceTrustPolicy, Statements } from './policy';
import { ArgumentError, AWS_RANGES, intArg, logRetention } from './validate';

/** The settings if they are a plain value (not yet an Output or a Promise), to check them at once. */
export function knownSettings(settings: pulumi.Input<RotationSettings>): RotationSettings | undefined {
  return pulumi.Output.isInstance(settings) || settings instanceof Promise ? undefined : settings;
}

export interface BundledFunctionArgs {
  /** Handler source file exporting `handler`. */
  entry: string;
  description: string;
  /** The validated runtime settings (parseSettings), serialised into the SETTINGS_ENV variable (core/settings). */
  settings: pulumi.Input<RotationSettings>;
  /** Encrypts the environment (the settings carry ARNs and names, not secrets, but stay private). */
  kmsKeyArn: pulumi.Input<string>;
  /** Permissions beyond writing to its own log group. */
  statements: Statements;
  timeoutSeconds?: number;
  memoryMiB?: number;
  /** Unset = use the account's unreserved pool. */
  reservedConcurrency?: number;
  logRetentionDays?: number;
  tags?: Record<string, string>;
  bundle?: BundleOptions;
  /** Resources the function must be created or updated after, besides its own role policy. */
  dependsOn?: pulumi.Resource[];
}

export class BundledFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly role: aws.iam.Role;
  public readonly policy: aws.iam.RolePolicy;
  public readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: BundledFunctionArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const C = 'BundledFunction';
    const timeout = intArg(C, 'timeoutSeconds', args.timeoutSeconds, 60, {
      min: 1,
      max: 900,
      unit: 'seconds',
    });
    const memorySize = intArg(C, 'memoryMiB', args.memoryMiB, 256, { min: 128, max: 10240, unit: 'MiB' });
    const reserved =
      args.reservedConcurrency === undefined
        ? undefined
        : intArg(C, 'reservedConcurrency', args.reservedConcurrency, 1, AWS_RANGES.reservedConcurrency);
    const retentionInDays = logRetention(C, args.logRetentionDays);
    if (!Array.isArray(args.statements) && !pulumi.Output.isInstance(args.statements)) {
      throw new ArgumentError(C, 'statements', 'must be a list of statements', args.statements);
    }
    // Plain settings are checked now; an Output (the Pipeline's) when known, before the function exists.
    const known = knownSettings(args.settings);
    if (known) checkedEnvironment(C, settingsEnvironmentValue(known));
    // Bundle before registering anything: a broken handler fails preview with no half-built component.
    const code = bundleHandler(name, args.entry, args.bundle);
    super('firehose-rotation:index:BundledFunction', name, {}, opts);

    const tags = args.tags ?? {};
    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays, tags }, { parent: this });
    this.role = new aws.iam.Role(
      `${name}-role`,
      { description: args.description, assumeRolePolicy: serviceTrustPolicy('lambda.amazonaws.com'), tags },
      { parent: this },
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.name,
        policy: policyDocument(
          pulumi
            .all([pulumi.output(lambdaLogStatements(this.logGroup.arn)), pulumi.output(args.statements)])
            .apply(([logs, own]) => [...logs, ...own]),
        ),
      },
      { parent: this },
    );

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: args.description,
        code,
        handler: HANDLER,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ['arm64'],
        role: this.role.arn,
        timeout,
        memorySize,
        ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
        kmsKeyArn: args.kmsKeyArn,
        environment: {
          // Lambda's 4 KB environment limit is checked on exactly the JSON the function receives.
          variables: pulumi
            .output(args.settings)
            .apply((s) => checkedEnvironment(C, settingsEnvironmentValue(s))),
        },
        // Logs go to the group created above (with its retention), not an unmanaged /aws/lambda/<name>.
        loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
        tags,
      },
      // Without the policy in place the first invocations fail on logs and on their own work.
      { parent: this, dependsOn: [this.policy, ...(args.dependsOn ?? [])] },
    );
    this.functionName = this.function.name;
    this.functionArn = this.function.arn;
    this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
  }
}
