// I2 as a property of the real executor: across random settings changes (dataPrefix, buffering,
// streamsPerHour 1-3) at random instants, after every rotation run every hour's streams share one
// destination, and no stream of a near-term hour was deleted before its drain. An in-memory
// Firehose (instant deletes, like moto) answers exactly the calls the executor makes and throws on
// any other, so an UpdateDestination would fail the property too.
import { expect } from 'chai';
import fc from 'fast-check';
import { rotate } from '../../rotation/aws/executor';
import { generationOf, nextFormers, parseKnownHourlyName } from '../../rotation/core/generations';
import { hourKey } from '../../rotation/core/names';
import { parseSettings, RotationSettings, SettingsInput } from '../../rotation/core/settings';
import { drainWindow, mayDelete } from '../../rotation/core/stream-deletion';
import { hourOf } from '../../rotation/core/time-window';
import { at, settings } from '../support/fixtures';
import { runs } from '../support/property-runs';

interface Stream {
  prefix: string;
  tags: Record<string, string>;
}

/** The Firehose control plane in memory: List, ListTags, Describe, Create, Delete. */
function memoryFirehose(fallback: string) {
  const streams = new Map<string, Stream>([[fallback, { prefix: 'late/', tags: {} }]]);
  const deletes: string[] = [];
  const send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const kind = command.constructor.name.replace(/Command$/, '');
    const input = command.input as {
      DeliveryStreamName: string;
      Tags?: { Key: string; Value: string }[];
      ExtendedS3DestinationConfiguration?: { Prefix?: string };
    };
    const name = input.DeliveryStreamName;
    const missing = () => Object.assign(new Error(name), { name: 'ResourceNotFoundException' });
    switch (kind) {
      case 'ListDeliveryStreams':
        return { DeliveryStreamNames: [...streams.keys()].sort(), HasMoreDeliveryStreams: false };
      case 'ListTagsForDeliveryStream': {
        const s = streams.get(name);
        if (!s) throw missing();
        return { Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })), HasMoreTags: false };
      }
      case 'DescribeDeliveryStream': {
        const s = streams.get(name);
        if (!s) throw missing();
        const x = { Prefix: s.prefix, BucketARN: 'arn:aws:s3:::demo-lake' };
        return {
          DeliveryStreamDescription: {
            DeliveryStreamStatus: 'ACTIVE',
            Destinations: [{ ExtendedS3DestinationDescription: x }],
          },
        };
      }
      case 'CreateDeliveryStream': {
        if (streams.has(name)) throw Object.assign(new Error(name), { name: 'ResourceInUseException' });
        const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]));
        streams.set(name, { prefix: input.ExtendedS3DestinationConfiguration?.Prefix ?? '', tags });
        return {};
      }
      case 'DeleteDeliveryStream':
        if (!streams.delete(name)) throw missing();
        deletes.push(name);
        return {};
      default:
        throw new Error(`unexpected ${kind}`);
    }
  };
  const client = { send: (c: never) => new Promise((resolve) => resolve(send(c))) };
  return { streams, deletes, client: client as never };
}

const CHANGES: Partial<SettingsInput>[] = [
  { dataPrefix: 'data2' },
  { dataPrefix: 'data3', streamsPerHour: 2 },
  { streamsPerHour: 3 },
  { bufferingIntervalSeconds: 60 },
  { deploymentId: 'demo/prod' },
];

describe('one hour, one destination: a property of the executor (I2)', () => {
  it('after every run of any sequence of settings changes, each hour has one destination; near-term hours keep their streams', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 180 }), fc.option(fc.constantFrom(...CHANGES))), {
          minLength: 3,
          maxLength: 8,
        }),
        async (steps) => {
          let s: RotationSettings = settings({ quota: 500 });
          let t = at('2026-11-22T10:20:00Z');
          const fh = memoryFirehose(s.fallbackStreamName);
          await rotate({ client: fh.client, now: () => t }, s);
          for (const [minutes, change] of steps) {
            t = t.plus({ minutes });
            // At most 4 former configurations may be live (the settings refuse a fifth).
            if (change && s.formerGenerations.length < 4) {
              const next = settings({ ...change, quota: 500 });
              const state = { current: generationOf(s), formers: s.formerGenerations };
              s = parseSettings({ ...next, formerGenerations: nextFormers(state, next, t) });
            }
            fh.deletes.length = 0;
            await rotate({ client: fh.client, now: () => t }, s);
            // Deleted and gone or made again: never a stream of a near-term hour before its drain.
            const next = hourOf(t).plus({ hours: 1 });
            for (const name of fh.deletes) {
              const hour = parseKnownHourlyName(name, s)?.hour;
              const early = hour !== undefined && hour <= next && !mayDelete(hour, t, drainWindow(s));
              expect(early, `${name} deleted at ${t.toISO()}`).to.equal(false);
            }
            const byHour = new Map<string, Set<string>>();
            for (const [name, x] of fh.streams) {
              const hour = parseKnownHourlyName(name, s)?.hour;
              if (!hour) continue;
              const set = byHour.get(hourKey(hour)) ?? new Set<string>();
              byHour.set(hourKey(hour), set.add(x.prefix.replace(/dt=.*$/, '')));
            }
            for (const [key, prefixes] of byHour)
              expect([...prefixes], `hour ${key} at ${t.toISO()}`).to.have.length(1);
          }
        },
      ),
      { numRuns: runs(10) },
    );
  });
});
