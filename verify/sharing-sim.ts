// Part 3: several deployments with default settings (different prefixes and owners) arriving at
// different hours, and foreign streams, in one Region of moto, rotating hourly in a random order
// at random minutes, each with `rotate` exactly as its Lambda runs it. Checked after every run:
// the Region never passes the quota; each deployment has its current and next hour whenever the
// sum of the minimum needs fits (from the round after the latest arrival on: a deployment gives
// back only at its own run, the rule's one limit, counted apart); when it does not fit, the
// deployment missing an hour reports it in its own shortfall; and after the first day each
// deployment's far-ahead streams stay within one stream of its fair share.
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  FirehoseClient,
} from '@aws-sdk/client-firehose';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { rotate } from '../rotation/aws/executor';
import { listStreamNames } from '../rotation/aws/firehose-streams';
import { controlPlaneClient, Pacer } from '../rotation/aws/firehose-clients';
import { parseStreamName, streamName } from '../rotation/core/names';
import { parseSettings, RotationSettings } from '../rotation/core/settings';
import { maxLiveWindowHours } from '../rotation/core/capacity';
import { hourOf } from '../rotation/core/time-window';
import { clientConfig } from '../rotation/local/moto';
import { FALLBACK_OF_TAG } from '../rotation/core/region-census';
import { isNearTerm } from '../rotation/core/capacity';
import { DateTime } from 'luxon';
import { INSTANT_BACKOFF, Rng, SimClock, Violations } from './sim-support';

export interface SharingSimOptions {
  endpoint: string;
  days: number;
  seed: number;
  quota: number;
  /** Deployments: prefix, tunables beyond prefix and owner, and the hour its `pulumi up` makes its fallback. */
  deployments: { name: string; settings: Record<string, unknown>; startHour?: number }[];
  /** Foreign streams per wave: the simulation cycles through these counts, one wave per day. */
  foreignWaves: number[];
  start?: string;
}

interface DeploymentFigures {
  name: string;
  runs: number;
  created: number;
  deleted: number;
  /** Runs after which its current or next hour had no stream, while the minimum needs fit. */
  nearMissesWhileFitting: number;
  /** Runs after which its current or next hour had no stream, when the needs did not fit. */
  nearMissesOverfull: number;
  /** …of which its own shortfall named the missing hour (a miss not reported is a violation). */
  reportedOwnShortfall: number;
  /** Most hourly streams it held after a run. */
  maxHeld: number;
  /** Runs in the round of an arrival, before every deployment ran since: missed current or next. */
  arrivalMisses: number;
  /** After the first day, on fitting hours: the largest |far-ahead held − fair share| after a run. */
  maxShareGap: number;
  /** Its share after its last run (null: unlimited, alone). */
  lastShare: number | null;
  quotaSource: string;
}

export interface SharingFigures {
  days: number;
  runs: number;
  quota: number;
  minimumNeeds: number;
  maxStreamCount: number;
  limitExceeded: number;
  hoursOverfull: number;
  deployments: DeploymentFigures[];
  /** Log lines about the quota's source (moto has no Firehose entry in Service Quotas). */
  quotaLog: string[];
  violations: string[];
  violationCount: number;
}

/**
 * Default settings only (docs/sharing.md): prod from hour 0, staging from hour 5, dev from hour
 * 13. Foreign waves of 0, 4, 20 and 40 streams, one per day: 4 and 20 fit beside the 15 minimum
 * needs (3 × (live window 4 + fallback)), 40 does not.
 */
export const SHARING_SETUP = {
  quota: 50,
  deployments: [
    { name: 'events', settings: {}, startHour: 0 },
    { name: 'events-staging', settings: {}, startHour: 5 },
    { name: 'events-dev', settings: {}, startHour: 13 },
  ],
  foreignWaves: [0, 4, 20, 40],
};

const BASE = {
  bucketArn: 'arn:aws:s3:::verify-lake',
  deliveryRoleArn: 'arn:aws:iam::123456789012:role/verify-delivery',
  serviceQuotaCode: 'L-0123ABCD', // moto answers NoSuchResource: the setting rules, logged
};

export async function runSharingSim(o: SharingSimOptions): Promise<SharingFigures> {
  const rng = new Rng(o.seed);
  const clock = SimClock.at(o.start ?? '2026-11-20T00:00:00Z');
  const observer = new FirehoseClient(clientConfig(o.endpoint));
  const violations = new Violations();
  const quotaLog: string[] = [];
  const ds = o.deployments.map(({ name, settings, startHour = 0 }) => {
    const s = parseSettings({
      ...BASE,
      deploymentId: `verify/${name}`,
      streamPrefix: name,
      fallbackStreamName: `${name}-fallback`,
      quota: o.quota,
      ...settings,
    });
    const client = controlPlaneClient({
      ...clientConfig(o.endpoint),
      pacer: new Pacer(5, () => clock.ms, clock.sleep),
      backoff: INSTANT_BACKOFF,
    });
    const quotas = new ServiceQuotasClient(clientConfig(o.endpoint));
    const f: DeploymentFigures = {
      name,
      runs: 0,
      created: 0,
      deleted: 0,
      nearMissesWhileFitting: 0,
      nearMissesOverfull: 0,
      reportedOwnShortfall: 0,
      maxHeld: 0,
      arrivalMisses: 0,
      maxShareGap: 0,
      lastShare: null,
      quotaSource: '',
    };
    return { s, client, quotas, f, startHour };
  });
  const create = (name: string, tags: Record<string, string> = { owner: 'other-team' }) =>
    observer.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: { RoleARN: BASE.deliveryRoleArn, BucketARN: BASE.bucketArn },
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  const minimumNeeds = ds.reduce((sum, d) => sum + maxLiveWindowHours(d.s) + 1, 0);

  const foreign: string[] = [];
  let serial = 0;
  let limitExceeded = 0;
  let maxCount = 0;
  let hoursOverfull = 0;
  let runs = 0;
  const start = clock.now();
  for (let h = 0; h < o.days * 24; h++) {
    // A new wave of foreign streams each day: they take what room there is, hour after hour, and
    // leave at midnight when the wave is smaller (another team's deploys and teardowns). The
    // deployments make room at their next run, so an hour in which foreign streams arrived counts
    // like an arrival (the rule's one limit).
    const target = o.foreignWaves[Math.floor(h / 24) % o.foreignWaves.length];
    let arrival = false;
    while (h % 24 === 0 && foreign.length > target) {
      await observer.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: foreign.pop()! }));
    }
    while (foreign.length < target && (await listStreamNames(observer)).length < o.quota) {
      const name = `other-team-${serial++}`;
      await create(name);
      foreign.push(name);
      arrival = true;
    }
    // `pulumi up` of a deployment starting now: its fallback, tagged with the deployment it serves.
    for (const d of ds.filter((x) => x.startHour === h)) {
      await create(d.s.fallbackStreamName, { [FALLBACK_OF_TAG]: d.s.deploymentId });
      arrival = true;
    }
    const fits = minimumNeeds + foreign.length <= o.quota;
    if (!fits) hoursOverfull++;
    const present = ds.filter((x) => x.startHour <= h);
    const order = [...present].sort(() => rng.next() - 0.5);
    const minutes = order.map(() => rng.int(0, 59)).sort((a, b) => a - b);
    for (let i = 0; i < order.length; i++) {
      const { s, client, quotas, f } = order[i];
      clock.advanceTo(start.plus({ hours: h, minutes: minutes[i], seconds: rng.int(0, 59) }));
      const log = (line: string) => {
        if (quotaLog.length < 3 && !quotaLog.includes(line)) quotaLog.push(line);
      };
      const { plan, result } = await rotate({ client, quotas, log, now: clock.now }, s);
      // Until every deployment has run since an arrival, a newcomer may find the Region full.
      const warm = !arrival || i === order.length - 1;
      runs++;
      f.runs++;
      f.created += result.created.length;
      f.deleted += result.deleted.length;
      f.quotaSource = plan.quotaSource;
      limitExceeded += result.notCreated.filter((n) => n.reason === 'quota reached').length;
      const names = await listStreamNames(observer);
      maxCount = Math.max(maxCount, names.length);
      if (names.length > o.quota)
        violations.add(`${clock.now().toISO()}: ${names.length} streams after ${s.streamPrefix}'s run`);
      const held = names.filter((n) => n !== s.fallbackStreamName && parseStreamName(s.streamPrefix, n));
      f.maxHeld = Math.max(f.maxHeld, held.length);
      if (fits && !warm) {
        if (missesNearTerm(s, names, clock.now().toISO())) f.arrivalMisses++;
      } else checkNearTerm(s, names, plan.shortfall, fits, f, violations, clock.now().toISO());
      const share = plan.sharing?.share ?? Infinity;
      f.lastShare = Number.isFinite(share) ? share : null;
      if (h >= 24 && fits && Number.isFinite(share)) {
        const far = farAheadHeld(s, names, clock.now());
        f.maxShareGap = Math.max(f.maxShareGap, Math.abs(far - share));
        if (Math.abs(far - share) > 1)
          violations.add(`${clock.now().toISO()}: ${s.streamPrefix} holds ${far} far-ahead, share ${share}`);
      }
    }
  }
  return {
    days: o.days,
    runs,
    quota: o.quota,
    minimumNeeds,
    maxStreamCount: maxCount,
    limitExceeded,
    hoursOverfull,
    deployments: ds.map((d) => d.f),
    quotaLog,
    violations: violations.list,
    violationCount: violations.count,
  };
}

function missesNearTerm(s: RotationSettings, names: string[], at: string): boolean {
  const cur = hourOf(SimClock.at(at).now());
  return [cur, cur.plus({ hours: 1 })].some((h) => !names.includes(streamName(s.streamPrefix, h)));
}

function farAheadHeld(s: RotationSettings, names: string[], now: DateTime): number {
  return names.filter((n) => {
    const hour = parseStreamName(s.streamPrefix, n);
    return hour !== undefined && !isNearTerm(hour, now);
  }).length;
}

function checkNearTerm(
  s: RotationSettings,
  names: string[],
  shortfall: string[],
  fits: boolean,
  f: DeploymentFigures,
  violations: Violations,
  at: string,
): void {
  const cur = hourOf(SimClock.at(at).now());
  const missing = [cur, cur.plus({ hours: 1 })].filter((h) => !names.includes(streamName(s.streamPrefix, h)));
  if (missing.length === 0) return;
  if (fits) f.nearMissesWhileFitting++;
  else f.nearMissesOverfull++;
  const keys = missing.map((h) => streamName(s.streamPrefix, h).slice(s.streamPrefix.length + 1));
  if (!fits && keys.every((k) => shortfall.includes(k))) f.reportedOwnShortfall++;
  if (!keys.every((k) => shortfall.includes(k)))
    violations.add(`${at}: ${s.streamPrefix} missing ${keys.join(', ')} without reporting it`);
  if (fits) violations.add(`${at}: ${s.streamPrefix} missing ${keys.join(', ')} while the needs fit`);
}
