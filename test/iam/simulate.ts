// Evaluates ledger entries with @cloud-copilot/iam-simulate: the principal's identity policies as
// the Pulumi components produce them, plus the resource policy that governs the resource (bucket
// policy; the key's key policy), and the request's condition keys. Requests are sent over TLS
// (aws:SecureTransport = true), as the SDK always does against AWS.
//
// One workaround, for a simulator defect: iam-simulate 0.1.173 renames a request's
// `kms:EncryptionContext:<key>` to the literal template `kms:EncryptionContext:${EncryptionContextKey}`
// (its variable substitution only handles `/`-separated keys such as aws:RequestTag/<key>), so a
// policy condition on the encryption context would always see the key as missing. Such requests
// are validated by runSimulation without that key, then evaluated by runUnsafeSimulation, which
// takes the context as given; test/iam/authorization-data.ts checks the key against iam-data.
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { LedgerEntry } from '../support/request-ledger';
import { ACCOUNT, PipelineUnderTest } from './pipeline-under-test';

export interface Verdict {
  entry: LedgerEntry;
  /** Allowed, ImplicitlyDenied, ExplicitlyDenied, or "error: …" when the simulator rejected the input. */
  result: string;
}

function resourcePolicyFor(p: PipelineUnderTest, resource: string) {
  return p.resourcePolicies.find((r) => resource === r.arn || resource.startsWith(`${r.arn}/`))?.policy;
}

const MANGLED_KEY = /^kms:EncryptionContext:/i;

export async function evaluate(p: PipelineUnderTest, entry: LedgerEntry): Promise<Verdict> {
  const contextVariables: Record<string, string | string[]> = {
    'aws:SecureTransport': 'true',
    ...entry.context,
  };
  const simulation = {
    identityPolicies: p.identityPolicies[entry.principal].map((policy, i) => ({
      name: `${entry.principal}-${i}`,
      policy,
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resourcePolicyFor(p, entry.resource),
    request: {
      principal: p.roleArn[entry.principal],
      action: entry.action,
      resource: { resource: entry.resource, accountId: ACCOUNT },
      contextVariables,
    },
  } as unknown as Simulation;
  const mangled = Object.keys(contextVariables).filter((k) => MANGLED_KEY.test(k));
  const validated = {
    ...simulation,
    request: {
      ...simulation.request,
      contextVariables: Object.fromEntries(
        Object.entries(contextVariables).filter(([k]) => !mangled.includes(k)),
      ),
    },
  };
  const response = await runSimulation(validated, {});
  if (response.resultType === 'error') {
    return { entry, result: `error: ${JSON.stringify(response.errors)}` };
  }
  // A key the simulator drops is a condition that would silently never match: fail instead.
  if (response.resultType === 'single' && response.result.ignoredContextKeys?.length) {
    return { entry, result: `error: context keys ignored: ${response.result.ignoredContextKeys.join(', ')}` };
  }
  if (mangled.length) {
    // runUnsafeSimulation loads the resource policy without a name and then reads it; a policy
    // already validated (by the run above) carries its metadata through.
    const named = simulation.resourcePolicy && {
      __validated: true,
      policyDocument: simulation.resourcePolicy,
      metadata: { name: 'resource-policy' },
      errors: [],
    };
    return {
      entry,
      result: String(runUnsafeSimulation({ ...simulation, resourcePolicy: named } as Simulation, {})),
    };
  }
  return { entry, result: response.overallResult };
}

export async function evaluateAll(p: PipelineUnderTest, entries: LedgerEntry[]): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const entry of entries) verdicts.push(await evaluate(p, entry));
  return verdicts;
}

/** One line per verdict, the way a failing test prints it: principal, action, ARN, result. */
export function explain(v: Verdict): string {
  const context = Object.keys(v.entry.context).length ? ` ${JSON.stringify(v.entry.context)}` : '';
  return `${v.entry.principal}: ${v.entry.action} on ${v.entry.resource}${context} (${v.entry.source}) → ${v.result}`;
}
