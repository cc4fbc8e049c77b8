/**
 * Metric names of the cluster exporters the dashboards and alerts read, as their projects document
 * them. The real-data proof cannot have these series locally (no cluster), so it checks that each
 * such panel query parses in Prometheus and names only metrics listed here.
 *   kube-state-metrics v2: https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics
 *   node exporter:         https://github.com/prometheus/node_exporter (collectors cpu, meminfo, filesystem, netdev, loadavg)
 *   cAdvisor (kubelet):    https://github.com/google/cadvisor/blob/master/docs/storage/prometheus.md
 *   Thanos:                https://thanos.io/tip/thanos/instrumenting.md (shipper, objstore, compact)
 */
export const EXPORTER_METRICS = {
  'kube-state-metrics': [
    'kube_deployment_status_replicas_available',
    'kube_deployment_spec_replicas',
    'kube_horizontalpodautoscaler_status_current_replicas',
    'kube_horizontalpodautoscaler_status_desired_replicas',
    'kube_horizontalpodautoscaler_spec_max_replicas',
    'kube_horizontalpodautoscaler_spec_min_replicas',
    'kube_node_status_condition',
    'kube_node_info',
    'kube_pod_status_phase',
    'kube_pod_container_status_restarts_total',
  ],
  'node-exporter': [
    'node_cpu_seconds_total',
    'node_memory_MemAvailable_bytes',
    'node_memory_MemTotal_bytes',
    'node_filesystem_avail_bytes',
    'node_filesystem_size_bytes',
    'node_network_receive_bytes_total',
    'node_network_transmit_bytes_total',
    'node_load1',
  ],
  cadvisor: [
    'container_cpu_usage_seconds_total',
    'container_memory_working_set_bytes',
    'container_cpu_cfs_throttled_periods_total',
    'container_cpu_cfs_periods_total',
  ],
  thanos: [
    'thanos_shipper_uploads_total',
    'thanos_shipper_upload_failures_total',
    'thanos_objstore_bucket_last_successful_upload_time',
    'thanos_compact_halted',
  ],
} as const;

export type Exporter = keyof typeof EXPORTER_METRICS;

const PREFIXES: Array<[RegExp, Exporter]> = [
  [/^kube_/, 'kube-state-metrics'],
  [/^node_/, 'node-exporter'],
  [/^container_/, 'cadvisor'],
  [/^thanos_/, 'thanos'],
];

/** The identifiers in a PromQL expression that look like metric names (not functions, keywords, labels or durations). */
export function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutMatchers = withoutStrings.replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '[]');
  const withoutGrouping = withoutMatchers.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = new Set<string>();
  for (const m of withoutGrouping.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const after = withoutGrouping.slice(m.index + word.length).trimStart();
    if (after.startsWith('(')) continue; // a function or aggregation
    if (/^(and|or|unless|atan2|bool|offset|by|without|on|ignoring|group_left|group_right|inf|nan|Inf|NaN)$/.test(word)) continue;
    if (/^\d/.test(word)) continue;
    names.add(word);
  }
  return [...names];
}

/** The exporter a metric name belongs to, if any (by its documented prefix). */
export function exporterOf(metric: string): Exporter | undefined {
  return PREFIXES.find(([re]) => re.test(metric))?.[1];
}

export function isDocumented(metric: string): boolean {
  const e = exporterOf(metric);
  return e !== undefined && (EXPORTER_METRICS[e] as readonly string[]).includes(metric);
}
