// Firehose clients for the control plane. Create, Delete, Describe, List and Tag share a hard
// limit of 5 calls/s per account, so every HTTP attempt (retries and list pages included) passes a
// pacer; throttles are retried by the SDK, but LimitExceededException — the stream quota — is a
// planning fact, not throttling, so it is surfaced at once instead of retried.
import { FirehoseClient, FirehoseClientConfig } from '@aws-sdk/client-firehose';
import { RETRY_MODES, StandardRetryStrategy, type StandardRetryStrategyOptions } from '@smithy/core/retry';
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  RetryErrorInfo,
  RetryStrategyV2,
  RetryToken,
  StandardRetryToken,
} from '@smithy/types';

export const CONTROL_PLANE_CALLS_PER_SECOND = 5;

/**
 * Headroom below the hard limit, per call. Spacing starts exactly 1/rate apart is not enough: a timer
 * that fires late for call k (or network jitter) and on time for call k+5 puts 6 starts inside one
 * second as the server sees them. `npm run bench` measured 15 throttles in 116 calls without it, none
 * with 4 ms (204 ms apart, i.e. 4.9 calls/s: 2 % slower).
 */
const PACER_GUARD_MS = 4;

/** Spaces call starts at least 1/rate + guard apart; one shared instance per client (per account). */
export class Pacer {
  private next = 0;
  constructor(
    private readonly callsPerSecond: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly guardMs = 0,
  ) {}

  async take(): Promise<void> {
    const now = this.clock();
    const start = Math.max(now, this.next);
    this.next = start + 1000 / this.callsPerSecond + this.guardMs;
    if (start > now) await this.sleep(start - now);
  }
}

/**
 * Standard SDK retries (backoff with jitter, throttling-aware), except for the stream quota.
 *
 * The standard strategy also keeps a retry quota (500 tokens, drained by retries) to stop retry
 * storms. Here the pacer already bounds the rate at 5 calls/s, and the client lives as long as the
 * Lambda container, so a client-wide quota drained by sustained faults would make a later run give
 * up after one attempt. Each command therefore gets its own StandardRetryStrategy (a full quota):
 * attempts stay bounded by maxAttempts. Built on the public RetryStrategyV2 interface only.
 */
class QuotaAwareRetryStrategy implements RetryStrategyV2 {
  readonly mode = RETRY_MODES.STANDARD;
  // Keyed by the token the middleware holds; the entry keeps the strategy's own (typed) token.
  private readonly issued = new WeakMap<
    RetryToken,
    { strategy: StandardRetryStrategy; token: StandardRetryToken }
  >();

  constructor(private readonly options: StandardRetryStrategyOptions) {}

  async acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    const strategy = new StandardRetryStrategy(this.options);
    const token = await strategy.acquireInitialRetryToken(retryTokenScope);
    this.issued.set(token, { strategy, token });
    return token;
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    // The SDK classifies LimitExceededException as throttling; for CreateDeliveryStream it means
    // "account stream quota reached", which no amount of waiting within this call fixes.
    if (info.error?.name === 'LimitExceededException') throw info.error;
    const { strategy, token: own } = this.lookUp(token);
    const next = await strategy.refreshRetryTokenForRetry(own, info);
    this.issued.set(next, { strategy, token: next });
    return next;
  }

  recordSuccess(token: RetryToken): void {
    const { strategy, token: own } = this.lookUp(token);
    strategy.recordSuccess(own);
  }

  private lookUp(token: RetryToken) {
    const entry = this.issued.get(token);
    if (!entry) throw new Error('QuotaAwareRetryStrategy: token was not issued by this strategy');
    return entry;
  }
}

export interface ControlPlaneOptions extends FirehoseClientConfig {
  callsPerSecond?: number;
  maxAttempts?: number;
  /** Simulation seam: the SDK's backoff schedule (default: exponential with jitter). */
  backoff?: StandardRetryStrategyOptions['backoff'];
  /** Test seam: a pacer with an injected clock. */
  pacer?: Pacer;
}

/** A FirehoseClient for rotation: paced at ≤ 5 calls/s per attempt, quota errors not retried. */
export function controlPlaneClient(options: ControlPlaneOptions = {}): FirehoseClient {
  const {
    callsPerSecond = CONTROL_PLANE_CALLS_PER_SECOND,
    maxAttempts = 8,
    pacer,
    backoff,
    ...config
  } = options;
  const retryStrategy = new QuotaAwareRetryStrategy({ maxAttempts, backoff });
  const client = new FirehoseClient({ ...config, retryStrategy });
  const shared = pacer ?? new Pacer(callsPerSecond, undefined, undefined, PACER_GUARD_MS);
  client.middlewareStack.addRelativeTo(
    <O extends object>(next: FinalizeHandler<object, O>) =>
      async (args: FinalizeHandlerArguments<object>) => {
        await shared.take();
        return next(args);
      },
    // After the retry middleware, so each attempt (not just each command) is paced.
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'controlPlanePacer', override: true },
  );
  return client;
}
