// The placer: reads one fallback object as a stream, writes each line the router's event-time rule
// can read into its hour's partition (core/placement.ts), leaves every other line where it is, and
// tells consumers of hours already signalled complete (core/hour-amended.ts). One object = one
// call's state (Placement). Idempotent: keys and cuts derive from the source object alone, so a
// duplicated notification or a retry after a crash overwrites the same keys with the same lines.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';
import { bucketName } from '../core/hour-complete';
import {
  dataPrefixFor,
  isPlaceable,
  KeepReason,
  LineSplitter,
  placedObjectKey,
  placementReader,
  sourceTag,
} from '../core/placement';
import { Part, PartCutter, PartLimits } from '../core/placement-parts';
import { RotationSettings } from '../core/settings';
import { signalAmendedHours } from './hour-amended-signal';
import { limiter } from './put-retry';

const gzipAsync = promisify(gzip);
/**
 * PutObjects in flight at once. The objects are already held (the cutter's buffer bounds them), so
 * writing several at once adds only their compressed copies; it matters at the end of an object,
 * when every hour's last part is written, and late records of many hours are the usual case.
 */
const PLACER_WRITE_CONCURRENCY = 8;

interface PlacerClients {
  s3: S3Client;
  events: EventBridgeClient;
}

export interface PlacerDeps {
  clients: PlacerClients;
  now: () => DateTime;
  /** Object cuts (core/placement-parts.ts); tests and the bench use small ones. */
  limits?: PartLimits;
}

/** A fallback object as an S3 notification names it. */
export interface SourceObject {
  bucket: string;
  key: string;
  /** Set on a versioned bucket (the lake is one): the exact version the notification is about. */
  versionId?: string;
  eTag?: string;
}

interface PlacedObject {
  key: string;
  hour: string;
  records: number;
  bytes: number;
}

export interface PlacementResult {
  source: string;
  /** Records written into their hour's partition. */
  placed: number;
  /** Lines left in the fallback only, by reason. */
  kept: Partial<Record<KeepReason, number>>;
  objects: PlacedObject[];
  /** Prefixes of hours already complete that got an "Hour Partition Amended" event. */
  amended: string[];
  /** Bytes of the fallback object read (after decompression). */
  bytesRead: number;
  /** Set when the object was not read at all, and why. */
  skipped?: string;
}

type PlaceableSettings = Pick<
  RotationSettings,
  | 'deploymentId'
  | 'bucketArn'
  | 'dataPrefix'
  | 'fallbackPrefix'
  | 'compression'
  | 'eventTimeField'
  | 'eventTimeFormat'
  | 'eventBusName'
  | 'formerGenerations'
>;

export async function placeObject(
  deps: PlacerDeps,
  s: PlaceableSettings,
  source: SourceObject,
): Promise<PlacementResult> {
  return new Placement(deps, s, source).run();
}

class Placement {
  private readonly result: PlacementResult;
  private readonly tag: string;
  private readonly perHour = new Map<number, { objects: string[]; records: number }>();
  private readonly limit = limiter(PLACER_WRITE_CONCURRENCY);

  constructor(
    private readonly deps: PlacerDeps,
    private readonly s: PlaceableSettings,
    private readonly source: SourceObject,
  ) {
    this.result = {
      source: `s3://${source.bucket}/${source.key}`,
      placed: 0,
      kept: {},
      objects: [],
      amended: [],
      bytesRead: 0,
    };
    this.tag = sourceTag(source.bucket, source.key, source.versionId ?? source.eTag ?? '');
  }

  async run(): Promise<PlacementResult> {
    const skipped = this.skipReason();
    if (skipped) return { ...this.result, skipped };
    const { s3 } = this.deps.clients;
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: this.source.bucket,
        Key: this.source.key,
        VersionId: this.source.versionId,
      }),
    );
    const body = object.Body as Readable;
    // pipeline, not pipe: a body that fails mid-read must fail the gunzip (and this run) too.
    const lines = this.s.compression === 'GZIP' ? pipeline(body, createGunzip(), () => undefined) : body;
    const decide = placementReader(this.s);
    const splitter = new LineSplitter();
    const cutter = new PartCutter(this.deps.limits);
    // Sequential on purpose: each write finishes before the next chunk is read, so at most the
    // cutter's buffer (plus one chunk and one compressed object) is held, whatever the object's size.
    for await (const chunk of lines as AsyncIterable<Buffer>) {
      this.result.bytesRead += chunk.byteLength;
      for (const line of splitter.push(chunk)) {
        const hour = decide(line);
        if (typeof hour === 'number') await this.writeAll(cutter.add(hour, line));
        else this.keep(hour);
      }
    }
    if (splitter.end()) this.keep('unterminated');
    for (let i = 0; i < splitter.overlongLines; i++) this.keep('too-long');
    await this.writeAll(cutter.finish());
    // After every object is written: an hour whose marker appears later was completed after they
    // existed, so its "complete" consumers see them; one whose marker is already there gets told.
    // Written concurrently: the keys (part order within an hour) are what is deterministic.
    this.result.objects.sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const hour of this.perHour.values()) hour.objects.sort();
    this.result.amended = await signalAmendedHours(this.deps, this.s, this.perHour, this.result.source);
    return this.result;
  }

  private skipReason(): string | undefined {
    if (this.source.bucket !== bucketName(this.s.bucketArn))
      return `not the lake bucket ${bucketName(this.s.bucketArn)}`;
    if (!this.source.key.startsWith(`${this.s.fallbackPrefix}/`))
      return `not under ${this.s.fallbackPrefix}/`;
    if (!isPlaceable(this.s.compression)) return `compression ${this.s.compression} is not placeable`;
    return undefined;
  }

  private keep(reason: KeepReason): void {
    this.result.kept[reason] = (this.result.kept[reason] ?? 0) + 1;
  }

  private async writeAll(parts: Part[]): Promise<void> {
    await Promise.all(parts.map((part) => this.limit(() => this.write(part))));
  }

  private async write(part: Part): Promise<void> {
    const compression = this.s.compression as 'UNCOMPRESSED' | 'GZIP';
    const prefix = dataPrefixFor(part.hourMs, this.s);
    const key = placedObjectKey(prefix, part.hourMs, this.tag, part.part, compression);
    const plain = Buffer.concat(part.lines);
    const body = compression === 'GZIP' ? await gzipAsync(plain) : plain;
    await this.deps.clients.s3.send(
      new PutObjectCommand({ Bucket: this.source.bucket, Key: key, Body: body }),
    );
    const hour = this.perHour.get(part.hourMs) ?? { objects: [], records: 0 };
    hour.objects.push(key);
    hour.records += part.lines.length;
    this.perHour.set(part.hourMs, hour);
    this.result.placed += part.lines.length;
    this.result.objects.push({
      key,
      hour: DateTime.fromMillis(part.hourMs, { zone: 'utc' }).toISO(),
      records: part.lines.length,
      bytes: part.bytes,
    });
  }
}
