// The parts of an hourly stream that the Pulumi program must agree with: the tags rotation sets
// (the rotation role allows exactly these keys) and the log stream its delivery errors go to (the
// delivery role's log group must contain it). The SDK request builder (aws/stream-config) and the
// components both read them here. Pure: no AWS or Pulumi imports.
import { DateTime } from 'luxon';
import { configDigest } from './generations';
import { hourKey } from './names';
import { codeStreamTags, RotationSettings } from './settings';

/** Log stream (inside settings.logGroupName) that every hourly stream logs delivery errors to. */
export const HOURLY_DELIVERY_LOG_STREAM = 'DestinationDelivery';

/** A stream tag in Firehose's request shape. */
export interface StreamTag {
  Key: string;
  Value: string;
}

export function hourlyStreamTags(s: RotationSettings, hour: DateTime): StreamTag[] {
  const tags = { ...s.extraTags, ...codeStreamTags(s, hourKey(hour), configDigest(s)) };
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
