import { expect } from 'chai';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { sourcesOfS3Event, totalsOf } from '../../rotation/aws/placer-event';
import { publishPlacerError, publishPlacerMetrics } from '../../rotation/aws/placer-metrics';
import { metricsOptions, SERVICE } from '../../rotation/core/metric-contract';
import { objectCreatedEvent } from '../../rotation/local/fallback-notifications';
import { capturingJson, emfDocuments } from '../support/capture-stdout';

describe('placer: S3 notifications and metrics', () => {
  it('reads bucket, decoded key, version and ETag from each notification', () => {
    const event = objectCreatedEvent('lake', {
      key: 'late/2026/11/22/07/a b+c=d.gz',
      size: 10,
      eTag: 'e1',
      versionId: 'v1',
    });
    expect(event.Records[0].s3.object.key).to.equal('late/2026/11/22/07/a+b%2Bc%3Dd.gz');
    const unversioned = objectCreatedEvent('lake', { key: 'late/x', size: 1, eTag: 'e2' });
    expect(sourcesOfS3Event({ Records: [...event.Records, ...unversioned.Records] })).to.deep.equal([
      { bucket: 'lake', key: 'late/2026/11/22/07/a b+c=d.gz', versionId: 'v1', eTag: 'e1' },
      { bucket: 'lake', key: 'late/x', versionId: undefined, eTag: 'e2' },
    ]);
  });

  it('adds up the objects of one invocation', () => {
    const one = { source: 's3://l/a', placed: 3, objects: [], amended: ['p/'], bytesRead: 10 };
    expect(
      totalsOf([
        { ...one, kept: { 'not-json': 2 }, objects: [{ key: 'k', hour: 'h', records: 3, bytes: 9 }] },
        { ...one, kept: { 'not-json': 1, unterminated: 1 }, skipped: 'not under late/' },
      ]),
    ).to.deep.equal({
      objects: 2,
      placed: 6,
      kept: 4,
      keptByReason: { 'not-json': 3, unterminated: 1 },
      objectsWritten: 1,
      hoursAmended: 2,
      bytesRead: 20,
      skipped: ['s3://l/a: not under late/'],
    });
  });

  it('publishes placed, kept, objects, amended hours, errors and kept lines per reason', async () => {
    const metrics = new Metrics(metricsOptions(SERVICE.placer, 'demo/dev'));
    const { lines } = await capturingJson(() => {
      publishPlacerMetrics(metrics, {
        ...{ objects: 1, placed: 5, kept: 2, keptByReason: { 'not-json': 2 } },
        ...{ objectsWritten: 2, hoursAmended: 1, bytesRead: 100, skipped: [] },
      });
      publishPlacerError(metrics);
    });
    const docs = emfDocuments(lines);
    const pick = (d: Record<string, unknown>, keys: string[]) =>
      Object.fromEntries(keys.map((k) => [k, d[k]]));
    const keys = [
      'service',
      'deployment',
      'RecordsPlaced',
      'RecordsKept',
      'PlacedObjectsWritten',
      'HoursAmended',
      'PlacerErrors',
    ];
    expect(docs.map((d) => pick(d, [...keys, 'reason', 'RecordsKeptByReason']))).to.deep.equal([
      {
        service: 'placer',
        deployment: 'demo/dev',
        RecordsPlaced: 5,
        RecordsKept: 2,
        PlacedObjectsWritten: 2,
        HoursAmended: 1,
        PlacerErrors: 0,
        reason: undefined,
        RecordsKeptByReason: undefined,
      },
      {
        service: 'placer',
        deployment: 'demo/dev',
        RecordsPlaced: undefined,
        RecordsKept: undefined,
        PlacedObjectsWritten: undefined,
        HoursAmended: undefined,
        PlacerErrors: undefined,
        reason: 'not-json',
        RecordsKeptByReason: 2,
      },
      {
        service: 'placer',
        deployment: 'demo/dev',
        RecordsPlaced: undefined,
        RecordsKept: undefined,
        PlacedObjectsWritten: undefined,
        HoursAmended: undefined,
        PlacerErrors: 1,
        reason: undefined,
        RecordsKeptByReason: undefined,
      },
    ]);
  });
});
