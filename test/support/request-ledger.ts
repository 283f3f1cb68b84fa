// The request ledger: an SDK middleware that records every AWS request a client sends, as the IAM
// authorizations it needs (action, resource ARN, request tags and other condition keys), under the
// principal whose role would send it in AWS. test/iam evaluates the ledger against the policies the
// Pulumi components produce. Installed on the clients the runtime code is given (executor, router
// delivery, hour-complete signal, CLI, the local demo's Kinesis reader); test set-up clients (the
// producer, seeding, read-back) stay unrecorded because no role of the pipeline makes those calls.
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MiddlewareStack,
} from '@smithy/types';
import {
  Authorization,
  authorizationsFor,
  firehoseStreamArn,
  ObservedState,
  RequestScope,
} from './iam-actions';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The roles of the pipeline that send requests (runtime code) or on whose behalf AWS does. */
export type Principal = 'rotation' | 'router' | 'delivery' | 'scheduler';

export interface LedgerEntry extends Authorization {
  principal: Principal;
  /** The SDK command (after the caller's label, e.g. "cli "), or the service acting for the principal. */
  source: string;
}

/** Any AWS SDK v3 client: what the middleware needs of it. */
export interface AnyClient {
  middlewareStack: MiddlewareStack<any, any>;
  config: { region: unknown };
}

export class RequestLedger implements ObservedState {
  readonly entries: LedgerEntry[] = [];
  private readonly tags = new Map<string, Record<string, string>>();
  private readonly iterators = new Map<string, string>();

  constructor(
    readonly account: string,
    readonly partition = 'aws',
  ) {}

  streamTags(streamArn: string) {
    return this.tags.get(streamArn);
  }

  iteratorStream(iterator: string) {
    return this.iterators.get(iterator);
  }

  add(entry: LedgerEntry): void {
    this.entries.push(entry);
  }

  /** Learns resource state from successful answers: tags a stream got or has, iterator streams. */
  observe(command: string, input: Record<string, any>, output: Record<string, any>, scope: RequestScope) {
    const stream = input.DeliveryStreamName && firehoseStreamArn(scope, input.DeliveryStreamName);
    if (command === 'CreateDeliveryStreamCommand' || command === 'ListTagsForDeliveryStreamCommand') {
      const tags = (command === 'CreateDeliveryStreamCommand' ? input.Tags : output.Tags) ?? [];
      const known = input.ExclusiveStartTagKey ? (this.tags.get(stream) ?? {}) : {};
      for (const t of tags) known[t.Key] = t.Value ?? '';
      this.tags.set(stream, known);
    }
    if (command === 'GetShardIteratorCommand' && output.ShardIterator) {
      this.iterators.set(
        output.ShardIterator,
        input.StreamARN ?? authorizationsFor(command, input, scope, this)[0].resource,
      );
    }
    if (command === 'GetRecordsCommand' && output.NextShardIterator) {
      const from = this.iterators.get(input.ShardIterator);
      if (from) this.iterators.set(output.NextShardIterator, from);
    }
  }

  /** Distinct action × resource pattern per principal, with hour keys and object names generalized. */
  patterns(): string[] {
    const pattern = (r: string) =>
      r
        .replace(/-\d{10}(?=$|\/)/, '-<hour>')
        .replace(/\/dt=\d{4}-\d{2}-\d{2}\/hr=\d{2}\//, '/dt=<day>/hr=<hour>/')
        .replace(/\/\d{10}\//, '/<hour>/')
        .replace(/\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+$/, '/<arrival>/<object>');
    return [...new Set(this.entries.map((e) => `${e.principal} ${e.action} ${pattern(e.resource)}`))].sort();
  }
}

/**
 * Adds the recording middleware to any AWS SDK v3 client. It runs at the initialize step (once per
 * command, before retries), records the authorizations, then learns from the answer. An unmapped
 * command throws before anything is sent, so the test that reaches it fails with the command's name.
 */
export function recordRequests<C extends AnyClient>(
  client: C,
  ledger: RequestLedger,
  principal: Principal,
  via = '',
): C {
  client.middlewareStack.add(
    (next: InitializeHandler<any, any>, context: HandlerExecutionContext) =>
      async (args: InitializeHandlerArguments<any>) => {
        const command = context.commandName ?? '(unknown command)';
        const region = await (client.config as { region: () => Promise<string> }).region();
        const scope: RequestScope = { partition: ledger.partition, region, account: ledger.account };
        for (const a of authorizationsFor(command, args.input, scope, ledger)) {
          ledger.add({ ...a, principal, source: `${via}${command}` });
        }
        const result = await next(args);
        ledger.observe(command, args.input, result.output ?? {}, scope);
        return result;
      },
    { step: 'initialize', name: 'iamRequestLedger', override: true },
  );
  return client;
}

/**
 * The run-wide ledger: the moto integration tests, the CLI tests and the local demo record into it
 * with their own settings. test/iam simulates one full scenario with the deployed settings and
 * marks what it evaluated; at the end of a run that included it, every principal × action recorded
 * anywhere must have been evaluated, so a call reached only by another test cannot skip the proof.
 * With mocha's parallel mode each worker process has its own ledger: each one saves what it
 * recorded and simulated (saveRunLedger, in its root afterAll), and the main process checks the
 * union once every worker is done (checkRunLedger, mocha's global teardown).
 */
export const RUN_LEDGER = new RequestLedger('123456789012');
let simulated: Set<string> | undefined;

const principalAction = (e: LedgerEntry) => `${e.principal} ${e.action}`;

export function markSimulated(entries: LedgerEntry[]): void {
  simulated = new Set(entries.map(principalAction));
}

interface LedgerPart {
  recorded: string[];
  simulated?: string[];
}

/** Where the workers of one run leave their parts; created by the run's global setup. */
export const LEDGER_DIR_ENV = 'FIREHOSE_ROTATION_LEDGER_DIR';
/**
 * Read once: a worker inherits it from the main process at spawn; a serial run sets it in its
 * global setup (openRunLedger). Tests that restore process.env from a copy taken before the setup
 * then cannot lose it.
 */
let ledgerDir = process.env[LEDGER_DIR_ENV];

/** The run's global setup: a fresh directory for the parts, announced to the workers it spawns. */
export function openRunLedger(): string {
  ledgerDir = mkdtempSync(join(tmpdir(), 'firehose-rotation-ledger-'));
  process.env[LEDGER_DIR_ENV] = ledgerDir;
  return ledgerDir;
}

export function saveRunLedger(): void {
  const dir = ledgerDir;
  if (!dir) return;
  const recorded = [
    ...new Set(RUN_LEDGER.entries.map((e) => `${principalAction(e)}\t${e.source} on ${e.resource}`)),
  ];
  const part: LedgerPart = { recorded, simulated: simulated && [...simulated] };
  writeFileSync(join(dir, `${process.pid}-${Date.now()}.json`), JSON.stringify(part));
}

/** Throws, listing them, if the run recorded a principal × action the IAM simulation never evaluated. */
export function checkRunLedger(dir: string): void {
  const parts = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LedgerPart);
  const evaluated = parts.flatMap((p) => p.simulated ?? []);
  if (!parts.some((p) => p.simulated)) return; // the IAM simulation did not run (test:unit, or a single file)
  const known = new Set(evaluated);
  const missing = [
    ...new Set(
      parts
        .flatMap((p) => p.recorded)
        .filter((r) => !known.has(r.split('\t')[0]))
        .map((r) => r.replace('\t', ' (') + ')'),
    ),
  ].sort();
  if (missing.length) {
    throw new Error(
      `requests made in this test run that the IAM simulation never evaluated (add them to test/iam/runtime-scenario.ts):\n${missing.join('\n')}`,
    );
  }
}
