// The name of an AWS SDK error, for logs, reports and classification. SDK v3 service errors carry
// their exception name (`ThrottlingException`, `ResourceInUseException`) in `name`; anything thrown
// without one (a string, a plain object) reads as "Error" rather than "undefined".
export const errorName = (err: unknown): string => (err as { name?: string } | undefined)?.name ?? 'Error';
