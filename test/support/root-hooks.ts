// Mocha root hooks: silence the SDK's Node-version notice, stop this process's moto at the end, and
// check that every AWS request the run recorded was evaluated by the IAM simulation (test/iam).
// Root hooks run in every worker of a parallel run (each worker starts its own moto); the global
// setup and teardown run once, in the main process, where the workers' ledgers are joined.
import { rmSync } from 'node:fs';
import { stopSharedMoto } from './moto';
import { checkRunLedger, openRunLedger, saveRunLedger } from './request-ledger';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopSharedMoto().finally(() => process.exit(130));
  });
}

export const mochaHooks = {
  async afterAll() {
    await stopSharedMoto();
    saveRunLedger();
  },
};

let runLedgerDir: string;

export function mochaGlobalSetup() {
  runLedgerDir = openRunLedger();
}

export function mochaGlobalTeardown() {
  const dir = runLedgerDir;
  try {
    checkRunLedger(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
