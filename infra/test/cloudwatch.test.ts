import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClusterDashboards, nodeDimensionsIn } from '../src/constructs/cluster-dashboards.js';

type Body = { widgets: { properties: { metrics?: unknown[][] } }[] };

function build(extra?: (d: ClusterDashboards) => void) {
  const stack = new Stack(new App(), 'Cw', { env: { account: '111111111111', region: 'ap-northeast-2' } });
  const dashboards = new ClusterDashboards(stack, 'Cluster', {
    envName: 'prod',
    clusterName: 'goorm-prod',
    dbInstanceId: 'goorm-prod-mysql',
    cacheClusterIds: ['goorm-prod-redis-001', 'goorm-prod-redis-002'],
    albName: 'goorm-prod',
    alarmTopic: new sns.Topic(stack, 'Topic'),
  });
  extra?.(dashboards);
  const template = Template.fromStack(stack);
  const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
  if (!dashboard) throw new Error('no dashboard');
  const raw = dashboard.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return { template, body: JSON.parse(text) as Body };
}

describe('CloudWatch dashboards (ClusterDashboards)', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build();
  });

  it('draws every graph from a SEARCH expression over cluster-level dimensions', () => {
    const metrics = built.body.widgets.flatMap((w) => w.properties.metrics ?? []);
    const expressions = metrics.map((m) => (m[0] as { expression?: string }).expression);
    expect(expressions.length).toBeGreaterThanOrEqual(14);
    for (const e of expressions) expect(e).toMatch(/^SEARCH\('\{(ContainerInsights|AWS\/RDS|AWS\/ElastiCache|AWS\/ApplicationELB),/);
    const text = JSON.stringify(built.body);
    for (const wanted of ['cluster_node_count', 'service_number_of_running_pods', 'AWS/RDS', 'AWS/ElastiCache', 'HTTPCode_Target_5XX_Count', 'TargetResponseTime']) {
      expect(text).toContain(wanted);
    }
  });

  it('names no InstanceId or NodeName in any widget', () => {
    expect(nodeDimensionsIn(built.body)).toEqual([]);
  });

  it('would catch a widget that names a node (the check itself is tested)', () => {
    const { body } = build((d) =>
      d.dashboard.addWidgets(
        new cw.GraphWidget({
          left: [new cw.Metric({ namespace: 'ContainerInsights', metricName: 'node_cpu_utilization', dimensionsMap: { ClusterName: 'goorm-prod', NodeName: 'ip-10-0-1-1', InstanceId: 'i-0abc' }, period: Duration.minutes(1) })],
        }),
      ),
    );
    expect(nodeDimensionsIn(body).sort()).toEqual(['InstanceId', 'NodeName']);
  });

  it('alarms only on cluster-level metrics or Metrics Insights queries, never on a SEARCH or a node', () => {
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.length).toBeGreaterThanOrEqual(8);
    for (const a of alarms) {
      const text = JSON.stringify(a);
      expect(text.match(/\bInstanceId\b|\bNodeName\b|SEARCH\(/), text).toBeNull();
      expect(a.AlarmActions).toHaveLength(1);
      if (a.Metrics) {
        const [query] = a.Metrics as { Expression: string }[];
        expect(query?.Expression).toMatch(/^SELECT (MAX|SUM|AVG)\(/);
      } else {
        const dims = (a.Dimensions as { Name: string }[]).map((d) => d.Name);
        expect(dims.every((d) => ['ClusterName', 'DBInstanceIdentifier'].includes(d))).toBe(true);
      }
    }
    const names = alarms.map((a) => a.AlarmName);
    expect(names).toEqual(expect.arrayContaining(['goorm-prod-nodes-failed', 'goorm-prod-alb-target-5xx', 'goorm-prod-db-cpu-high', 'goorm-prod-redis-cpu-high']));
  });
});
