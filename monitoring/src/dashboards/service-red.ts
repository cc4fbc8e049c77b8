import type { DashboardSpec } from './kit.ts';

const PROBES = 'route!~"/metrics|/healthz|/readyz"';
const S = 'service="$service"';

/** Rate, errors, duration (and saturation) of one service, chosen at the top. */
export const serviceRed: DashboardSpec = {
  uid: 'goorm-service-red',
  title: 'Service RED',
  file: 'service-red',
  description: 'Requests, errors and duration of one service, with its process, pool and pods.',
  tags: ['goorm', 'red'],
  variables: [{ name: 'service', label: 'Service', query: 'label_values(http_requests_total, service)', label_: 'service', match: 'http_requests_total' }],
  rows: [
    {
      title: 'Requests, errors, duration',
      panels: [
        { title: 'Requests per second by route', source: 'app', queries: [{ expr: `sum by (method, route) (rate(http_requests_total{${S},${PROBES}}[$__rate_interval]))`, legend: '{{method}} {{route}}' }], unit: 'reqps' },
        { title: 'Answers by status code', source: 'app', queries: [{ expr: `sum by (status_code) (rate(http_requests_total{${S},${PROBES}}[$__rate_interval]))`, legend: '{{status_code}}' }], unit: 'reqps', stack: true },
        { title: '5xx ratio', source: 'app', queries: [{ expr: `service:http_requests_errors:ratio_rate5m{${S}}`, legend: '5xx' }], unit: 'percentunit', min: 0 },
        {
          title: 'Latency quantiles',
          source: 'app',
          queries: [
            { expr: `service:http_request_duration_seconds:p50_5m{${S}}`, legend: 'p50' },
            { expr: `service:http_request_duration_seconds:p95_5m{${S}}`, legend: 'p95' },
            { expr: `service:http_request_duration_seconds:p99_5m{${S}}`, legend: 'p99' },
          ],
          unit: 's',
        },
        { title: 'p99 by route', source: 'app', queries: [{ expr: `service_route:http_request_duration_seconds:p99_5m{${S}}`, legend: '{{method}} {{route}}' }], unit: 's', w: 24 },
      ],
    },
    {
      title: 'Process and saturation',
      panels: [
        { title: 'CPU (cores)', source: 'app', queries: [{ expr: `sum by (pod) (rate(process_cpu_seconds_total{${S}}[$__rate_interval]))`, legend: '{{pod}}' }], unit: 'short', w: 8 },
        { title: 'Resident memory', source: 'app', queries: [{ expr: `sum by (pod) (process_resident_memory_bytes{${S}})`, legend: '{{pod}}' }], unit: 'bytes', w: 8 },
        { title: 'Event-loop lag p99', source: 'app', queries: [{ expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${S}})`, legend: '{{pod}}' }], unit: 's', w: 8 },
        {
          title: 'DB pool by state',
          source: 'app',
          only: ['auth', 'lectures', 'carts', 'enrollment', 'ai-helper'],
          queries: [{ expr: `sum by (state) (db_pool_connections{${S}})`, legend: '{{state}}' }],
          unit: 'short',
          w: 8,
        },
        { title: 'Instances up', source: 'app', queries: [{ expr: `sum(up{${S}})`, legend: 'up' }], unit: 'short', w: 8 },
        { title: 'Restarts (15m)', source: 'app', queries: [{ expr: `sum by (pod) (changes(process_start_time_seconds{${S}}[15m]))`, legend: '{{pod}}' }], unit: 'short', w: 8 },
      ],
    },
    {
      title: 'Pods',
      panels: [
        { title: 'Pods available', source: 'cluster', queries: [{ expr: 'sum(kube_deployment_status_replicas_available{namespace="goorm",deployment="$service"})', legend: 'available' }], unit: 'short', w: 8 },
        {
          title: 'Container CPU throttling',
          source: 'cluster',
          queries: [
            {
              expr: 'sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{namespace="goorm",container="$service"}[$__rate_interval])) / sum by (pod) (rate(container_cpu_cfs_periods_total{namespace="goorm",container="$service"}[$__rate_interval]))',
              legend: '{{pod}}',
            },
          ],
          unit: 'percentunit',
          w: 8,
        },
        { title: 'Container memory working set', source: 'cluster', queries: [{ expr: 'sum by (pod) (container_memory_working_set_bytes{namespace="goorm",container="$service"})', legend: '{{pod}}' }], unit: 'bytes', w: 8 },
      ],
    },
  ],
};
