// What `pulumi up` does to a running pipeline, for the lifecycle simulation: the settings both
// functions get (new tunables + the former configurations nextFormers keeps), the delivery role's
// S3 prefixes as the DeliveryRole component receives them (the new ones + retainedObjectPrefixes),
// the fallback stream updated in place as the provider would, and the deploy-time rotation run.
// Everything the Pulumi program decides is called here through the same pure functions.
import {
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { DateTime } from 'luxon';
import {
  generationOf,
  GenerationState,
  nextFormers,
  retainedObjectPrefixes,
} from '../rotation/core/generations';
import { parseSettings, RotationSettings, SettingsInput } from '../rotation/core/settings';

/** Test seams that break what the program does, to prove the simulation's checks can fail. */
export type Sabotage = 'forget-formers' | 'role-drops-old-prefixes';

export class SimStack {
  private state?: GenerationState;
  settings!: RotationSettings;
  /** The delivery role's object prefixes right now. */
  allowed: string[] = [];

  constructor(
    private readonly base: SettingsInput,
    private readonly sabotage?: Sabotage,
  ) {}

  /** The program's part of an `up` at `now`: settings, role prefixes and the exported state. */
  up(change: Partial<SettingsInput>, now: DateTime): { previous?: RotationSettings } {
    const previous = this.settings;
    const tunables = parseSettings({ ...this.base, ...change });
    const formers = this.sabotage === 'forget-formers' ? [] : nextFormers(this.state, tunables, now);
    const s = parseSettings({ ...tunables, formerGenerations: formers });
    const own = [s.dataPrefix, s.fallbackPrefix, s.errorOutputPrefix];
    const retained =
      this.sabotage === 'role-drops-old-prefixes' ? [] : retainedObjectPrefixes(this.state, now);
    this.allowed = [...new Set([...own, ...retained])];
    this.state = { current: generationOf(s), formers: s.formerGenerations };
    this.settings = s;
    return { previous };
  }
}

/** The provider's in-place update of the Pulumi-managed fallback stream when its settings change. */
export async function updateFallback(client: FirehoseClient, s: RotationSettings): Promise<void> {
  const d = (
    await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: s.fallbackStreamName }))
  ).DeliveryStreamDescription!;
  await client.send(
    new UpdateDestinationCommand({
      DeliveryStreamName: s.fallbackStreamName,
      CurrentDeliveryStreamVersionId: d.VersionId,
      DestinationId: d.Destinations![0].DestinationId,
      ExtendedS3DestinationUpdate: {
        RoleARN: s.deliveryRoleArn,
        BucketARN: s.bucketArn,
        Prefix: `${s.fallbackPrefix}/`,
        ErrorOutputPrefix: `${s.errorOutputPrefix}/fallback/`,
        BufferingHints: { SizeInMBs: s.bufferingSizeMiB, IntervalInSeconds: s.bufferingIntervalSeconds },
        CompressionFormat: s.compression,
      },
    }),
  );
}
