// Shared pieces of the simulations: a simulated clock that only moves when told (or when the code
// under test sleeps), a seeded random source so a run can be replayed, and SDK retry settings that
// keep retries real but their waits instant.
import type { StandardRetryBackoffStrategy } from '@smithy/types';
import { DateTime } from 'luxon';

/** Simulated time in epoch milliseconds; `sleep` advances it instead of waiting. */
export class SimClock {
  constructor(public ms: number) {}
  static at(iso: string): SimClock {
    return new SimClock(DateTime.fromISO(iso, { zone: 'utc' }).toMillis());
  }
  now = (): DateTime => DateTime.fromMillis(this.ms, { zone: 'utc' });
  advance = (ms: number): void => {
    this.ms += Math.max(0, ms);
  };
  /** Jumps forward to `t`; never back, because the code under test may have slept past it. */
  advanceTo(t: DateTime): void {
    this.ms = Math.max(this.ms, t.toMillis());
  }
  sleep = (ms: number): Promise<void> => {
    this.advance(ms);
    return Promise.resolve();
  };
}

/** mulberry32: small, fast and seedable, so a failing seed can be rerun exactly (I/O order aside). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next = (): number => {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** The SDK's retry decisions stay real; only the wait between attempts is removed. */
export const INSTANT_BACKOFF: StandardRetryBackoffStrategy = {
  computeNextBackoffDelay: () => 0,
  setDelayBase: () => undefined,
};

/** Violations are collected, not thrown, so one run reports all of them with their context. */
export class Violations {
  readonly list: string[] = [];
  add(what: string): void {
    if (this.list.length < 1000) this.list.push(what);
    else this.dropped++;
  }
  dropped = 0;
  get count(): number {
    return this.list.length + this.dropped;
  }
}

export function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}; use --name value`);
    out[m[1]] = m[2] ?? argv[++i] ?? '';
  }
  return out;
}
