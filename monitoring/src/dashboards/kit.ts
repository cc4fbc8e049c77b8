/**
 * A thin layer over @grafana/grafana-foundation-sdk: panels are declared as data (title, queries,
 * unit, where their series come from), laid out on the 24-column grid, and built with the SDK's
 * typed builders. The real-data proof reads the same declarations to know which panels must
 * show data here and which read cluster exporters.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Grafana's datasource for Thanos Query (the platform's Grafana provisions it with this uid). */
export const THANOS = { type: 'prometheus', uid: 'thanos' } as const;

/**
 * Where a panel's series come from:
 * - app: the services' own /metrics (and the invariant job through the Pushgateway);
 * - node: node exporter (a real one runs beside the local proof);
 * - prometheus: Prometheus's own metrics;
 * - ai: the AI helper (ai-helper), checked with data when it runs;
 * - cluster: kube-state-metrics, cAdvisor, Thanos: no data outside a cluster.
 */
export type Source = 'app' | 'node' | 'prometheus' | 'ai' | 'cluster';

export interface Query {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  title: string;
  description?: string;
  kind?: 'timeseries' | 'stat';
  source: Source;
  queries: Query[];
  unit?: string;
  min?: number;
  max?: number;
  /** width on the 24-column grid (default 12 for time series, 6 for stats) */
  w?: number;
  h?: number;
  stack?: boolean;
  /** thresholds for stats: [value, colour] steps over a green base */
  thresholds?: Array<[number, string]>;
  /** With a templated service: the services this panel applies to (others have no such series, e.g. the gateway has no database pool). */
  only?: string[];
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface VariableSpec {
  name: string;
  label: string;
  /** label_values(...) query */
  query: string;
  /** the label whose values the proof substitutes */
  label_: string;
  match: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  file: string;
  variables?: VariableSpec[];
  rows: RowSpec[];
  refresh?: string;
  from?: string;
}

function target(q: Query, i: number) {
  const b = new prometheus.DataqueryBuilder().expr(q.expr).refId(String.fromCharCode(65 + i)).range();
  if (q.legend) b.legendFormat(q.legend);
  return b.datasource(THANOS);
}

function panelBuilder(p: PanelSpec, pos: dashboard.GridPos, id: number) {
  if (p.kind === 'stat') {
    const b = new stat.PanelBuilder()
      .id(id)
      .title(p.title)
      .datasource(THANOS)
      .gridPos(pos)
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
    if (p.description) b.description(p.description);
    if (p.unit) b.unit(p.unit);
    p.queries.forEach((q, i) => b.withTarget(target(q, i)));
    if (p.thresholds) {
      b.thresholds(
        new dashboard.ThresholdsConfigBuilder()
          .mode(dashboard.ThresholdsMode.Absolute)
          .steps([{ value: null, color: 'green' }, ...p.thresholds.map(([value, color]) => ({ value, color }))]),
      );
    }
    return b;
  }
  const b = new timeseries.PanelBuilder().id(id).title(p.title).datasource(THANOS).gridPos(pos).lineWidth(1).fillOpacity(p.stack ? 30 : 10);
  if (p.description) b.description(p.description);
  if (p.unit) b.unit(p.unit);
  if (p.min !== undefined) b.min(p.min);
  if (p.max !== undefined) b.max(p.max);
  p.queries.forEach((q, i) => b.withTarget(target(q, i)));
  return b;
}

/** The dashboard JSON (Grafana schema) for a spec, with the panels laid out row by row. */
export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const d = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(spec.tags)
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh(spec.refresh ?? '30s')
    .time({ from: spec.from ?? 'now-1h', to: 'now' })
    .timezone('browser');
  for (const v of spec.variables ?? []) {
    d.withVariable(
      new dashboard.QueryVariableBuilder(v.name)
        .label(v.label)
        .query(v.query)
        .datasource(THANOS)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .includeAll(false)
        .multi(false),
    );
  }
  let y = 0;
  let id = 0;
  for (const row of spec.rows) {
    d.withRow(new dashboard.RowBuilder(row.title).id(++id).gridPos({ h: 1, w: 24, x: 0, y }));
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.w ?? (p.kind === 'stat' ? 6 : 12);
      const h = p.h ?? (p.kind === 'stat' ? 4 : 8);
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      d.withPanel(panelBuilder(p, { x, y, w, h }, ++id));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return d.build();
}

/** Every panel of a spec with its row. */
export function panelsOf(spec: DashboardSpec): Array<PanelSpec & { row: string }> {
  return spec.rows.flatMap((r) => r.panels.map((p) => ({ ...p, row: r.title })));
}
