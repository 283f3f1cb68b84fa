// Part 2b: the placer after the router chaos, on the S3 the chaos left behind. Every fallback object
// gets its ObjectCreated notification twice (S3 delivers at least once); each delivery runs the
// placer's own entry point (placeS3Event) with up to 2 retries, as Lambda's asynchronous invocation
// does, under injected S3 faults (placer-faults.ts) that kill runs mid-object; events that exhaust
// their retries go to a dead-letter list an operator replays once the faults are gone. Then every
// fallback copy of a record with an event time must be placed exactly once, in its hour, unchanged.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { DateTime } from 'luxon';
import { placeS3Event } from '../rotation/aws/placer-event';
import { bucketName } from '../rotation/core/hour-complete';
import { PLACED_OBJECT_NAME_PREFIX } from '../rotation/core/placement';
import { RotationSettings } from '../rotation/core/settings';
import { listFallbackObjects, objectCreatedEvent } from '../rotation/local/fallback-notifications';
import { clientConfig } from '../rotation/local/moto';
import { S3Faults, S3FaultKind } from './placer-faults';
import { fnv1a, ID_PATTERN, Producer } from './router-records';
import { Rng, Violations } from './sim-support';

export interface PlacerSimOptions {
  endpoint: string;
  settings: RotationSettings;
  producer: Producer;
  seed: number;
  /** Share of GetObject and PutObject calls that meet a fault while faults are armed. */
  faultRate: number;
  now: DateTime;
  progress?: (line: string) => void;
}

export interface PlacerFigures {
  fallbackObjects: number;
  deliveries: number;
  attempts: number;
  failedAttempts: number;
  faults: Record<S3FaultKind, number>;
  deadLetters: number;
  fallbackLines: number;
  /** Fallback copies of records with an event time: each must be placed once. */
  placeable: number;
  placedObjects: number;
  placedLines: number;
  placedTwice: number;
  lost: number;
  misplaced: number;
  violations: string[];
  violationCount: number;
}

/** Lambda's asynchronous invocation: the first attempt and 2 retries. */
const ATTEMPTS = 3;

export async function runPlacerSim(o: PlacerSimOptions): Promise<PlacerFigures> {
  const s = o.settings;
  const bucket = bucketName(s.bucketArn);
  const reader = new S3Client(clientConfig(o.endpoint));
  const s3 = new S3Client(clientConfig(o.endpoint));
  const faults = new S3Faults(new Rng(o.seed), o.faultRate);
  faults.install(s3);
  const deps = { clients: { s3, events: new EventBridgeClient(clientConfig(o.endpoint)) }, now: () => o.now };
  const f = { deliveries: 0, attempts: 0, failedAttempts: 0 };
  const deadLetters: S3Event[] = [];
  const invoke = async (event: S3Event): Promise<boolean> => {
    f.attempts++;
    try {
      await placeS3Event(deps, s, event);
      return true;
    } catch {
      f.failedAttempts++;
      return false;
    }
  };

  const objects = await listFallbackObjects(reader, bucket, s.fallbackPrefix);
  for (const [i, object] of objects.entries()) {
    const event = objectCreatedEvent(bucket, object, String(i));
    for (let delivery = 0; delivery < 2; delivery++) {
      f.deliveries++;
      let done = false;
      for (let attempt = 0; attempt < ATTEMPTS && !done; attempt++) done = await invoke(event);
      if (!done) deadLetters.push(event);
    }
    if ((i + 1) % 100 === 0)
      o.progress?.(`placer: ${i + 1}/${objects.length} fallback objects, ${f.attempts} invocations`);
  }
  faults.armed = false; // the runbook: fix the cause, then replay the dead letters
  const violations = new Violations();
  for (const event of deadLetters)
    if (!(await invoke(event))) violations.add(`a dead letter failed on replay without faults`);

  const r = await reconcilePlacement(reader, bucket, s, o.producer, violations);
  return {
    ...f,
    ...r,
    fallbackObjects: objects.length,
    faults: { ...faults.injected },
    deadLetters: deadLetters.length,
    violations: violations.list,
    violationCount: violations.count,
  };
}

type Reconciled = Pick<
  PlacerFigures,
  'fallbackLines' | 'placeable' | 'placedObjects' | 'placedLines' | 'placedTwice' | 'lost' | 'misplaced'
>;

/** Per record id: its fallback copies against its placed copies, their hour and their bytes. */
async function reconcilePlacement(
  s3: S3Client,
  bucket: string,
  s: RotationSettings,
  producer: Producer,
  violations: Violations,
): Promise<Reconciled> {
  const inFallback = new Map<number, number>();
  const placed = new Map<number, number>();
  const r: Reconciled = {
    fallbackLines: 0,
    placeable: 0,
    placedObjects: 0,
    placedLines: 0,
    placedTwice: 0,
    lost: 0,
    misplaced: 0,
  };
  const partition = new RegExp(
    `^${s.dataPrefix}/dt=(\\d{4}-\\d{2}-\\d{2})/hr=(\\d{2})/${PLACED_OBJECT_NAME_PREFIX}`,
  );
  for await (const { key, lines } of objectLines(s3, bucket)) {
    const hour = partition.exec(key);
    if (key.startsWith(`${s.fallbackPrefix}/`)) {
      for (const line of lines) {
        const id = idOf(line);
        if (id === undefined) continue; // a fragment without an id (none are produced)
        r.fallbackLines++;
        inFallback.set(id, (inFallback.get(id) ?? 0) + 1);
      }
    } else if (hour) {
      r.placedObjects++;
      const hourMs = Date.parse(`${hour[1]}T${hour[2]}:00:00Z`);
      for (const line of lines) {
        r.placedLines++;
        const id = idOf(line);
        const ok =
          id !== undefined &&
          producer.hours[id] === hourMs &&
          fnv1a(line, 0, line.length - 1) === producer.hashes[id];
        if (!ok) {
          r.misplaced++;
          violations.add(`placed line in ${key} is not record ${id}'s, in its hour, unchanged`);
        } else placed.set(id, (placed.get(id) ?? 0) + 1);
      }
    }
  }
  for (const [id, copies] of inFallback) {
    if (Number.isNaN(producer.hours[id])) continue; // no event time: stays in the fallback
    r.placeable += copies;
    const n = placed.get(id) ?? 0;
    if (n > copies) r.placedTwice += n - copies;
    if (n < copies) r.lost += copies - n;
  }
  if (r.placedTwice) violations.add(`${r.placedTwice} placed copies beyond the fallback's`);
  if (r.lost) violations.add(`${r.lost} fallback copies never placed`);
  return r;
}

const idOf = (line: Buffer) => {
  const m = ID_PATTERN.exec(line.toString('latin1'));
  return m ? Number(m[1]) : undefined;
};

async function* objectLines(s3: S3Client, bucket: string): AsyncGenerator<{ key: string; lines: Buffer[] }> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const body = Buffer.from(
        await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray(),
      );
      const lines: Buffer[] = [];
      for (let start = 0, nl = body.indexOf(0x0a); nl !== -1; start = nl + 1, nl = body.indexOf(0x0a, start))
        lines.push(body.subarray(start, nl + 1));
      yield { key: Key!, lines };
    }
    token = page.NextContinuationToken;
  } while (token);
}
