// The dynamic provider of the rotation's lifecycle resource (components/rotation-lifecycle.ts) and
// the invoker it calls: create makes a fresh lifecycle id and sends `deploy`, update sends
// `deploy` with the same id, delete sends `destroy` with it, and `diff` never asks for a
// replacement (I3: destroy is said, not inferred; rotation/core/lifecycle-event.ts).
//
// Wire names, kept for deployed stacks: the payload's `generation` (LifecyclePayload) and the
// output `generation`, both the lifecycle id under its old name. A stack's state holds that output,
// and its delete runs the provider code stored with it, which reads `props.generation`.
//
// The provider runs in Pulumi's dynamic-provider host, not in this program: its code is serialized
// with the state, and its delete runs from the state of the resource being deleted. So it captures
// only the two functions below, and the invoker `require`s the SDK inside its body (no client ever
// loads in the Pulumi program; the closure stays small). Its own module so the resource's contract
// with the engine (these four calls) is what the tests call, as the engine would.
import type * as pulumi from '@pulumi/pulumi';
import type { LifecyclePayload } from '../rotation/core/lifecycle-event';

/** Which function to invoke and with which credentials: inputs, so a delete still knows them. */
interface InvokeTarget {
  functionName: string;
  region: string;
  /** The stack's `aws:profile`, when it sets one; otherwise the default credential chain. */
  profile?: string;
}

type Invoker = (target: InvokeTarget, payload: LifecyclePayload) => Promise<unknown>;

export interface LifecycleProps extends InvokeTarget {
  /** Digest of the settings the function runs with: a change re-runs the deploy at `up` time. */
  settingsSha256: string;
}

/** What the state holds: the inputs and the lifecycle id, as output `generation` (a wire name). */
type LifecycleState = LifecycleProps & { generation: string };

/** The inputs whose change is an update (a deploy with the same lifecycle id); never a replacement. */
const LIFECYCLE_INPUTS = ['functionName', 'region', 'profile', 'settingsSha256', '__provider'] as const;

type Props = Record<string, unknown>;

/** A teardown waits for buffers (up to 900 s in a 900 s function): one attempt, a long socket. */
const INVOKE_TIMEOUT_MS = 16 * 60_000;

/** Invokes the rotation function synchronously; a function error fails the Pulumi step with its message. */
export async function invokeRotation(target: InvokeTarget, payload: LifecyclePayload): Promise<unknown> {
  /* eslint-disable @typescript-eslint/no-require-imports -- runs in the dynamic-provider host only */
  const lambda = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
  const http = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new lambda.LambdaClient({
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    // A retried destroy would start a second teardown; a retried deploy a second rotation.
    maxAttempts: 1,
    requestHandler: new http.NodeHttpHandler({
      requestTimeout: INVOKE_TIMEOUT_MS,
      connectionTimeout: 10_000,
    }),
  });
  try {
    const out = await client.send(
      new lambda.InvokeCommand({
        FunctionName: target.functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) {
      throw new Error(`${payload.action} by ${target.functionName} failed (${out.FunctionError}): ${text}`);
    }
    return text ? (JSON.parse(text) as unknown) : undefined;
  } finally {
    client.destroy();
  }
}

/** The provider, over any invoker and id source (tests pass fakes; the resource the real ones). */
export function lifecycleProvider(
  invoke: Invoker,
  newLifecycleId: () => string,
): pulumi.dynamic.ResourceProvider {
  const target = (p: LifecycleProps): InvokeTarget => ({
    functionName: p.functionName,
    region: p.region,
    ...(p.profile ? { profile: p.profile } : {}),
  });
  const outcome = (r: unknown) => {
    const action = (r as { action?: unknown } | undefined)?.action;
    return typeof action === 'string' ? action : 'rotation';
  };
  return {
    async create(inputs: LifecycleProps) {
      const lifecycleId = newLifecycleId();
      const result = await invoke(target(inputs), { action: 'deploy', generation: lifecycleId });
      return { id: lifecycleId, outs: { ...inputs, generation: lifecycleId, lastOutcome: outcome(result) } };
    },
    diff(_id: string, olds: Props, news: Props) {
      // __provider too: new provider code reaches the state (and so a later delete) with an update.
      const changed = LIFECYCLE_INPUTS.filter((k) => olds[k] !== news[k]);
      return Promise.resolve({ changes: changed.length > 0, replaces: [], deleteBeforeReplace: false });
    },
    async update(_id: string, olds: LifecycleState, news: LifecycleProps) {
      const result = await invoke(target(news), { action: 'deploy', generation: olds.generation });
      return { outs: { ...news, generation: olds.generation, lastOutcome: outcome(result) } };
    },
    async delete(_id: string, props: LifecycleState) {
      await invoke(target(props), { action: 'destroy', generation: props.generation });
    },
  };
}
