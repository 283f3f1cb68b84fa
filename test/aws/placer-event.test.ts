import { expect } from 'chai';
import { Readable } from 'node:stream';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { PlacerDeps } from '../../rotation/aws/placer';
import { placeS3Event, totalsOf } from '../../rotation/aws/placer-event';
import { publishPlacerError, publishPlacerMetrics } from '../../rotation/aws/placer-metrics';
import { metricsOptions, SERVICE } from '../../rotation/core/metric-contract';
import { sourceTag } from '../../rotation/core/placement';
import { objectCreatedEvent } from '../../rotation/local/fallback-notifications';
import { capturingJson, emfDocuments } from '../support/capture-stdout';
import { at, settings } from '../support/fixtures';

/**
 * The lake as the placer meets it: every fallback object holds `body`, no hour is complete yet.
 * Records each S3 call's command and input; any other call, and any event, throws.
 */
function lakeOf(body: string) {
  const calls: [string, object][] = [];
  const send = (command: { input: object }) => {
    calls.push([command.constructor.name, command.input]);
    if (command instanceof GetObjectCommand)
      return Promise.resolve({ Body: Readable.from([Buffer.from(body)]) });
    if (command instanceof PutObjectCommand) return Promise.resolve({});
    if (command instanceof ListObjectsV2Command) return Promise.resolve({ Contents: [] });
    return Promise.reject(new Error(`unexpected ${command.constructor.name}`));
  };
  const events = { send: () => Promise.reject(new Error('no event expected: no hour is complete')) };
  const clients = { s3: { send }, events } as unknown as PlacerDeps['clients'];
  return { clients, calls };
}

describe('placer: S3 notifications and metrics', () => {
  it('reads bucket, decoded key, version and ETag from each notification', async () => {
    const event = objectCreatedEvent('demo-lake', {
      key: 'late/2026/11/22/07/a b+c=d.gz',
      size: 10,
      eTag: 'e1',
      versionId: 'v1',
    });
    expect(event.Records[0].s3.object.key).to.equal('late/2026/11/22/07/a+b%2Bc%3Dd.gz');
    const unversioned = objectCreatedEvent('demo-lake', { key: 'late/x', size: 1, eTag: 'e2' });
    const lake = lakeOf('{"timestamp":"2026-11-22T05:10:00Z"}\n');
    const deps = { clients: lake.clients, now: () => at('2026-11-22T09:00:00Z') };
    const s = settings({ compression: 'UNCOMPRESSED' });
    const totals = await placeS3Event(deps, s, { Records: [...event.Records, ...unversioned.Records] });
    expect([totals.objects, totals.placed]).to.deep.equal([2, 2]);
    // Each object read at its decoded key and exact version; the placed copy named by the version,
    // or by the ETag when the bucket gave no version.
    const placed = (tag: string) => `data/dt=2026-11-22/hr=05/placed-${tag}-0000`;
    expect(lake.calls.filter(([command]) => command !== 'ListObjectsV2Command')).to.deep.equal([
      ['GetObjectCommand', { Bucket: 'demo-lake', Key: 'late/2026/11/22/07/a b+c=d.gz', VersionId: 'v1' }],
      [
        'PutObjectCommand',
        {
          Bucket: 'demo-lake',
          Key: placed(sourceTag('demo-lake', 'late/2026/11/22/07/a b+c=d.gz', 'v1')),
          Body: Buffer.from('{"timestamp":"2026-11-22T05:10:00Z"}\n'),
        },
      ],
      ['GetObjectCommand', { Bucket: 'demo-lake', Key: 'late/x', VersionId: undefined }],
      [
        'PutObjectCommand',
        {
          Bucket: 'demo-lake',
          Key: placed(sourceTag('demo-lake', 'late/x', 'e2')),
          Body: Buffer.from('{"timestamp":"2026-11-22T05:10:00Z"}\n'),
        },
      ],
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
