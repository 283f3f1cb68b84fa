// Two rotation runs at once, in-process against one moto: without reserved concurrency a scheduled
// run can meet the deploy-time run or a CLI run, and two deployments can share an account's quota.
// A ledger of every successful create and delete, in the order moto answered them, gives the
// stream count at each moment. What moto cannot show: CREATING (the give-back's wait for it is
// proven with a scripted client in test/aws/executor-limits.test.ts).
import { expect } from 'chai';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { rotate } from '../../rotation/aws/executor';
import { listStreamNames } from '../../rotation/aws/firehose-streams';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { streamName } from '../../rotation/core/names';
import { hourlyStreamRequest } from '../../rotation/aws/stream-config';
import { RotationSettings } from '../../rotation/core/settings';
import { hourOf } from '../../rotation/core/time-window';
import { at, settings } from '../support/fixtures';
import { clientConfig, useMoto } from '../support/moto';

interface Ledger {
  count: number;
  peak: number;
}

/** A client whose successful creates and deletes move the shared ledger. */
function counted(client: FirehoseClient, ledger: Ledger): FirehoseClient {
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
      return async (command: { constructor: { name: string } }) => {
        const out = await send(command);
        const kind = command.constructor.name;
        if (kind === 'CreateDeliveryStreamCommand') ledger.count += 1;
        if (kind === 'DeleteDeliveryStreamCommand') ledger.count -= 1;
        ledger.peak = Math.max(ledger.peak, ledger.count);
        return out;
      };
    },
  });
}

const EVENTS = (quota: number) => settings({ quota });
const OTHER = (quota: number) =>
  settings({ quota, streamPrefix: 'other', fallbackStreamName: 'other-fallback', deploymentId: 'other/dev' });

describe('rotation: two runs racing on moto', function () {
  this.timeout(180_000);
  const moto = useMoto();
  const client = () => controlPlaneClient({ ...clientConfig(moto.endpoint), callsPerSecond: 1000 });

  async function fallbacks(...all: RotationSettings[]) {
    for (const s of all)
      await client().send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: s.fallbackStreamName,
          ExtendedS3DestinationConfiguration: { RoleARN: s.deliveryRoleArn, BucketARN: s.bucketArn },
        }),
      );
  }

  /** Rounds of two concurrent runs; returns per-round counts and the ledger's peak. */
  async function race(a: RotationSettings, b: RotationSettings, offsetsMinutes: number[], rounds: number) {
    const ledger: Ledger = { count: (await listStreamNames(client())).length, peak: 0 };
    const counts: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const base = at('2026-11-22T05:50:00Z').plus({ hours: r });
      const offset = offsetsMinutes[r % offsetsMinutes.length];
      const [ra, rb] = await Promise.allSettled([
        rotate({ client: counted(client(), ledger), now: () => base }, a),
        rotate({ client: counted(client(), ledger), now: () => base.plus({ minutes: offset }) }, b),
      ]);
      expect([ra.status, rb.status], `round ${r}`).to.deep.equal(['fulfilled', 'fulfilled']);
      const names = await listStreamNames(client());
      expect(names.length, `ledger vs moto, round ${r}`).to.equal(ledger.count);
      counts.push(names.length);
      // Both runs' current hours exist after every round: the give-back never takes a near hour.
      for (const [s, now] of [
        [a, base],
        [b, base.plus({ minutes: offset })],
      ] as const)
        expect(names, `round ${r}`).to.include(streamName(s.streamPrefix, hourOf(now)));
    }
    return { counts, peak: ledger.peak };
  }

  // After every round the reserve (reserveStreams 1) is free: the near-term hours fit here, so only
  // far-ahead streams could take it, and the re-count and the give-back hold those to quota − 1.
  // Measured before that fix: rounds ending at 50, 48, 50, 48 of moto's 50, and a peak of 21 of 20.
  it('one deployment, two clocks (0 to 40 min apart, across hour boundaries), 8 rounds, quota 20: never above 19 (the reserve) after a round, at most 21 for a moment', async () => {
    await fallbacks(EVENTS(20));
    const { counts, peak } = await race(EVENTS(20), EVENTS(20), [0, 15, 25, 40], 8);
    expect(
      counts.every((c) => c <= 20 - EVENTS(20).reserveStreams),
      counts.join(),
    ).to.equal(true);
    expect(peak).to.be.at.most(21);
  });

  it('two deployments sharing quota 20 from empty, 6 rounds: never above 19 (the reserve) after a round, at most 21 for a moment', async () => {
    await fallbacks(EVENTS(20), OTHER(20));
    const { counts, peak } = await race(EVENTS(20), OTHER(20), [0, 10, 35], 6);
    expect(
      counts.every((c) => c <= 20 - EVENTS(20).reserveStreams),
      counts.join(),
    ).to.equal(true);
    expect(peak).to.be.at.most(21);
  });

  it('two deployments sharing the account quota (moto enforces 50) from empty: never above 50, 49 (the reserve) after a round, both runs succeed', async () => {
    await fallbacks(EVENTS(50), OTHER(50));
    const { counts, peak } = await race(EVENTS(50), OTHER(50), [0, 20], 4);
    expect(peak).to.be.at.most(50);
    expect(
      counts.every((c) => c <= 50 - EVENTS(50).reserveStreams),
      counts.join(),
    ).to.equal(true);
  });

  it('concurrent near-term creates at a full account (moto enforces 50): far-ahead streams are given back, both current hours made, never above 50', async () => {
    const a = EVENTS(50);
    const b = OTHER(50);
    await fallbacks(a, b);
    // 48 of 50: each deployment holds 11 far-ahead streams (10:00-20:00), 24 foreign fill the rest.
    const farAhead = (s: RotationSettings) =>
      Array.from({ length: 11 }, (_, i) => at('2026-11-22T10:00:00Z').plus({ hours: i })).map((h) =>
        hourlyStreamRequest(s, h),
      );
    for (const request of [...farAhead(a), ...farAhead(b)])
      await client().send(new CreateDeliveryStreamCommand(request));
    for (let i = 0; i < 24; i++)
      await client().send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: `foreign-${i}`,
          ExtendedS3DestinationConfiguration: { RoleARN: a.deliveryRoleArn, BucketARN: a.bucketArn },
        }),
      );
    const ledger: Ledger = { count: (await listStreamNames(client())).length, peak: 0 };
    expect(ledger.count).to.equal(48);
    // 05:50: both need 05, 06 and 04 (late until 06:00); each plans 2 into the 2 free slots.
    const now = () => at('2026-11-22T05:50:00Z');
    const [ra, rb] = await Promise.all([
      rotate({ client: counted(client(), ledger), now }, a),
      rotate({ client: counted(client(), ledger), now }, b),
    ]);
    const names = await listStreamNames(client());
    expect(ledger.peak).to.be.at.most(50);
    expect(names.length).to.be.at.most(50);
    for (const s of [a, b]) {
      // The current and next hour of both deployments exist; no near-term stream was given back.
      expect(names).to.include.members(
        ['05', '06'].map((hh) => streamName(s.streamPrefix, at(`2026-11-22T${hh}:00:00Z`))),
      );
    }
    const given = [...ra.result.deleted, ...rb.result.deleted];
    expect(given.length).to.be.above(0);
    for (const name of given) expect(name, name).to.match(/-20261122(1\d|20)$/);
  });
});
