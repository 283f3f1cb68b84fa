// Shared set-up for delivery tests: a scripted fake Firehose, a fake clock whose sleep advances
// time (no real waiting), a recording logger and record builders.
import { DateTime } from 'luxon';
import { DeliveryDeps } from '../../rotation/aws/delivery';
import { deliver, DeliveryReport } from './delivery';
import { planBatch, SourceRecord } from './routing';
import { RotationSettings } from '../../rotation/core/settings';
import { at, settings } from './fixtures';
import { ExpectedCall, ScriptedFirehose } from './fake-firehose';

/** Packing off: these tests show per-entry behaviour one record per entry; packing has its own. */
export const S = settings({ recordPackingKiB: 0 });
/** The defaults: records of one stream packed into Firehose records of up to 1000 KiB. */
export const PACKED = settings();
export const NOW = at('2026-11-22T05:20:00Z');
export const FB = 'events-fallback';
export const H05 = 'events-2026112205';
export const H04 = 'events-2026112204';
export const line = (id: string, timestamp: unknown) => `${JSON.stringify({ id, timestamp })}\n`;
/** A source record as a producer sends it: the JSON line without its newline. */
export const src = (id: string, timestamp: unknown): SourceRecord => ({
  id,
  data: new TextEncoder().encode(line(id, timestamp).slice(0, -1)),
});

export interface Harness {
  fake: ScriptedFirehose;
  sleeps: number[];
  logs: [string, string, Record<string, unknown>][];
  run(records: SourceRecord[]): Promise<DeliveryReport>;
}

export function harness(
  expected: ExpectedCall[],
  opts: { start?: DateTime; deadline?: DateTime; s?: RotationSettings } & Partial<DeliveryDeps> = {},
): Harness {
  const { start = NOW, s = S, ...overrides } = opts;
  let t = start;
  const h: Harness = {
    fake: new ScriptedFirehose(expected),
    sleeps: [],
    logs: [],
    run: async (records) => {
      const deps: DeliveryDeps = {
        client: h.fake.client,
        now: () => t,
        sleep: (ms) => {
          h.sleeps.push(ms);
          t = t.plus({ milliseconds: ms });
          return Promise.resolve();
        },
        deadline: start.plus({ minutes: 1 }),
        // The fake clock enforces the deadline; a real timer would cut off at a real-time instant.
        armCutoff: () => () => undefined,
        random: () => 0.5,
        log: {
          warn: (message, extra) => h.logs.push(['warn', message, extra]),
          error: (message, extra) => h.logs.push(['error', message, extra]),
        },
        ...overrides,
      };
      const report = await deliver(deps, s, planBatch(records, start, s));
      h.fake.assertDone();
      return report;
    },
  };
  return h;
}

export const byId = <T extends { id: string }>(items: T[]) =>
  [...items].sort((a, b) => a.id.localeCompare(b.id));
