// `firehose-rotation <command>`: the operator CLI. `main` takes its arguments, input and output as
// parameters, the real process's by default (the bin shim), so tests run it in-process.
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DateTime } from 'luxon';
import { describeError } from '../aws/error-name';
import {
  AwsOverrides,
  CliClients,
  CommandContext,
  fallbackMissingError,
  planCommand,
  rotateCommand,
  statusCommand,
  teardownCommand,
} from './commands';
import { formatPlan, formatRotate, formatStatus, formatTeardown } from './format';
import { checkNowSkew, loadSettings, MAX_NOW_SKEW_SECONDS, parseNow, UsageError } from './load-settings';
import { renderTimeline, useColour } from './timeline';

interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Where FIREHOSE_ROTATION_SETTINGS is read from. AWS endpoint and credentials are the SDK's. */
  env: Record<string, string | undefined>;
  /** Whether someone can answer a question (stdin is a terminal). */
  isTTY: boolean;
  /** Whether stdout is a terminal: the timeline is coloured only then (and NO_COLOR unset). */
  stdoutIsTTY?: boolean;
  confirm?: (question: string) => Promise<boolean>;
  /** Test seam: client options for every AWS client (endpoint, credentials, faster pacing). */
  aws?: AwsOverrides;
  /** Test seam: this machine's clock, which `--now` of rotate and teardown is checked against. */
  clock?: () => DateTime;
}

interface GlobalOptions {
  config?: string;
  json?: boolean;
  now?: DateTime;
  yes?: boolean;
  timeline?: boolean;
  allowClockSkew?: boolean;
}

/** `failure`: printed as an error after the result, and the exit code is 1 (e.g. no fallback). */
type Runner = (
  ctx: CommandContext,
  opts: GlobalOptions,
) => Promise<{ doc: unknown; text: string; failure?: string }>;

function program(io: CliIo, run: (runner: Runner, opts: GlobalOptions) => Promise<void>): Command {
  const nowOption = () =>
    new Option('--now <time>', 'act as if it were this instant (RFC 3339 with Z or offset)').argParser(
      (v) => {
        try {
          return parseNow(v);
        } catch (err) {
          // commander prints this as "error: option '--now <time>' argument 'v' is invalid. <message>".
          throw new InvalidArgumentError((err as Error).message);
        }
      },
    );
  const clock = io.clock ?? (() => DateTime.utc());
  // rotate and teardown change streams, so their --now must be near the real clock (see checkNowSkew).
  const acting =
    (command: string, runner: Runner): Runner =>
    async (ctx, opts) => {
      checkNowSkew(command, opts.now, clock(), opts.allowClockSkew === true);
      return runner(ctx, opts);
    };
  const skewOption = () =>
    new Option(
      '--allow-clock-skew',
      `act at a --now more than ${MAX_NOW_SKEW_SECONDS / 60} minutes from this machine's clock ` +
        '(risks deleting streams still in use, or re-creating and re-signalling completed hours)',
    );
  const root = new Command('firehose-rotation')
    .description('Operate the hourly Firehose streams of a firehose-rotation deployment.')
    .option(
      '--config <path>',
      'settings JSON file (default: the FIREHOSE_ROTATION_SETTINGS environment variable)',
    )
    .option('--json', 'print one machine-readable JSON document instead of tables')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) });
  const add = (name: string, description: string, runner: Runner, configure: (c: Command) => Command) =>
    configure(root.command(name).description(description)).action(async (_opts, cmd: Command) =>
      run(runner, cmd.optsWithGlobals<GlobalOptions>()),
    );
  add(
    'plan',
    'show what rotation would do now (or at --now); changes nothing',
    async (ctx) => {
      const plan = await planCommand(ctx);
      const failure = plan.fallbackMissing ? fallbackMissingError(ctx.settings) : undefined;
      return { doc: plan, text: formatPlan(plan), failure };
    },
    (c) => c.addOption(nowOption()),
  );
  add(
    'rotate',
    'apply the rotation now (or as if at --now): deletes drained streams, creates missing ones',
    acting('rotate', async (ctx) => {
      const summary = await rotateCommand(ctx);
      const failure = summary.fallbackMissing ? fallbackMissingError(ctx.settings) : undefined;
      return { doc: summary, text: formatRotate(summary), failure };
    }),
    (c) => c.addOption(nowOption()).addOption(skewOption()),
  );
  add(
    'status',
    'show the live hourly streams, the fallback, quota headroom and the next hour without a stream',
    async (ctx, opts) => {
      const status = await statusCommand(ctx);
      const missing = status.fallback.state === 'MISSING';
      const failure = missing ? fallbackMissingError(ctx.settings) : undefined;
      if (!opts.timeline || opts.json) return { doc: status, text: formatStatus(status), failure };
      // The plan's reads add what status does not know: foreign owners and hours without room.
      const plan = await planCommand(ctx);
      const colour = useColour(io.stdoutIsTTY === true, io.env);
      return { doc: status, text: renderTimeline(status, ctx.now, ctx.settings, plan, { colour }), failure };
    },
    (c) =>
      c
        .addOption(nowOption())
        .option('--timeline', 'one line per UTC day, one cell per hour, with a legend (not with --json)'),
  );
  add(
    'teardown',
    'delete every hourly stream this deployment owns (never the fallback or foreign streams)',
    acting('teardown', async (ctx, opts) => {
      const confirm = io.confirm ?? askOnTerminal;
      const report = await teardownCommand(ctx, { yes: opts.yes === true, isTTY: io.isTTY, confirm });
      return { doc: report, text: formatTeardown(report) };
    }),
    (c) => c.option('--yes', 'do not ask for confirmation').addOption(nowOption()).addOption(skewOption()),
  );
  return root;
}

/**
 * Runs one command; resolves to the exit code: 0 ok, 1 AWS (or other runtime) error, 2 bad input.
 * The bin shim calls it with no arguments and sets the process's exit code from the answer.
 */
export async function main(argv: string[] = process.argv.slice(2), io: CliIo = processIo()): Promise<number> {
  let clients: CliClients | undefined;
  let failed = false;
  const run = async (runner: Runner, opts: GlobalOptions) => {
    const settings = loadSettings({ config: opts.config, env: io.env });
    clients = new CliClients(io.aws);
    const progress = (line: string) => void io.stderr.write(`${line}\n`);
    const ctx = { clients, settings, now: opts.now ?? (io.clock ? io.clock() : DateTime.utc()), progress };
    const { doc, text, failure } = await runner(ctx, opts);
    io.stdout.write(opts.json ? `${JSON.stringify(doc, null, 2)}\n` : `${text}\n`);
    if (failure) {
      io.stderr.write(`error: ${failure}\n`);
      failed = true;
    }
  };
  try {
    await program(io, run).parseAsync(argv, { from: 'user' });
    return failed ? 1 : 0;
  } catch (err) {
    return report(err, io);
  } finally {
    clients?.destroy();
  }
}

function report(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // commander has printed its own message (help, or "error: option '--now <time>' …").
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UsageError) {
    io.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  io.stderr.write(`error: ${describeError(err)}\n`);
  return 1;
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** The real process's streams, environment and terminals: what an operator's shell gives. */
function processIo(): CliIo {
  // The SDK warns about Node 20 on every run; an operator cannot act on it here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  };
}
