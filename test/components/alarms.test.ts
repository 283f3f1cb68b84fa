import { expect } from 'chai';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { Alarms } from '../../components/alarms';
import { expectComponentTree, expectNoWildcardActions, parsePolicy, statement } from './assertions';
import { ACCOUNT, inventory, ofType, one, promiseOf, recordOptions, REGION, settle, useMocks } from './mocks';

const ARGS = {
  routerFunctionName: 'router-fn',
  rotationFunctionName: 'rotation-fn',
  eventSourceMappingUuid: 'esm-uuid',
  fallbackStreamName: 'events-fallback',
  deploymentId: 'demo/dev',
};

type Alarm = pulumi.Unwrap<aws.cloudwatch.MetricAlarmArgs>;

describe('Alarms', () => {
  useMocks();

  it('creates the fifteen alarms of the runbook, each notifying an encrypted topic', async () => {
    const alarms = new Alarms(
      'ops',
      { ...ARGS, email: 'oncall@example.com' },
      { transformations: [recordOptions] },
    );
    await settle();
    expect(inventory()).to.deep.equal({
      'aws:kms/key:Key': 1,
      'aws:sns/topic:Topic': 1,
      'aws:sns/topicSubscription:TopicSubscription': 1,
      'aws:cloudwatch/metricAlarm:MetricAlarm': 15,
    });
    const topicArn = await promiseOf(alarms.topicArn);
    const table = ofType<Alarm>('aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => {
      const i = a.inputs;
      expect(i.alarmActions, a.name).to.deep.equal([topicArn]);
      expect(i.okActions, a.name).to.deep.equal([topicArn]);
      expect(i.alarmDescription, a.name).to.be.a('string').and.have.length.above(20);
      return [
        a.name,
        i.namespace,
        i.metricName,
        JSON.stringify(i.dimensions),
        i.statistic,
        i.period,
        i.evaluationPeriods,
        i.comparisonOperator,
        i.threshold,
        i.treatMissingData,
      ];
    });
    // In the order the mocks register them (inputs with more dimensions settle later), not a contract.
    expect(table).to.deep.equal([
      [
        'ops-router-errors',
        'AWS/Lambda',
        'Errors',
        '{"FunctionName":"router-fn"}',
        'Sum',
        300,
        2,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-router-iterator-age',
        'AWS/Lambda',
        'IteratorAge',
        '{"FunctionName":"router-fn"}',
        'Maximum',
        300,
        3,
        'GreaterThanThreshold',
        600000,
        'notBreaching',
      ],
      [
        'ops-on-failure-deliveries',
        'AWS/Lambda',
        'OnFailureDestinationDeliveredEventCount',
        '{"EventSourceMappingUUID":"esm-uuid"}',
        'Sum',
        300,
        1,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-fallback-freshness',
        'AWS/Firehose',
        'DeliveryToS3.DataFreshness',
        '{"DeliveryStreamName":"events-fallback"}',
        'Maximum',
        300,
        2,
        'GreaterThanThreshold',
        1800,
        'notBreaching',
      ],
      [
        'ops-rotation-errors',
        'AWS/Lambda',
        'Errors',
        '{"FunctionName":"rotation-fn"}',
        'Sum',
        3600,
        1,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-fallback-volume',
        'FirehoseRotation',
        'FallbackRecords',
        '{"deployment":"demo/dev","service":"router"}',
        'Sum',
        300,
        1,
        'GreaterThanThreshold',
        1000,
        'notBreaching',
      ],
      [
        'ops-rotation-heartbeat',
        'FirehoseRotation',
        'RotationSucceeded',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Sum',
        3600,
        2,
        'LessThanThreshold',
        1,
        'breaching',
      ],
      [
        'ops-tomorrow-not-ready',
        'FirehoseRotation',
        'TomorrowStreamsMissing',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Maximum',
        3600,
        3,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-ownership-conflict',
        'FirehoseRotation',
        'OwnershipConflicts',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Maximum',
        3600,
        1,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-near-term-shortfall',
        'FirehoseRotation',
        'NearTermShortfall',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Maximum',
        3600,
        1,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-fallback-missing',
        'FirehoseRotation',
        'FallbackMissing',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Maximum',
        3600,
        1,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-hour-signal-failed',
        'FirehoseRotation',
        'HourSignalsFailed',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Maximum',
        3600,
        1,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-orphan-streams',
        'FirehoseRotation',
        'OrphanStreamsRefused',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Maximum',
        3600,
        1,
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
      [
        'ops-quota-headroom',
        'FirehoseRotation',
        'QuotaHeadroom',
        '{"deployment":"demo/dev","service":"rotation"}',
        'Minimum',
        3600,
        3,
        'LessThanThreshold',
        1,
        'notBreaching',
      ],
      // A metric-math alarm: no metric of its own; its queries are checked below.
      [
        'ops-router-throttled',
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        3,
        'GreaterThanThreshold',
        5,
        'notBreaching',
      ],
    ]);
    const throttled = one<Alarm>('aws:cloudwatch/metricAlarm:MetricAlarm', 'ops-router-throttled').inputs;
    const routerMetric = (metricName: string) => ({
      namespace: 'FirehoseRotation',
      metricName,
      dimensions: { service: 'router', deployment: 'demo/dev' },
      stat: 'Sum',
      period: 300,
    });
    expect(throttled.metricQueries).to.deep.equal([
      { id: 'throttled', metric: routerMetric('RecordsThrottled'), returnData: false },
      { id: 'records', metric: routerMetric('RecordsIn'), returnData: false },
      {
        id: 'share',
        expression: '100 * throttled / records',
        label: 'throttled share (%)',
        returnData: true,
      },
    ]);
    expect(throttled.alarmDescription).to.equal(
      'Firehose refused over 5 % of the router\'s records for throughput for 15 minutes ("Slow down."): ' +
        'the hourly streams are at their limit. Raise streamsPerHour (docs/router.md#streams-per-hour).',
    );
    const key = one('aws:kms/key:Key').inputs;
    expect(key.enableKeyRotation).to.equal(true);
    expect(one('aws:sns/topic:Topic').inputs.kmsMasterKeyId).to.equal(
      `arn:aws:kms:${REGION}:${ACCOUNT}:key/ops-topic-key-0000-1111`,
    );
    const policy = parsePolicy(key.policy);
    expectNoWildcardActions(policy);
    expect(statement(policy, 'CloudWatchAlarmsPublish')).to.deep.equal({
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    // A test publish by anyone in the account: through SNS only, callers of this account only.
    expect(statement(policy, 'AccountPrincipalsPublishThroughSns')).to.deep.equal({
      Sid: 'AccountPrincipalsPublishThroughSns',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `sns.${REGION}.amazonaws.com` },
      },
    });
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal([
      'AccountAdministers',
      'CloudWatchAlarmsPublish',
      'AccountPrincipalsPublishThroughSns',
    ]);
    expect(statement(policy, 'AccountAdministers').Principal).to.deep.equal({
      AWS: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(one('aws:sns/topicSubscription:TopicSubscription').inputs).to.deep.include({
      protocol: 'email',
      endpoint: 'oncall@example.com',
    });
    expectComponentTree(alarms, 'ops');
  });

  it('takes thresholds from its arguments and rejects negative ones by name', async () => {
    new Alarms('ops', {
      ...ARGS,
      fallbackRecordsPer5Min: 50,
      iteratorAgeMs: 60_000,
      dataFreshnessSeconds: 600,
      quotaHeadroomBelow: 3,
      throttledSharePercent: 20,
    });
    await settle();
    const threshold = (n: string) =>
      one<Alarm>('aws:cloudwatch/metricAlarm:MetricAlarm', `ops-${n}`).inputs.threshold;
    expect(
      [
        'fallback-volume',
        'router-iterator-age',
        'fallback-freshness',
        'quota-headroom',
        'router-throttled',
      ].map(threshold),
    ).to.deep.equal([50, 60_000, 600, 3, 20]);
    expect(ofType('aws:sns/topicSubscription:TopicSubscription')).to.have.length(0);
    expect(() => new Alarms('bad', { ...ARGS, iteratorAgeMs: -1 })).to.throw(
      'Alarms bad: iteratorAgeMs must be a number ≥ 0, got -1',
    );
  });

  it('tomorrow-not-ready waits the runs it is given (settings with a longer nightly gap), 1-24', async () => {
    new Alarms('late', { ...ARGS, tomorrowNotReadyRuns: 5 });
    await settle();
    const alarm = one('aws:cloudwatch/metricAlarm:MetricAlarm', 'late-tomorrow-not-ready').inputs;
    expect(alarm.evaluationPeriods).to.equal(5);
    expect(alarm.alarmDescription).to.equal(
      "Tomorrow's hourly streams (within the lookahead) have been incomplete for 5 runs: check quota, foreign streams, shortfall.",
    );
    expect(() => new Alarms('bad', { ...ARGS, tomorrowNotReadyRuns: 25 })).to.throw(
      'Alarms bad: tomorrowNotReadyRuns must be an integer from 1 to 24, got 25',
    );
  });
});
