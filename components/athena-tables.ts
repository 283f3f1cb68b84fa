// Glue tables for Athena over the data lake: one over the event-time partitions with partition
// projection on dt/hr (no crawler, no MSCK REPAIR: a new hour is queryable the moment it lands),
// one over the fallback prefix. Rows are the raw JSON lines; consumers extract fields with
// json_extract_scalar, so the table never has to follow the producers' schema.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface AthenaTablesArgs {
  bucketName: pulumi.Input<string>;
  dataPrefix: string;
  fallbackPrefix: string;
  /** Glue database name: lower case letters, digits and underscores, at most 255 characters. */
  databaseName: string;
  /** First day the dt projection covers (yyyy-MM-dd); queries outside the range see no partitions. */
  firstDay: string;
}

/** One string column holding the whole line; Firehose's .gz objects are read transparently. */
function rawLines(location: pulumi.Input<string>): aws.types.input.glue.CatalogTableStorageDescriptor {
  return {
    location,
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    // JSON text never contains a raw \u0001 (it must be escaped), so each line stays one value.
    serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe' },
    columns: [{ name: 'raw', type: 'string', comment: 'the event exactly as produced (one JSON line)' }],
  };
}

export class AthenaTables extends pulumi.ComponentResource {
  public readonly databaseName: pulumi.Output<string>;
  public readonly eventsTableName: pulumi.Output<string>;
  public readonly fallbackTableName: pulumi.Output<string>;

  constructor(name: string, args: AthenaTablesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    if (!/^[a-z0-9_]{1,255}$/.test(args.databaseName)) {
      throw new Error(
        `AthenaTables ${name}: databaseName must be 1-255 of [a-z0-9_], got "${args.databaseName}"`,
      );
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(args.firstDay)) {
      throw new Error(`AthenaTables ${name}: firstDay must be a date yyyy-MM-dd, got "${args.firstDay}"`);
    }
    super('firehose-rotation:index:AthenaTables', name, {}, opts);
    const child = { parent: this };
    const database = new aws.glue.CatalogDatabase(`${name}-db`, { name: args.databaseName }, child);
    const base = pulumi.interpolate`s3://${args.bucketName}/${args.dataPrefix}/`;

    const events = new aws.glue.CatalogTable(
      `${name}-events`,
      {
        name: 'events',
        databaseName: database.name,
        tableType: 'EXTERNAL_TABLE',
        description: 'Raw events partitioned by event-time hour (dt, hr) with partition projection',
        partitionKeys: [
          { name: 'dt', type: 'string', comment: 'event date, UTC, yyyy-MM-dd' },
          { name: 'hr', type: 'string', comment: 'event hour, UTC, 00-23' },
        ],
        parameters: {
          EXTERNAL: 'TRUE',
          classification: 'json',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': `${args.firstDay},NOW+1DAYS`,
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'projection.hr.type': 'integer',
          'projection.hr.range': '0,23',
          'projection.hr.digits': '2',
          'storage.location.template': pulumi.interpolate`${base}dt=\${dt}/hr=\${hr}/`,
        },
        storageDescriptor: rawLines(base),
      },
      child,
    );

    const fallback = new aws.glue.CatalogTable(
      `${name}-fallback`,
      {
        name: 'fallback',
        databaseName: database.name,
        tableType: 'EXTERNAL_TABLE',
        description: 'Late, early and unparseable records, by arrival time (not partitioned)',
        parameters: { EXTERNAL: 'TRUE', classification: 'json' },
        storageDescriptor: rawLines(pulumi.interpolate`s3://${args.bucketName}/${args.fallbackPrefix}/`),
      },
      child,
    );

    this.databaseName = database.name;
    this.eventsTableName = events.name;
    this.fallbackTableName = fallback.name;
    this.registerOutputs({
      databaseName: this.databaseName,
      eventsTableName: this.eventsTableName,
      fallbackTableName: this.fallbackTableName,
    });
  }
}
