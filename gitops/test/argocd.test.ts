/**
 * gitops/argocd, the folder infra/'s bootstrap Application syncs: the AppProjects, the
 * ApplicationSet that makes one Application per app overlay, and the platform app-of-apps.
 *
 * The ApplicationSets are run here the way the controller runs them: the clusters generator on the
 * in-cluster secret infra/ creates (label environment=<env>), the git directory generator on this
 * repository's folders, the Go templates with missingkey=error (an unknown key throws). Every
 * Application that comes out validates, renders, and stays inside its project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHARTS, CONFIG_FOLDERS, ENVS, PRESCALE, PUSHGATEWAY, REPO } from '../generate.ts';
import { REPO_ROOT, byKind, kustomize, waveOf, type K8sObject, type Loose } from './lib/render.ts';
import { schemaError } from './lib/schemas.ts';

const argocd = kustomize('gitops/argocd');
const project = (name: string) => byKind(argocd, 'AppProject').find((p) => p.metadata.name === name)!;
const appSet = (name: string) => byKind(argocd, 'ApplicationSet').find((s) => s.metadata.name === name)!;
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Go text/template as the ApplicationSet controller uses it, for the forms used here: `.a.b` and `index .a.b N`. */
function evaluate(expr: string, params: Loose): string {
  const lookup = (ref: string) => {
    if (!ref.startsWith('.')) throw new Error(`unsupported template expression {{ ${expr} }}`);
    return ref
      .slice(1)
      .split('.')
      .reduce((v: Loose, key) => {
        if (v === undefined || v === null || !(key in v)) throw new Error(`map has no entry for key "${key}" in {{ ${expr} }} (missingkey=error)`);
        return v[key];
      }, params);
  };
  const parts = expr.trim().split(/\s+/);
  if (parts.length === 1) return String(lookup(parts[0]!));
  if (parts[0] === 'index' && parts.length === 3) {
    const list = lookup(parts[1]!) as unknown[];
    const i = Number(parts[2]);
    if (!Array.isArray(list) || !(i in list)) throw new Error(`index out of range in {{ ${expr} }}`);
    return String(list[i]);
  }
  throw new Error(`unsupported template expression {{ ${expr} }}`);
}
function render<T>(template: T, params: Loose): T {
  if (typeof template === 'string') return template.replace(/\{\{(.*?)\}\}/g, (_m, expr: string) => evaluate(expr, params)) as T;
  if (Array.isArray(template)) return template.map((t) => render(t, params)) as T;
  if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [render(k, params), render(v, params)])) as T;
  return template;
}

/** What the clusters generator yields for the in-cluster secret infra/ creates (infra/src/stacks/cluster-stack.ts). */
const clusterParams = (env: string) => ({ name: 'in-cluster', nameNormalized: 'in-cluster', server: IN_CLUSTER, metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: env }, annotations: {} } });

function selectorMatches(selector: Loose, labels: Record<string, string>): boolean {
  const ml = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
  const me = ((selector?.matchExpressions ?? []) as Loose[]).every((e) => {
    if (e.operator === 'In') return e.values.includes(labels[e.key]);
    if (e.operator === 'Exists') return e.key in labels;
    throw new Error(`operator ${e.operator}`);
  });
  return ml && me;
}

/** The git directory generator: directories matching the pattern (a `*` per segment), as its params. */
function gitDirectories(pattern: string) {
  const segments = pattern.split('/');
  let dirs = [''];
  for (const seg of segments) {
    dirs = dirs.flatMap((d) => {
      const abs = path.join(REPO_ROOT, d);
      if (seg !== '*') return existsSync(path.join(abs, seg)) ? [path.posix.join(d, seg)] : [];
      return readdirSync(abs, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.posix.join(d, e.name));
    });
  }
  return dirs.sort().map((p) => ({ path: { path: p, basename: path.posix.basename(p), basenameNormalized: path.posix.basename(p), segments: p.split('/') } }));
}

/** Runs an ApplicationSet's generators and template for one cluster. */
function generateApplications(set: K8sObject, env: string): K8sObject[] {
  expect(set.spec.goTemplate).toBe(true);
  expect(set.spec.goTemplateOptions).toContain('missingkey=error');
  const paramSets: Loose[] = set.spec.generators.flatMap((g: Loose) => {
    const clusters = (c: Loose) => (selectorMatches(c.clusters.selector, clusterParams(env).metadata.labels) ? [clusterParams(env)] : []);
    if (g.clusters) return clusters(g);
    if (g.matrix) {
      const [first, second] = g.matrix.generators as Loose[];
      return clusters(first).flatMap((p: Loose) => {
        const git = render(second.git, p);
        expect(git.repoURL).toBe(REPO.url);
        expect(git.revision).toBe(REPO.revision);
        return git.directories.flatMap((d: Loose) => gitDirectories(d.path)).map((dp: Loose) => ({ ...p, ...dp }));
      });
    }
    throw new Error(`generator ${Object.keys(g)[0]} is not simulated here`);
  });
  return paramSets.map((p) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...render(set.spec.template, p) }));
}

describe('gitops/argocd', () => {
  it('holds the two projects and the two ApplicationSets, each valid', () => {
    expect(argocd.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['AppProject/goorm', 'AppProject/platform', 'ApplicationSet/goorm-apps', 'ApplicationSet/goorm-platform']);
    for (const o of argocd) expect(o.metadata.namespace).toBe('argocd');
    // projects first, then the platform, then the apps that need its CRDs
    expect(waveOf(project('goorm'))).toBeLessThan(waveOf(appSet('goorm-platform')));
    expect(waveOf(appSet('goorm-platform'))).toBeLessThan(waveOf(appSet('goorm-apps')));
  });

  it('the apps ApplicationSet: git directory generator over the overlays, goTemplate with missingkey=error, automated sync with prune and self-heal', () => {
    const set = appSet('goorm-apps');
    const matrix = set.spec.generators[0].matrix.generators;
    expect(matrix[1].git.directories).toEqual([{ path: 'gitops/apps/*/overlays/{{ .metadata.labels.environment }}' }]);
    expect(set.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(set.spec.syncPolicy.preserveResourcesOnDeletion).toBe(true);
    expect(appSet('goorm-platform').spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  it('the template fails on a key it does not know (missingkey=error), as the controller would', () => {
    expect(() => render({ name: '{{ .path.nothing }}' }, { path: { path: 'x' } })).toThrow(/no entry for key "nothing"/);
    expect(() => render({ name: '{{ index .path.segments 9 }}' }, { path: { segments: ['a'] } })).toThrow(/index out of range/);
  });

  describe.each([...ENVS])('in a %s cluster', (env) => {
    const apps = generateApplications(appSet('goorm-apps'), env);
    const goorm = project('goorm');

    it('one Application per app overlay of the environment, each valid, named <app>-<env>, labelled for jenkins/scripts/argo-wait.ts', () => {
      const overlays = readdirSync(path.join(REPO_ROOT, 'gitops/apps')).filter((a) => existsSync(path.join(REPO_ROOT, 'gitops/apps', a, 'overlays', env))).sort();
      expect(apps.map((a) => a.metadata.name).sort()).toEqual(overlays.map((a) => `${a}-${env}`));
      for (const a of apps) {
        expect(schemaError(a)).toBeUndefined();
        expect(a.metadata.labels).toMatchObject({ environment: env });
        expect(a.spec.source.path).toBe(`gitops/apps/${a.metadata.labels!['app.kubernetes.io/name']}/overlays/${env}`);
        expect(a.spec.destination).toEqual({ server: IN_CLUSTER, namespace: 'goorm' });
        expect(a.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      }
    });

    it('every Application stays inside project goorm: its repository, its namespace, only the kinds it allows (never a Secret)', () => {
      const kinds = new Set((goorm.spec.namespaceResourceWhitelist as Loose[]).map((k) => `${k.group}/${k.kind}`));
      expect(kinds.has('/Secret')).toBe(false);
      expect(goorm.spec.clusterResourceWhitelist ?? []).toEqual([]);
      for (const a of apps) {
        expect(a.spec.project).toBe('goorm');
        expect(goorm.spec.sourceRepos).toContain(a.spec.source.repoURL);
        expect(goorm.spec.destinations).toContainEqual(a.spec.destination);
        for (const o of kustomize(a.spec.source.path)) {
          expect(kinds.has(`${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`), `${a.metadata.name}: ${o.kind}`).toBe(true);
          expect(o.metadata.namespace, `${a.metadata.name}: ${o.kind} ${o.metadata.name}`).toBe('goorm');
        }
      }
    });

    const [platformApp, ...others] = generateApplications(appSet('goorm-platform'), env);
    const children = kustomize(platformApp!.spec.source.path);
    const platform = project('platform');

    it('the platform app-of-apps: one Application whose manifests are the platform\'s Applications', () => {
      expect(others).toEqual([]);
      expect(schemaError(platformApp!)).toBeUndefined();
      expect(platformApp!.spec.source.path).toBe(`gitops/platform/overlays/${env}`);
      expect(platformApp!.spec.project).toBe('platform');
      expect(children.map((c) => c.metadata.name).sort()).toEqual([...CHARTS.map((c) => c.name), ...CONFIG_FOLDERS.map((f) => f.name)].sort());
      for (const c of children) {
        expect(c.kind).toBe('Application');
        expect(schemaError(c)).toBeUndefined();
        // argo-wait waits for environment=<env>: that is the apps' release, not the platform's
        expect(c.metadata.labels?.environment).toBeUndefined();
      }
    });

    it('each chart pinned to an exact version, its values in the repository (values.yaml, then the environment\'s file)', () => {
      for (const chart of CHARTS) {
        const app = children.find((c) => c.metadata.name === chart.name)!;
        const [source, values] = app.spec.sources as Loose[];
        expect(source.chart).toBe(chart.chart);
        expect(source.targetRevision, chart.name).toMatch(/^\d+\.\d+\.\d+$/);
        expect(values).toEqual({ repoURL: REPO.url, targetRevision: REPO.revision, ref: 'values' });
        expect(source.helm.valueFiles).toEqual([`$values/gitops/platform/values/${chart.name}/values.yaml`, `$values/gitops/platform/values/${chart.name}/${env}.yaml`]);
        for (const file of source.helm.valueFiles as string[]) {
          const text = readFileSync(path.join(REPO_ROOT, file.replace('$values/', '')), 'utf8');
          expect(() => parse(text), file).not.toThrow();
        }
      }
      // no values folder without its chart
      expect(readdirSync(path.join(REPO_ROOT, 'gitops/platform/values')).sort()).toEqual(CHARTS.map((c) => c.name).sort());
    });

    it('every platform Application stays inside project platform, and the config folders it syncs render', () => {
      for (const c of children) {
        expect(c.spec.project).toBe('platform');
        for (const s of (c.spec.sources ?? [c.spec.source]) as Loose[]) expect(platform.spec.sourceRepos).toContain(s.repoURL);
        expect(platform.spec.destinations).toContainEqual(c.spec.destination);
        expect(c.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
        if (c.spec.source?.path) expect(kustomize(c.spec.source.path).length, c.spec.source.path).toBeGreaterThan(0);
      }
      expect(platform.spec.destinations).toContainEqual(platformApp!.spec.destination);
    });

    it('sync waves: the controllers whose CRDs others use come before what uses them', () => {
      const wave = (name: string) => waveOf(children.find((c) => c.metadata.name === name)!);
      // ClusterSecretStores need External Secrets; PrometheusRules and dashboards need the Prometheus operator
      expect(wave('external-secrets')).toBeLessThan(wave('cluster-config'));
      expect(wave('kube-prometheus-stack')).toBeLessThan(wave('monitoring-rules'));
      expect(wave('kube-prometheus-stack')).toBeLessThan(wave('thanos'));
      // the Pushgateway's ServiceMonitor needs the operator's CRD
      expect(wave('kube-prometheus-stack')).toBeLessThan(wave(PUSHGATEWAY.name));
    });
  });

  it.each([...ENVS])('%s: the Pushgateway is the Service and pods the CronJobs push to, scraped with honorLabels, reachable only by its pushers and Prometheus', (env) => {
    const merge = (x: Loose, y: Loose): Loose =>
      x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)
        ? Object.fromEntries([...new Set([...Object.keys(x), ...Object.keys(y)])].map((k) => [k, k in y ? merge(x[k], y[k]) : x[k]]))
        : (y ?? x);
    const read = (f: string) => parse(readFileSync(path.join(REPO_ROOT, 'gitops/platform/values', PUSHGATEWAY.name, f), 'utf8')) ?? {};
    const values = merge(read('values.yaml'), read(`${env}.yaml`));
    const chart = CHARTS.find((c) => c.name === PUSHGATEWAY.name)!;
    expect(chart.chart).toBe('prometheus-pushgateway');
    expect(chart.namespace).toBe(PUSHGATEWAY.namespace);
    // the chart's fullname (Service) is the release name; its pods are labelled app.kubernetes.io/name=<chart name>
    expect(values.fullnameOverride).toBe(PUSHGATEWAY.name);
    expect(values.nameOverride ?? '').toBe('');
    expect(values.service?.port ?? 9091).toBe(PUSHGATEWAY.port);
    expect(values.serviceMonitor).toMatchObject({ enabled: true, honorLabels: true, namespace: PUSHGATEWAY.namespace });
    // the pushers allowed in are the CronJobs' pods (what their own NetworkPolicies select)
    const pushers = ENVS.flatMap((e) => byKind(kustomize(`gitops/apps/enrollment/overlays/${e}`), 'CronJob')).map((c) => c.spec.jobTemplate.spec.template.metadata.labels);
    const allowed = values.networkPolicy.customSelectors as Loose[];
    expect(values.networkPolicy.allowAll).toBeUndefined();
    for (const labels of pushers) {
      expect(allowed.some((p) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'goorm' && Object.entries(p.podSelector.matchLabels).every(([k, v]) => labels[k] === v))).toBe(true);
    }
    expect(allowed).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } });
    for (const p of allowed) expect(p.namespaceSelector && p.podSelector, JSON.stringify(p)).toBeTruthy();
    // the pod as restricted as ours
    expect(values.automountServiceAccountToken).toBe(false);
    expect(values.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(values.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(values.resources.limits).toBeDefined();
  });

  it('prod refuses automated syncs while a registration window is open (a manual hotfix stays possible)', () => {
    const [window] = project('goorm').spec.syncWindows as Loose[];
    expect(window).toMatchObject({ kind: 'deny', applications: ['*-prod'], manualSync: true, timeZone: PRESCALE.prod.timezone });
    // it covers the pre-scale (the registration hours): same days, from before its start to its end
    const minutes = (cron: string) => {
      const [m, h] = cron.split(' ').map(Number) as [number, number];
      return h * 60 + m;
    };
    const days = (cron: string) => cron.split(' ').slice(2).join(' ');
    const [, hours, mins] = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(window.duration)!;
    const start = minutes(window.schedule);
    expect(days(window.schedule)).toBe(days(PRESCALE.prod.start));
    expect(start).toBeLessThanOrEqual(minutes(PRESCALE.prod.start));
    expect(start + Number(hours ?? 0) * 60 + Number(mins ?? 0)).toBeGreaterThanOrEqual(minutes(PRESCALE.prod.end));
  });
});
