// Starts a moto_server (the local AWS emulator) on a free loopback port and stops exactly that
// process (also when Node exits). `npm start`, the bench, the verify simulations and the tests
// (through test/support/moto's useMoto) share this launcher and its SDK client settings.
import { ChildProcess, spawn } from 'node:child_process';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
  reset(): Promise<void>;
}

const MOTO_INSTALL_HINT =
  'moto_server not found on PATH. Install it with: pip install "moto[server]>=5.2" (then re-run)';

/** Fixed test credentials: moto accepts any, and nothing here may reach a real AWS endpoint. */
export const TEST_REGION = 'us-east-1';

export async function startMoto(): Promise<MotoServer> {
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('moto_server did not start within 30 s')), 30_000);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new Error(MOTO_INSTALL_HINT) : err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited with code ${code} before it answered`));
    });
    let seen = '';
    // moto logs every request; keep draining both pipes so it never blocks on a full pipe.
    child.stdout!.on('data', () => undefined);
    child.stderr!.on('data', (chunk: Buffer) => {
      if (seen === undefined) return;
      seen += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        seen = undefined as unknown as string;
        resolve(match[1]);
      }
    });
  });
  child.removeAllListeners('exit');
  const kill = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', kill);
  const server: MotoServer = {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
  await waitUntilAnswering(server);
  return server;
}

async function waitUntilAnswering(server: MotoServer): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await server.reset();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`moto_server at ${server.endpoint} did not answer`);
}

/** Client configuration for any AWS SDK v3 client talking to moto over HTTP/1.1. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: TEST_REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    // moto speaks HTTP/1.1 only; Kinesis defaults to HTTP/2 otherwise.
    requestHandler: new NodeHttpHandler(),
    // S3 path-style, since moto has no wildcard DNS for virtual-hosted buckets.
    forcePathStyle: true,
  };
}
