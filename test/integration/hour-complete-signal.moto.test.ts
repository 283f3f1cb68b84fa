// The hour-complete signal on moto: the `_SUCCESS` marker lands under the hour's prefix and the
// event reaches a consumer's EventBridge rule (source + detail-type pattern → a log group target,
// read back). What moto cannot show: delivery to real consumers' targets and their permissions.
import { expect } from 'chai';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { signalHourComplete } from '../../rotation/aws/hour-complete-signal';
import {
  EVENT_SOURCE,
  HOUR_COMPLETE_DETAIL_TYPE,
  hourCompleteDetail,
} from '../../rotation/core/hour-complete';
import { at, settings } from '../support/fixtures';
import { clientConfig, TEST_ACCOUNT, TEST_REGION, useMoto } from '../support/moto';

describe('hour-complete signal on moto', () => {
  const moto = useMoto();

  it('writes _SUCCESS under the hour prefix and emits an event a consumer rule receives', async () => {
    const s3 = new S3Client(clientConfig(moto.endpoint));
    const events = new EventBridgeClient(clientConfig(moto.endpoint));
    const logs = new CloudWatchLogsClient(clientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'demo-lake' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/consumer/hour-complete' }));
    await events.send(
      new PutRuleCommand({
        Name: 'consumer',
        EventPattern: JSON.stringify({ source: [EVENT_SOURCE], 'detail-type': [HOUR_COMPLETE_DETAIL_TYPE] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'consumer',
        Targets: [
          { Id: 'log', Arn: `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/consumer/hour-complete` },
        ],
      }),
    );

    const s = settings();
    const detail = hourCompleteDetail(
      s,
      at('2026-11-22T05:00:00Z'),
      'events-2026112205',
      at('2026-11-22T07:20:00Z'),
    );
    await signalHourComplete({ s3, events }, s.eventBusName, detail);

    const expected = {
      deploymentId: 'demo/dev',
      hour: '2026-11-22T05:00:00.000Z',
      bucket: 'demo-lake',
      prefix: 'data/dt=2026-11-22/hr=05/',
      stream: 'events-2026112205',
      completedAt: '2026-11-22T07:20:00.000Z',
    };
    const marker = await s3.send(
      new GetObjectCommand({ Bucket: 'demo-lake', Key: 'data/dt=2026-11-22/hr=05/_SUCCESS' }),
    );
    expect(JSON.parse(await marker.Body!.transformToString())).to.deep.equal(expected);
    const received = await logs.send(new FilterLogEventsCommand({ logGroupName: '/consumer/hour-complete' }));
    expect(received.events).to.have.length(1);
    const event = JSON.parse(received.events![0].message!) as Record<string, unknown>;
    expect([event.source, event['detail-type'], event.detail]).to.deep.equal([
      EVENT_SOURCE,
      HOUR_COMPLETE_DETAIL_TYPE,
      expected,
    ]);
  });
});
