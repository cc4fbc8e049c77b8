import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface ClusterDashboardsProps {
  readonly envName: string;
  readonly clusterName: string;
  readonly dbInstanceId: string;
  /** Member cluster ids of the Redis replication group (`<group>-001`, …): stable across failovers. */
  readonly cacheClusterIds: string[];
  /** The ALB name the Ingress group asks for (alb.ingress.kubernetes.io/load-balancer-name). */
  readonly albName: string;
  readonly alarmTopic: sns.ITopic;
}

/** Dimensions that name one node: a widget or alarm that uses them loses its line when autoscaling replaces the node. */
export const NODE_DIMENSIONS = ['InstanceId', 'NodeName', 'AutoScalingGroupName'] as const;

const PERIOD = 60;

/** A SEARCH expression: it finds whatever series exist now, so it follows replaced nodes and new pods. */
function search(query: string, stat: string, label: string): cw.SearchExpression {
  return new cw.SearchExpression({ expression: `SEARCH('${query}', '${stat}', ${PERIOD})`, label, period: Duration.seconds(PERIOD) });
}

/** A Metrics Insights query returning one series: the form CloudWatch alarms accept over a changing fleet. */
function insights(query: string, label: string): cw.MathExpression {
  return new cw.MathExpression({ expression: query, label, period: Duration.seconds(PERIOD) });
}

/**
 * CloudWatch for the on-call operator, next to Grafana: one dashboard per environment built only
 * from SEARCH expressions over cluster-level dimensions (Container Insights by cluster, namespace,
 * service; RDS by instance; ElastiCache by member cluster; ALB by load balancer), and alarms on
 * cluster-level metrics or Metrics Insights queries (SEARCH cannot alarm). No widget or alarm
 * names a node (InstanceId, NodeName), so nothing goes blank when a node is replaced.
 */
export class ClusterDashboards extends Construct {
  readonly dashboard: cw.Dashboard;
  readonly alarms: cw.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ClusterDashboardsProps) {
    super(scope, id);
    const ci = (dims: string, metric: string) => `{ContainerInsights,${dims}} MetricName="${metric}" ClusterName="${props.clusterName}"`;
    const rds = (metric: string) => `{AWS/RDS,DBInstanceIdentifier} MetricName="${metric}" DBInstanceIdentifier="${props.dbInstanceId}"`;
    // host and engine metrics are per cache node (CacheNodeId 0001 in each member: not an EC2 node);
    // exact member ids (stable across failovers), grouped so OR binds before the implicit AND
    const redis = (metric: string) =>
      `{AWS/ElastiCache,CacheClusterId,CacheNodeId} MetricName="${metric}" (${props.cacheClusterIds.map((c) => `CacheClusterId="${c}"`).join(' OR ')})`;
    // the ALB's dimension is app/<name>/<id>: a partial (unquoted) match on the name the Ingress gives it
    const alb = (metric: string) => `{AWS/ApplicationELB,LoadBalancer} MetricName="${metric}" LoadBalancer=${props.albName}`;
    const graph = (title: string, left: cw.IMetric[], opts: Partial<cw.GraphWidgetProps> = {}) =>
      new cw.GraphWidget({ title, left, width: 12, height: 6, period: Duration.seconds(PERIOD), ...opts });

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: `goorm-${props.envName}-cluster`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cw.TextWidget({
        markdown: `# goorm ${props.envName}: cluster, database, cache, edge\nEvery graph is a SEARCH over cluster-level dimensions, so it follows nodes autoscaling replaces. Application metrics are in Grafana (Thanos).`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Nodes (count, failed)', [
        search(ci('ClusterName', 'cluster_node_count'), 'Average', 'nodes'),
        search(ci('ClusterName', 'cluster_failed_node_count'), 'Maximum', 'failed nodes'),
      ]),
      graph('Node CPU and memory across the cluster (%)', [
        search(ci('ClusterName', 'node_cpu_utilization'), 'Average', 'CPU'),
        search(ci('ClusterName', 'node_memory_utilization'), 'Average', 'memory'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Running pods per service', [search(ci('ClusterName,Namespace,Service', 'service_number_of_running_pods'), 'Average', '')]),
      graph('Pod CPU per workload (% of limit)', [search(ci('ClusterName,Namespace,PodName', 'pod_cpu_utilization_over_pod_limit'), 'Average', '')]),
    );
    this.dashboard.addWidgets(
      graph('Container restarts per workload', [search(ci('ClusterName,Namespace,PodName', 'pod_number_of_container_restarts'), 'Maximum', '')]),
      graph('RDS MySQL: CPU (%) and connections', [search(rds('CPUUtilization'), 'Average', 'CPU')], {
        right: [search(rds('DatabaseConnections'), 'Average', 'connections')],
      }),
    );
    this.dashboard.addWidgets(
      graph('RDS MySQL: commit and write latency (s)', [
        search(rds('CommitLatency'), 'Average', 'commit'),
        search(rds('WriteLatency'), 'Average', 'write'),
      ]),
      graph('Redis: engine CPU (%) and connections', [search(redis('EngineCPUUtilization'), 'Maximum', '')], {
        right: [search(redis('CurrConnections'), 'Average', '')],
      }),
    );
    this.dashboard.addWidgets(
      graph('ALB: 5xx (targets and load balancer)', [
        search(alb('HTTPCode_Target_5XX_Count'), 'Sum', 'target 5xx'),
        search(alb('HTTPCode_ELB_5XX_Count'), 'Sum', 'ALB 5xx'),
      ]),
      graph('ALB: target response time (s)', [
        search(alb('TargetResponseTime'), 'p99', 'p99'),
        search(alb('TargetResponseTime'), 'p50', 'p50'),
      ]),
    );

    // --- Alarms: cluster-level metrics or Metrics Insights over the fleet ------------------------
    const alarm = (id: string, metric: cw.Metric | cw.MathExpression, threshold: number, description: string, opts: Partial<cw.CreateAlarmOptions> = {}) => {
      const a = metric.createAlarm(this, id, {
        alarmName: `goorm-${props.envName}-${id}`,
        alarmDescription: description,
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
        ...opts,
      });
      a.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
      a.addOkAction(new cwActions.SnsAction(props.alarmTopic));
      this.alarms.push(a);
      return a;
    };
    const clusterMetric = (metricName: string, statistic: string) =>
      new cw.Metric({ namespace: 'ContainerInsights', metricName, dimensionsMap: { ClusterName: props.clusterName }, statistic, period: Duration.seconds(PERIOD) });
    const dbMetric = (metricName: string, statistic: string) =>
      new cw.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: { DBInstanceIdentifier: props.dbInstanceId }, statistic, period: Duration.seconds(PERIOD) });

    alarm('nodes-failed', clusterMetric('cluster_failed_node_count', 'Maximum'), 0, 'A node of the cluster is failing (Container Insights).');
    alarm('nodes-cpu-high', clusterMetric('node_cpu_utilization', 'Average'), 80, 'Cluster-wide node CPU above 80% for 5 minutes: the autoscaler is behind or the pre-scale was too small.', {
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
    });
    alarm(
      'pods-restarting',
      insights(
        `SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${props.clusterName}'`,
        'restarts',
      ),
      3,
      'Some workload restarted its containers more than 3 times in a minute.',
    );
    alarm('db-cpu-high', dbMetric('CPUUtilization', 'Average'), 80, 'RDS MySQL CPU above 80% for 3 minutes.');
    alarm('db-storage-low', dbMetric('FreeStorageSpace', 'Minimum'), 10 * 1024 ** 3, 'RDS MySQL has less than 10 GiB free (storage autoscaling may be at its maximum).', {
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
    });
    alarm(
      'redis-cpu-high',
      insights(
        `SELECT MAX(EngineCPUUtilization) FROM "AWS/ElastiCache" WHERE ${props.cacheClusterIds.map((c) => `CacheClusterId = '${c}'`).join(' OR ')}`,
        'engine CPU',
      ),
      75,
      'Redis engine CPU above 75% on a member: the waiting room and rate limits slow down.',
    );
    alarm(
      'alb-target-5xx',
      insights(`SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE tag.Environment = '${props.envName}'`, '5xx'),
      50,
      'More than 50 target 5xx per minute at the ALB for 3 minutes (a 500 is a bug; see Grafana for which service).',
    );
    alarm(
      'alb-latency-high',
      insights(`SELECT MAX(TargetResponseTime) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE tag.Environment = '${props.envName}'`, 'response time'),
      2,
      'The slowest target response at the ALB stays above 2 s for 3 minutes.',
    );
  }
}

/** The metric-bearing parts of a dashboard body: every string a widget's metrics or expressions hold. */
export function dashboardMetricStrings(body: { widgets: { properties?: { metrics?: unknown[] } }[] }): string[] {
  const out: string[] = [];
  for (const w of body.widgets) {
    for (const m of w.properties?.metrics ?? []) {
      const walk = (v: unknown): void => {
        if (typeof v === 'string') out.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (out.push(k), walk(x)));
      };
      walk(m);
    }
  }
  return out;
}

/** Names of node-level dimensions a dashboard's widgets mention (empty when it follows autoscaling). */
export function nodeDimensionsIn(body: { widgets: { properties?: { metrics?: unknown[] } }[] }): string[] {
  const strings = dashboardMetricStrings(body);
  return NODE_DIMENSIONS.filter((d) => strings.some((s) => new RegExp(`\\b${d}\\b`).test(s)));
}
