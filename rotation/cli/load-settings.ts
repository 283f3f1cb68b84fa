// Turns the operator's input (a settings file or the environment, and flag values) into validated
// values, or into a UsageError whose message says which input is wrong and what is expected. Kept
// apart from commander and from AWS so every message is tested without either.
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import '../core/luxon-strict'; // --now is parsed here: an impossible instant throws, never NaN
import { isoMillisOrProblem } from '../core/iso-millis';
import { parseSettings, RotationSettings, SettingsError, SETTINGS_ENV } from '../core/settings';

/** Bad input from the operator: exit code 2, the message printed after "error: ". */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const NOW_FORMAT = 'an RFC 3339 instant with Z or an offset, e.g. 2026-11-22T05:30:00Z';

/**
 * Parses `--now` by the router's own date-time rule (docs/router.md): a time without an offset names
 * no instant. Throws a plain Error whose message commander appends to its "invalid" line.
 */
export function parseNow(value: string): DateTime {
  const millis = isoMillisOrProblem(value);
  if (typeof millis === 'number') return DateTime.fromMillis(millis, { zone: 'utc' });
  throw new Error(`expected ${NOW_FORMAT}`);
}

/** How far `--now` may be from this machine's clock for `rotate` and `teardown` (5 minutes). */
export const MAX_NOW_SKEW_SECONDS = 300;

/**
 * `rotate` and `teardown` change real streams: at an instant hours ahead, the current hour looks
 * drained and is deleted while the router writes to it; hours behind, hours already signalled
 * complete are recreated and signalled again. A small skew (a copy-pasted time, a slow clock) is
 * harmless; more takes `--allow-clock-skew`, a flag that names the risk.
 */
export function checkNowSkew(
  command: string,
  now: DateTime | undefined,
  clock: DateTime,
  allowed: boolean,
): void {
  if (now === undefined || allowed) return;
  const skewMs = now.toMillis() - clock.toMillis();
  if (Math.abs(skewMs) <= MAX_NOW_SKEW_SECONDS * 1000) return;
  const seconds = Math.ceil(Math.abs(skewMs) / 1000);
  throw new UsageError(
    `--now ${now.toISO()} is ${seconds} s ${skewMs > 0 ? 'ahead of' : 'behind'} this machine's clock ` +
      `(${clock.toISO()}); ${command} accepts at most ${MAX_NOW_SKEW_SECONDS} s, because it changes real ` +
      `streams: ahead it can delete streams the router still writes to, behind it can recreate hours ` +
      `already complete and signal them again. Use plan --now to look; pass --allow-clock-skew to ` +
      `${command} anyway`,
  );
}

export interface SettingsSource {
  /** `--config` path, if given; it wins over the environment. */
  config?: string;
  env: Record<string, string | undefined>;
}

/** Reads, parses and validates the settings; every failure is a UsageError naming its source. */
export function loadSettings(source: SettingsSource): RotationSettings {
  const { text, origin } = readSource(source);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${origin} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseSettings(raw);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    throw new UsageError(`invalid settings in ${origin}:\n  - ${err.problems.join('\n  - ')}`);
  }
}

function readSource({ config, env }: SettingsSource): { text: string; origin: string } {
  if (config !== undefined) {
    try {
      return { text: readFileSync(config, 'utf8'), origin: `--config ${config}` };
    } catch (err) {
      const { code, message } = err as NodeJS.ErrnoException;
      throw new UsageError(`cannot read --config ${config}: ${code ?? message}`);
    }
  }
  const text = env[SETTINGS_ENV];
  if (text === undefined || text.trim() === '') {
    throw new UsageError(
      `no settings: pass --config <file.json> or set ${SETTINGS_ENV} to the settings JSON`,
    );
  }
  return { text, origin: SETTINGS_ENV };
}
