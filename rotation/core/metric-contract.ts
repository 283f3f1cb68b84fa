// The metric contract between the Lambda handlers (which emit) and the alarms and dashboards (which
// read): one namespace, one service dimension per function, one name per metric. Both sides import
// these constants, so a renamed metric cannot leave an alarm watching a name nobody emits.
// Pure: no AWS or Pulumi imports.

/** CloudWatch namespace of every metric the two functions publish (Embedded Metric Format). */
export const METRIC_NAMESPACE = 'FirehoseRotation';

/** Powertools adds `service` as a dimension; the alarms select on it. */
export const SERVICE = { rotation: 'rotation', router: 'router', placer: 'placer' } as const;
export type Service = (typeof SERVICE)[keyof typeof SERVICE];
/** The name of that dimension, for readers that spell dimensions out (the dashboard). */
export const SERVICE_DIMENSION = 'service';

/**
 * Every metric of both functions also carries the deployment (its deploymentId): several stacks in
 * one account publish to the same namespace, and each stack's alarms and dashboard must see only
 * its own runs and records.
 */
export const DEPLOYMENT_DIMENSION = 'deployment';

/**
 * The Powertools Metrics options of one function of one deployment: both handlers build their
 * Metrics from this, so neither can publish without the dimensions the alarms select on.
 */
export function metricsOptions(service: Service, deploymentId: string) {
  return {
    namespace: METRIC_NAMESPACE,
    serviceName: service,
    defaultDimensions: { [DEPLOYMENT_DIMENSION]: deploymentId },
  };
}

/** Metrics the rotation function publishes once per run (dimensions service=rotation, deployment). */
export const ROTATION_METRICS = {
  streamsCreated: 'StreamsCreated',
  streamsDeleted: 'StreamsDeleted',
  hoursCompleted: 'HoursCompleted',
  shortfall: 'Shortfall',
  tomorrowMissing: 'TomorrowStreamsMissing',
  quotaHeadroom: 'QuotaHeadroom',
  /** Every stream in the Region after the run (ours, foreign, fallback): the dashboard's quota graph. */
  streamsInRegion: 'StreamsInRegion',
  ownershipConflicts: 'OwnershipConflicts',
  /** Current and next hour (and still-open past hours) without a stream after the run. */
  nearTermShortfall: 'NearTermShortfall',
  /** 1 when the fallback stream does not exist (its slot is kept free for it). */
  fallbackMissing: 'FallbackMissing',
  /** Drained hours whose `_SUCCESS` marker or event failed this run (stream held or deleted). */
  hourSignalsFailed: 'HourSignalsFailed',
  /** Deployments seen in the Region, this one included (docs/sharing.md). */
  deploymentsInRegion: 'DeploymentsInRegion',
  /** 1 when the live windows and fallbacks of all deployments do not fit the quota. */
  liveWindowsOverQuota: 'LiveWindowsOverQuota',
  /** Streams with our owner tag under a prefix the role cannot delete (ownership is the tag). */
  orphansRefused: 'OrphanStreamsRefused',
  /** The heartbeat: 1 per successful run. */
  succeeded: 'RotationSucceeded',
} as const;

/** Metrics the router publishes once per invocation (dimensions service=router, deployment). */
export const ROUTER_METRICS = {
  recordsIn: 'RecordsIn',
  recordsToHourly: 'RecordsToHourly',
  fallbackRecords: 'FallbackRecords',
  failedAfterRetries: 'FailedAfterRetries',
  putRecordBatchCalls: 'PutRecordBatchCalls',
  /**
   * Records in entries Firehose refused for throughput ("Slow down."), once per refusal: with
   * RecordsIn, the throttled share that tells when to raise streamsPerHour (docs/operations.md).
   */
  recordsThrottled: 'RecordsThrottled',
  /** Extra dimension `reason` (see REASON_DIMENSION). */
  fallbackByReason: 'FallbackRecordsByReason',
  /** Extra dimension `reason` (see REASON_DIMENSION). */
  failedByReason: 'FailedRecordsByReason',
} as const;

/** Dimension name of the per-reason router metrics. */
export const REASON_DIMENSION = 'reason';

/** Metrics the placer publishes once per invocation (dimensions service=placer, deployment). */
export const PLACER_METRICS = {
  /** Late and early records written into their event-time partition. */
  recordsPlaced: 'RecordsPlaced',
  /** Fallback lines the placer leaves where they are (no usable event time). */
  recordsKept: 'RecordsKept',
  objectsWritten: 'PlacedObjectsWritten',
  hoursAmended: 'HoursAmended',
  /** 1 per invocation that failed (Lambda retries it; after the retries it goes to the DLQ). */
  errors: 'PlacerErrors',
  /** Extra dimension `reason` (see REASON_DIMENSION). */
  keptByReason: 'RecordsKeptByReason',
} as const;
