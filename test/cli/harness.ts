// Runs the CLI in-process and captures what it prints, plus the moto fixtures the CLI tests share:
// a fallback, a foreign stream, the bucket (for hour-complete markers) and a tag snapshot.
import {
  CreateDeliveryStreamCommand,
  FirehoseClient,
  ListTagsForDeliveryStreamCommand,
} from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { DateTime } from 'luxon';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { AwsOverrides } from '../../rotation/cli/commands';
import { main } from '../../rotation/cli/main';
import { BASE_SETTINGS } from '../support/fixtures';
import { clientConfig } from '../support/moto';
import { recordRequests, RUN_LEDGER } from '../support/request-ledger';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  aws?: AwsOverrides;
  isTTY?: boolean;
  /** Whether stdout is a terminal (colour). */
  stdoutIsTTY?: boolean;
  /** The operator's answer to the confirmation question; questions asked are pushed to `asked`. */
  answer?: boolean;
  asked?: string[];
  /** This machine's clock as the CLI sees it (rotate and teardown check --now against it). */
  clock?: () => DateTime;
}

export const SETTINGS_ENV_VALUE = { FIREHOSE_ROTATION_SETTINGS: JSON.stringify(BASE_SETTINGS) };

/** Moto with a pacer fast enough for tests; the 5 calls/s pacing has its own unit tests. */
export const motoAws = (endpoint: string): AwsOverrides => ({
  ...clientConfig(endpoint),
  callsPerSecond: 1000,
});

export async function cli(argv: string[], opts: RunOptions = {}): Promise<Run> {
  const out: Run = { code: -1, stdout: '', stderr: '' };
  out.code = await main(argv, {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    env: opts.env ?? SETTINGS_ENV_VALUE,
    isTTY: opts.isTTY ?? false,
    stdoutIsTTY: opts.stdoutIsTTY,
    confirm: (question) => {
      opts.asked?.push(question);
      return Promise.resolve(opts.answer ?? false);
    },
    // Every client the CLI makes is recorded: an operator holds the rotation role's permissions.
    aws: opts.aws && {
      ...opts.aws,
      instrument: (client) => {
        recordRequests(client, RUN_LEDGER, 'rotation', 'cli ');
        opts.aws?.instrument?.(client);
      },
    },
    clock: opts.clock,
  });
  return out;
}

export async function createStream(client: FirehoseClient, name: string, tags?: Record<string, string>) {
  await client.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        RoleARN: BASE_SETTINGS.deliveryRoleArn,
        BucketARN: BASE_SETTINGS.bucketArn,
      },
      Tags: tags && Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

/** The fallback, one foreign stream and the bucket the hour-complete markers land in. */
export async function seedAccount(client: FirehoseClient, endpoint: string): Promise<void> {
  await createStream(client, BASE_SETTINGS.fallbackStreamName);
  await createStream(client, 'other-team-0', { owner: 'other' });
  const s3 = new S3Client(clientConfig(endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
  s3.destroy();
}

/** Every stream with its tags: what "changed nothing" is measured against. */
export async function snapshot(client: FirehoseClient): Promise<Record<string, unknown>> {
  const all: Record<string, unknown> = {};
  for (const name of (await listStreamNames(client)).sort()) {
    all[name] = (await client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name }))).Tags;
  }
  return all;
}
