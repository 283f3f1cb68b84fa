// Types for the two modules of aws-kinesis-agg 4.2.8 (awslabs, Apache-2.0) this project loads by
// path. The package's own index.d.ts types its index, which loads both the de-aggregator and the
// aggregator (with `async`), and imports the v2 `aws-sdk` types; the router bundle needs only the
// de-aggregator (see docs/router.md for the bundle cost).

declare module 'aws-kinesis-agg/lib/kpl-deagg' {
  /** The Lambda event's form of a Kinesis record: `data` is base64. */
  export interface KinesisRecordInput {
    data: string;
    partitionKey?: string;
    sequenceNumber?: string;
  }

  export interface UserRecord {
    partitionKey?: string;
    explicitPartitionKey?: string;
    sequenceNumber?: string;
    /** Absent when the input was not an aggregate (it is then returned as one record). */
    subSequenceNumber?: number;
    /** base64 */
    data: string;
  }

  /**
   * Calls back synchronously: once with (error) when the aggregate cannot be read (bad protobuf,
   * bad checksum), else once with (null, records). A failure on one user record calls back with
   * (error, record) and then once more at the end.
   */
  export function deaggregateSync(
    kinesisRecord: KinesisRecordInput,
    computeChecksums: boolean,
    afterRecordCallback: (err: Error | null | undefined, userRecords?: UserRecord[]) => void,
  ): void;
}

declare module 'aws-kinesis-agg/lib/kpl-agg' {
  export interface EncodedRecord {
    partitionKey: string;
    data: Buffer;
  }

  /** Collects user records into one aggregated Kinesis record (at most 1 MiB). */
  export class RecordAggregator {
    constructor(onReadyCallback?: (err: Error | null, record?: EncodedRecord) => void);
    /** Throws when the record would push the aggregate past 1 MiB. */
    addUserRecord(record: { partitionKey: string; data: Buffer; explicitHashKey?: string }): void;
    checkIfUserRecordFits(record: { partitionKey: string; data: Buffer }): boolean;
    /** The aggregate of the records added so far (undefined when none), and a fresh start. */
    build(): EncodedRecord | undefined;
    length(): number;
  }
}
