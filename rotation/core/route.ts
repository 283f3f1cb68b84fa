// The router's vocabulary: where a record goes (Route), why it went to the fallback, and the
// settings routing reads. Types only, in a module of their own so that routing (which calls
// spreading) and spreading (which reads routes) do not import each other: no import circles.
import type { DateTime } from 'luxon';
import type { RotationSettings } from './settings';

export type RoutingSettings = Pick<
  RotationSettings,
  | 'streamPrefix'
  | 'fallbackStreamName'
  | 'eventTimeField'
  | 'eventTimeFormat'
  | 'latenessMinutes'
  | 'bufferingIntervalSeconds'
  | 'safetyMarginMinutes'
  | 'horizonDays'
  | 'formerGenerations'
  | 'streamsPerHour'
>;

/**
 * Why a record went to the fallback stream; 'unavailable' is set by delivery, not here.
 * 'multi-line' and 'byte-order-mark' are valid JSON that, kept unchanged, would not be one JSON
 * document per line under an hourly partition (see lineProblem).
 */
export type FallbackReason =
  | 'late'
  | 'early'
  | 'no-timestamp'
  | 'bad-timestamp'
  | 'not-json'
  | 'multi-line'
  | 'byte-order-mark'
  | 'unavailable';

export type Route =
  | {
      kind: 'hourly';
      stream: string;
      hour: DateTime;
      /** writeDeadline(hour), epoch ms */ writeDeadlineMs: number;
      /**
       * Only with streamsPerHour > 1 (core/spreading): the hour's streams in index order and this
       * route's index among them; with one stream per hour a route is exactly what it always was.
       */
      siblings?: readonly string[];
      index?: number;
      /** Set by delivery on a route it moved records to (throttled, or their sibling missing). */
      moved?: boolean;
    }
  | { kind: 'fallback'; stream: string; reason: FallbackReason; detail?: string };
