// How a stack remembers its former configurations across `pulumi up`s: it reads its own last
// deployment's `lifecycleState` output through a StackReference to itself (Pulumi allows a stack to
// reference itself; the reference returns the outputs of the last completed update) and exports
// the new state at the end of this one. The arithmetic (what to keep, for how long) is pure and
// lives in rotation/core/generations.ts; this module is only the plumbing and its validation.
import * as pulumi from '@pulumi/pulumi';
import { LifecycleState, lifecycleStateSchema } from '../rotation/core/generations';

/** The stack output that carries the state from one `up` to the next. */
const LIFECYCLE_STATE_OUTPUT = 'lifecycleState';

/** `<org>/<project>/<stack>` of the running stack: the self-reference's name. */
function selfStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * Parses the exported JSON, or undefined when there is none (first deploy, or a stack deployed by a
 * version without this output). A malformed state is an error: guessing would risk dropping the
 * prefixes live streams still write to.
 */
function parseLifecycleState(raw: unknown): LifecycleState | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const where = `stack output ${LIFECYCLE_STATE_OUTPUT}`;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`${where}: is not JSON; it is written by this program only`);
    }
  }
  const result = lifecycleStateSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(state)'}: ${i.message}`);
  throw new Error(`${where}: ${problems.join('; ')}; it is written by this program only`);
}

/** The last deployment's state, read through a StackReference to this very stack. */
export function previousLifecycleState(
  resourceName: string,
  parent: pulumi.Resource,
  stackName: string = selfStackName(),
): pulumi.Output<LifecycleState | undefined> {
  const self = new pulumi.StackReference(resourceName, { name: stackName }, { parent });
  return self.getOutput(LIFECYCLE_STATE_OUTPUT).apply(parseLifecycleState);
}
