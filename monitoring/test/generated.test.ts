import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDashboard, DASHBOARDS, panelsOf, THANOS } from '../src/dashboards/index.ts';
import { generatedFiles } from '../src/generate.ts';
import { REPO_ROOT } from '../src/paths.ts';

describe('generated files (npm run generate -w @goorm/monitoring)', () => {
  const files = generatedFiles();

  it.each([...files.keys()].map((f) => path.relative(REPO_ROOT, f)))('%s is committed as the generator writes it', (rel) => {
    const file = path.join(REPO_ROOT, rel);
    expect(existsSync(file), `${rel} missing: run npm run generate -w @goorm/monitoring`).toBe(true);
    expect(readFileSync(file, 'utf8'), `${rel} differs from the generator's output: run npm run generate -w @goorm/monitoring`).toBe(files.get(file));
  });

  it('ships each dashboard as a ConfigMap the Grafana sidecar picks up (label grafana_dashboard: "1")', () => {
    for (const d of DASHBOARDS) {
      const cm = parse(files.get(path.join(REPO_ROOT, 'gitops/platform/dashboards', `${d.file}.yaml`))!) as {
        kind: string;
        metadata: { labels: Record<string, string> };
        data: Record<string, string>;
      };
      expect(cm.kind).toBe('ConfigMap');
      expect(cm.metadata.labels.grafana_dashboard).toBe('1');
      expect(JSON.parse(cm.data[`${d.file}.json`]!)).toEqual(JSON.parse(JSON.stringify(buildDashboard(d))));
    }
  });

  it('ships the rule files as PrometheusRule objects with the same groups', () => {
    for (const [name, source] of [
      ['goorm-rules', 'goorm.rules.yaml'],
      ['goorm-slo-rules', 'slo.rules.yaml'],
    ] as const) {
      const pr = parse(files.get(path.join(REPO_ROOT, 'gitops/platform/rules', `${name}.yaml`))!) as { kind: string; spec: { groups: unknown } };
      expect(pr.kind).toBe('PrometheusRule');
      expect(pr.spec.groups).toEqual((parse(readFileSync(path.join(REPO_ROOT, 'monitoring/rules', source), 'utf8')) as { groups: unknown }).groups);
    }
  });
});

describe('dashboards', () => {
  it('are the three operators need', () => {
    expect(DASHBOARDS.map((d) => d.title)).toEqual(['Registration day', 'Service RED', 'Cluster and nodes']);
  });

  it.each(DASHBOARDS.map((d) => [d.title, d] as const))('%s: every panel and query reads Thanos Query, titles are unique', (_, d) => {
    const json = buildDashboard(d) as unknown as { panels: Array<{ type: string; title: string; datasource?: unknown; targets?: Array<{ expr: string; datasource: unknown }> }> };
    const panels = json.panels.filter((p) => p.type !== 'row');
    expect(panels).toHaveLength(panelsOf(d).length);
    expect(new Set(panels.map((p) => p.title)).size).toBe(panels.length);
    for (const p of panels) {
      expect(p.datasource).toEqual(THANOS);
      expect(p.targets?.length).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        expect(t.datasource).toEqual(THANOS);
        expect(t.expr.length).toBeGreaterThan(0);
      }
    }
  });

  it('Service RED is templated by service', () => {
    const json = buildDashboard(DASHBOARDS[1]) as unknown as { templating: { list: Array<{ name: string; query: string }> } };
    expect(json.templating.list.map((v) => v.name)).toEqual(['service']);
    for (const p of panelsOf(DASHBOARDS[1]).filter((x) => x.source !== 'cluster')) for (const q of p.queries) expect(q.expr).toContain('$service');
  });

  it('Registration day shows what the issue lists', () => {
    const titles = panelsOf(DASHBOARDS[0]).map((p) => p.title);
    for (const t of [
      'Enroll decisions per second by outcome',
      'Seats filled and capacity',
      'Waiting room length',
      'Admission rate: chosen and admitted',
      'Admission wait',
      'Enroll latency (POST /api/enrollments)',
      '5xx ratio by service',
      'Search requests per second',
      'Search latency (GET /api/lectures/sections)',
      'DB pool: in use and waiting',
      'Event-loop lag p99 by service',
      'Pods per service',
      'HPA replicas: current, desired, max',
    ]) {
      expect(titles).toContain(t);
    }
  });
});
