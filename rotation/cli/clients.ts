// The AWS clients one CLI run needs. Endpoint, Region and credentials come from the SDK's own
// chain (AWS_ENDPOINT_URL[_FIREHOSE|_S3|_EVENTBRIDGE], AWS_REGION, AWS_PROFILE, …); `overrides`
// exists for tests, which point every client at moto and speed up the pacer.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { FirehoseClient, FirehoseClientConfig } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import { controlPlaneClient } from '../aws/firehose-clients';
import { SignalClients } from '../aws/hour-complete';

export interface AwsOverrides {
  endpoint?: string;
  region?: string;
  credentials?: AwsCredentialIdentity;
  requestHandler?: FirehoseClientConfig['requestHandler'];
  forcePathStyle?: boolean;
  /** Control-plane pacing; the default is AWS's hard limit of 5 calls/s. */
  callsPerSecond?: number;
}

export class CliClients {
  readonly firehose: FirehoseClient;
  private signalClients?: SignalClients;

  constructor(private readonly overrides: AwsOverrides = {}) {
    const { forcePathStyle, ...firehose } = overrides;
    void forcePathStyle; // an S3-only option
    this.firehose = controlPlaneClient(firehose);
  }

  /**
   * S3 and EventBridge, made only for the commands that may delete: a drained hour gets its
   * hour-complete signal before its stream goes, exactly as with the scheduled Lambda, so a rotation
   * run by hand never leaves consumers waiting for an hour that is in fact final.
   */
  signals(): SignalClients {
    const { callsPerSecond, forcePathStyle, ...common } = this.overrides;
    void callsPerSecond;
    this.signalClients ??= {
      s3: new S3Client({ ...common, forcePathStyle }),
      events: new EventBridgeClient(common),
    };
    return this.signalClients;
  }

  destroy(): void {
    this.firehose.destroy();
    this.signalClients?.s3.destroy();
    this.signalClients?.events.destroy();
  }
}
