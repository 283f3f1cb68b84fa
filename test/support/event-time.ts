// Event times as DateTimes, for tests only: the router reads epoch ms (parseEventMillis), and these
// adapters turn exactly that result into a DateTime, so what the tests check is the router's parse.
import { DateTime } from 'luxon';
import {
  EventMillis,
  EventTimeFormat,
  EventTimeProblem,
  fieldAt,
  parseEventMillis,
} from '../../rotation/core/event-time';

export type EventTime =
  { ok: true; time: DateTime } | { ok: false; reason: EventTimeProblem; detail: string };

/** EventMillis as a DateTime: one rule, whichever form the caller wants. */
function asEventTime(time: EventMillis): EventTime {
  return time.ok ? { ok: true, time: DateTime.fromMillis(time.millis, { zone: 'utc' }) } : time;
}

/** Interprets one field value per the configured format. */
export function parseEventTime(value: unknown, format: EventTimeFormat): EventTime {
  return asEventTime(parseEventMillis(value, format));
}

/** The event time of a parsed JSON document, read from `field` (dotted path allowed). */
export function eventTimeOf(doc: unknown, field: string, format: EventTimeFormat): EventTime {
  return parseEventTime(fieldAt(doc, field), format);
}
