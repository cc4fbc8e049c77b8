import { describe, expect, it } from 'vitest';
import { DASHBOARDS, panelsOf } from '../src/dashboards/index.ts';
import { exporterOf, isDocumented, metricNames } from '../src/exporters.ts';

describe('metric names of exporter panels (checked by the real-data proof, where they cannot have data)', () => {
  it('reads metric names out of PromQL, leaving functions, labels, groupings and durations out', () => {
    expect(
      metricNames('sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{namespace="goorm",container="$service"}[$__rate_interval])) / on (pod) group_left kube_pod_info'),
    ).toEqual(['container_cpu_cfs_throttled_periods_total', 'kube_pod_info']);
    expect(metricNames('time() - max by (pod) (thanos_objstore_bucket_last_successful_upload_time) > 3600 or vector(0)')).toEqual(['thanos_objstore_bucket_last_successful_upload_time']);
  });

  it('knows a documented name from a misspelt one', () => {
    expect(isDocumented('kube_deployment_status_replicas_available')).toBe(true);
    expect(isDocumented('kube_deployment_status_replicas_availabel')).toBe(false);
    expect(exporterOf('node_load1')).toBe('node-exporter');
  });

  it('every cluster panel of the dashboards names only documented exporter metrics', () => {
    const cluster = DASHBOARDS.flatMap((d) => panelsOf(d)).filter((p) => p.source === 'cluster');
    expect(cluster.length).toBeGreaterThan(10);
    for (const p of cluster) for (const q of p.queries) expect(metricNames(q.expr).filter((m) => !isDocumented(m)), `${p.title}: ${q.expr}`).toEqual([]);
  });
});
