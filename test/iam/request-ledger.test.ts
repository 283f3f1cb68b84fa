// The ledger middleware and its command→IAM table on real SDK clients, answered by a stub at the
// end of the initialize step (nothing is sent): exact authorizations per command, state learned
// from answers (tags for aws:ResourceTag, shard iterators for GetRecords), and the loud failure for
// a command without a row.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  FirehoseClient,
  ListTagsForDeliveryStreamCommand,
  StartDeliveryStreamEncryptionCommand,
} from '@aws-sdk/client-firehose';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { hourlyStreamRequest } from '../../rotation/aws/stream-config';
import { configDigest } from '../../rotation/core/generations';
import { settings } from '../support/fixtures';
import { AnyClient, recordRequests, RequestLedger } from '../support/request-ledger';

const config = { region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const STREAM = 'arn:aws:firehose:eu-west-1:123456789012:deliverystream';

/** Answers every command with `answers[commandName]` (or {}) instead of sending it. */
function stubbed<C extends AnyClient>(client: C, answers: Record<string, object> = {}): C {
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) => () =>
      Promise.resolve({
        output: { $metadata: {}, ...(answers[context.commandName!] ?? {}) },
        response: {},
      }),
    { step: 'initialize', priority: 'low', name: 'stubAnswer' },
  );
  return client;
}

describe('request ledger', () => {
  const s = settings({ deploymentId: 'demo/dev', kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k' });
  let ledger: RequestLedger;
  beforeEach(() => (ledger = new RequestLedger('123456789012')));

  it('records a create as create, tag (with the request tags) and PassRole to Firehose', async () => {
    const client = stubbed(recordRequests(new FirehoseClient(config), ledger, 'rotation'));
    await client.send(
      new CreateDeliveryStreamCommand(hourlyStreamRequest(s, DateTime.fromISO('2026-11-22T05:00:00Z'))),
    );
    const tags = {
      'aws:TagKeys': [
        'firehose-rotation:deployment',
        'firehose-rotation:managed-by',
        'firehose-rotation:hour',
        'firehose-rotation:config',
      ],
      'aws:RequestTag/firehose-rotation:deployment': 'demo/dev',
      'aws:RequestTag/firehose-rotation:managed-by': 'rotation',
      'aws:RequestTag/firehose-rotation:hour': '2026112205',
      'aws:RequestTag/firehose-rotation:config': configDigest(s),
    };
    expect(ledger.entries).to.deep.equal([
      {
        action: 'firehose:CreateDeliveryStream',
        resource: `${STREAM}/events-2026112205`,
        context: tags,
        principal: 'rotation',
        source: 'CreateDeliveryStreamCommand',
      },
      {
        action: 'firehose:TagDeliveryStream',
        resource: `${STREAM}/events-2026112205`,
        context: tags,
        principal: 'rotation',
        source: 'CreateDeliveryStreamCommand',
      },
      {
        action: 'iam:PassRole',
        resource: s.deliveryRoleArn,
        context: { 'iam:PassedToService': 'firehose.amazonaws.com' },
        principal: 'rotation',
        source: 'CreateDeliveryStreamCommand',
      },
    ]);
  });

  it('gives a delete the tags the stream was last seen with (aws:ResourceTag)', async () => {
    const tags = [{ Key: 'firehose-rotation:deployment', Value: 'demo/dev' }];
    const client = stubbed(recordRequests(new FirehoseClient(config), ledger, 'rotation', 'cli '), {
      ListTagsForDeliveryStreamCommand: { Tags: tags, HasMoreTags: false },
    });
    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'events-unseen' }));
    await client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112205' }));
    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'events-2026112205' }));
    expect(ledger.entries.filter((e) => e.action === 'firehose:DeleteDeliveryStream')).to.deep.equal([
      {
        action: 'firehose:DeleteDeliveryStream',
        resource: `${STREAM}/events-unseen`,
        context: {},
        principal: 'rotation',
        source: 'cli DeleteDeliveryStreamCommand',
      },
      {
        action: 'firehose:DeleteDeliveryStream',
        resource: `${STREAM}/events-2026112205`,
        context: { 'aws:ResourceTag/firehose-rotation:deployment': 'demo/dev' },
        principal: 'rotation',
        source: 'cli DeleteDeliveryStreamCommand',
      },
    ]);
  });

  it('authorizes PutEvents once per bus with every entry in the array-valued keys', async () => {
    const client = stubbed(recordRequests(new EventBridgeClient(config), ledger, 'rotation'));
    const entry = (Source: string, EventBusName?: string) => ({
      Source,
      DetailType: 'T',
      Detail: '{}',
      EventBusName,
    });
    await client.send(
      new PutEventsCommand({
        Entries: [
          entry('a'),
          entry('b', 'default'),
          entry('a', 'arn:aws:events:eu-west-1:999999999999:event-bus/central'),
        ],
      }),
    );
    expect(ledger.entries.map(({ resource, context }) => ({ resource, context }))).to.deep.equal([
      {
        resource: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
        context: { 'events:source': ['a', 'b'], 'events:detail-type': ['T'] },
      },
      {
        resource: 'arn:aws:events:eu-west-1:999999999999:event-bus/central',
        context: { 'events:source': ['a'], 'events:detail-type': ['T'] },
      },
    ]);
  });

  it('attributes GetRecords to the stream whose iterator it reads, through NextShardIterator', async () => {
    const client = stubbed(recordRequests(new KinesisClient(config), ledger, 'router'), {
      GetShardIteratorCommand: { ShardIterator: 'it-1' },
      GetRecordsCommand: { Records: [], NextShardIterator: 'it-2' },
    });
    await client.send(
      new GetShardIteratorCommand({ StreamName: 'source', ShardId: 's', ShardIteratorType: 'LATEST' }),
    );
    await client.send(new GetRecordsCommand({ ShardIterator: 'it-1' }));
    await client.send(new GetRecordsCommand({ ShardIterator: 'it-2' }));
    const arn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/source';
    expect(ledger.entries.map((e) => `${e.action} ${e.resource}`)).to.deep.equal([
      `kinesis:GetShardIterator ${arn}`,
      `kinesis:GetRecords ${arn}`,
      `kinesis:GetRecords ${arn}`,
    ]);
    const err = await client
      .send(new GetRecordsCommand({ ShardIterator: 'never-issued' }))
      .catch((e: Error) => e);
    expect((err as Error).message).to.equal('GetRecords with a shard iterator the ledger did not see issued');
  });

  it('fails loudly, naming the command, for a command without an IAM mapping', async () => {
    const client = stubbed(recordRequests(new FirehoseClient(config), ledger, 'rotation'));
    const err = await client
      .send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'events-2026112205' }))
      .catch((e: Error) => e);
    expect((err as Error).message).to.equal(
      'no IAM mapping for command StartDeliveryStreamEncryptionCommand: add a row to IAM_ACTIONS in ' +
        'test/support/iam-actions.ts and the permission to the role that sends it',
    );
    expect(ledger.entries).to.deep.equal([]);
  });

  it('generalizes hour keys, partitions and object names into patterns', () => {
    const add = (resource: string) =>
      ledger.add({ principal: 'delivery', source: 'x', action: 's3:PutObject', resource, context: {} });
    add('arn:aws:s3:::b/data/dt=2026-11-22/hr=05/2026/11/22/06/events-2026112205-1-2026-11-22-06-00-00-x');
    add('arn:aws:s3:::b/data/dt=2026-11-22/hr=06/2026/11/22/07/events-2026112206-1-2026-11-22-07-00-00-y');
    add('arn:aws:s3:::b/errors/2026112205/2026/11/22/06/z');
    expect(ledger.patterns()).to.deep.equal([
      'delivery s3:PutObject arn:aws:s3:::b/data/dt=<day>/hr=<hour>/<arrival>/<object>',
      'delivery s3:PutObject arn:aws:s3:::b/errors/<hour>/<arrival>/<object>',
    ]);
  });
});
