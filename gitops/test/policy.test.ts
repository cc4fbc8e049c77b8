/**
 * The production rules over what each environment actually gets (the rendered overlays, not the
 * table in generate.ts): every workload, every image, every wire between objects, the network
 * rules, the sync waves, the secrets, and the Ingress against the gateway's route table. The last
 * block breaks a rendered object on purpose, once per rule, and sees the rule fail.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { testLogger, testMetrics } from '@goorm/common/testing';
import { createGatewayApp } from '../../services/gateway/src/app.ts';
import { ROUTES } from '../../services/gateway/src/proxy/proxy.ts';
import { readImageTag } from '../../jenkins/scripts/bump-image-tags.ts';
import { entryPoints } from '../../scripts/build.ts';
import { APPS, CHARTS, ENV, PUSHGATEWAY, PUSHGATEWAY_URL, REGISTRY, type Env } from '../generate.ts';
import {
  cronJobViolations,
  deploymentViolations,
  externalSecretViolations,
  migrationViolations,
  networkViolations,
  podSecurityViolations,
  podTemplateOf,
  waveViolations,
  wiringViolations,
  type AppContext,
} from './lib/policy.ts';
import { REPO_ROOT, appOverlays, byKind, kustomize, type K8sObject } from './lib/render.ts';

/** REGISTRATION windows open at 10:00 Asia/Seoul (the pre-scale must come before). */
const OPENING = { hour: 10, minute: 0 };
const overlays = appOverlays().filter((o) => o.app !== 'edge');
const STORES = new Set(byKind(kustomize('gitops/platform/cluster'), 'ClusterSecretStore').map((s) => s.metadata.name));

function uses(app: string) {
  const spec = APPS.find((a) => a.name === app);
  return { db: !!spec?.db, redis: !!spec?.redis };
}

/** Every rule for one rendered app overlay. */
function violations(objects: K8sObject[], ctx: AppContext): string[] {
  return [
    ...byKind(objects, 'Deployment').flatMap((d) => deploymentViolations(d, objects, ctx)),
    ...byKind(objects, 'Job').flatMap((j) => migrationViolations(j, objects, ctx)),
    ...byKind(objects, 'CronJob').flatMap((j) => cronJobViolations(j, objects, ctx)),
    ...networkViolations(objects, ctx, uses(ctx.app)),
    ...wiringViolations(objects, ctx, OPENING),
    ...waveViolations(objects),
    ...externalSecretViolations(objects, ctx, STORES),
  ];
}

describe('every app overlay follows the production rules', () => {
  it.each(overlays.map((o) => [o.dir, o] as const))('%s', (_dir, o) => {
    const objects = kustomize(o.dir);
    expect(byKind(objects, 'Deployment')).toHaveLength(1);
    expect(violations(objects, { app: o.app, env: o.env as Env })).toEqual([]);
  });

  it('every service with a migration entry (src/migrate.ts) gets its PreSync Job, and only those', () => {
    for (const o of overlays) {
      const hasMigration = existsSync(path.join(REPO_ROOT, 'services', o.app, 'src', 'migrate.ts'));
      expect(byKind(kustomize(o.dir), 'Job').map((j) => j.metadata.name), o.dir).toEqual(hasMigration ? [`${o.app}-migrate`] : []);
    }
  });

  it('every image is the one Jenkins bumps: the registry, goorm/<app>, the tag of the overlay\'s images entry', () => {
    for (const o of overlays) {
      const tag = readImageTag(readFileSync(path.join(REPO_ROOT, o.dir, 'kustomization.yaml'), 'utf8'), o.app);
      expect(tag, o.dir).toMatch(/^[0-9a-f]{7,40}$/);
      const images = kustomize(o.dir).flatMap((x) => (podTemplateOf(x).spec?.containers ?? []).map((c: { image: string }) => c.image));
      expect(images.length).toBeGreaterThan(0);
      // every workload's containers are counted: Deployment, migration Job and CronJobs
      const workloads = kustomize(o.dir).filter((x) => ['Deployment', 'Job', 'CronJob'].includes(x.kind));
      expect(images.length, o.dir).toBe(workloads.reduce((n, w) => n + podTemplateOf(w).spec.containers.length, 0));
      for (const image of images) expect(image).toBe(`${REGISTRY}/goorm/${o.app}:${tag}`);
    }
  });
});

describe('scheduled jobs (CronJobs)', () => {
  it('each app gets the CronJobs its table names, each running a bundle its image has (scripts/build.ts)', () => {
    for (const o of overlays) {
      const spec = APPS.find((a) => a.name === o.app)!;
      const cronJobs = byKind(kustomize(o.dir), 'CronJob');
      expect(cronJobs.map((c) => c.metadata.name).sort(), o.dir).toEqual((spec.cronJobs ?? []).map((j) => `${o.app}-${j.name}`).sort());
      for (const j of spec.cronJobs ?? []) {
        expect(entryPoints(o.app).map((e) => e.out), `${o.app}: ${j.entry}`).toContain(j.entry);
        expect(existsSync(path.join(REPO_ROOT, 'services', o.app, 'src', 'jobs', `${j.entry}.ts`))).toBe(true);
      }
    }
  });

  it.each(['staging', 'prod'] as const)('%s: the invariant check runs every few minutes and pushes to the Pushgateway the platform installs', (env) => {
    const objects = kustomize(`gitops/apps/enrollment/overlays/${env}`);
    const cj = byKind(objects, 'CronJob').find((c) => c.metadata.name === 'enrollment-invariants')!;
    // monitoring/runbooks name it (kubectl create job --from=cronjob/enrollment-invariants)
    expect(readFileSync(path.join(REPO_ROOT, 'monitoring/runbooks/EnrollmentInvariantCheckStale.md'), 'utf8')).toContain('cronjob/enrollment-invariants');
    const [minute] = cj.spec.schedule.split(' ');
    const period = minute === '*' ? 1 : Number(/^\*\/(\d+)$/.exec(minute)?.[1]);
    // the stale alert waits an hour (monitoring/rules): at least a few runs inside it
    expect(period).toBeLessThanOrEqual(5);
    const c = cj.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.command.at(-1)).toBe('services/enrollment/dist/check-invariants.js');
    const config = byKind(objects, 'ConfigMap').find((m) => m.metadata.name === c.envFrom[0].configMapRef.name)!;
    expect(config.data.PUSHGATEWAY_URL).toBe(PUSHGATEWAY_URL);
    // the secret: DATABASE_URL from the app's ExternalSecret-made Secret, and nothing else
    expect(c.env.filter((e: { valueFrom?: object }) => e.valueFrom).map((e: { name: string }) => e.name)).toEqual(['DATABASE_URL']);
    // the URL is the chart's Service in its namespace
    const chart = CHARTS.find((x) => x.name === PUSHGATEWAY.name)!;
    expect(chart.namespace).toBe(PUSHGATEWAY.namespace);
    expect(PUSHGATEWAY_URL).toBe(`http://${PUSHGATEWAY.name}.${chart.namespace}.svc:${PUSHGATEWAY.port}`);
  });
});

describe('the Ingress is the gateway\'s route table, over HTTPS', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'goorm-gateway-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  /** The gateway's upstream names are the services', but for `ai` (services/gateway/README.md: /api/ai/* → ai-helper). */
  const serviceOf = (upstream: string) => (upstream === 'ai' ? 'ai-helper' : upstream);

  it.each(['staging', 'prod'] as const)('%s: the path table is the gateway\'s, each path to the Service that serves it', async (env) => {
    const [ingress, ...rest] = byKind(kustomize(`gitops/apps/edge/overlays/${env}`), 'Ingress');
    expect(rest).toEqual([]);
    const paths = ingress!.spec.rules[0].http.paths as Array<{ path: string; pathType: string; backend: { service: { name: string; port: { number: number } } } }>;
    const table = paths.map((p) => [p.path, p.backend.service.name]);

    // the API: the gateway's ROUTES, in its order
    const api = ROUTES.map((r) => [`/api/${r.prefix}`, serviceOf(r.upstream)]);
    // the apps: what the gateway itself serves at /admin/ and at / (asked, not assumed)
    const dist = (app: string) => {
      const dir = path.join(work, app);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'index.html'), `<title>${app}</title>`);
      return dir;
    };
    const upstreams = Object.fromEntries(ROUTES.map((r) => [r.upstream, 'http://127.0.0.1:9']));
    const gateway = createGatewayApp({
      upstreams: upstreams as Parameters<typeof createGatewayApp>[0]['upstreams'],
      studentDist: dist('frontend-student'),
      adminDist: dist('frontend-admin'),
      logger: testLogger(),
      metrics: testMetrics('gateway'),
      accessLog: false,
    });
    const servedBy = async (p: string) => /<title>(.*)<\/title>/.exec((await request(gateway).get(`${p}some/route`)).text)?.[1];
    const apps = [['/admin/', await servedBy('/admin/')], ['/', await servedBy('/')]];
    expect(apps).toEqual([['/admin/', 'frontend-admin'], ['/', 'frontend-student']]);
    expect(table).toEqual([...api, ...apps]);

    for (const p of paths) {
      expect(p.pathType).toBe('Prefix');
      // the backend is a Service of the app's own overlay, on its port
      const app = p.backend.service.name;
      const svc = byKind(kustomize(`gitops/apps/${app}/overlays/${env}`), 'Service').find((s) => s.metadata.name === app);
      expect(svc?.spec.ports.map((x: { port: number }) => x.port), p.path).toContain(p.backend.service.port.number);
    }
  });

  it.each(['staging', 'prod'] as const)('%s: HTTPS with a redirect from HTTP, a modern TLS policy, the host, the ALB name and tag infra/ expects, WAF-ready', (env) => {
    const [ingress] = byKind(kustomize(`gitops/apps/edge/overlays/${env}`), 'Ingress');
    const a = ingress!.metadata.annotations!;
    expect(ingress!.spec.ingressClassName).toBe('alb');
    expect(JSON.parse(a['alb.ingress.kubernetes.io/listen-ports']!)).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(a['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).toMatch(/^ELBSecurityPolicy-TLS13-/);
    expect(a['alb.ingress.kubernetes.io/scheme']).toBe('internet-facing');
    expect(a['alb.ingress.kubernetes.io/target-type']).toBe('ip');
    expect(a['alb.ingress.kubernetes.io/load-balancer-name']).toBe(`goorm-${env}`);
    expect(a['alb.ingress.kubernetes.io/tags']).toContain(`Environment=${env}`);
    expect(a['alb.ingress.kubernetes.io/load-balancer-attributes']).toContain('routing.http.drop_invalid_header_fields.enabled=true');
    expect(a['alb.ingress.kubernetes.io/load-balancer-attributes']).toContain(`deletion_protection.enabled=${env === 'prod'}`);
    expect(ingress!.spec.tls).toEqual([{ hosts: [ENV[env].host] }]);
    expect(ingress!.spec.rules.map((r: { host: string }) => r.host)).toEqual([ENV[env].host]);
    // WAF-ready: the web ACL annotation is there exactly when the environment names one
    expect(a['alb.ingress.kubernetes.io/wafv2-acl-arn']).toBe(ENV[env].wafAclArn);
  });
});

describe('the rules catch what they are for (each one broken once in the prod enrollment render)', () => {
  const ctx: AppContext = { app: 'enrollment', env: 'prod' };
  const fresh = () => kustomize('gitops/apps/enrollment/overlays/prod');
  const deploymentOf = (objects: K8sObject[]) => byKind(objects, 'Deployment')[0]!;
  const broken = (edit: (objects: K8sObject[]) => void) => {
    const objects = fresh();
    edit(objects);
    return violations(objects, ctx).join('\n');
  };
  const container = (objects: K8sObject[]) => deploymentOf(objects).spec.template.spec.containers[0];

  it('the render as it is passes', () => {
    expect(violations(fresh(), ctx)).toEqual([]);
  });
  it('a missing probe', () => {
    expect(broken((o) => delete container(o).readinessProbe)).toMatch(/no readinessProbe/);
    expect(broken((o) => delete container(o).livenessProbe)).toMatch(/no livenessProbe/);
    expect(broken((o) => delete container(o).startupProbe)).toMatch(/no startupProbe/);
    expect(broken((o) => (container(o).livenessProbe.httpGet.path = '/readyz'))).toMatch(/livenessProbe is not GET \/healthz/);
  });
  it('runAsNonRoot removed (pod and container), root, privilege escalation, capabilities, seccomp, a writable root', () => {
    expect(
      broken((o) => {
        delete deploymentOf(o).spec.template.spec.securityContext.runAsNonRoot;
        delete container(o).securityContext.runAsNonRoot;
      }),
    ).toMatch(/runAsNonRoot is not true/);
    expect(broken((o) => (container(o).securityContext.runAsUser = 0))).toMatch(/runAsUser 0/);
    expect(broken((o) => (container(o).securityContext.allowPrivilegeEscalation = true))).toMatch(/allowPrivilegeEscalation/);
    expect(broken((o) => (container(o).securityContext.capabilities = { add: ['NET_ADMIN'] }))).toMatch(/do not drop ALL[\s\S]*NET_ADMIN/);
    expect(
      broken((o) => {
        delete container(o).securityContext.seccompProfile;
        delete deploymentOf(o).spec.template.spec.securityContext.seccompProfile;
      }),
    ).toMatch(/seccompProfile is unset/);
    expect(broken((o) => (container(o).securityContext.readOnlyRootFilesystem = false))).toMatch(/readOnlyRootFilesystem/);
    expect(broken((o) => (deploymentOf(o).spec.template.spec.hostNetwork = true))).toMatch(/hostNetwork/);
    expect(broken((o) => deploymentOf(o).spec.template.spec.volumes.push({ name: 'host', hostPath: { path: '/' } }))).toMatch(/hostPath is not allowed/);
  });
  it('limits, the preStop pause, the grace period, the spread, replicas', () => {
    expect(broken((o) => delete container(o).resources.limits)).toMatch(/no cpu limits/);
    expect(broken((o) => delete container(o).lifecycle)).toMatch(/no preStop pause/);
    expect(broken((o) => (deploymentOf(o).spec.template.spec.terminationGracePeriodSeconds = 20))).toMatch(/grace period 20s is not longer than preStop 15s \+ drain 10s/);
    expect(broken((o) => deploymentOf(o).spec.template.spec.topologySpreadConstraints.shift())).toMatch(/not spread over topology.kubernetes.io\/zone/);
    expect(broken((o) => (deploymentOf(o).spec.replicas = 3))).toMatch(/sets replicas/);
  });
  it('an image that is not the one Jenkins bumps', () => {
    expect(broken((o) => (container(o).image = `${REGISTRY}/goorm/enrollment:latest`))).toMatch(/no pinned tag/);
    expect(broken((o) => (container(o).image = 'docker.io/goorm/enrollment:1234567'))).toMatch(/is not .*goorm\/enrollment:<commit sha>/);
    expect(broken((o) => (container(o).image = `${REGISTRY}/goorm/carts:1234567`))).toMatch(/is not/);
  });
  it('secrets: a literal one, a Secret object, another environment\'s, a Secret no ExternalSecret makes', () => {
    expect(broken((o) => container(o).env.push({ name: 'DB_PASSWORD', value: 'hunter2' }))).toMatch(/DB_PASSWORD holds a value that looks secret/);
    expect(broken((o) => o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }))).toMatch(/a Secret in the repository/);
    expect(broken((o) => (byKind(o, 'ExternalSecret').find((e) => e.metadata.name === 'enrollment-secrets')!.spec.data[0].remoteRef.key = 'goorm/staging/db'))).toMatch(/reads goorm\/staging\/db/);
    expect(broken((o) => (container(o).env[0].valueFrom.secretKeyRef.name = 'hand-made'))).toMatch(/Secret hand-made, which no ExternalSecret makes/);
  });
  it('wiring: an HPA, a PDB, a ServiceMonitor, a Service that point at nothing', () => {
    expect(broken((o) => (byKind(o, 'ScaledObject')[0]!.spec.scaleTargetRef.name = 'nothing'))).toMatch(/targets Deployment nothing, which does not exist/);
    expect(broken((o) => (byKind(o, 'PodDisruptionBudget')[0]!.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'nothing' }))).toMatch(/PodDisruptionBudget enrollment: selects no Deployment/);
    expect(broken((o) => (byKind(o, 'ServiceMonitor')[0]!.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'nothing' }))).toMatch(/ServiceMonitor enrollment: selects no Service/);
    expect(broken((o) => (byKind(o, 'ServiceMonitor')[0]!.spec.endpoints[0].port = 'metrics'))).toMatch(/port metrics is not a port of Service/);
    expect(broken((o) => (byKind(o, 'Service')[0]!.spec.selector = { 'app.kubernetes.io/name': 'nothing' }))).toMatch(/Service enrollment: selects no Deployment/);
  });
  it('autoscaling: slow scale-up, fast scale-down, no pre-scale, a plain HPA beside KEDA, no rps metric', () => {
    const so = (o: K8sObject[]) => byKind(o, 'ScaledObject')[0]!;
    expect(broken((o) => (so(o).spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.stabilizationWindowSeconds = 120))).toMatch(/scale-up is not fast/);
    expect(broken((o) => (so(o).spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds = 0))).toMatch(/scale-down is not slow/);
    expect(broken((o) => (so(o).spec.triggers = so(o).spec.triggers.filter((t: { type: string }) => t.type !== 'cron')))).toMatch(/no pre-scale/);
    expect(broken((o) => (so(o).spec.triggers.find((t: { type: string }) => t.type === 'cron').metadata.start = '55 9 10-14 2,8 *'))).toMatch(/less than 15 minutes before/);
    expect(broken((o) => (so(o).spec.triggers = so(o).spec.triggers.filter((t: { type: string }) => t.type === 'cpu')))).toMatch(/KEDA would refuse it: at least one trigger[\s\S]*no requests-per-second metric/);
    expect(broken((o) => o.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'enrollment' } }))).toMatch(/a plain HorizontalPodAutoscaler beside KEDA/);
  });
  it('network: an open ingress rule, a caller that is not the ALB, a database reached by the wrong pods', () => {
    const np = (o: K8sObject[], name = 'enrollment') => byKind(o, 'NetworkPolicy').find((p) => p.metadata.name === name)!;
    expect(broken((o) => (np(o).spec.ingress[0].from = []))).toMatch(/open to every source/);
    expect(broken((o) => np(o).spec.ingress.push({ from: [{ podSelector: {} }], ports: [{ port: 4004 }] }))).toMatch(/only the ALB and Prometheus may call an app/);
    expect(broken((o) => (np(o).spec.egress[1].to = [{ ipBlock: { cidr: '0.0.0.0/0' } }]))).toMatch(/not the data subnets/);
    expect(broken((o) => np(o).spec.egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }))).toMatch(/egress to port 443/);
    expect(broken((o) => np(o, 'enrollment-migrate').spec.egress.push({ to: np(o).spec.egress[2].to, ports: [{ port: 6379 }] }))).toMatch(/reaches Redis, which enrollment's migration does not use/);
    const lectures = kustomize('gitops/apps/lectures/overlays/prod');
    byKind(lectures, 'NetworkPolicy')[0]!.spec.egress.push({ to: [{ ipBlock: { cidr: ENV.prod.dataSubnets[0] } }], ports: [{ port: 6379 }] });
    expect(networkViolations(lectures, { app: 'lectures', env: 'prod' }, uses('lectures')).join('\n')).toMatch(/reaches Redis, which lectures does not use/);
  });
  it('the migration: not PreSync, its secret or network rule not before it, another command than the image\'s', () => {
    const job = (o: K8sObject[]) => byKind(o, 'Job')[0]!;
    expect(broken((o) => (job(o).metadata.annotations!['argocd.argoproj.io/hook'] = 'PostSync'))).toMatch(/not an Argo CD PreSync hook/);
    expect(broken((o) => (byKind(o, 'ExternalSecret').find((e) => e.metadata.name === 'enrollment-migrate')!.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '0'))).toMatch(/is not in an earlier wave than the Job/);
    expect(broken((o) => o.splice(o.findIndex((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'enrollment-migrate'), 1))).toMatch(/no PreSync NetworkPolicy/);
    expect(broken((o) => (job(o).spec.template.spec.containers[0].command = ['node', 'services/enrollment/dist/server.js']))).toMatch(/is not \["node","--enable-source-maps","services\/enrollment\/dist\/migrate.js"\]/);
  });
  it('sync waves: config after the Deployment, autoscalers before it', () => {
    expect(broken((o) => (byKind(o, 'ConfigMap')[0]!.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '0'))).toMatch(/config is not synced before the Deployments/);
    expect(broken((o) => (byKind(o, 'CronJob')[0]!.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '-3'))).toMatch(/config is not synced before the Deployments and CronJobs/);
    expect(broken((o) => (byKind(o, 'ScaledObject')[0]!.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '-1'))).toMatch(/autoscalers are not synced after/);
  });
  it('the CronJob: Pod Security, resources, the image, overlapping or unbounded runs, its command, its secrets, its network', () => {
    const cj = (o: K8sObject[]) => byKind(o, 'CronJob')[0]!;
    const pod = (o: K8sObject[]) => cj(o).spec.jobTemplate.spec.template.spec;
    const c = (o: K8sObject[]) => pod(o).containers[0];
    expect(
      broken((o) => {
        delete pod(o).securityContext.runAsNonRoot;
        delete c(o).securityContext.runAsNonRoot;
      }),
    ).toMatch(/CronJob enrollment-invariants\/invariants: runAsNonRoot is not true/);
    expect(broken((o) => (c(o).securityContext.readOnlyRootFilesystem = false))).toMatch(/CronJob enrollment-invariants\/invariants: readOnlyRootFilesystem/);
    expect(broken((o) => (c(o).securityContext.capabilities = {}))).toMatch(/CronJob enrollment-invariants\/invariants: capabilities do not drop ALL/);
    expect(
      broken((o) => {
        delete c(o).securityContext.seccompProfile;
        delete pod(o).securityContext.seccompProfile;
      }),
    ).toMatch(/CronJob enrollment-invariants\/invariants: seccompProfile is unset/);
    expect(broken((o) => delete c(o).resources.limits)).toMatch(/CronJob enrollment-invariants\/invariants: no cpu limits/);
    expect(broken((o) => (pod(o).automountServiceAccountToken = true))).toMatch(/CronJob enrollment-invariants: the service account token is mounted/);
    expect(broken((o) => (c(o).image = `${REGISTRY}/goorm/enrollment:latest`))).toMatch(/CronJob enrollment-invariants\/invariants: image .* has no pinned tag/);
    expect(broken((o) => (c(o).image = `${REGISTRY}/goorm/lectures:1234567`))).toMatch(/CronJob enrollment-invariants\/invariants: image .* is not/);
    expect(broken((o) => (cj(o).spec.concurrencyPolicy = 'Allow'))).toMatch(/concurrencyPolicy Allow, not Forbid/);
    expect(broken((o) => delete cj(o).spec.startingDeadlineSeconds)).toMatch(/no startingDeadlineSeconds/);
    expect(broken((o) => delete cj(o).spec.jobTemplate.spec.activeDeadlineSeconds)).toMatch(/no activeDeadlineSeconds/);
    expect(broken((o) => (cj(o).spec.jobTemplate.spec.activeDeadlineSeconds = 900))).toMatch(/a run may take 900s, longer than the 5 min between runs/);
    expect(broken((o) => delete cj(o).spec.jobTemplate.spec.backoffLimit)).toMatch(/backoffLimit unset/);
    expect(broken((o) => (c(o).command = ['node', 'services/enrollment/dist/server.js']))).toMatch(/is not the image's CMD with a job's bundle/);
    expect(broken((o) => (c(o).command = ['node', '--enable-source-maps', 'services/enrollment/dist/nothing.js']))).toMatch(/runs services\/enrollment\/dist\/nothing.js, which scripts\/build.ts does not bundle/);
    expect(broken((o) => c(o).envFrom.push({ secretRef: { name: 'enrollment-secrets' } }))).toMatch(/takes the whole Secret enrollment-secrets/);
    expect(broken((o) => pod(o).volumes.push({ name: 'keys', secret: { secretName: 'enrollment-secrets' } }))).toMatch(/mounts volume keys from a Secret/);
    expect(broken((o) => (c(o).env[0].valueFrom.secretKeyRef.name = 'enrollment-migrate'))).toMatch(/reads Secret enrollment-migrate, which no ExternalSecret makes/);
    const np = (o: K8sObject[]) => byKind(o, 'NetworkPolicy').find((p) => p.metadata.name === 'enrollment-invariants')!;
    expect(broken((o) => o.splice(o.indexOf(np(o)), 1))).toMatch(/CronJob enrollment-invariants: no NetworkPolicy selects its pods/);
    expect(broken((o) => (np(o).spec.egress[2].to = [{ ipBlock: { cidr: '0.0.0.0/0' } }]))).toMatch(/port 9091 to .*, not the Pushgateway's pods/);
    expect(broken((o) => (np(o).spec.egress[1].to = [{ ipBlock: { cidr: '0.0.0.0/0' } }]))).toMatch(/NetworkPolicy enrollment-invariants: port 3306 .* not the data subnets/);
    expect(broken((o) => np(o).spec.egress.push({ to: np(o).spec.egress[1].to, ports: [{ port: 6379 }] }))).toMatch(/reaches Redis, which enrollment's enrollment-invariants does not use/);
    // the Deployment may not reach the Pushgateway (only a job told where it is)
    expect(broken((o) => byKind(o, 'NetworkPolicy').find((p) => p.metadata.name === 'enrollment')!.spec.egress.push(np(o).spec.egress[2]))).toMatch(/NetworkPolicy enrollment: egress to port 9091/);
  });
  it('Pod Security "restricted" on its own, for any pod spec', () => {
    expect(podSecurityViolations('pod', { containers: [{ name: 'c' }] })).toEqual(
      expect.arrayContaining(['pod/c: allowPrivilegeEscalation is not false', 'pod/c: runAsNonRoot is not true', 'pod/c: capabilities do not drop ALL']),
    );
  });
});
