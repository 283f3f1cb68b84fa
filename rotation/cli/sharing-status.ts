// What `status` adds about the Region it shares: the other deployments seen, this one's far-ahead
// share, and the streams carrying our owner tag under a prefix the settings do not name (orphans:
// the rotation deletes them as they drain, or reports them when its role may not).
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import { lookAround } from '../aws/discovery';
import type { ExistingStream } from '../core/planner';
import { RotationSettings } from '../core/settings';
import { ownFarAhead, shareFor } from '../core/sharing-plan';
import type { StatusFacts } from './status';
import type { SharingStatus } from './sharing-lines';

export type { SharingStatus };

export async function sharingStatus(
  client: FirehoseClient,
  now: DateTime,
  facts: StatusFacts,
  s: RotationSettings,
  quota: number,
): Promise<SharingStatus> {
  const existing: ExistingStream[] = facts.names.map((name) => ({
    name,
    status: 'UNKNOWN',
    tags: facts.tags?.[name],
  }));
  const census = await lookAround(client, now, s, existing, quota, false);
  const fair = shareFor(now, existing, census, s, quota);
  return {
    deployments: [s.deploymentId, ...census.others.map((o) => o.id)],
    share: Number.isFinite(fair.share) ? fair.share : null,
    farAhead: ownFarAhead(now, existing, s).length,
    needsFit: fair.needsFit,
    orphans: census.orphans.map((o) => o.name).sort(),
  };
}
