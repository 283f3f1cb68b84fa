// The one parser of event-time strings: RFC 3339 `date-time` with the options docs/router.md lists
// in its table (lowercase t/z, seconds optional, any fraction length, ±hhmm and ±hh offsets).
// Hand-written so the router needs no DateTime per record, and so that every field is range-checked
// (luxon does not check offsets) and fractions are truncated digit by digit (luxon rounds through
// parseFloat, which can carry .9999999999999999999 into the next second, hour and day). Pure.
// test/core/event-time-agreement.test.ts holds it against luxon and a regex of the documented rule.
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The number written by `len` ASCII digits at `at`, or -1 if any is not a digit. */
function digits(v: string, at: number, len: number): number {
  if (at + len > v.length) return -1;
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

// Char codes of the separators; charCodeAt allocates nothing, v[i] may.
const DASH = 45,
  COLON = 58,
  DOT = 46,
  PLUS = 43,
  T = 84,
  LOWER_T = 116,
  Z = 90,
  LOWER_Z = 122;
/** Multiplier turning the first 1, 2 or 3 fraction digits into ms. */
const FRACTION_SCALE = [0, 100, 10, 1];

/** Why a string is not an event time; the first failed rule decides, for a precise log line. */
export type IsoProblem = 'shape' | 'no-offset' | 'range' | 'offset-range';

/**
 * Epoch ms of an event-time string per the documented rule, or the rule it breaks:
 * `YYYY-MM-DD` `T|t` `hh:mm[:ss[.fraction]]` then `Z|z` or `±hh[[:]mm]`. Every field is range-checked
 * (month, day of that month, hh ≤ 23, mm ≤ 59, ss ≤ 59, offset hh ≤ 23 and mm ≤ 59), and a fraction of
 * any length is truncated to the millisecond.
 */
export function isoMillisOrProblem(v: string): number | IsoProblem {
  const sep = v.charCodeAt(10);
  if (
    v.length < 16 ||
    v.charCodeAt(4) !== DASH ||
    v.charCodeAt(7) !== DASH ||
    (sep !== T && sep !== LOWER_T) ||
    v.charCodeAt(13) !== COLON
  )
    return 'shape';
  const y = digits(v, 0, 4),
    mo = digits(v, 5, 2),
    d = digits(v, 8, 2),
    h = digits(v, 11, 2),
    mi = digits(v, 14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return 'shape';
  let i = 16;
  let se = 0;
  let ms = 0;
  if (v.charCodeAt(i) === COLON) {
    se = digits(v, i + 1, 2);
    if (se < 0) return 'shape';
    i += 3;
    if (v.charCodeAt(i) === DOT) {
      let end = i + 1;
      while (end < v.length && v.charCodeAt(end) >= 48 && v.charCodeAt(end) <= 57) end++;
      const n = end - i - 1;
      if (n === 0) return 'shape';
      // Truncated, not rounded: the instant is never moved past the written one.
      ms = digits(v, i + 1, Math.min(n, 3)) * FRACTION_SCALE[Math.min(n, 3)];
      i = end;
    }
  }
  let offset = 0;
  const zone = v.charCodeAt(i);
  if (zone === Z || zone === LOWER_Z) {
    if (i + 1 !== v.length) return 'shape';
  } else if (zone === PLUS || zone === DASH) {
    const rest = v.length - i - 1;
    const oh = digits(v, i + 1, 2);
    let om = 0;
    if (rest === 5 && v.charCodeAt(i + 3) === COLON) om = digits(v, i + 4, 2);
    else if (rest === 4) om = digits(v, i + 3, 2);
    else if (rest !== 2) return 'shape';
    if (oh < 0 || om < 0) return 'shape';
    if (oh > 23 || om > 59) return 'offset-range';
    offset = (zone === DASH ? -1 : 1) * (oh * 60 + om) * 60_000;
  } else return i === v.length ? 'no-offset' : 'shape';
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return 'range';
  if (d > (mo === 2 && leap(y) ? 29 : DAYS[mo - 1])) return 'range';
  return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000 + ms - offset;
}

/** isoMillisOrProblem for the hot path: the instant, or undefined whatever the reason. */
export function commonIsoMillis(v: string): number | undefined {
  const r = isoMillisOrProblem(v);
  return typeof r === 'number' ? r : undefined;
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}
