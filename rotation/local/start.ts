// Entry of `npm start` (options after `--`, e.g. `npm start -- --records 500 --keep`). Parses the
// flags, runs the demo, and owns the process: exit code, Ctrl-C, and moto's lifetime with --keep.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { parseNow } from '../cli/load-settings';
import { useColour } from '../cli/timeline';
import { MotoServer, startMoto } from '../../test/support/moto';
import { keepInstructions, runDemo } from './demo';

function intIn(min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
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
}

export interface StartIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

export async function start(argv: string[], io: StartIo = process): Promise<number> {
  const program = new Command('npm start --')
    .description('Run the whole pipeline locally on moto: rotation, Kinesis, router, S3; then check S3.')
    .option('--records <n>', 'events to produce', intIn(1, 100_000), 3000)
    .option('--seed <n>', 'seed of the deterministic event mix', intIn(0, 2 ** 32 - 1), 42)
    .option('--now <time>', 'the demo instant (ISO-8601 with Z or offset); default: now', toNow)
    .option('--keep', 'keep moto running afterwards and print CLI commands to explore it')
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
    if (keep) out(keepInstructions(moto.endpoint, opts.now));
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
