// A Region as a list of streams with their tags, and one deployment's run over it exactly as the
// executor does it (census from the tags, plan, deletes then creates), without AWS: fast enough
// for properties over days of runs by several deployments.
import { DateTime } from 'luxon';
import { ExistingStream, planRotation, RotationPlan } from '../../rotation/core/planner';
import { FALLBACK_OF_TAG, takeCensus, Tags } from '../../rotation/core/region-census';
import { OWNER_TAG, RotationSettings } from '../../rotation/core/settings';
import { settings } from './fixtures';

export type Region = ExistingStream[];

export const deployment = (id: string, prefix: string, extra: Record<string, unknown> = {}) =>
  settings({ deploymentId: id, streamPrefix: prefix, fallbackStreamName: `${prefix}-fallback`, ...extra });

/** What `pulumi up` makes: the fallback, tagged with the deployment it serves. */
export const fallbackOf = (s: RotationSettings): ExistingStream => ({
  name: s.fallbackStreamName,
  status: 'ACTIVE',
  tags: { [FALLBACK_OF_TAG]: s.deploymentId },
});

export const foreignStreams = (n: number, from = 0): ExistingStream[] =>
  Array.from({ length: n }, (_, i) => ({ name: `other-team-${from + i}`, status: 'ACTIVE', tags: {} }));

/** One rotation run of `s` at `now`: every tag visible (discovery reads what it needs). */
export function runIn(region: Region, s: RotationSettings, now: DateTime, quota = 50) {
  const tags = new Map<string, Tags | undefined>(region.map((e) => [e.name, e.tags]));
  const census = takeCensus(
    now,
    region.map((e) => e.name),
    tags,
    s,
  );
  const plan: RotationPlan = planRotation(now, region, s, { value: quota, origin: 'applied' }, census);
  const gone = new Set(plan.deletes.map((d) => d.name));
  const made = plan.creates.map((c) => ({
    name: c.name,
    status: 'ACTIVE' as const,
    tags: { [OWNER_TAG]: s.deploymentId },
  }));
  return { plan, region: [...region.filter((e) => !gone.has(e.name)), ...made] };
}
