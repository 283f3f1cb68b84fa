// One CloudWatch dashboard for the pipeline: the quota and tomorrow's streams, the router's records
// and failures, delivery health and the rotation's heartbeat, with the alarms drawn on the graphs.
// The body is built by dashboardBody from resolved names; this component only wires outputs in.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ALARM_IDS } from './alarms';
import { dashboardBody } from './dashboard-body';
import { awsEnvironment } from './policy';

export interface DashboardArgs {
  /** Names the dashboard (dashboards are global per account, so the Region is added). */
  streamPrefix: string;
  /** Value of the rotation metrics' `deployment` dimension (the ownership tag value). */
  deploymentId: string;
  routerFunctionName: pulumi.Input<string>;
  rotationFunctionName: pulumi.Input<string>;
  eventSourceMappingUuid: pulumi.Input<string>;
  fallbackStreamName: pulumi.Input<string>;
  /** Alarm ARNs by alarm id, as the Alarms component exposes them. */
  alarmArns: Record<string, pulumi.Input<string>>;
  /** The placer, when it exists: one more row of graphs. */
  placer?: { functionName: pulumi.Input<string>; deadLetterQueueName: pulumi.Input<string> };
}

/** Console host per partition; the dashboard URL is a console link, not an API endpoint. */
const CONSOLE_HOST: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** Dashboard names allow letters, digits, "-" and "_" (1-255); stream prefixes may also hold ".". */
function dashboardName(streamPrefix: string, region: string): string {
  return `firehose-rotation-${streamPrefix.replace(/\./g, '_')}-${region}`;
}

function dashboardUrl(partition: string, region: string, name: string): string {
  const host = CONSOLE_HOST[partition] ?? CONSOLE_HOST.aws;
  return `https://${region}.${host}/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`;
}

export class Dashboard extends pulumi.ComponentResource {
  public readonly dashboardName: pulumi.Output<string>;
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const missing = ALARM_IDS.filter((id) => !(id in args.alarmArns));
    if (missing.length > 0)
      throw new Error(
        `Dashboard ${name}: alarmArns lacks ${missing.join(', ')} (the graphs draw these alarms)`,
      );
    super('firehose-rotation:index:Dashboard', name, {}, opts);
    const env = awsEnvironment(this);
    const alarmArns = pulumi.all(args.alarmArns);
    const body = pulumi
      .all([
        env.region,
        args.routerFunctionName,
        args.rotationFunctionName,
        args.eventSourceMappingUuid,
        args.fallbackStreamName,
        alarmArns,
        args.placer ? pulumi.all([args.placer.functionName, args.placer.deadLetterQueueName]) : undefined,
      ])
      .apply(
        ([
          region,
          routerFunctionName,
          rotationFunctionName,
          eventSourceMappingUuid,
          fallbackStreamName,
          arns,
          placer,
        ]) =>
          JSON.stringify(
            dashboardBody({
              region,
              streamPrefix: args.streamPrefix,
              deploymentId: args.deploymentId,
              routerFunctionName,
              rotationFunctionName,
              eventSourceMappingUuid,
              fallbackStreamName,
              alarmArns: arns,
              ...(placer ? { placer: { functionName: placer[0], deadLetterQueueName: placer[1] } } : {}),
            }),
          ),
      );
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: env.region.apply((region) => dashboardName(args.streamPrefix, region)),
        dashboardBody: body,
      },
      { parent: this },
    );
    this.dashboardName = dashboard.dashboardName;
    this.url = pulumi
      .all([env.partition, env.region, dashboard.dashboardName])
      .apply(([partition, region, dashName]) => dashboardUrl(partition, region, dashName));
    this.registerOutputs({ dashboardName: this.dashboardName, url: this.url });
  }
}
