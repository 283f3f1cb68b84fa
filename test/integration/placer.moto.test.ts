// The placer on moto over HTTP with the real SDK: the router's own output for a mix of on-time,
// late, early and unparseable records, then the placer on every fallback object with every
// notification delivered twice and one crash mid-object (an injected S3 fault), reconciled by id.
// What moto cannot show: S3 invoking the function (the notifications are built locally, in the
// shape Lambda receives) and Firehose's compression (moto writes plain bytes: UNCOMPRESSED here;
// GZIP is proven in placer-objects.moto.test.ts on objects written directly).
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { expect } from 'chai';
import { placeS3Event } from '../../rotation/aws/placer-event';
import { hourFromKey, hourPrefix } from '../../rotation/core/names';
import { routeBatch, RouterDeps } from '../../rotation/handlers/route-batch';
import { generateEvents } from '../../rotation/local/events';
import { listFallbackObjects, objectCreatedEvent } from '../../rotation/local/fallback-notifications';
import { readBucket } from '../../rotation/local/layout';
import { judgePlacement } from '../../rotation/local/placement-verdict';
import { at } from '../support/fixtures';
import { kinesisEvent } from '../support/kinesis-event';
import { clientConfig, useMoto } from '../support/moto';
import { BUCKET, MOTO_SETTINGS, provision } from '../support/router-moto';

const NOW = at('2026-11-22T04:30:00Z');
const S = MOTO_SETTINGS;

/**
 * An S3 client that throws once on the second PutObject of an armed run: the placer dies after it
 * wrote some of a source object's placed objects and before the rest (a crash mid-object).
 */
function faultyS3(endpoint: string) {
  const s3 = new S3Client(clientConfig(endpoint));
  const fault = { armed: true, putsThisRun: 0, fired: false };
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand' && ++fault.putsThisRun === 2 && fault.armed) {
        fault.armed = false;
        fault.fired = true;
        throw new Error('injected: the placer died writing this object');
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectPutFault' },
  );
  return { s3, fault };
}

describe('placer on moto', function () {
  this.timeout(180_000);
  const moto = useMoto();

  async function routeMix(count: number) {
    await provision(moto.endpoint, S, NOW);
    const produced = generateEvents(count, 7, NOW);
    const deps: RouterDeps = {
      client: new FirehoseClient(clientConfig(moto.endpoint)),
      now: () => NOW,
      sleep: () => Promise.resolve(),
      deadline: NOW.plus({ minutes: 1 }),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    };
    // Batches of 40: moto writes one object per PutRecordBatch, so the fallback gets several objects.
    for (let i = 0; i < produced.length; i += 40) {
      const batch = produced.slice(i, i + 40);
      const event = kinesisEvent(batch.map((e, j) => ({ sequenceNumber: String(i + j), data: e.data })));
      const { response } = await routeBatch(event, deps, S);
      expect(response.batchItemFailures).to.deep.equal([]);
    }
    return produced;
  }

  it('places every late and early record in its event hour once, despite duplicates and a crash', async () => {
    const produced = await routeMix(400);
    const plain = new S3Client(clientConfig(moto.endpoint));
    // The lake is versioned (DataLakeBucket): notifications carry a versionId, which keys the placement.
    await plain.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    // One late hour was already signalled complete: it must get an amended event, the others none.
    const late = produced.find((e) => e.kind === 'late')!;
    const completeHour = hourFromKey(late.eventHour!)!;
    await plain.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${hourPrefix(S.dataPrefix, completeHour)}_SUCCESS`,
        Body: '{}\n',
      }),
    );
    const fallbackObjects = await listFallbackObjects(plain, BUCKET, S.fallbackPrefix);
    expect(fallbackObjects.length).to.be.greaterThan(3);

    const { s3, fault } = faultyS3(moto.endpoint);
    const deps = {
      clients: { s3, events: new EventBridgeClient(clientConfig(moto.endpoint)) },
      now: () => NOW,
    };
    const failures: string[] = [];
    let amended = 0;
    for (const [i, o] of fallbackObjects.entries()) {
      const event = objectCreatedEvent(BUCKET, o, String(i));
      for (const delivery of [1, 2]) {
        // Lambda's async retries: a failed invocation is invoked again with the same event.
        for (let attempt = 1; ; attempt++) {
          fault.putsThisRun = 0;
          try {
            amended += (await placeS3Event(deps, S, event)).hoursAmended;
            break;
          } catch (err) {
            failures.push(`${o.key} delivery ${delivery} attempt ${attempt}: ${(err as Error).message}`);
            if (attempt === 3) throw err;
          }
        }
      }
    }
    expect(failures, failures.join('\n')).to.have.length(1);
    expect(failures[0], failures[0]).to.match(
      /^late\/.* delivery 1 attempt 1: injected: the placer died writing this object$/,
    );
    expect(fault.fired).to.equal(true);

    const verdict = judgePlacement(produced, await readBucket(plain, BUCKET, S));
    expect(verdict.line).to.match(/^all 400 produced records reconciled by id: /);
    expect([
      verdict.missing,
      verdict.misplaced,
      verdict.placedTwice,
      verdict.notPlaced,
      verdict.altered,
    ]).to.deep.equal([[], [], [], [], []]);
    const kinds = (k: string[]) => produced.filter((e) => k.includes(e.kind)).length;
    expect([verdict.onTime, verdict.placed, verdict.kept, verdict.duplicates]).to.deep.equal([
      kinds(['on-time']),
      kinds(['late', 'early']),
      kinds(['not-json', 'no-timestamp', 'bad-timestamp']),
      0,
    ]);
    // The complete hour's objects come from however many fallback objects held its records: one
    // event per (object, delivery), at least once.
    expect(amended).to.be.greaterThan(0);
    expect(amended % 2).to.equal(0);
  });
});
