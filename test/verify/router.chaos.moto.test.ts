// CI-sized part 2 of `npm run verify`: 5,000 records of every shape through routeBatch on moto
// under partial failures, 503s, lost responses and streams deleted mid-flight, reconciled against
// S3 record by record; and a sabotaged run that proves the reconciliation can see a loss.
import {
  FirehoseClient,
  PutRecordBatchCommandInput,
  PutRecordBatchCommandOutput,
} from '@aws-sdk/client-firehose';
import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { expect } from 'chai';
import { FALLBACK_KINDS } from '../../verify/router-records';
import { runRouterSim, RouterSimOptions } from '../../verify/router-sim';
import { useMoto } from '../support/moto';

const lineCount = (data: Uint8Array) => data.reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 0);
const CHAOS = { partialCallRate: 0.2, partialEntryRate: 0.1, wireFaultRate: 0.05, deleteEvery: 40 };
const CALM = { partialCallRate: 0, partialEntryRate: 0, wireFaultRate: 0, deleteEvery: 0 };

describe('verify: router chaos on moto (CI size)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  const run = (o: Partial<RouterSimOptions>) =>
    runRouterSim({
      endpoint: moto.endpoint,
      records: 5000,
      seed: 7,
      hours: 6,
      batchSize: 250,
      maxRetries: 3,
      ...CHAOS,
      ...o,
    });

  it('5,000 records: none lost, none misplaced or altered, oversized ones reported as failures', async () => {
    const f = await run({});
    expect(f.violations).to.deep.equal([]);
    expect(f.lost).to.equal(0);
    expect(f.badIdentifiers).to.equal(0);
    expect(f.thrown).to.equal(0);
    expect(f.produced).to.equal(5000);
    // Every record is accounted for: found in S3, or only in the on-failure destination.
    expect(f.found + f.onlyInFailureDestination).to.equal(5000);
    expect(f.byKind.oversized).to.deep.equal({ produced: 2, hourly: 0, fallback: 0, failed: 2 });
    expect(f.oversizedReported).to.equal(2);
    // Sent, not refused: in its hour's partition, or in the fallback when its stream was deleted
    // mid-flight (packed, one deletion reroutes a whole call; which call meets it varies by run).
    const atLimit = f.byKind['at-limit'];
    expect([atLimit.produced, atLimit.hourly + atLimit.fallback]).to.deep.equal([1, 1]);
    for (const kind of FALLBACK_KINDS) expect(f.byKind[kind].hourly, kind).to.equal(0);
    // The router's own check before each send keeps writes inside the hour's write window here.
    expect(f.writesAfterDeadline).to.equal(0);
    // The chaos really happened.
    expect(f.partialFailureCalls).to.be.above(0);
    expect(f.wireFaults.unavailable).to.be.above(0);
    expect(f.streamsDeletedMidFlight).to.be.above(0);
    expect(f.rerouted).to.be.above(0);
    expect(f.esmRetries).to.be.above(0);
  });

  it('two streams per hour under the same chaos: none lost, misplaced or written after its hour', async () => {
    // Whether the rotation makes the siblings or not (index 0 takes a missing sibling's share),
    // nothing may be lost or misplaced; the chaos's 503s are whole calls refused for throughput.
    // A delete every 20th hourly call: with early records now only minutes ahead (I1), the hourly
    // calls are fewer than they were, and every 40th would leave this run without a reroute.
    const f = await run({ records: 2000, hours: 3, deleteEvery: 20, settings: { streamsPerHour: 2 } });
    expect(f.violations).to.deep.equal([]);
    expect([f.lost, f.badIdentifiers, f.thrown, f.writesAfterDeadline]).to.deep.equal([0, 0, 0, 0]);
    expect(f.found + f.onlyInFailureDestination).to.equal(2000);
    for (const kind of FALLBACK_KINDS) expect(f.byKind[kind].hourly, kind).to.equal(0);
    expect(f.wireFaults.unavailable).to.be.above(0);
    expect(f.rerouted).to.be.above(0);
  });

  it('a record acknowledged but never written is reported lost (the check is not vacuous)', async () => {
    const victim = 'v-0000007'; // record 7's id token, as the producer writes it
    // Packing on (the default): the dropped entry carries the victim and the records packed with it.
    let dropped = 0;
    const sabotage = (client: FirehoseClient) =>
      client.middlewareStack.add(
        ((next: InitializeHandler<object, object>) => async (args: InitializeHandlerArguments<object>) => {
          const input = args.input as PutRecordBatchCommandInput;
          const all = input.Records ?? [];
          const keep = all.filter((r) => !Buffer.from(r.Data!).toString('latin1').includes(victim));
          if (keep.length === all.length) return next(args);
          for (const r of all) if (!keep.includes(r)) dropped += lineCount(r.Data!);
          const out = (await next({ ...args, input: { ...input, Records: keep } })) as {
            output: PutRecordBatchCommandOutput;
          };
          const answers = [...(out.output.RequestResponses ?? [])];
          const forged = all.map((r) => (keep.includes(r) ? answers.shift()! : { RecordId: 'forged' }));
          return { ...out, output: { ...out.output, RequestResponses: forged } };
        }) as never,
        { step: 'initialize', name: 'sabotageDropOne' },
      );
    const f = await run({ records: 300, hours: 1, ...CALM, sabotage });
    expect(dropped).to.be.above(1);
    expect(f.lost).to.equal(dropped);
    expect(f.violations).to.deep.equal([`${dropped} records lost`]);
  });
});
