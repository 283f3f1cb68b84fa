// How a stack remembers its former configurations ("generations") across `pulumi up`s: it reads
// its own last deployment's generation state through a StackReference to itself (Pulumi allows a
// stack to reference itself; the reference returns the outputs of the last completed update) and
// exports the new state at the end of this one. The arithmetic (what to keep, for how long) and the
// state's schema are pure and live in rotation/core/generations.ts; this module is only the
// plumbing and its validation. (Not the destroy-vs-replace lifecycle: that is rotation-lifecycle.ts.)
import * as pulumi from '@pulumi/pulumi';
import { GenerationState, generationStateSchema } from '../rotation/core/generations';

/**
 * The stack output that carries the generation state from one `up` to the next (index.ts exports
 * it under this key). It keeps the state's old name, "lifecycleState", while the code around it
 * says generation state: every deployed stack has exported its state under this key, and an `up`
 * that read another one would find no previous state, forget the former generations and leave
 * their streams unserved and undeleted. Never rename the literal (tests pin it).
 */
const GENERATION_STATE_STACK_OUTPUT = 'lifecycleState';

/** `<org>/<project>/<stack>` of the running stack: the self-reference's name. */
function selfStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * Parses the exported JSON, or undefined when there is none (first deploy, or a stack deployed by a
 * version without this output). A malformed state is an error: guessing would risk dropping the
 * prefixes live streams still write to.
 */
function parseGenerationState(raw: unknown): GenerationState | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const where = `stack output ${GENERATION_STATE_STACK_OUTPUT}`;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`${where}: is not JSON; it is written by this program only`);
    }
  }
  const result = generationStateSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(state)'}: ${i.message}`);
  throw new Error(`${where}: ${problems.join('; ')}; it is written by this program only`);
}

/** The last deployment's generation state, read through a StackReference to this very stack. */
export function previousGenerationState(
  resourceName: string,
  parent: pulumi.Resource,
  stackName: string = selfStackName(),
): pulumi.Output<GenerationState | undefined> {
  const self = new pulumi.StackReference(resourceName, { name: stackName }, { parent });
  return self.getOutput(GENERATION_STATE_STACK_OUTPUT).apply(parseGenerationState);
}
