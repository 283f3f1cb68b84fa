// Entry of `npm start` (options after `--`, e.g. `npm start -- --records 500 --keep`). Parses the
// flags, runs the demo, and owns the process: exit code, Ctrl-C, and moto's lifetime with --keep.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DateTime } from 'luxon';
import { parseNow } from '../cli/load-settings';
import { useColour } from '../cli/timeline';
import { MAX_STREAMS_PER_HOUR } from '../core/names';
import { intRangeText, IntRange, isIntIn } from '../core/settings';
import { MotoServer, startMoto } from './moto';
import { keepInstructions, runDemo } from './demo';
import { Producer, PRODUCERS } from './producer';

/** A commander parser for a decimal integer flag in the range. */
function intOption(range: IntRange) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !isIntIn(n, range))
      throw new InvalidArgumentError(`expected ${intRangeText(range)}`);
    return n;
  };
}

function toNow(value: string): DateTime {
  try {
    return parseNow(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

interface StartOptions {
  records: number;
  seed: number;
  now?: DateTime;
  keep?: boolean;
  streamsPerHour: number;
  producer: Producer;
}

export interface StartIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

export async function start(argv: string[], io: StartIo = process): Promise<number> {
  const program = new Command('npm start --')
    .description('Run the whole pipeline locally on moto: rotation, Kinesis, router, S3; then check S3.')
    .option('--records <n>', 'events to produce', intOption({ min: 1, max: 100_000 }), 3000)
    .option('--seed <n>', 'seed of the deterministic event mix', intOption({ min: 0, max: 2 ** 32 - 1 }), 42)
    .option('--now <time>', 'the demo instant (ISO-8601 with Z or offset); default: now', toNow)
    .option('--keep', 'keep moto running afterwards and print CLI commands to explore it')
    .option(
      '--streams-per-hour <n>',
      "settings.streamsPerHour of the demo deployment: each hour's records spread over n streams",
      intOption({ min: 1, max: MAX_STREAMS_PER_HOUR }),
      1,
    )
    .addOption(
      new Option(
        '--producer <kind>',
        'how events become Kinesis records: one per record, 10 per JSON Lines record, or 10 per KPL aggregate',
      )
        .choices(PRODUCERS)
        .default('plain'),
    )
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as CommanderError).exitCode === 0 ? 0 : 2;
  }
  const opts = program.opts<StartOptions>();
  const out = (line: string) => void io.stdout.write(`${line}\n`);
  let moto: MotoServer | undefined;
  // Stop exactly our moto on Ctrl-C or SIGTERM, mid-run or while kept; never leave it orphaned.
  const stopOnSignal = () => void (moto?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  let keep = false;
  try {
    moto = await startMoto(); // fails fast with the install hint when moto_server is missing
    const colour = useColour(io.stdout.isTTY === true, process.env);
    const { verdict } = await runDemo({ ...opts, endpoint: moto.endpoint, colour }, out);
    keep = opts.keep === true;
    // While kept, moto's open pipes keep this process alive until a signal stops both.
    if (keep) out(keepInstructions(moto.endpoint, opts.now, opts.streamsPerHour));
    return verdict.ok ? 0 : 1;
  } catch (err) {
    const { name, message } = err as Error;
    io.stderr.write(`error: ${name === 'Error' ? '' : `${name}: `}${message}\n`);
    return 1;
  } finally {
    if (!keep) {
      await moto?.stop();
      process.removeListener('SIGINT', stopOnSignal).removeListener('SIGTERM', stopOnSignal);
    }
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void start(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
