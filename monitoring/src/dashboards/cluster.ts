import type { DashboardSpec } from './kit.ts';

const FS = 'fstype!~"tmpfs|overlay|squashfs|ramfs"';

/** The nodes, the pods and the monitoring stack itself. */
export const clusterAndNodes: DashboardSpec = {
  uid: 'goorm-cluster-nodes',
  title: 'Cluster and nodes',
  file: 'cluster-and-nodes',
  description: 'Nodes (node exporter), pods (kube-state-metrics, cAdvisor), Prometheus and the Thanos sidecar uploads.',
  tags: ['goorm', 'cluster'],
  rows: [
    {
      title: 'Nodes',
      panels: [
        { title: 'CPU busy by node', source: 'node', queries: [{ expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))', legend: '{{instance}}' }], unit: 'percentunit', min: 0, max: 1, w: 8 },
        { title: 'Memory available by node', source: 'node', queries: [{ expr: 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' }], unit: 'percentunit', min: 0, max: 1, w: 8 },
        { title: 'Load (1m) by node', source: 'node', queries: [{ expr: 'node_load1', legend: '{{instance}}' }], unit: 'short', w: 8 },
        { title: 'Disk space free (fullest filesystem)', source: 'node', queries: [{ expr: `min by (instance) (node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}})`, legend: '{{instance}}' }], unit: 'percentunit', min: 0, max: 1 },
        {
          title: 'Network by node',
          source: 'node',
          queries: [
            { expr: 'sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[$__rate_interval]))', legend: '{{instance}} in' },
            { expr: 'sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[$__rate_interval]))', legend: '{{instance}} out' },
          ],
          unit: 'Bps',
        },
        { title: 'Nodes ready', source: 'cluster', queries: [{ expr: 'sum(kube_node_status_condition{condition="Ready",status="true"})', legend: 'ready' }], unit: 'short', w: 8 },
        {
          title: 'Node pressure conditions',
          source: 'cluster',
          queries: [{ expr: 'sum by (condition) (kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"})', legend: '{{condition}}' }],
          unit: 'short',
          w: 8,
        },
        { title: 'Nodes by kubelet version', source: 'cluster', queries: [{ expr: 'count by (kubelet_version) (kube_node_info)', legend: '{{kubelet_version}}' }], unit: 'short', w: 8 },
      ],
    },
    {
      title: 'Pods',
      panels: [
        { title: 'Pods by phase (goorm)', source: 'cluster', queries: [{ expr: 'sum by (phase) (kube_pod_status_phase{namespace="goorm"})', legend: '{{phase}}' }], unit: 'short', w: 8 },
        { title: 'Container restarts (1h)', source: 'cluster', queries: [{ expr: 'sum by (pod) (increase(kube_pod_container_status_restarts_total{namespace="goorm"}[1h]))', legend: '{{pod}}' }], unit: 'short', w: 8 },
        {
          title: 'Deployments: available vs wanted',
          source: 'cluster',
          queries: [
            { expr: 'sum by (deployment) (kube_deployment_status_replicas_available{namespace="goorm"})', legend: '{{deployment}} available' },
            { expr: 'sum by (deployment) (kube_deployment_spec_replicas{namespace="goorm"})', legend: '{{deployment}} wanted' },
          ],
          unit: 'short',
          w: 8,
        },
        { title: 'Container CPU by pod', source: 'cluster', queries: [{ expr: 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="goorm",container!=""}[$__rate_interval]))', legend: '{{pod}}' }], unit: 'short' },
        { title: 'Container memory by pod', source: 'cluster', queries: [{ expr: 'sum by (pod) (container_memory_working_set_bytes{namespace="goorm",container!=""})', legend: '{{pod}}' }], unit: 'bytes' },
      ],
    },
    {
      title: 'Monitoring',
      panels: [
        { title: 'Prometheus head series', source: 'prometheus', queries: [{ expr: 'max by (instance) (prometheus_tsdb_head_series)', legend: '{{instance}}' }], unit: 'short', w: 8 },
        { title: 'Samples appended per second', source: 'prometheus', queries: [{ expr: 'sum by (instance) (rate(prometheus_tsdb_head_samples_appended_total[$__rate_interval]))', legend: '{{instance}}' }], unit: 'short', w: 8 },
        { title: 'Rule evaluation failures', source: 'prometheus', queries: [{ expr: 'sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[$__rate_interval]))', legend: '{{rule_group}}' }], unit: 'ops', w: 8 },
        {
          title: 'Thanos sidecar uploads',
          source: 'cluster',
          queries: [
            { expr: 'sum by (pod) (increase(thanos_shipper_uploads_total[1h]))', legend: '{{pod}} uploaded' },
            { expr: 'sum by (pod) (increase(thanos_shipper_upload_failures_total[1h]))', legend: '{{pod}} failed' },
          ],
          unit: 'short',
        },
        {
          title: 'Thanos: last upload age and compactor halted',
          source: 'cluster',
          queries: [
            { expr: 'time() - max by (pod) (thanos_objstore_bucket_last_successful_upload_time)', legend: '{{pod}} last upload age (s)' },
            { expr: 'max(thanos_compact_halted)', legend: 'compactor halted' },
          ],
        },
      ],
    },
  ],
};
