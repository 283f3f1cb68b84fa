// IAM policy documents as plain typed objects, serialized once with pulumi.jsonStringify. Keeping
// them as data (not aws.iam.getPolicyDocument calls) means the tests parse exactly the JSON that
// IAM receives, and no invoke is needed to build a policy.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { HOUR_KEY_FORMAT } from '../rotation/core/names';

export type ConditionBlock = Record<
  string,
  Record<string, pulumi.Input<string> | pulumi.Input<string>[] | pulumi.Output<string[]>>
>;

export interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { Service: string } | { AWS: pulumi.Input<string> };
  Action: string[];
  Resource?: pulumi.Input<string> | pulumi.Input<string>[] | pulumi.Output<string[]>;
  Condition?: ConditionBlock;
}

/** Statements as data, or an Output of them when they derive from other outputs. */
export type Statements = Statement[] | pulumi.Output<unknown[]>;

export function policyDocument(statements: Statements): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements });
}

/** A trust policy that lets exactly one AWS service principal assume the role. */
export function serviceTrustPolicy(service: string, condition?: ConditionBlock): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: 'TrustService',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: ['sts:AssumeRole'],
      ...(condition ? { Condition: condition } : {}),
    },
  ]);
}

/** Account, Region and partition of the provider the component runs against. */
export interface AwsEnvironment {
  accountId: pulumi.Output<string>;
  region: pulumi.Output<string>;
  partition: pulumi.Output<string>;
  /** "amazonaws.com" in the commercial partition; service endpoints differ in China. */
  dnsSuffix: pulumi.Output<string>;
}

export function awsEnvironment(parent: pulumi.Resource): AwsEnvironment {
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent });
  return {
    accountId: identity.accountId,
    region: region.region,
    partition: partition.partition,
    dnsSuffix: partition.dnsSuffix,
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` as an Output. */
export function arn(
  env: AwsEnvironment,
  service: string,
  resource: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`arn:${env.partition}:${service}:${env.region}:${env.accountId}:${resource}`;
}

/** The hour key's fixed century: IAM's `?` matches any character, `2` and `0` only themselves. */
const HOUR_KEY_CENTURY = '20';

/**
 * The hourly streams `<prefix>-<hour key>`: the century, then one `?` per remaining character of
 * the hour key. A `<prefix>-*` pattern would also match another stack's streams under a longer
 * prefix that starts with ours (`events-dev-2026112205`, `events-dev-fallback` for prefix
 * `events`). A `?` matches letters too, and IAM has no "digit": ten `?` would match
 * `events-production`; the fixed `20` excludes every such word (hour keys start with 20 until
 * 2099). What it cannot exclude, `<prefix>-20` followed by 8 non-digits, the code never names, and
 * deletes and re-tags need our owner tag anyway. `suffix` adds a sibling's `-<i>` (one `?` per
 * digit of the index).
 */
function hourlyStreamArn(env: AwsEnvironment, streamPrefix: string, suffix = ''): pulumi.Output<string> {
  const rest = '?'.repeat(HOUR_KEY_FORMAT.length - HOUR_KEY_CENTURY.length);
  return arn(env, 'firehose', `deliverystream/${streamPrefix}-${HOUR_KEY_CENTURY}${rest}${suffix}`);
}

/**
 * The name patterns of an hour's streams when an hour may have up to `streamsPerHour` of them
 * (rotation/core/names.ts): the plain hourly name; siblings 1-9 add `-?`, siblings 10-15 `-??`.
 * One stream per hour adds nothing, so such a stack's policies are what they always were.
 */
function siblingSuffixes(streamsPerHour: number): string[] {
  return ['', ...(streamsPerHour > 1 ? ['-?'] : []), ...(streamsPerHour > 10 ? ['-??'] : [])];
}

/** The endpoint host KMS sees in kms:ViaService when `service` calls KMS on a principal's behalf. */
export function viaService(env: AwsEnvironment, service: string): pulumi.Output<string> {
  return pulumi.interpolate`${service}.${env.region}.${env.dnsSuffix}`;
}

/**
 * CloudWatch Logs for a Lambda function that writes only to its own log group. The ":*" form is
 * the one Lambda's own managed policy uses: it covers CreateLogStream on the group and
 * PutLogEvents on its streams, and nothing outside the group.
 */
export function lambdaLogStatements(logGroupArn: pulumi.Input<string>): Statement[] {
  return [
    {
      Sid: 'WriteOwnLogGroup',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: pulumi.interpolate`${logGroupArn}:*`,
    },
  ];
}

/**
 * The hourly stream ARNs of every prefix a live stream of ours may carry: the current one and
 * those of former configurations (settings changes; rotation/core/generations.ts knownPrefixes),
 * each with the sibling patterns of the most streams per hour any live configuration has
 * (generations.ts maxStreamsPerHour: siblings made under a larger N stay until they drain).
 */
export function hourlyStreamArns(
  env: AwsEnvironment,
  prefixes: string[],
  streamsPerHour = 1,
): pulumi.Output<string>[] {
  return prefixes.flatMap((p) => siblingSuffixes(streamsPerHour).map((x) => hourlyStreamArn(env, p, x)));
}
