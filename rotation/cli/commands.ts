// The four operator commands as functions from a context to a result document, and the AWS clients
// they run on. They print nothing: main.ts decides between JSON and tables, so both outputs always
// carry the same facts. Endpoint, Region and credentials come from the SDK's own chain
// (AWS_ENDPOINT_URL[_FIREHOSE|_S3|_EVENTBRIDGE], AWS_REGION, AWS_PROFILE, …); `AwsOverrides` exists
// for tests, which point every client at moto and speed up the pacer.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { FirehoseClient, FirehoseClientConfig } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { AwsCredentialIdentity } from '@smithy/types';
import { DateTime } from 'luxon';
import { discover, rotate, teardown } from '../aws/executor';
import { listStreamNames } from '../aws/firehose-streams';
import { controlPlaneClient } from '../aws/firehose-clients';
import { readStreamQuota } from '../aws/stream-quota';
import { lookAround } from '../aws/discovery';
import { sharingStatus } from './sharing-status';
import { describeQuota } from '../core/capacity';
import { SignalClients } from '../aws/hour-complete-signal';
import { maxStreamsPerHour, parseKnownName } from '../core/generations';
import { planRotation, RotationPlan } from '../core/planner';
import { RotationSummary, summarize } from '../core/rotation-summary';
import { RotationSettings } from '../core/settings';
import { UsageError } from './load-settings';
import { buildStatus, gatherStatus, StatusReport } from './status';

export interface AwsOverrides {
  endpoint?: string;
  region?: string;
  credentials?: AwsCredentialIdentity;
  requestHandler?: FirehoseClientConfig['requestHandler'];
  forcePathStyle?: boolean;
  /** Control-plane pacing; the default is AWS's hard limit of 5 calls/s. */
  callsPerSecond?: number;
  /** Called with every client the CLI makes: tests add middleware (the IAM request ledger). */
  instrument?: (client: FirehoseClient | S3Client | EventBridgeClient) => void;
}

export class CliClients {
  readonly firehose: FirehoseClient;
  private signalClients?: SignalClients;
  private quotaClient?: ServiceQuotasClient;

  constructor(private readonly overrides: AwsOverrides = {}) {
    const { forcePathStyle, instrument, ...firehose } = overrides;
    void forcePathStyle; // an S3-only option
    this.firehose = controlPlaneClient(firehose);
    instrument?.(this.firehose);
  }

  /**
   * S3 and EventBridge, made only for the commands that may delete: a drained hour gets its
   * hour-complete signal before its stream goes, exactly as with the scheduled Lambda, so a rotation
   * run by hand never leaves consumers waiting for an hour that is in fact final.
   */
  signals(): SignalClients {
    const { callsPerSecond, forcePathStyle, instrument, ...common } = this.overrides;
    void callsPerSecond;
    if (!this.signalClients) {
      this.signalClients = {
        s3: new S3Client({ ...common, forcePathStyle }),
        events: new EventBridgeClient(common),
      };
      instrument?.(this.signalClients.s3);
      instrument?.(this.signalClients.events);
    }
    return this.signalClients;
  }

  /** Service Quotas, for the stream quota every command plans or reports with. */
  quotas(): ServiceQuotasClient {
    const { callsPerSecond, forcePathStyle, ...common } = this.overrides;
    void callsPerSecond;
    void forcePathStyle;
    this.quotaClient ??= new ServiceQuotasClient(common);
    return this.quotaClient;
  }

  destroy(): void {
    this.firehose.destroy();
    this.quotaClient?.destroy();
    this.signalClients?.s3.destroy();
    this.signalClients?.events.destroy();
  }
}

export interface CommandContext {
  clients: CliClients;
  settings: RotationSettings;
  /** The instant the command acts at: `--now`, or the clock when the command started. */
  now: DateTime;
  /** Human progress lines (stderr); never part of the result document. */
  progress: (line: string) => void;
}

const deps = (ctx: CommandContext) => ({
  client: ctx.clients.firehose,
  signals: ctx.clients.signals(),
  quotas: ctx.clients.quotas(),
  log: ctx.progress,
  now: () => ctx.now,
  progress: ctx.progress,
});

/** The error a missing fallback is reported with (exit code 1, after the result is printed). */
export const fallbackMissingError = (s: RotationSettings) =>
  `fallback stream ${s.fallbackStreamName} does not exist: late, early and unroutable records have ` +
  'nowhere to go; run `pulumi up` to recreate it (its slot in the quota is kept free)';

/** Reads only (List, ListTags, Describe): the same facts and planner `rotate` uses, nothing applied. */
export async function planCommand(ctx: CommandContext): Promise<RotationPlan> {
  const reading = await readStreamQuota(ctx.clients.quotas(), ctx.settings);
  if (reading.origin === 'setting' && ctx.settings.serviceQuotaCode)
    ctx.progress(`stream quota: ${ctx.settings.quota} from the quota setting (${reading.note})`);
  const existing = await discover(ctx.clients.firehose, ctx.now, ctx.settings);
  const quota = Math.min(ctx.settings.quota, reading.value);
  const census = await lookAround(ctx.clients.firehose, ctx.now, ctx.settings, existing, quota);
  return planRotation(ctx.now, existing, ctx.settings, reading, census);
}

/** The summary is the rotation Lambda's own return value, so scripts can treat both alike. */
export async function rotateCommand(ctx: CommandContext): Promise<RotationSummary> {
  ctx.progress(`rotating at ${ctx.now.toISO()}`);
  const { plan, result } = await rotate(deps(ctx), ctx.settings);
  return summarize(plan, result);
}

export async function statusCommand(ctx: CommandContext): Promise<StatusReport> {
  const reading = await readStreamQuota(ctx.clients.quotas(), ctx.settings);
  const facts = await gatherStatus(ctx.clients.firehose, ctx.settings);
  const status = buildStatus(ctx.now, facts, ctx.settings);
  const quota = Math.min(ctx.settings.quota, reading.value);
  return {
    ...status,
    quota,
    quotaSource: describeQuota(ctx.settings.quota, reading),
    headroom: quota - status.streamsInRegion,
    sharing: await sharingStatus(ctx.clients.firehose, ctx.now, facts, ctx.settings, quota),
  };
}

export interface TeardownReport {
  deleted: string[];
  notDeleted: { name: string; reason: string }[];
}

export interface TeardownOptions {
  yes: boolean;
  isTTY: boolean;
  confirm: (question: string) => Promise<boolean>;
}

/**
 * Deletes every hourly stream this deployment owns. The executor proves ownership by tags before
 * each delete; the count in the question is by name only, an upper bound the operator can judge.
 */
export async function teardownCommand(ctx: CommandContext, opts: TeardownOptions): Promise<TeardownReport> {
  const s = ctx.settings;
  if (!opts.yes) {
    // Without a terminal nobody can answer; deleting on silence would be the wrong default.
    if (!opts.isTTY)
      throw new UsageError('teardown deletes streams: pass --yes to confirm without a terminal');
    // Former prefixes too (settings changes): teardown deletes those streams as well.
    const candidates = (await listStreamNames(ctx.clients.firehose)).filter((n) =>
      parseKnownName(n, s),
    ).length;
    const question =
      `Delete every stream named ${s.streamPrefix}-yyyyMMddHH${maxStreamsPerHour(s) > 1 ? '[-<i>]' : ''} owned by deployment ${s.deploymentId} ` +
      `(${candidates} candidate(s); the fallback ${s.fallbackStreamName} stays)?`;
    if (!(await opts.confirm(question))) throw new UsageError('teardown cancelled: nothing was deleted');
  }
  const result = await teardown(deps(ctx), s);
  return { deleted: result.deleted, notDeleted: result.notDeleted };
}
