// The name of an AWS SDK error, for logs, reports and classification, and the one line that
// describes it. SDK v3 service errors carry their exception name (`ThrottlingException`,
// `ResourceInUseException`) in `name`; anything thrown without one (a string, a plain object) reads
// as "Error" rather than "undefined".
export const errorName = (err: unknown): string => (err as { name?: string } | undefined)?.name ?? 'Error';

/**
 * "Name: message", as delivery's failures, the signal gate's failures and the CLI's last line
 * print it; a value thrown without a message reads as its String() ("Error: boom" for `throw
 * 'boom'`).
 */
export const describeError = (err: unknown): string =>
  `${errorName(err)}: ${(err as { message?: string }).message ?? String(err)}`;
