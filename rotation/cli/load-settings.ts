// Turns the operator's input (a settings file or the environment, and flag values) into validated
// values, or into a UsageError whose message says which input is wrong and what is expected. Kept
// apart from commander and from AWS so every message is tested without either.
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { parseSettings, RotationSettings, SettingsError, SETTINGS_ENV } from '../core/settings';

/** Bad input from the operator: exit code 2, the message printed after "error: ". */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Same rule as the router's ISO reading: a time without an offset names no instant. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}(:?\d{2})?)$/;
export const NOW_FORMAT = 'an ISO-8601 instant with Z or an offset, e.g. 2026-11-22T05:30:00Z';

/** Parses `--now`; throws a plain Error whose message commander appends to its "invalid" line. */
export function parseNow(value: string): DateTime {
  if (ISO_WITH_OFFSET.test(value)) {
    try {
      return DateTime.fromISO(value, { setZone: true }).toUTC();
    } catch {
      // falls through: matches the shape but is no real date (e.g. month 13)
    }
  }
  throw new Error(`expected ${NOW_FORMAT}`);
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
