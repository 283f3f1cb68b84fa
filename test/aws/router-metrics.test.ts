import { expect } from 'chai';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { publishRouterMetrics } from '../../rotation/aws/router-metrics';
import { metricsOptions, SERVICE } from '../../rotation/core/metric-contract';
import { capturingJson, emfDocuments } from '../support/capture-stdout';

describe('router metrics (EMF through Powertools)', () => {
  it('publishes totals, fallback records (the fallback-volume alarm metric) and per-reason counts', async () => {
    // As the handler builds it: service and deployment are default dimensions.
    const metrics = new Metrics(metricsOptions(SERVICE.router, 'demo/dev'));
    const { lines } = await capturingJson(() =>
      publishRouterMetrics(metrics, {
        records: 10,
        delivered: 9,
        failed: 1,
        perStream: { 'events-2026112205': 6, 'events-fallback': 3 },
        perReason: { hourly: 6, late: 2, 'not-json': 1 },
        perFailure: { 'too-large': 1 },
        calls: 2,
      }),
    );
    const docs = emfDocuments(lines);
    const pick = (d: Record<string, unknown>, keys: string[]) =>
      Object.fromEntries(keys.map((k) => [k, d[k]]));
    expect(
      pick(docs[0], [
        'service',
        'deployment',
        'RecordsIn',
        'RecordsToHourly',
        'FallbackRecords',
        'FailedAfterRetries',
        'PutRecordBatchCalls',
      ]),
    ).to.deep.equal({
      service: 'router',
      deployment: 'demo/dev',
      RecordsIn: 10,
      RecordsToHourly: 6,
      FallbackRecords: 3,
      FailedAfterRetries: 1,
      PutRecordBatchCalls: 2,
    });
    // Every document, the per-reason single metrics too, has one dimension set with the deployment:
    // the set each stack's alarms and dashboard select on (CloudWatch matches dimension sets exactly).
    expect(docs.map((d) => d._aws?.CloudWatchMetrics.map((m) => m.Dimensions))).to.deep.equal([
      [[['service', 'deployment']]],
      [[['service', 'deployment', 'reason']]],
      [[['service', 'deployment', 'reason']]],
      [[['service', 'deployment', 'reason']]],
    ]);
    expect(
      docs.slice(1).map((d) => pick(d, ['reason', 'FallbackRecordsByReason', 'FailedRecordsByReason'])),
    ).to.deep.equal([
      { reason: 'late', FallbackRecordsByReason: 2, FailedRecordsByReason: undefined },
      { reason: 'not-json', FallbackRecordsByReason: 1, FailedRecordsByReason: undefined },
      { reason: 'too-large', FallbackRecordsByReason: undefined, FailedRecordsByReason: 1 },
    ]);
  });
});
