// Builds the Kinesis event Lambda hands the router: base64 data plus the sequence numbers that
// batchItemFailures must echo back.
import type { KinesisStreamEvent } from 'aws-lambda';

export interface KinesisInput {
  sequenceNumber: string;
  data: string | Uint8Array;
}

export function kinesisEvent(records: KinesisInput[], arrivalSeconds = 1795325400): KinesisStreamEvent {
  return {
    Records: records.map((r, i) => ({
      awsRegion: 'us-east-1',
      eventID: `shardId-000000000000:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      eventSource: 'aws:kinesis',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/events',
      eventVersion: '1.0',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/router',
      kinesis: {
        approximateArrivalTimestamp: arrivalSeconds + i / 1000,
        data: Buffer.from(r.data).toString('base64'),
        kinesisSchemaVersion: '1.0',
        partitionKey: `pk-${i}`,
        sequenceNumber: r.sequenceNumber,
      },
    })),
  };
}
