// The placer's throughput on moto: one GZIP fallback object of late events spread over 24 hours,
// placed by placeObject (the handler's own code, real S3 client over HTTP), against a floor that
// reads the same object the same way (GetObject, gunzip, split into lines) and places nothing.
// MiB/s are of fallback bytes read (uncompressed), the unit a fallback object's size is set in.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DateTime } from 'luxon';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { placeObject } from '../rotation/aws/placer';
import { LineSplitter } from '../rotation/core/placement';
import { parseSettings } from '../rotation/core/settings';
import { clientConfig } from '../rotation/local/moto';

export interface PlacerBench {
  mib: number;
  records: number;
  hours: number;
  placedObjects: number;
  placerSeconds: number;
  placerCpuSeconds: number;
  floorSeconds: number;
}

const BUCKET = 'bench-lake';
const S = parseSettings({
  deploymentId: 'bench/placer',
  streamPrefix: 'events',
  fallbackStreamName: 'events-fallback',
  bucketArn: `arn:aws:s3:::${BUCKET}`,
  deliveryRoleArn: 'arn:aws:iam::123456789012:role/bench',
});

/** ~1 KiB events, 2-26 hours late, interleaved as a fallback object holds them. */
function fallbackBody(mib: number): { body: Buffer; records: number } {
  const start = DateTime.fromISO('2026-11-22T00:00:00Z', { zone: 'utc' });
  const pad = 'x'.repeat(900);
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < mib * 1024 * 1024; i++) {
    const time = start.plus({ hours: i % 24, seconds: i % 3600 }).toISO();
    const line = `${JSON.stringify({ id: `e-${i}`, timestamp: time, pad })}\n`;
    lines.push(line);
    bytes += line.length;
  }
  return { body: Buffer.from(lines.join('')), records: lines.length };
}

export async function measurePlacer(endpoint: string, mib: number): Promise<PlacerBench> {
  const s3 = new S3Client(clientConfig(endpoint));
  const events = new EventBridgeClient(clientConfig(endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const { body, records } = fallbackBody(mib);
  const key = 'late/2026/11/23/04/events-fallback-1-bench.gz';
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: gzipSync(body) }));

  const floorStart = process.hrtime.bigint();
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const splitter = new LineSplitter();
  let lines = 0;
  for await (const chunk of (got.Body as Readable).pipe(createGunzip()) as AsyncIterable<Buffer>)
    lines += [...splitter.push(chunk)].length;
  const floorSeconds = Number(process.hrtime.bigint() - floorStart) / 1e9;
  if (lines !== records) throw new Error(`bench floor read ${lines} lines of ${records}`);

  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  const r = await placeObject({ clients: { s3, events }, now: () => DateTime.utc() }, S, {
    bucket: BUCKET,
    key,
    eTag: put.ETag,
  });
  const placerSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const used = process.cpuUsage(cpu);
  if (r.placed !== records) throw new Error(`bench placed ${r.placed} of ${records}`);
  s3.destroy();
  events.destroy();
  return {
    mib: r.bytesRead / 1024 / 1024,
    records,
    hours: new Set(r.objects.map((o) => o.hour)).size,
    placedObjects: r.objects.length,
    placerSeconds,
    placerCpuSeconds: (used.user + used.system) / 1e6,
    floorSeconds,
  };
}
