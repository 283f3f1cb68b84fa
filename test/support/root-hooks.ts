// Mocha root hooks: silence the SDK's Node-version notice and stop the shared moto at the end.
import { stopSharedMoto } from './moto';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopSharedMoto().finally(() => process.exit(130));
  });
}

export const mochaHooks = {
  async afterAll() {
    await stopSharedMoto();
  },
};
