/**
 * Panel queries as Grafana runs them, with its variables substituted, and the checks the proof
 * makes over them.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DASHBOARDS, panelsOf, type DashboardSpec, type PanelSpec } from './dashboards/index.ts';
import { RULE_FILES } from './paths.ts';

/** Grafana's interval variables at the proof's scrape interval, plus dashboard variables. */
export function substitute(expr: string, vars: Record<string, string> = {}): string {
  let out = expr.replace(/\$__rate_interval/g, '1m').replace(/\$__interval/g, '15s').replace(/\$__range/g, '1h');
  for (const [k, v] of Object.entries(vars)) out = out.replace(new RegExp(`\\$\\{?${k}\\}?`, 'g'), v);
  return out;
}

export interface RuleEntry {
  group: string;
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  for?: string;
}

/** Every rule of the repository's rule files. */
export function loadRules(files = RULE_FILES): RuleEntry[] {
  return files.flatMap((f) => {
    const doc = parse(readFileSync(f, 'utf8')) as { groups: Array<{ name: string; rules: Array<Omit<RuleEntry, 'group'>> }> };
    return doc.groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));
  });
}

/** The selector that picks one recording rule's series (its name and its own labels). */
export function recordSelector(r: RuleEntry): string {
  const labels = Object.entries(r.labels ?? {}).map(([k, v]) => `${k}="${v}"`);
  return labels.length ? `${r.record}{${labels.join(',')}}` : r.record!;
}

export interface PanelQuery {
  dashboard: DashboardSpec;
  panel: PanelSpec & { row: string };
  expr: string;
  legend?: string | undefined;
}

export function panelQueries(): PanelQuery[] {
  return DASHBOARDS.flatMap((d) => panelsOf(d).flatMap((p) => p.queries.map((q) => ({ dashboard: d, panel: p, expr: q.expr, legend: q.legend }))));
}
