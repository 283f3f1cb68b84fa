// Event times for tests only, every one read through the router's own reader (eventMillisReader):
// a field value on its own, the value at a path, and the result as a DateTime, so what the tests
// check is the router's parse.
import { DateTime } from 'luxon';
import { EventMillis, EventTimeFormat, eventMillisReader } from '../../rotation/core/event-time';

export type EventTime = { ok: true; time: DateTime } | Exclude<EventMillis, { ok: true }>;

/** EventMillis as a DateTime: one rule, whichever form the caller wants. */
function asEventTime(time: EventMillis): EventTime {
  return time.ok ? { ok: true, time: DateTime.fromMillis(time.millis, { zone: 'utc' }) } : time;
}

/** One field value per the configured format: the router's reader on a document holding only it. */
export function parseEventMillis(value: unknown, format: EventTimeFormat): EventMillis {
  return eventMillisReader('value', format)({ value });
}

/** Interprets one field value per the configured format. */
export function parseEventTime(value: unknown, format: EventTimeFormat): EventTime {
  return asEventTime(parseEventMillis(value, format));
}

/** The event time of a parsed JSON document, read from `field` (dotted path allowed). */
export function eventTimeOf(doc: unknown, field: string, format: EventTimeFormat): EventTime {
  return asEventTime(eventMillisReader(field, format)(doc));
}

/**
 * The value the router finds at a dotted path, for a field holding a number: read as epoch millis,
 * a number comes back as itself; an absent field (or null) as undefined.
 */
export function fieldAt(doc: unknown, path: string): unknown {
  const time = eventMillisReader(path, 'epochMillis')(doc);
  if (time.ok) return time.millis;
  if (time.reason === 'no-timestamp') return undefined;
  throw new Error(`fieldAt: ${path} holds no number (${time.detail})`);
}
