import type { DashboardSpec } from './kit.ts';

const ENROLL = 'service="enrollment",method="POST",route="/api/enrollments"';
const SEARCH = 'service="lectures",method="GET",route="/api/lectures/sections"';
const q = (p: number, sel: string) => ({
  expr: `histogram_quantile(${p}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[$__rate_interval])))`,
  legend: `p${Math.round(p * 100)}`,
});

/** What operators watch when registration opens. */
export const registrationDay: DashboardSpec = {
  uid: 'goorm-registration-day',
  title: 'Registration day',
  file: 'registration-day',
  description: 'Decisions, seats, the waiting room, enroll and search latency, capacity and the pods behind them.',
  tags: ['goorm', 'registration'],
  refresh: '10s',
  from: 'now-30m',
  rows: [
    {
      title: 'Opening',
      panels: [
        { title: 'Seats filled', kind: 'stat', source: 'app', queries: [{ expr: 'max(enrollment_seats_filled)' }], unit: 'short' },
        { title: 'Seats filled (share of capacity)', kind: 'stat', source: 'app', queries: [{ expr: 'enrollment:seats_filled:ratio' }], unit: 'percentunit' },
        { title: 'Waiting now', kind: 'stat', source: 'app', queries: [{ expr: 'max(waiting_room_length)' }], unit: 'short' },
        {
          title: 'Oversold seats (invariant check)',
          description: 'Pushed by the invariant-check CronJob; must read 0.',
          kind: 'stat',
          source: 'app',
          queries: [{ expr: 'max(enrollment_invariant_oversold_seats)' }],
          thresholds: [[1, 'red']],
        },
        {
          title: 'Enroll decisions per second by outcome',
          description: 'POST /api/enrollments answers by outcome code (OK, SECTION_FULL, TIME_CONFLICT, …).',
          source: 'app',
          queries: [{ expr: 'sum by (outcome) (action_outcome:enrollment_decisions:rate1m{action="ENROLL"})', legend: '{{outcome}}' }],
          unit: 'reqps',
          stack: true,
        },
        {
          title: 'Seats filled and capacity',
          source: 'app',
          queries: [
            { expr: 'max(enrollment_seats_filled)', legend: 'filled' },
            { expr: 'max(enrollment_seats_capacity)', legend: 'capacity' },
          ],
          unit: 'short',
        },
      ],
    },
    {
      title: 'Waiting room',
      panels: [
        { title: 'Waiting room length', source: 'app', queries: [{ expr: 'max(waiting_room_length)', legend: 'waiting' }], unit: 'short', w: 8 },
        {
          title: 'Admission rate: chosen and admitted',
          description: 'The rate the controller (or staff) chose, its floor, and the students actually admitted per second.',
          source: 'app',
          queries: [
            { expr: 'max(waiting_room_admission_rate)', legend: 'chosen' },
            { expr: 'max(waiting_room_admission_rate_min)', legend: 'floor' },
            { expr: 'waiting_room:admissions:rate1m', legend: 'admitted' },
          ],
          unit: 'short',
          w: 8,
        },
        {
          title: 'Admission wait',
          source: 'app',
          queries: [
            { expr: 'histogram_quantile(0.5, sum by (le) (rate(waiting_room_admission_wait_seconds_bucket[$__rate_interval])))', legend: 'p50' },
            { expr: 'histogram_quantile(0.95, sum by (le) (rate(waiting_room_admission_wait_seconds_bucket[$__rate_interval])))', legend: 'p95' },
          ],
          unit: 's',
          w: 8,
        },
        {
          title: 'Waitlist promotions and skips',
          description:
            'Students enrolled from a waitlist per second: in the drop or swap that freed the seat, or by the 1 s sweeper (capacity raised, reservation released); and waiting students a freed seat went past because the rules refused them.',
          source: 'app',
          queries: [
            { expr: 'sum by (via) (rate(enrollment_waitlist_promotions_total[$__rate_interval]))', legend: 'promoted ({{via}})' },
            { expr: 'sum(rate(enrollment_waitlist_skips_total[$__rate_interval]))', legend: 'skipped' },
          ],
          unit: 'ops',
        },
      ],
    },
    {
      title: 'Enroll and search',
      panels: [
        { title: 'Enroll latency (POST /api/enrollments)', description: 'SLO: 99% within 500 ms.', source: 'app', queries: [q(0.5, ENROLL), q(0.95, ENROLL), q(0.99, ENROLL)], unit: 's' },
        { title: '5xx ratio by service', source: 'app', queries: [{ expr: 'service:http_requests_errors:ratio_rate5m', legend: '{{service}}' }], unit: 'percentunit', min: 0 },
        {
          title: 'Search requests per second',
          source: 'app',
          queries: [{ expr: `sum by (status_code) (rate(http_requests_total{${SEARCH}}[$__rate_interval]))`, legend: '{{status_code}}' }],
          unit: 'reqps',
          stack: true,
        },
        { title: 'Search latency (GET /api/lectures/sections)', description: 'SLO: 99% within 250 ms.', source: 'app', queries: [q(0.5, SEARCH), q(0.95, SEARCH), q(0.99, SEARCH)], unit: 's' },
        {
          title: 'Cache hit ratios',
          source: 'app',
          queries: [
            { expr: 'lectures:search_cache_hit:ratio_rate5m', legend: 'search answers' },
            { expr: 'enrollment:catalog_cache_hit:ratio_rate5m', legend: 'enrollment catalog' },
          ],
          unit: 'percentunit',
          min: 0,
          max: 1,
        },
        {
          title: 'SLO error ratio (1h)',
          description: 'Bad-request ratio per SLO over the last hour; the objectives are in monitoring/SLO.md.',
          source: 'app',
          queries: [{ expr: 'slo:sli_error:ratio_rate1h', legend: '{{slo}}' }],
          unit: 'percentunit',
          min: 0,
        },
      ],
    },
    {
      title: 'Capacity',
      panels: [
        {
          title: 'DB pool: in use and waiting',
          source: 'app',
          queries: [
            { expr: 'sum by (service) (db_pool_connections{state="used"})', legend: '{{service}} in use' },
            { expr: 'sum by (service) (db_pool_connections{state="pending_acquires"})', legend: '{{service}} waiting' },
          ],
          unit: 'short',
        },
        {
          title: 'Transaction retries and deadlocks',
          description: 'Conflicts retried inside the service by kind, and decisions that ran out of retries (503 BUSY).',
          source: 'app',
          queries: [
            { expr: 'sum by (kind) (rate(enrollment_transaction_conflicts_total[$__rate_interval]))', legend: '{{kind}}' },
            { expr: 'sum(rate(enrollment_decisions_total{outcome="BUSY"}[$__rate_interval])) or vector(0)', legend: 'retries exhausted' },
          ],
          unit: 'ops',
        },
        { title: 'Event-loop lag p99 by service', source: 'app', queries: [{ expr: 'max by (service) (nodejs_eventloop_lag_p99_seconds)', legend: '{{service}}' }], unit: 's' },
        { title: 'Redis clients ready', source: 'app', queries: [{ expr: 'min by (service, client) (redis_client_ready)', legend: '{{service}} {{client}}' }], min: 0, max: 1 },
        {
          title: 'Pods per service',
          source: 'cluster',
          queries: [{ expr: 'sum by (deployment) (kube_deployment_status_replicas_available{namespace="goorm"})', legend: '{{deployment}}' }],
          unit: 'short',
        },
        {
          title: 'HPA replicas: current, desired, max',
          source: 'cluster',
          queries: [
            { expr: 'max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{namespace="goorm"})', legend: '{{horizontalpodautoscaler}} current' },
            { expr: 'max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_desired_replicas{namespace="goorm"})', legend: '{{horizontalpodautoscaler}} desired' },
            { expr: 'max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{namespace="goorm"})', legend: '{{horizontalpodautoscaler}} max' },
          ],
          unit: 'short',
        },
      ],
    },
    {
      title: 'AI helper',
      panels: [
        { title: 'AI inference p95 by model', source: 'ai', queries: [{ expr: 'model:ai_inference_duration_seconds:p95_5m', legend: '{{model}}' }], unit: 's' },
        { title: 'AI model version', source: 'ai', queries: [{ expr: 'max by (model, version) (ai_model_info)', legend: '{{model}} {{version}}' }] },
      ],
    },
  ],
};
