// The lifecycle simulation's invariants, judged at the wire and at each moment the role or a
// stream's destination can change (after every `up` step and every rotation run):
// - every destination prefix in use (each stream's Prefix and ErrorOutputPrefix, read back with
//   DescribeDeliveryStream) lies under a prefix the delivery role allows at that moment, and every
//   record sent to a stream that has one is counted (on AWS: AccessDenied, retried 24 h, lost);
// - no delete before H end + the longest lateness + buffering + margin of any configuration seen,
//   except of a stream that never accepted a record (a far-ahead stream made again or given back:
//   empty by I1); records accepted into a stream deleted before its drain are counted;
// - one hour, one destination (I2): the S3 prefixes of the streams each hour's records went to;
// - no create takes the count above the quota in effect;
// and at the end: no drained stream left over, every record found in S3 by id.
import {
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommandInput,
} from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseStreamName } from '../rotation/core/names';
import { RotationSettings } from '../rotation/core/settings';
import { PlanningWindow } from '../rotation/core/time-window';
import { deletableAt } from '../rotation/core/stream-deletion';
import { SimStack } from './lifecycle-stack';
import { listStreamNames } from '../rotation/aws/firehose-streams';
import { SimClock, Violations } from './sim-support';

type Hook = (command: string, input: Record<string, unknown>, after?: { error?: string }) => Promise<void>;

/** Runs `hook` before and after every command the client sends. */
export function onCommand(client: FirehoseClient, hook: Hook): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      await hook(command, input);
      try {
        const out = await next(args);
        await hook(command, input, {});
        return out;
      } catch (err) {
        await hook(command, input, { error: (err as Error).name });
        throw err;
      }
    },
    { step: 'initialize', name: 'lifecycleChecks' },
  );
}

const ID = /"id":"v-(\d{7})"/g;

export class LifecycleChecker {
  readonly violations = new Violations();
  readonly streamsDisallowed = new Set<string>();
  private readonly seen: RotationSettings[] = [];
  private readonly prefixOf = new Map<string, string[]>();
  writesDisallowed = 0;
  quotaBreaches = 0;
  deletedBeforeDrain = 0;
  /** Streams deleted before their drain instant that had accepted no record: allowed (I1). */
  deletedEmptyEarly = 0;
  /** Records accepted into a stream that was then deleted before its drain instant. */
  recordsInEarlyDeleted = 0;
  private readonly acceptedInto = new Map<string, number>();
  /** Per hour key, the destination prefixes its records were accepted into. */
  private readonly hourDestinations = new Map<string, Set<string>>();
  created = 0;
  /** Creates by name prefix: shows which hours were made under which streamPrefix. */
  readonly createdByPrefix: Record<string, number> = {};
  deleted = 0;
  recreated = 0;
  maxStreams = 0;
  tearingDown = false;

  constructor(
    private readonly stack: SimStack,
    private readonly clock: SimClock,
    private readonly observer: FirehoseClient,
  ) {}

  private at = () => this.clock.now().toISO();
  private note(): RotationSettings {
    const s = this.stack.settings;
    if (!this.seen.includes(s)) this.seen.push(s);
    return s;
  }
  /** The longest drain of every configuration the stack has had: the strictest delete rule. */
  private window(): PlanningWindow {
    const max = (f: (s: RotationSettings) => number) => Math.max(...this.seen.map(f));
    return {
      latenessMinutes: max((s) => s.latenessMinutes),
      bufferingIntervalSeconds: max((s) => s.bufferingIntervalSeconds),
      safetyMarginMinutes: max((s) => s.safetyMarginMinutes),
      horizonDays: max((s) => s.horizonDays),
    };
  }
  private hourOfName(name: string) {
    for (const s of this.seen) {
      const hour = parseStreamName(s.streamPrefix, name);
      if (hour) return hour;
    }
    return undefined;
  }
  private allowed(prefix: string): boolean {
    return this.stack.allowed.some((a) => prefix.startsWith(`${a}/`));
  }

  async names(): Promise<string[]> {
    const names = await listStreamNames(this.observer);
    this.maxStreams = Math.max(this.maxStreams, names.length);
    return names;
  }

  rotationHook: Hook = async (command, input, after) => {
    const s = this.note();
    const name = typeof input.DeliveryStreamName === 'string' ? input.DeliveryStreamName : '';
    if (!after && command === 'DeleteDeliveryStream' && !this.tearingDown) {
      const hour = this.hourOfName(name);
      const at = hour && deletableAt(hour, this.window());
      const accepted = this.acceptedInto.get(name) ?? 0;
      if (at && this.clock.now() < at && accepted === 0) this.deletedEmptyEarly++;
      else if (!at || this.clock.now() < at) {
        this.deletedBeforeDrain++;
        this.recordsInEarlyDeleted += accepted;
        this.violations.add(
          `${this.at()}: deleted ${name} before its drain instant ${at?.toISO()} (${accepted} records accepted)`,
        );
      }
    }
    if (!after) return;
    // A destination that may have changed is read again at the next check; the rest stay cached.
    if (['CreateDeliveryStream', 'DeleteDeliveryStream'].includes(command)) {
      this.prefixOf.delete(name);
    }
    if (after.error === 'LimitExceededException') {
      this.quotaBreaches++;
      this.violations.add(`${this.at()}: LimitExceededException creating ${name}`);
    }
    if (after.error) return;
    if (command === 'DeleteDeliveryStream') this.deleted++;
    if (command === 'CreateDeliveryStream') {
      this.created++;
      this.acceptedInto.delete(name);
      const prefix = name.slice(0, -11);
      this.createdByPrefix[prefix] = (this.createdByPrefix[prefix] ?? 0) + 1;
      const count = (await this.names()).length;
      if (count > s.quota) {
        this.quotaBreaches++;
        this.violations.add(`${this.at()}: ${count} streams after creating ${name}, quota ${s.quota}`);
      }
    }
  };

  routerHook: Hook = async (command, input, after) => {
    if (command !== 'PutRecordBatch') return;
    const { DeliveryStreamName: name, Records } = input as unknown as PutRecordBatchCommandInput;
    const prefixes = this.prefixOf.get(name!) ?? (await this.describe(name!));
    if (!after) {
      if (prefixes.some((p) => !this.allowed(p))) this.writesDisallowed += Records?.length ?? 0;
      return;
    }
    if (after.error || name === this.stack.settings.fallbackStreamName) return;
    this.acceptedInto.set(name!, (this.acceptedInto.get(name!) ?? 0) + (Records?.length ?? 0));
    const hour = this.hourOfName(name!);
    if (!hour || !prefixes[0]) return;
    const key = hour.toFormat('yyyyMMddHH');
    const seen = this.hourDestinations.get(key) ?? new Set<string>();
    this.hourDestinations.set(key, seen.add(prefixes[0]));
  };

  /** Hours whose records were accepted into streams of more than one destination prefix (I2). */
  hoursSpanningDestinations(): string[] {
    const split = [...this.hourDestinations].filter(([, prefixes]) => prefixes.size > 1).map(([k]) => k);
    for (const key of split)
      this.violations.add(`hour ${key} written under ${[...this.hourDestinations.get(key)!].join(' and ')}`);
    return split.sort();
  }

  private async describe(name: string): Promise<string[]> {
    try {
      const out = await this.observer.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
      const d = out.DeliveryStreamDescription!.Destinations![0].ExtendedS3DestinationDescription!;
      const prefixes = [d.Prefix ?? '', d.ErrorOutputPrefix ?? ''].filter((p) => p !== '');
      this.prefixOf.set(name, prefixes);
      return prefixes;
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return [];
      throw err;
    }
  }

  /**
   * Every stream's destination prefixes against the role, now. A stream's prefixes are read with
   * DescribeDeliveryStream whenever they may have changed (created again); otherwise from the
   * last reading, which keeps a check per moment affordable on moto.
   */
  async prefixesInUse(when: string): Promise<void> {
    this.note();
    for (const name of await this.names()) {
      for (const p of this.prefixOf.get(name) ?? (await this.describe(name))) {
        if (this.allowed(p)) continue;
        this.streamsDisallowed.add(name);
        this.violations.add(`${this.at()} ${when}: ${name} writes to ${p}, which the role does not allow`);
      }
    }
  }

  /** Streams still there an hourly run after their drain instant (or of no known name). */
  async leakedStreams(): Promise<string[]> {
    const fallback = this.stack.settings.fallbackStreamName;
    const leaked = (await this.names()).filter((name) => {
      if (name === fallback) return false;
      const hour = this.hourOfName(name);
      return !hour || this.clock.now() >= deletableAt(hour, this.window()).plus({ hours: 1 });
    });
    for (const name of leaked) this.violations.add(`${this.at()}: ${name} leaked (drained, never deleted)`);
    return leaked;
  }

  /** Every record by id: found at least once in S3, or reported to the on-failure destination. */
  async reconcile(s3: S3Client, bucket: string, produced: number, reported: ReadonlySet<string>) {
    const copies = new Uint16Array(produced);
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const { Key } of page.Contents ?? []) {
        const body = await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
        ).Body!.transformToString();
        for (const m of body.matchAll(ID)) copies[Number(m[1])]++;
      }
      token = page.NextContinuationToken;
    } while (token);
    let found = 0;
    let lost = 0;
    copies.forEach((c, id) => {
      if (c > 0) found++;
      else if (!reported.has(`49650000000000000000000000${String(id).padStart(12, '0')}`)) lost++;
    });
    return { found, lost };
  }
}
