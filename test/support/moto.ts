// One moto_server for the whole test run, started lazily by `useMoto()` inside a describe block,
// reset before each test and stopped at the end (root-hooks). The launcher itself lives in
// rotation/local/moto, which `npm start` uses too: product code never imports test/.
import { MotoServer, startMoto } from '../../rotation/local/moto';

export { clientConfig, TEST_REGION } from '../../rotation/local/moto';
/** The account moto puts every resource in (its default; only tests need to name it). */
export const TEST_ACCOUNT = '123456789012';

let shared: Promise<MotoServer> | undefined;

/** The run-wide moto server, started on first use. */
export function sharedMoto(): Promise<MotoServer> {
  shared ??= startMoto();
  return shared;
}

export async function stopSharedMoto(): Promise<void> {
  if (!shared) return;
  const server = await shared.catch(() => undefined);
  shared = undefined;
  await server?.stop();
}

/** Use inside `describe`: moto started once per run and reset before each test. */
export function useMoto(): { readonly endpoint: string } {
  const ctx = { endpoint: '' };
  beforeEach(async function () {
    this.timeout(60_000);
    const server = await sharedMoto();
    await server.reset();
    ctx.endpoint = server.endpoint;
  });
  return ctx;
}
