// How many far-ahead streams a deployment may hold when several share one Region's quota. Read
// top to bottom; pure: no AWS or Pulumi imports.
//
// The rule (docs/sharing.md):
// 1. Near-term hours (the current and next hour, past hours still open or draining) are the
//    product: they may take any free slot, and are planned first. This module never limits them.
// 2. Far-ahead hours are insurance. What the quota leaves after foreign streams, every
//    deployment's live window and fallback, and the reserve is the pool of far-ahead slots.
// 3. Each of the D deployments seen may hold an equal share of the pool; the remainder goes one
//    stream each to the first deployments by id, so every deployment computes the same shares.
// 4. A deployment over its share gives back its farthest far-ahead streams (empty by I1), so the
//    slack of every other deployment's live window is free at that deployment's next run.
//
// Alone (D = 1) there is nothing to share: the share is unlimited and the reserve rule alone
// applies, exactly as before sharing existed. An explicit `streamBudget` or `lookaheadHours` is an
// operator's hand plan: it overrides the share (the deployment is limited by those settings only).

export interface ShareInput {
  /** The quota planned with (the smaller of the setting and Service Quotas). */
  quota: number;
  /** reserveStreams: free slots far-ahead creates leave for anyone's near-term creates. */
  reserve: number;
  /** Streams of no deployment (other teams' streams, unreadable ones). */
  foreign: number;
  /**
   * Every deployment seen in the Region, this one included, with the near-term streams it holds
   * (hours up to the next one, draining ones included).
   */
  deployments: { id: string; nearTerm: number }[];
  /** This deployment's id (settings.deploymentId). */
  self: string;
  /**
   * This deployment's live window in streams (capacity.liveWindowStreams). Another deployment's
   * settings are not visible from its streams, so each is assumed to need as much, or what it
   * holds near-term when that is more.
   */
  liveWindow: number;
  /** streamBudget or lookaheadHours is set: the operator's plan overrides the share. */
  handPlanned: boolean;
}

export interface FairShare {
  /** Deployments seen, this one included. */
  deployments: number;
  /** Foreign streams plus every deployment's live window and fallback: the promise's condition. */
  needs: number;
  /** The live windows and fallbacks of all deployments fit beside the foreign streams. */
  needsFit: boolean;
  /** Far-ahead slots left for all deployments together (never negative). */
  pool: number;
  /** Far-ahead streams this deployment may hold: Infinity alone or hand-planned. */
  share: number;
  /** Why the share is what it is, for the CLI and the run summary. */
  basis: 'alone' | 'hand-planned' | 'shared';
}

export function fairShare(x: ShareInput): FairShare {
  const ids = [...new Set([x.self, ...x.deployments.map((d) => d.id)])].sort();
  const nearOf = (id: string) => x.deployments.find((d) => d.id === id)?.nearTerm ?? 0;
  const needs = x.foreign + ids.length * (x.liveWindow + 1);
  const needsFit = needs <= x.quota;
  // Each deployment keeps room for its whole live window and its fallback, or for what it holds
  // near-term when that is more (a drained hour not deleted yet).
  const kept = x.foreign + ids.reduce((sum, id) => sum + Math.max(x.liveWindow, nearOf(id)) + 1, 0);
  const pool = Math.max(0, x.quota - x.reserve - kept);
  const base = { deployments: ids.length, needs, needsFit, pool };
  if (ids.length === 1) return { ...base, share: Infinity, basis: 'alone' };
  if (x.handPlanned) return { ...base, share: Infinity, basis: 'hand-planned' };
  const rank = ids.indexOf(x.self);
  const share = Math.floor(pool / ids.length) + (rank < pool % ids.length ? 1 : 0);
  return { ...base, share, basis: 'shared' };
}

/** One line for a person: "3 deployments; far-ahead share 11 of a pool of 34". */
export function describeShare(f: FairShare): string {
  if (f.basis === 'alone') return 'alone in the Region: no far-ahead limit beyond the reserve';
  const who = `${f.deployments} deployments`;
  const fit = f.needsFit ? '' : `; their live windows and fallbacks (${f.needs}) do not fit the quota`;
  if (f.basis === 'hand-planned') return `${who}; far-ahead set by streamBudget/lookaheadHours${fit}`;
  return `${who}; far-ahead share ${f.share} of a pool of ${f.pool}${fit}`;
}

/**
 * What `pulumi preview` can say about sharing from the settings alone: counting the deployments
 * needs the Region's stream list, which only the first rotation run reads.
 */
export function sharingCapacityNote(quota: number, liveWindow: number): string {
  const fit = Math.floor(quota / (liveWindow + 1));
  return (
    `sharing: each deployment like this one needs ${liveWindow + 1} streams near-term (live window ` +
    `${liveWindow} + fallback); up to ${fit} such deployments keep their current and next hour in quota ` +
    `${quota} beside no foreign streams. The first rotation run counts the deployments in the Region ` +
    'and says so by name when they do not fit.'
  );
}
