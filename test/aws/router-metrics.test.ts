import { expect } from 'chai';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { publishRouterMetrics } from '../../rotation/aws/router-metrics';
import { capturingJson, emfDocuments } from '../support/capture-stdout';

describe('router metrics (EMF through Powertools)', () => {
  it('publishes totals, fallback records (the fallback-volume alarm metric) and per-reason counts', async () => {
    const metrics = new Metrics({ namespace: 'FirehoseRotation', serviceName: 'router' });
    const { lines } = await capturingJson(() =>
      publishRouterMetrics(metrics, {
        records: 10,
        delivered: 9,
        failed: 1,
        perStream: { 'events-2026112205': 6, 'events-fallback': 3 },
        perReason: { hourly: 6, late: 2, 'not-json': 1 },
        perFailure: { 'too-large': 1 },
        calls: 2,
        throttled: 0,
      }),
    );
    const docs = emfDocuments(lines);
    const pick = (d: Record<string, unknown>, keys: string[]) =>
      Object.fromEntries(keys.map((k) => [k, d[k]]));
    expect(
      pick(docs[0], [
        'service',
        'RecordsIn',
        'RecordsToHourly',
        'FallbackRecords',
        'FailedAfterRetries',
        'PutRecordBatchCalls',
      ]),
    ).to.deep.equal({
      service: 'router',
      RecordsIn: 10,
      RecordsToHourly: 6,
      FallbackRecords: 3,
      FailedAfterRetries: 1,
      PutRecordBatchCalls: 2,
    });
    expect(
      docs.slice(1).map((d) => pick(d, ['reason', 'FallbackRecordsByReason', 'FailedRecordsByReason'])),
    ).to.deep.equal([
      { reason: 'late', FallbackRecordsByReason: 2, FailedRecordsByReason: undefined },
      { reason: 'not-json', FallbackRecordsByReason: 1, FailedRecordsByReason: undefined },
      { reason: 'too-large', FallbackRecordsByReason: undefined, FailedRecordsByReason: 1 },
    ]);
  });
});
