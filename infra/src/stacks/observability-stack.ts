import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { type EnvironmentConfig, names } from '../config.js';
import { ClusterDashboards } from '../constructs/cluster-dashboards.js';

export interface ObservabilityStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * CloudWatch dashboards and alarms. They find the cluster, database, cache and ALB by name (the
 * names config.ts gives), so this stack depends on no other and survives their replacement.
 */
export class ObservabilityStack extends Stack {
  readonly dashboards: ClusterDashboards;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config } = props;
    const n = names(config.name);
    const key = new kms.Key(this, 'AlarmsKey', {
      alias: `alias/${n.prefix}-alarms`,
      description: 'Encrypts the alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch must be able to publish to the encrypted topic.
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new sns.Topic(this, 'Alarms', { topicName: `${n.prefix}-alarms`, masterKey: key, enforceSSL: true });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new subs.EmailSubscription(config.alarmEmail));

    this.dashboards = new ClusterDashboards(this, 'Cluster', {
      envName: config.name,
      clusterName: n.clusterName,
      dbInstanceId: n.dbInstanceId,
      cacheClusterIds: Array.from({ length: 1 + config.sizes.cacheReplicas }, (_, i) => `${n.cacheGroupId}-${String(i + 1).padStart(3, '0')}`),
      albName: n.albName,
      alarmTopic: this.alarmTopic,
    });
  }
}
