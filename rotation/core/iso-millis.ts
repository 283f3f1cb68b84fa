// A hand-written parser for the ISO-8601 shape nearly every producer writes (extended date and
// time to the second, an optional fraction, Z or ±hh:mm), so the router needs no DateTime per
// record. Pure. Anything else (week dates, basic format, 24:00, ...) goes to luxon, which stays the
// authority; test/core/event-time-agreement.test.ts checks that both agree on any input.
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The number written by `len` ASCII digits at `at`, or -1 if any is not a digit. */
function digits(v: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

// Char codes of the separators commonIsoMillis checks; charCodeAt allocates nothing, v[i] may.
const DASH = 45,
  COLON = 58,
  DOT = 46,
  PLUS = 43,
  T = 84,
  Z = 90;
/** Multiplier turning a fraction of 1, 2 or 3 digits into ms (exactly luxon's floor rule). */
const FRACTION_SCALE = [0, 100, 10, 1];

/**
 * Epoch ms of the ISO-8601 shape almost every producer writes — yyyy-MM-ddTHH:mm:ss, an optional
 * fraction, then Z or ±hh:mm — with every field in range; otherwise undefined and luxon decides.
 */
export function commonIsoMillis(v: string): number | undefined {
  if (
    v.length < 20 ||
    v.charCodeAt(4) !== DASH ||
    v.charCodeAt(7) !== DASH ||
    v.charCodeAt(10) !== T ||
    v.charCodeAt(13) !== COLON ||
    v.charCodeAt(16) !== COLON
  )
    return undefined;
  const y = digits(v, 0, 4),
    mo = digits(v, 5, 2),
    d = digits(v, 8, 2);
  const h = digits(v, 11, 2),
    mi = digits(v, 14, 2),
    se = digits(v, 17, 2);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return undefined;
  if (d > (mo === 2 && leap(y) ? 29 : DAYS[mo - 1])) return undefined;
  let i = 19;
  let ms = 0;
  if (v.charCodeAt(i) === DOT) {
    let end = i + 1;
    while (end < v.length && v.charCodeAt(end) >= 48 && v.charCodeAt(end) <= 57) end++;
    const n = end - i - 1;
    if (n === 0 || n > 9) return undefined;
    // Up to 3 digits the integer equals luxon's floor(parseFloat("0.f") * 1000) (checked for all
    // 1,110 fractions); longer ones take luxon's own rounding rule.
    ms =
      n <= 3
        ? digits(v, i + 1, n) * FRACTION_SCALE[n]
        : Math.floor(parseFloat(`0.${v.slice(i + 1, end)}`) * 1000);
    i = end;
  }
  let offset: number;
  if (v.charCodeAt(i) === Z && i + 1 === v.length) offset = 0;
  else if (
    (v.charCodeAt(i) === PLUS || v.charCodeAt(i) === DASH) &&
    i + 6 === v.length &&
    v.charCodeAt(i + 3) === COLON
  ) {
    const oh = digits(v, i + 1, 2),
      om = digits(v, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offset = (v.charCodeAt(i) === DASH ? -1 : 1) * (oh * 60 + om) * 60_000;
  } else return undefined;
  // Date.UTC with every field in range, as plain arithmetic (Date.UTC was most of this function).
  return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000 + ms - offset;
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}
