// The one integer-range check. The settings schema, the components' arguments and the `npm start`
// flags all accept "an integer from min to max" and say so in the same words. Pure.

/** Inclusive bounds; `unit` names what is counted in the message ("minutes", "streams"). */
export interface IntRange {
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}

export function isIntIn(value: unknown, range: IntRange): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** "an integer from 1 to 7 days": the rule as the error messages state it. */
export function intRangeText(range: IntRange): string {
  return `an integer from ${range.min} to ${range.max}${range.unit ? ` ${range.unit}` : ''}`;
}
