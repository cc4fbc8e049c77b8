/**
 * The proof against real data: every dashboard panel query (variables substituted) and every
 * recording rule, run through Prometheus's HTTP API over the time range a load ran in, must return
 * at least one finite sample. Panels over cluster exporters (and the AI helper's, when it does not
 * run) cannot have data here: they must parse in Prometheus and name only documented metrics; they
 * are listed apart.
 */
import { DASHBOARDS, panelsOf, type PanelSpec } from './dashboards/index.ts';
import { exporterOf, isDocumented, metricNames } from './exporters.ts';
import type { PromApi } from './prometheus.ts';
import { loadRules, recordSelector, substitute } from './queries.ts';

/** What the AI helper exports (services/ai-helper, built by the lead). */
export const AI_METRICS = ['ai_inference_duration_seconds_bucket', 'ai_inference_duration_seconds_count', 'ai_inference_duration_seconds_sum', 'ai_model_info'];

export interface ApartEntry {
  panel: string;
  source: string;
  why: string;
  metrics: string[];
}

export interface DashboardProof {
  title: string;
  /** queries that must have data here, and how many did */
  total: number;
  withData: number;
  failures: string[];
  apart: ApartEntry[];
}

export interface RulesProof {
  total: number;
  withData: number;
  failures: string[];
  apart: string[];
  unhealthy: string[];
}

export interface Range {
  start: number;
  end: number;
  step: number;
}

async function hasFiniteData(api: PromApi, expr: string, r: Range): Promise<boolean> {
  const result = await api.queryRange(expr, r.start, r.end, r.step);
  return result.some((s) => (s.values ?? []).some(([, v]) => Number.isFinite(Number(v))));
}

export async function verifyDashboards(api: PromApi, range: Range, o: { aiRunning: boolean }): Promise<DashboardProof[]> {
  const recorded = new Set(loadRules().flatMap((r) => (r.record ? [r.record] : [])));
  const proofs: DashboardProof[] = [];
  for (const d of DASHBOARDS) {
    const proof: DashboardProof = { title: d.title, total: 0, withData: 0, failures: [], apart: [] };
    // each variable takes every value Prometheus knows for it
    const values: Record<string, string[]> = {};
    for (const v of d.variables ?? []) values[v.name] = await api.labelValues(v.label_, v.match);
    for (const p of panelsOf(d)) {
      const apart = p.source === 'cluster' || (p.source === 'ai' && !o.aiRunning);
      for (const q of p.queries) {
        const variants = variantsOf(p, values);
        if (apart) {
          // parsed by Prometheus: the query API accepts it (a syntax error answers 400 bad_data)
          try {
            await api.query(substitute(q.expr, variants[0] ?? {}));
          } catch (err) {
            proof.failures.push(`${p.title}: Prometheus refused the query: ${(err as Error).message}`);
          }
          const names = metricNames(q.expr).filter((m) => !recorded.has(m));
          const allowed = (m: string) => (p.source === 'ai' ? AI_METRICS.includes(m) : isDocumented(m));
          const unknown = names.filter((m) => !allowed(m));
          if (unknown.length) proof.failures.push(`${p.title}: not a documented ${p.source === 'ai' ? 'ai-helper' : 'exporter'} metric: ${unknown.join(', ')}`);
          const why = p.source === 'ai' ? 'ai-helper not running here' : `cluster exporter (${[...new Set(names.map((m) => exporterOf(m) ?? '?'))].join(', ')})`;
          proof.apart.push({ panel: p.title, source: p.source, why, metrics: names });
          continue;
        }
        proof.total++;
        const missing: string[] = [];
        for (const vars of variants) {
          if (!(await hasFiniteData(api, substitute(q.expr, vars), range))) missing.push(Object.values(vars).join(',') || '(no variables)');
        }
        if (missing.length === 0) proof.withData++;
        else proof.failures.push(`${p.title}: no data for ${missing.join(' / ')}: ${q.expr}`);
      }
    }
    proofs.push(proof);
  }
  return proofs;
}

function variantsOf(p: PanelSpec, values: Record<string, string[]>): Array<Record<string, string>> {
  let variants: Array<Record<string, string>> = [{}];
  for (const [name, vals] of Object.entries(values)) {
    const usable = name === 'service' && p.only ? vals.filter((v) => p.only!.includes(v)) : vals;
    variants = variants.flatMap((v) => usable.map((x) => ({ ...v, [name]: x })));
  }
  return variants;
}

export async function verifyRules(api: PromApi, range: Range, o: { aiRunning: boolean }): Promise<RulesProof> {
  const proof: RulesProof = { total: 0, withData: 0, failures: [], apart: [], unhealthy: [] };
  for (const r of loadRules()) {
    if (!r.record) continue;
    if (!o.aiRunning && /\bai_/.test(r.expr)) {
      proof.apart.push(`${r.record} (ai-helper not running here)`);
      continue;
    }
    proof.total++;
    if (await hasFiniteData(api, recordSelector(r), range)) proof.withData++;
    else proof.failures.push(`${recordSelector(r)}: no data`);
  }
  for (const g of await api.rules()) for (const r of g.rules) if (r.health !== 'ok' && r.health !== 'unknown') proof.unhealthy.push(`${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`);
  return proof;
}

export function formatProof(dashboards: DashboardProof[], rules: RulesProof): string {
  const lines: string[] = [];
  for (const d of dashboards) {
    lines.push(`${d.title}: ${d.withData}/${d.total} panel queries over the services' own metrics returned data`);
    for (const a of d.apart) lines.push(`  apart: ${a.panel} [${a.why}] parsed; metrics documented: ${a.metrics.join(', ')}`);
    for (const f of d.failures) lines.push(`  FAILED: ${f}`);
  }
  lines.push(`Recording rules: ${rules.withData}/${rules.total} returned data`);
  for (const a of rules.apart) lines.push(`  apart: ${a}`);
  for (const f of [...rules.failures, ...rules.unhealthy]) lines.push(`  FAILED: ${f}`);
  return lines.join('\n');
}
