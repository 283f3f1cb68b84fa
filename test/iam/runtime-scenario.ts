// The runtime code of the pipeline run on moto with the deployed settings, every client it is given
// recorded in the request ledger under the role that would send it in AWS: the rotation (rotate
// across a drained hour, so markers, events and deletes happen; teardown), every CLI command (an
// operator with the rotation role's permissions), and the data path as the local demo runs it
// (the event source mapping's Kinesis reads and the router's PutRecordBatch to hourly streams and
// the fallback). Set-up (bucket, source stream, fallback, producer) uses unrecorded clients.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { rotate } from '../../rotation/aws/executor';
import { onDestroy, recordDeploy } from '../../rotation/aws/lifecycle';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { controlPlaneClient } from '../../rotation/aws/firehose-clients';
import { bucketName } from '../../rotation/core/hour-complete';
import { createFallbackStream, routerInvoke } from '../../rotation/local/resources';
import { consumeAll, createSourceStream, putAll } from '../../rotation/local/source';
import { cli } from '../cli/harness';
import { clientConfig } from '../support/moto';
import { recordRequests, RequestLedger } from '../support/request-ledger';
import { ACCOUNT, PipelineUnderTest, REGION } from './pipeline-under-test';

/** A run at 05:30 creates from the still-open 04:00 on; at 08:30 hours 04–06 are drained. */
export const FIRST_RUN = DateTime.fromISO('2026-12-01T05:30:00Z', { zone: 'utc' });
const LATER_RUN = FIRST_RUN.plus({ hours: 3 });

export async function runRuntimeScenario(endpoint: string, p: PipelineUnderTest): Promise<RequestLedger> {
  const s = p.settings;
  const config = { ...clientConfig(endpoint), region: REGION };
  const ledger = new RequestLedger(ACCOUNT);

  // Pulumi's part, unrecorded.
  const setup = {
    s3: new S3Client(config),
    firehose: new FirehoseClient(config),
    kinesis: new KinesisClient(config),
  };
  await setup.s3.send(
    new CreateBucketCommand({
      Bucket: bucketName(s.bucketArn),
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  await createFallbackStream(setup.firehose, s);
  const streamArn = await createSourceStream(setup.kinesis, p.sourceStreamName, 1);
  expect(streamArn).to.equal(p.sourceStreamArn);

  // The rotation function.
  const rotation = {
    client: recordRequests(controlPlaneClient({ ...config, callsPerSecond: 1000 }), ledger, 'rotation'),
    signals: {
      s3: recordRequests(new S3Client(config), ledger, 'rotation'),
      events: recordRequests(new EventBridgeClient(config), ledger, 'rotation'),
    },
    // The stream quota read (serviceQuotaCode has a default); moto has no Firehose entry, so the
    // run falls back to the quota setting, but the request is recorded and simulated.
    quotas: recordRequests(new ServiceQuotasClient(config), ledger, 'rotation'),
  };
  const first = await rotate({ ...rotation, now: () => FIRST_RUN }, s);
  expect(first.plan.shortfall).to.deep.equal([]);
  const later = await rotate({ ...rotation, now: () => LATER_RUN }, s);
  expect(later.result.completed).to.deep.equal(['2026120104', '2026120105', '2026120106']);

  // The data path as the local demo runs it: the mapping reads Kinesis, the router writes Firehose.
  const produced = [
    { id: 'current', data: JSON.stringify({ timestamp: LATER_RUN.toISO() }) },
    { id: 'late', data: JSON.stringify({ timestamp: FIRST_RUN.minus({ days: 1 }).toISO() }) },
  ];
  await putAll(setup.kinesis, p.sourceStreamName, produced);
  const { invoke, totals } = routerInvoke(
    recordRequests(new FirehoseClient(config), ledger, 'router'),
    s,
    LATER_RUN,
  );
  await consumeAll(recordRequests(new KinesisClient(config), ledger, 'router'), {
    streamName: p.sourceStreamName,
    streamArn,
    region: REGION,
    functionRoleArn: p.roleArn.router,
    invoke,
    maxRetries: 0,
  });
  expect(totals.perReason).to.deep.equal({ hourly: 1, late: 1 });

  // The operator CLI, every command.
  const env = { FIREHOSE_ROTATION_SETTINGS: JSON.stringify(s) };
  const aws = {
    ...config,
    callsPerSecond: 1000,
    instrument: (c: object) => recordRequests(c as S3Client, ledger, 'rotation', 'cli '),
  };
  const at = LATER_RUN.plus({ hours: 1 }).toISO();
  for (const argv of [
    ['plan', '--now', at],
    ['status', '--now', at],
    ['rotate', '--now', at, '--allow-clock-skew'],
    ['teardown', '--yes'],
  ]) {
    const run = await cli(argv, { env, aws });
    expect(run.code, `${argv.join(' ')}: ${run.stderr}`).to.equal(0);
  }

  // The lifecycle events by the function itself (nothing left after the CLI's: recreate first): a
  // deploy records its lifecycle id; the delete of a replaced resource reads it back and keeps every
  // stream; the destroy reads it and tears down (its waits on an injected clock).
  const G1 = '11111111-1111-4111-8111-111111111111';
  const G2 = '22222222-2222-4222-8222-222222222222';
  let t = LATER_RUN.toMillis();
  const clock = {
    now: () => DateTime.fromMillis(t, { zone: 'utc' }),
    sleep: (ms: number) => Promise.resolve(void (t += ms)),
  };
  const lifecycle = { ...rotation, ...clock, s3: rotation.signals.s3 };
  await recordDeploy(lifecycle, s, G2);
  await rotate({ ...rotation, now: () => LATER_RUN }, s);
  const kept = await onDestroy(lifecycle, s, G1, { deadlineMs: t + 840_000 });
  expect(kept.action).to.equal('superseded');
  const removed = await onDestroy(lifecycle, s, G2, { deadlineMs: t + 840_000 });
  expect(removed.deleted.length).to.be.greaterThan(0);
  for (const c of [...Object.values(setup), rotation.client, rotation.signals.s3, rotation.signals.events])
    c.destroy();
  return ledger;
}
