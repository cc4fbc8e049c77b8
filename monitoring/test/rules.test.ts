import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULE_FILES, RULE_TESTS, RUNBOOK_BASE_URL, RUNBOOKS_DIR } from '../src/paths.ts';
import { PROMTOOL_BIN, promtool } from '../src/prometheus.ts';
import { loadRules } from '../src/queries.ts';
import { SLOS } from '../src/slo.ts';
import { MONITORING_ROOT } from '../src/paths.ts';

const alerts = loadRules().filter((r) => r.alert);
const alertNames = [...new Set(alerts.map((a) => a.alert!))];

describe('Prometheus rules', () => {
  it('promtool is installed (Debian package prometheus; .ci/run installs it)', () => {
    expect(existsSync(PROMTOOL_BIN), `${PROMTOOL_BIN} missing: apt-get install -y prometheus`).toBe(true);
  });

  it('promtool check rules accepts every rule file', () => {
    const r = promtool(['check', 'rules', ...RULE_FILES]);
    expect(r.output).toMatch(/SUCCESS/);
    expect(r.status, r.output).toBe(0);
  });

  it('promtool test rules passes every unit test', () => {
    const r = promtool(['test', 'rules', ...RULE_TESTS]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toMatch(/FAILED/);
  });

  it('has a unit test that expects each alert to fire', () => {
    const tested = new Set<string>();
    for (const file of RULE_TESTS) {
      const doc = parse(readFileSync(file, 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }> };
      for (const t of doc.tests) for (const a of t.alert_rule_test ?? []) if ((a.exp_alerts ?? []).length > 0) tested.add(a.alertname);
    }
    expect(alertNames.filter((n) => !tested.has(n))).toEqual([]);
    expect(alertNames.length).toBeGreaterThanOrEqual(18);
  });

  it('fails the unit tests when an alert expression is broken (ServiceHigh5xxRatio at 50% instead of 1%)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'goorm-rules-broken-'));
    try {
      mkdirSync(path.join(dir, 'tests'));
      const rules = readFileSync(RULE_FILES[0]!, 'utf8');
      const broken = rules.replace('expr: service:http_requests_errors:ratio_rate5m > 0.01 and', 'expr: service:http_requests_errors:ratio_rate5m > 0.5 and');
      expect(broken).not.toBe(rules);
      writeFileSync(path.join(dir, path.basename(RULE_FILES[0]!)), broken);
      copyFileSync(RULE_TESTS[0]!, path.join(dir, 'tests', path.basename(RULE_TESTS[0]!)));
      const r = promtool(['test', 'rules', path.join(dir, 'tests', path.basename(RULE_TESTS[0]!))]);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/FAILED[\s\S]*alertname: ServiceHigh5xxRatio/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes every SLO down in SLO.md with its objective and alert', () => {
    const text = readFileSync(path.join(MONITORING_ROOT, 'SLO.md'), 'utf8');
    for (const s of SLOS) {
      expect(text).toMatch(new RegExp(`\\| \`${s.name}\` \\|[^\\n]*\\| ${+(s.objective * 100).toFixed(1)}% \\|`));
      expect(text).toContain(`\`${s.alert}\``);
    }
  });

  describe.each(alertNames)('alert %s', (name) => {
    const rules = alerts.filter((a) => a.alert === name);

    it('has a severity, a summary and a runbook_url', () => {
      for (const r of rules) {
        expect(['critical', 'warning']).toContain(r.labels?.severity);
        expect(r.annotations?.summary?.length ?? 0).toBeGreaterThan(10);
        expect(r.annotations?.runbook_url).toBe(`${RUNBOOK_BASE_URL}/${name}.md`);
      }
    });

    it('has a runbook file with what it means, how to confirm, what to do and how to undo', () => {
      const url = rules[0]!.annotations!.runbook_url!;
      const file = path.join(RUNBOOKS_DIR, url.slice(RUNBOOK_BASE_URL.length + 1));
      expect(existsSync(file), `${url} → ${file}`).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(new RegExp(`^# ${name}$`, 'm'));
      for (const h of ['## What it means', '## How to confirm', '## What to do', '## How to undo']) expect(text).toContain(h);
    });
  });
});
