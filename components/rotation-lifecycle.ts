// The deploy/destroy lifecycle of the rotation as a Pulumi dynamic resource (I3: destroy is said,
// not inferred). Hourly streams live outside Pulumi's state, so this resource runs the function
// synchronously: create makes a fresh lifecycle id and sends `deploy` (the function records it,
// then rotates: the bootstrap), update sends `deploy` with the same id, delete sends `destroy` with
// it. `diff` never asks for a replacement; a forced one (`pulumi up --replace`) or a renamed
// resource creates the successor first, so the old delete carries an id the function no longer
// has on record and keeps every stream (rotation/aws/lifecycle.ts). An aws.lambda.Invocation
// cannot say this: its provider sends the same `tf.action = "delete"` for a destroy and for the old
// half of a replacement.
//
// The provider and its invoker live in rotation-lifecycle-provider.ts (serialized into the state).
import * as pulumi from '@pulumi/pulumi';
import { invokeRotation, LifecycleProps, lifecycleProvider } from './rotation-lifecycle-provider';

/** The provider's props as the resource's inputs: what a later update or delete reads back. */
export type RotationLifecycleArgs = { [K in keyof LifecycleProps]: pulumi.Input<LifecycleProps[K]> };

/** Not a component: one custom resource, owned by the Rotation component (`{ parent }`). */
export class RotationLifecycle extends pulumi.dynamic.Resource {
  /**
   * The lifecycle id this resource's create recorded; its delete tears down only while it is the
   * recorded one. Output `generation`: a wire name, kept for deployed stacks (their state holds it).
   */
  declare public readonly generation: pulumi.Output<string>;
  /** What the last deploy answered (`rotation`); kept short, the function's logs have the rest. */
  declare public readonly lastOutcome: pulumi.Output<string>;

  constructor(name: string, args: RotationLifecycleArgs, opts: pulumi.CustomResourceOptions = {}) {
    const provider = lifecycleProvider(invokeRotation, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- serialized: no module captures
      return (require('node:crypto') as typeof import('node:crypto')).randomUUID();
    });
    super(
      provider,
      name,
      { ...args, generation: undefined, lastOutcome: undefined },
      opts,
      'firehose-rotation',
      'RotationLifecycle',
    );
  }
}
