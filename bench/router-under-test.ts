// The router under test: routeBatch as the Lambda runs it (bundled by esbuild) or from source, with
// a Firehose fake that answers every PutRecordBatch at once, so only the router's own CPU is timed.
// Why bundled: tsx keeps function names with a `__name` call per closure created, which makes the
// source-run router measurably slower than the deployed one.
import type { PutRecordBatchCommandInput, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { buildSync } from 'esbuild';
import { DateTime } from 'luxon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { routeBatch, RouterDeps } from '../rotation/handlers/route-batch';
import { ROUTER_NOW } from './workload';

/** Firehose bills each record rounded up to 5 KB; its pricing page gives 5 KB as 5,120 bytes. */
const BILLING_INCREMENT_BYTES = 5_120;
const billedBytes = (recordBytes: number) =>
  Math.ceil(recordBytes / BILLING_INCREMENT_BYTES) * BILLING_INCREMENT_BYTES;

/** Accepts any PutRecordBatch instantly and counts calls, records (entries) and bytes per stream. */
export class InstantFirehose {
  calls = 0;
  readonly perStream = new Map<string, { calls: number; records: number; bytes: number }>();
  readonly oversized: number[] = [];
  /** Σ over records of billedBytes(size): what Firehose ingestion would bill. */
  billed = 0;

  // Duck-typed: a bundled router carries its own copy of the SDK's command classes.
  send(command: { input?: Partial<PutRecordBatchCommandInput> }): Promise<PutRecordBatchCommandOutput> {
    const { DeliveryStreamName, Records } = command.input ?? {};
    if (!DeliveryStreamName || !Array.isArray(Records))
      return Promise.reject(new Error('the bench fake only takes PutRecordBatch'));
    const stats = this.perStream.get(DeliveryStreamName) ?? { calls: 0, records: 0, bytes: 0 };
    let bytes = 0;
    for (const r of Records) {
      const size = r.Data?.byteLength ?? 0;
      bytes += size;
      this.billed += billedBytes(size);
    }
    if (Records.length > 500 || bytes > 4 * 1024 * 1024) this.oversized.push(this.calls);
    this.calls += 1;
    stats.calls += 1;
    stats.records += Records.length;
    stats.bytes += bytes;
    this.perStream.set(DeliveryStreamName, stats);
    // FailedPutCount 0 means every entry succeeded; the entry answers are not read then.
    return Promise.resolve({ FailedPutCount: 0, RequestResponses: [], $metadata: {} });
  }
}

/** A routeBatch to drive, with the clock of its own luxon copy. */
export interface RouterImpl {
  label: string;
  routeBatch: typeof routeBatch;
  now: DateTime;
}

/** The router as imported from source (under tsx in the bench and in mocha). */
export const sourceRouter = (): RouterImpl => ({ label: 'source', routeBatch, now: ROUTER_NOW });

/** The router as the Lambda runs it: bundled and minified by esbuild (node22, cjs), then required. */
export function bundledRouter(): RouterImpl {
  const dir = mkdtempSync(path.join(tmpdir(), 'firehose-rotation-router-'));
  const outfile = path.join(dir, 'route-batch.js');
  try {
    buildSync({
      stdin: {
        contents: `export { routeBatch } from './rotation/handlers/route-batch';\nexport { DateTime } from 'luxon';\n`,
        resolveDir: path.resolve(__dirname, '..'),
        sourcefile: 'bench-router-entry.ts',
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      outfile,
      logLevel: 'error',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the bundle just built at a run-time path
    const mod = require(outfile) as { routeBatch: typeof routeBatch; DateTime: typeof DateTime };
    return {
      label: 'bundled',
      routeBatch: mod.routeBatch,
      now: mod.DateTime.fromMillis(ROUTER_NOW.toMillis(), { zone: 'utc' }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function routerDeps(client: RouterDeps['client'], now: DateTime = ROUTER_NOW): RouterDeps {
  return {
    client,
    now: () => now,
    sleep: () => Promise.resolve(),
    deadline: now.plus({ minutes: 5 }),
    log: SILENT,
  };
}
