// The demo's producers (`npm start -- --producer plain|jsonl|kpl`): how events become Kinesis
// records. `plain` sends one event per record; `jsonl` packs up to PACKED_EVENTS events per record,
// one JSON document per line; `kpl` aggregates up to PACKED_EVENTS events per record the way the
// Kinesis Producer Library does, with aws-kinesis-agg's aggregator (the router reads them with the
// same library's de-aggregator). Packing is what cuts the Kinesis bill at small events: on-demand
// rounds every record up to 1 KB. Pure.
import { RecordAggregator } from 'aws-kinesis-agg/lib/kpl-agg';
import type { ProducedEvent } from './events';

export const PRODUCERS = ['plain', 'jsonl', 'kpl'] as const;
export type Producer = (typeof PRODUCERS)[number];

/** Events per packed Kinesis record: the KPL's default limit is bytes (50 KiB), not a count. */
const PACKED_EVENTS = 10;

/** One Kinesis record as the producer puts it: partition key `id`, its bytes, the events it carries. */
interface ProducerRecord {
  id: string;
  data: Uint8Array;
  events: readonly ProducedEvent[];
}

export function produceRecords(events: readonly ProducedEvent[], producer: Producer): ProducerRecord[] {
  if (producer === 'plain') return events.map((e) => ({ id: e.id, data: Buffer.from(e.data), events: [e] }));
  if (producer === 'kpl') return groups(events).map(aggregated);
  // A JSON Lines producer writes whole documents; a write cut short (not-json) is a record alone,
  // as a producer's failed write would be. Packed with others it would keep them all whole: a record
  // where any line is not a complete document goes to the fallback as one (docs/router.md).
  const whole = events.filter((e) => e.kind !== 'not-json');
  const broken = events.filter((e) => e.kind === 'not-json');
  return [
    ...groups(whole).map((g) => ({
      id: g[0].id,
      data: Buffer.from(g.map((e) => e.data).join('\n')),
      events: g,
    })),
    ...broken.map((e) => ({ id: e.id, data: Buffer.from(e.data), events: [e] })),
  ];
}

function groups<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PACKED_EVENTS) out.push(items.slice(i, i + PACKED_EVENTS));
  return out;
}

/** One KPL aggregate; each user record keyed by its event id, as the plain producer keys records. */
function aggregated(events: readonly ProducedEvent[]): ProducerRecord {
  const aggregator = new RecordAggregator();
  for (const e of events) aggregator.addUserRecord({ partitionKey: e.id, data: Buffer.from(e.data) });
  const record = aggregator.build()!;
  return { id: record.partitionKey, data: record.data, events };
}
