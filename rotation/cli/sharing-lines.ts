// What `status` and its timeline say about the Region this deployment shares: the shape of the
// facts and their lines. Pure (no AWS SDK), so the timeline stays pure; sharing-status.ts reads them.

export interface SharingStatus {
  /** Every deployment seen in the Region, this one first. */
  deployments: string[];
  /** Far-ahead streams this deployment may hold; null when unlimited (alone or hand-planned). */
  share: number | null;
  farAhead: number;
  /** The live windows and fallbacks of all deployments fit the quota beside the foreign streams. */
  needsFit: boolean;
  /** Streams with our owner tag under a prefix the settings do not name. */
  orphans: string[];
}

/** Lines for the status table and the timeline; none for a deployment alone without orphans. */
export function sharingLines(x: SharingStatus): string[] {
  const lines: string[] = [];
  if (x.deployments.length > 1) {
    const share = x.share === null ? 'set by streamBudget/lookaheadHours' : `share ${x.share}`;
    lines.push(
      `sharing: ${x.deployments.length} deployments in the Region (this one, ${x.deployments.slice(1).join(', ')}); ` +
        `far-ahead ${x.farAhead}, ${share}`,
    );
  }
  if (!x.needsFit)
    lines.push('sharing: the live windows and fallbacks of all deployments do not fit the quota');
  for (const name of x.orphans) lines.push(`ours by tag, prefix not in the settings: ${name}`);
  return lines;
}
