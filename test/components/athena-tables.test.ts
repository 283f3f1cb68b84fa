import { expect } from 'chai';
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { AthenaTables } from '../../components/athena-tables';
import { expectComponentTree } from './assertions';
import { inventory, one, promiseOf, recordOptions, settle, useMocks } from './mocks';

const ARGS = {
  bucketName: 'lake-0a1b2c3',
  dataPrefix: 'data',
  fallbackPrefix: 'late',
  databaseName: 'events_dev',
  firstDay: '2026-01-01',
};
const RAW_LINES = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe' },
  columns: [{ name: 'raw', type: 'string', comment: 'the event exactly as produced (one JSON line)' }],
};

describe('AthenaTables', () => {
  useMocks();

  it('projects dt/hr partitions over the data prefix (no crawler) and maps the fallback prefix', async () => {
    const athena = new AthenaTables('lake', ARGS, { transformations: [recordOptions] });
    await settle();
    expect(inventory()).to.deep.equal({
      'aws:glue/catalogDatabase:CatalogDatabase': 1,
      'aws:glue/catalogTable:CatalogTable': 2,
    });
    expect(one('aws:glue/catalogDatabase:CatalogDatabase', 'lake-db').inputs.name).to.equal('events_dev');
    const events = one<pulumi.Unwrap<aws.glue.CatalogTableArgs>>(
      'aws:glue/catalogTable:CatalogTable',
      'lake-events',
    ).inputs;
    expect(events.parameters).to.deep.equal({
      EXTERNAL: 'TRUE',
      classification: 'json',
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2026-01-01,NOW+1DAYS',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'projection.hr.type': 'integer',
      'projection.hr.range': '0,23',
      'projection.hr.digits': '2',
      'storage.location.template': 's3://lake-0a1b2c3/data/dt=${dt}/hr=${hr}/',
    });
    expect(events.partitionKeys?.map((k) => [k.name, k.type])).to.deep.equal([
      ['dt', 'string'],
      ['hr', 'string'],
    ]);
    expect(events.storageDescriptor).to.deep.equal({ location: 's3://lake-0a1b2c3/data/', ...RAW_LINES });
    const fallback = one('aws:glue/catalogTable:CatalogTable', 'lake-fallback').inputs;
    expect(fallback.partitionKeys).to.equal(undefined);
    expect(fallback.storageDescriptor).to.deep.equal({ location: 's3://lake-0a1b2c3/late/', ...RAW_LINES });
    expect([
      await promiseOf(athena.eventsTableName),
      await promiseOf(athena.fallbackTableName),
    ]).to.deep.equal(['events', 'fallback']);
    expectComponentTree(athena, 'lake');
  });

  const bad: [Partial<typeof ARGS>, string][] = [
    [
      { databaseName: 'Events-Dev' },
      'AthenaTables lake: databaseName must be 1-255 of [a-z0-9_], got "Events-Dev"',
    ],
    [{ firstDay: '2026/01/01' }, 'AthenaTables lake: firstDay must be a date yyyy-MM-dd, got "2026/01/01"'],
  ];
  for (const [override, message] of bad) {
    it(`rejects ${JSON.stringify(override)}`, () => {
      expect(() => new AthenaTables('lake', { ...ARGS, ...override })).to.throw(message);
    });
  }
});
