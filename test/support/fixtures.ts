// Shared test fixtures: a valid settings object and UTC instants.
import { DateTime } from 'luxon';
import { parseSettings, RotationSettings, SettingsInput } from '../../rotation/core/settings';

export const BASE_SETTINGS: SettingsInput = {
  deploymentId: 'demo/dev',
  streamPrefix: 'events',
  fallbackStreamName: 'events-fallback',
  bucketArn: 'arn:aws:s3:::demo-lake',
  deliveryRoleArn: 'arn:aws:iam::123456789012:role/demo-delivery',
};

export function settings(overrides: Partial<SettingsInput> = {}): RotationSettings {
  return parseSettings({ ...BASE_SETTINGS, ...overrides });
}

export function at(iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: 'utc' });
}
