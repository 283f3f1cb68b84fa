// The run-wide ledger check joins what parallel workers saved: a request recorded in one worker must
// have been evaluated by the IAM simulation, which ran in another.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRunLedger } from '../support/request-ledger';

describe('checkRunLedger over the parts of parallel workers', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const part = (name: string, recorded: string[], simulated?: string[]) =>
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ recorded, simulated }));

  it('passes when every recorded principal × action was simulated in some worker', () => {
    part('w1', ['router firehose:PutRecordBatch\tPutRecordBatchCommand on arn:a']);
    part('w2', [], ['router firehose:PutRecordBatch', 'rotation firehose:CreateDeliveryStream']);
    expect(() => checkRunLedger(dir)).not.to.throw();
  });

  it('names each request that no worker simulated', () => {
    part('w1', ['rotation s3:PutObject\tPutObjectCommand on arn:aws:s3:::b/k']);
    part(
      'w2',
      ['router firehose:PutRecordBatch\tPutRecordBatchCommand on arn:a'],
      ['router firehose:PutRecordBatch'],
    );
    expect(() => checkRunLedger(dir)).to.throw(
      'requests made in this test run that the IAM simulation never evaluated (add them to test/iam/runtime-scenario.ts):\n' +
        'rotation s3:PutObject (PutObjectCommand on arn:aws:s3:::b/k)',
    );
  });

  it('checks nothing when the simulation did not run (test:unit, or a single file)', () => {
    part('w1', ['rotation s3:PutObject\tPutObjectCommand on arn:aws:s3:::b/k']);
    expect(() => checkRunLedger(dir)).not.to.throw();
  });
});
