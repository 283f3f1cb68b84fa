// Mocha root hooks: silence the SDK's Node-version notice, stop the shared moto at the end, and check
// that every AWS request the run recorded was evaluated by the IAM simulation (test/iam).
import { stopSharedMoto } from './moto';
import { checkRunLedger } from './request-ledger';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopSharedMoto().finally(() => process.exit(130));
  });
}

export const mochaHooks = {
  async afterAll() {
    await stopSharedMoto();
    checkRunLedger();
  },
};
