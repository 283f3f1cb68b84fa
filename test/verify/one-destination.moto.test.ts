// I2 One hour, one destination, on moto with the real executor: after a dataPrefix change a
// sibling made for an open hour goes where the hour's first stream goes; far-ahead hours are made
// again with the new prefix; and a plan made at 10:59:50 but acted on at 11:00:00.6 touches no
// hour that has opened since (far-ahead is judged with the clock at each delete), even when the
// clock passes 11:00 between an hour's two streams.
import { expect } from 'chai';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
} from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { rotate } from '../../rotation/aws/executor';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { generationOf, nextFormers } from '../../rotation/core/generations';
import { parseSettings, RotationSettings, SettingsInput } from '../../rotation/core/settings';
import { at, settings } from '../support/fixtures';
import { clientConfig, useMoto } from '../support/moto';

const A = settings();

/** The settings after an `up` from `from` to `change` at `up`, with `from` retired as a former generation. */
function after(change: Partial<SettingsInput>, up: string, from: RotationSettings = A): RotationSettings {
  const base = settings(change);
  const state = { current: generationOf(from), formers: [] };
  return parseSettings({ ...base, formerGenerations: nextFormers(state, base, at(up)) });
}

describe('one hour, one destination on moto (I2)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let firehose: FirehoseClient;

  beforeEach(async () => {
    firehose = controlPlaneClient({ ...clientConfig(moto.endpoint), callsPerSecond: 1000 });
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: A.fallbackStreamName,
        ExtendedS3DestinationConfiguration: { RoleARN: A.deliveryRoleArn, BucketARN: A.bucketArn },
      }),
    );
  });

  const prefixOf = async (name: string) =>
    (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))
      .DeliveryStreamDescription!.Destinations![0].ExtendedS3DestinationDescription!.Prefix;

  it('dataPrefix data → data2 with streamsPerHour 1 → 2: siblings of open hours go under data/, far-ahead hours are made again under data2/', async () => {
    await rotate({ client: firehose, now: () => at('2026-11-22T10:20:00Z') }, A);
    const B = after({ dataPrefix: 'data2', streamsPerHour: 2 }, '2026-11-22T10:25:00Z');
    const { result } = await rotate({ client: firehose, now: () => at('2026-11-22T10:30:00Z') }, B);
    // 09 (late), 10 (current), 11 (next): their first streams keep data/, and so do their siblings.
    for (const hh of ['09', '10', '11']) {
      expect(await prefixOf(`events-20261122${hh}`), hh).to.equal(`data/dt=2026-11-22/hr=${hh}/`);
      expect(await prefixOf(`events-20261122${hh}-1`), `${hh}-1`).to.equal(`data/dt=2026-11-22/hr=${hh}/`);
    }
    // 12 opens at 11:45, far-ahead at 10:30: made again, and its sibling takes the new destination.
    expect(result.recreated).to.include('events-2026112212');
    expect(await prefixOf('events-2026112212')).to.equal('data2/dt=2026-11-22/hr=12/');
    expect(await prefixOf('events-2026112212-1')).to.equal('data2/dt=2026-11-22/hr=12/');
    expect(result.recreated.every((n) => n >= 'events-2026112212')).to.equal(true);
  });

  it('a plan made at 10:59:50 and acted on at 11:00:00.6 touches no hour that opened: 12 is the next hour by then', async () => {
    await rotate({ client: firehose, now: () => at('2026-11-22T10:50:00Z') }, A);
    const B = after({ dataPrefix: 'data2' }, '2026-11-22T10:55:00Z');
    let calls = 0;
    const now = (): DateTime => (calls++ === 0 ? at('2026-11-22T10:59:50Z') : at('2026-11-22T11:00:00.600Z'));
    const { plan, result } = await rotate({ client: firehose, now }, B);
    // Planned at 10:59:50: 12 was after the next hour (11) and far-ahead, so its remake was planned.
    expect(plan.deletes.filter((d) => d.reason === 'reconfigure').map((d) => d.hour)[0]).to.equal(
      '2026112212',
    );
    // Acted on at 11:00:00.6: 12 is the next hour, kept as made; 11 (open since 10:45) too.
    expect(result.notDeleted).to.deep.include({
      name: 'events-2026112212',
      reason: 'no longer far-ahead: keeps its configuration (I2)',
    });
    expect(await prefixOf('events-2026112211')).to.equal('data/dt=2026-11-22/hr=11/');
    expect(await prefixOf('events-2026112212')).to.equal('data/dt=2026-11-22/hr=12/');
    expect(await prefixOf('events-2026112213')).to.equal('data2/dt=2026-11-22/hr=13/');
    expect(result.recreated).to.not.include('events-2026112212');
    expect(result.recreated[0]).to.equal('events-2026112213');
  });

  it("an hour that became the next one between its two streams' deletes keeps one destination: the remade first stream takes the kept one's", async () => {
    const A2 = settings({ streamsPerHour: 2 });
    await rotate({ client: firehose, now: () => at('2026-11-22T10:50:00Z') }, A2);
    const B = after({ dataPrefix: 'data2', streamsPerHour: 2 }, '2026-11-22T10:55:00Z', A2);
    // The clock passes 11:00 right after the first delete is sent (a slow control plane, say).
    const sent: string[] = [];
    firehose.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteDeliveryStreamCommand')
          sent.push((args.input as { DeliveryStreamName: string }).DeliveryStreamName);
        return next(args);
      },
      { step: 'initialize' },
    );
    const now = () => (sent.length === 0 ? at('2026-11-22T10:59:50Z') : at('2026-11-22T11:00:00.600Z'));
    const { plan, result } = await rotate({ client: firehose, now }, B);
    // Planned at 10:59:50, 12 was far-ahead: both its streams were to be made again.
    expect(plan.deletes.filter((d) => d.hour === '2026112212').map((d) => [d.name, d.reason])).to.deep.equal([
      ['events-2026112212', 'reconfigure'],
      ['events-2026112212-1', 'reconfigure'],
    ]);
    // 12 went at 10:59:50; 12-1, judged at 11:00:00.6 (12 is the next hour), stayed as made.
    expect(sent[0]).to.equal('events-2026112212');
    expect(result.notDeleted).to.deep.include({
      name: 'events-2026112212-1',
      reason: 'no longer far-ahead: keeps its configuration (I2)',
    });
    // One hour, one destination: 12, made again, took 12-1's; 13 onwards took the new one.
    expect(await prefixOf('events-2026112212')).to.equal('data/dt=2026-11-22/hr=12/');
    expect(await prefixOf('events-2026112212-1')).to.equal('data/dt=2026-11-22/hr=12/');
    expect(await prefixOf('events-2026112213')).to.equal('data2/dt=2026-11-22/hr=13/');
    expect(await prefixOf('events-2026112213-1')).to.equal('data2/dt=2026-11-22/hr=13/');
  });
});
