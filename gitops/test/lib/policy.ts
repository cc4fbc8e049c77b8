/**
 * The production rules, as functions over rendered objects that return what breaks them (an empty
 * list: nothing does). gitops/test/policy.test.ts runs them over every overlay, and over broken
 * copies to see that each rule catches what it is for.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { entryPoints } from '../../../scripts/build.ts';
import { DRAIN_SECONDS, ENV, PUSHGATEWAY, REGISTRY, type Env } from '../../generate.ts';
import { parseDockerfile } from './dockerfile.ts';
import { admissionErrors, hpaOf } from './keda.ts';
import { REPO_ROOT, byKind, hookOf, matches, waveOf, type K8sObject, type Loose } from './render.ts';

export interface AppContext {
  app: string;
  env: Env;
}

// --- Pod Security Standards, "restricted" (what the goorm namespace enforces at admission) ------

const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

export function podSecurityViolations(where: string, pod: Loose): string[] {
  const v: string[] = [];
  const psc = pod.securityContext ?? {};
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[key]) v.push(`${where}: ${key}`);
  for (const vol of (pod.volumes ?? []) as Loose[]) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.has(type)) v.push(`${where}: volume ${vol.name} of type ${type} is not allowed`);
  }
  const containers = [...((pod.initContainers ?? []) as Loose[]), ...((pod.containers ?? []) as Loose[])];
  if (containers.length === 0) v.push(`${where}: no containers`);
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const at = `${where}/${c.name}`;
    if (sc.privileged) v.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${at}: allowPrivilegeEscalation is not false`);
    const runAsNonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
    if (runAsNonRoot !== true) v.push(`${at}: runAsNonRoot is not true`);
    const uid = sc.runAsUser ?? psc.runAsUser;
    if (uid === 0) v.push(`${at}: runAsUser 0`);
    const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`${at}: seccompProfile is ${seccomp ?? 'unset'}, not RuntimeDefault`);
    const drop = (sc.capabilities?.drop ?? []) as string[];
    if (!drop.includes('ALL')) v.push(`${at}: capabilities do not drop ALL`);
    for (const cap of (sc.capabilities?.add ?? []) as string[]) if (cap !== 'NET_BIND_SERVICE') v.push(`${at}: adds capability ${cap}`);
    for (const p of (c.ports ?? []) as Loose[]) if (p.hostPort) v.push(`${at}: hostPort ${p.hostPort}`);
    // ours, beyond "restricted": nothing writes to the image
    if (sc.readOnlyRootFilesystem !== true) v.push(`${at}: readOnlyRootFilesystem is not true`);
    for (const kind of ['requests', 'limits']) {
      for (const r of ['cpu', 'memory']) if (!c.resources?.[kind]?.[r]) v.push(`${at}: no ${r} ${kind}`);
    }
    if (quantity(c.resources?.requests?.cpu) > quantity(c.resources?.limits?.cpu)) v.push(`${at}: cpu request above its limit`);
    if (quantity(c.resources?.requests?.memory) > quantity(c.resources?.limits?.memory)) v.push(`${at}: memory request above its limit`);
  }
  if (pod.automountServiceAccountToken !== false) v.push(`${where}: the service account token is mounted (nothing here talks to the API server)`);
  return v;
}

/** A Kubernetes quantity as a number (cores, bytes). */
export function quantity(q: string | number | undefined): number {
  if (q === undefined) return NaN;
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q);
  if (!m) return NaN;
  const n = Number(m[1]);
  const unit: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9 };
  return m[2] ? n * unit[m[2]]! : n;
}

// --- Images ------------------------------------------------------------------------------------

/** registry/goorm/<app>:<commit sha>, the form jenkins/scripts/bump-image-tags.ts writes. */
export function imageViolations(where: string, image: string, app: string): string[] {
  const re = new RegExp(`^${REGISTRY.replaceAll('.', '\\.')}/goorm/${app}:([0-9a-f]{7,40})$`);
  if (image.endsWith(':latest') || !image.includes(':')) return [`${where}: image ${image} has no pinned tag`];
  if (!re.test(image)) return [`${where}: image ${image} is not ${REGISTRY}/goorm/${app}:<commit sha>`];
  return [];
}

// --- The Dockerfile each image is built from -------------------------------------------------------

export interface ImageFacts {
  uid: number;
  port: number;
  cmd: string[];
}
export function imageFacts(app: string): ImageFacts | undefined {
  const file = path.join(REPO_ROOT, app.startsWith('frontend-') ? app : `services/${app}`, 'Dockerfile');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const runtime = parseDockerfile(text).at(-1)!;
  const expose = /^EXPOSE\s+(\d+)/m.exec(text);
  return { uid: Number(runtime.user?.split(':')[0]), port: Number(expose?.[1]), cmd: runtime.cmd?.argv ?? [] };
}

// --- One app's render ----------------------------------------------------------------------------

const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_KEY)/i;
const CONFIG_KINDS = new Set(['ServiceAccount', 'ConfigMap', 'ExternalSecret', 'NetworkPolicy']);

export function preStopSeconds(c: Loose): number | undefined {
  const h = c.lifecycle?.preStop;
  if (h?.sleep?.seconds !== undefined) return Number(h.sleep.seconds);
  const cmd = h?.exec?.command as string[] | undefined;
  if (cmd?.[0] === 'sleep') return Number(cmd[1]);
  return undefined;
}

const secretTargets = (objects: K8sObject[], phase?: 'PreSync') =>
  new Set(byKind(objects, 'ExternalSecret').filter((e) => hookOf(e) === phase).map((e) => (e.spec?.target?.name ?? e.metadata.name) as string));

function containerRefsViolations(at: string, c: Loose, objects: K8sObject[], secrets: Set<string>, volumes: Loose[]): string[] {
  const v: string[] = [];
  for (const e of (c.env ?? []) as Loose[]) {
    if (e.value !== undefined && SECRET_NAME.test(e.name) && !e.name.endsWith('_FILE')) v.push(`${at}: env ${e.name} holds a value that looks secret`);
    const ref = e.valueFrom?.secretKeyRef;
    if (ref && !secrets.has(ref.name)) v.push(`${at}: env ${e.name} reads Secret ${ref.name}, which no ExternalSecret makes`);
    const cm = e.valueFrom?.configMapKeyRef;
    if (cm && !byKind(objects, 'ConfigMap').some((m) => m.metadata.name === cm.name)) v.push(`${at}: env ${e.name} reads a missing ConfigMap ${cm.name}`);
  }
  for (const f of (c.envFrom ?? []) as Loose[]) {
    if (f.secretRef && !secrets.has(f.secretRef.name)) v.push(`${at}: envFrom Secret ${f.secretRef.name}, which no ExternalSecret makes`);
    if (f.configMapRef && !byKind(objects, 'ConfigMap').some((m) => m.metadata.name === f.configMapRef.name)) v.push(`${at}: envFrom a missing ConfigMap ${f.configMapRef.name}`);
  }
  for (const vol of volumes) {
    if (vol.secret && !secrets.has(vol.secret.secretName)) v.push(`${at}: volume ${vol.name} mounts Secret ${vol.secret.secretName}, which no ExternalSecret makes`);
  }
  const mounts = (c.volumeMounts ?? []) as Loose[];
  const tmp = mounts.find((m) => m.mountPath === '/tmp');
  if (!tmp || !volumes.find((vol) => vol.name === tmp.name)?.emptyDir) v.push(`${at}: no writable /tmp (an emptyDir) beside the read-only root filesystem`);
  return v;
}

export function deploymentViolations(d: K8sObject, objects: K8sObject[], ctx: AppContext): string[] {
  const v: string[] = [];
  const at = `Deployment ${d.metadata.name}`;
  const spec = d.spec ?? {};
  const pod = spec.template?.spec ?? {};
  const labels = spec.template?.metadata?.labels ?? {};
  if (spec.replicas !== undefined) v.push(`${at}: sets replicas (the autoscaler owns them; every sync would reset them)`);
  if (!matches(spec.selector?.matchLabels, labels)) v.push(`${at}: selector does not match its pod labels`);
  if (spec.strategy?.type === 'Recreate' || spec.strategy?.rollingUpdate?.maxUnavailable !== 0) v.push(`${at}: a rollout may take serving pods away first (maxUnavailable is not 0)`);
  v.push(...podSecurityViolations(at, pod));
  if (!byKind(objects, 'ServiceAccount').some((s) => s.metadata.name === pod.serviceAccountName)) v.push(`${at}: service account ${pod.serviceAccountName} is not in the render`);

  const keys = new Set((pod.topologySpreadConstraints ?? []).filter((t: Loose) => matches(t.labelSelector?.matchLabels, labels)).map((t: Loose) => t.topologyKey));
  for (const key of ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']) if (!keys.has(key)) v.push(`${at}: pods are not spread over ${key}`);

  const configMaps = byKind(objects, 'ConfigMap');
  const secrets = secretTargets(objects);
  const facts = imageFacts(ctx.app);
  for (const c of (pod.containers ?? []) as Loose[]) {
    const cat = `${at}/${c.name}`;
    v.push(...imageViolations(cat, c.image, ctx.app));
    const probe = (name: string, p: string) => {
      const pr = c[name];
      if (!pr) v.push(`${cat}: no ${name}`);
      else if (pr.httpGet?.path !== p) v.push(`${cat}: ${name} is not GET ${p}`);
    };
    // liveness and startup on /healthz (never the database), readiness on /readyz
    probe('startupProbe', '/healthz');
    probe('livenessProbe', '/healthz');
    probe('readinessProbe', '/readyz');
    const ports = (c.ports ?? []) as Loose[];
    for (const pr of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const port = c[pr]?.httpGet?.port;
      if (port !== undefined && !ports.some((p) => p.name === port || p.containerPort === port)) v.push(`${cat}: ${pr} port ${port} is not a container port`);
    }
    const pause = preStopSeconds(c);
    const fromConfig = (c.envFrom ?? []).map((f: Loose) => configMaps.find((m) => m.metadata.name === f.configMapRef?.name)?.data?.SHUTDOWN_GRACE_MS).find(Boolean);
    const drain = fromConfig ? Number(fromConfig) / 1000 : DRAIN_SECONDS;
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (pause === undefined || pause <= 0) v.push(`${cat}: no preStop pause (new requests would meet a closed socket while the ALB deregisters the pod)`);
    else if (grace <= pause + drain) v.push(`${cat}: grace period ${grace}s is not longer than preStop ${pause}s + drain ${drain}s`);
    v.push(...containerRefsViolations(cat, c, objects, secrets, pod.volumes ?? []));
    if (ctx.app.startsWith('frontend-') === false && !(c.envFrom ?? []).some((f: Loose) => f.configMapRef)) v.push(`${cat}: config does not come from a ConfigMap`);
    if (facts) {
      const uid = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
      if (uid !== facts.uid) v.push(`${cat}: runs as ${uid}, the image's USER is ${facts.uid}`);
      if (!ports.some((p) => p.containerPort === facts.port)) v.push(`${cat}: does not expose the image's port ${facts.port}`);
    }
  }
  return v;
}

/** The PreSync migration Job: its inputs must exist before it, in the PreSync phase itself. */
export function migrationViolations(job: K8sObject, objects: K8sObject[], ctx: AppContext): string[] {
  const v: string[] = [];
  const at = `Job ${job.metadata.name}`;
  const pod = job.spec?.template?.spec ?? {};
  const labels = job.spec?.template?.metadata?.labels ?? {};
  if (hookOf(job) !== 'PreSync') v.push(`${at}: not an Argo CD PreSync hook`);
  if (!job.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy']) v.push(`${at}: no hook-delete-policy (the next sync could not create it again)`);
  if (pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure') v.push(`${at}: restartPolicy ${pod.restartPolicy}`);
  if (!(job.spec?.activeDeadlineSeconds > 0)) v.push(`${at}: no activeDeadlineSeconds (a stuck migration would hold the sync forever)`);
  v.push(...podSecurityViolations(at, pod));
  const preSyncSecrets = secretTargets(objects, 'PreSync');
  const facts = imageFacts(ctx.app);
  for (const c of (pod.containers ?? []) as Loose[]) {
    const cat = `${at}/${c.name}`;
    v.push(...imageViolations(cat, c.image, ctx.app));
    v.push(...containerRefsViolations(cat, c, objects, preSyncSecrets, pod.volumes ?? []));
    // the image's own entry: CMD with the migration bundle in place of the server's
    if (facts) {
      const expected = [...facts.cmd.slice(0, -1), `services/${ctx.app}/dist/migrate.js`];
      if (JSON.stringify(c.command) !== JSON.stringify(expected)) v.push(`${cat}: command ${JSON.stringify(c.command)} is not ${JSON.stringify(expected)}`);
    }
  }
  for (const es of byKind(objects, 'ExternalSecret').filter((e) => hookOf(e) === 'PreSync')) {
    if (waveOf(es) >= waveOf(job)) v.push(`${at}: ExternalSecret ${es.metadata.name} is not in an earlier wave than the Job`);
  }
  const policies = byKind(objects, 'NetworkPolicy').filter((p) => hookOf(p) === 'PreSync' && matches(p.spec?.podSelector?.matchLabels, labels));
  if (policies.length === 0) v.push(`${at}: no PreSync NetworkPolicy lets its pods reach the database (the namespace denies by default)`);
  for (const p of policies) if (waveOf(p) >= waveOf(job)) v.push(`${at}: NetworkPolicy ${p.metadata.name} is not in an earlier wave than the Job`);
  return v;
}

/** The pod template of a workload (Deployment, Job, or a CronJob's Job template). */
export const podTemplateOf = (w: K8sObject): Loose => (w.kind === 'CronJob' ? w.spec?.jobTemplate?.spec?.template : w.spec?.template) ?? {};

/** The minutes between two runs of a cron schedule of the form `*\/N * * * *` or `M * * * *` (else undefined). */
function periodMinutes(schedule: string): number | undefined {
  const [minute, ...rest] = schedule.trim().split(/\s+/);
  if (rest.length !== 4 || rest.some((f) => f !== '*')) return undefined;
  if (minute === '*') return 1;
  const every = /^\*\/(\d+)$/.exec(minute ?? '');
  if (every) return Number(every[1]);
  return /^\d+$/.test(minute ?? '') ? 60 : undefined;
}

/**
 * A scheduled job: the workload rules of a Deployment's pod (Pod Security, resources, the image
 * Jenkins bumps, the Sync-phase Secret), never two runs at once, a bounded run, and a command that
 * is the image's own CMD with one of the service's bundled entries (scripts/build.ts) in place of
 * the server's. It reads single keys of a Secret, never a whole one and never a key file.
 */
export function cronJobViolations(cj: K8sObject, objects: K8sObject[], ctx: AppContext): string[] {
  const v: string[] = [];
  const at = `CronJob ${cj.metadata.name}`;
  const spec = cj.spec ?? {};
  const job = spec.jobTemplate?.spec ?? {};
  const pod = job.template?.spec ?? {};
  if (!spec.schedule) v.push(`${at}: no schedule`);
  if (spec.concurrencyPolicy !== 'Forbid') v.push(`${at}: concurrencyPolicy ${spec.concurrencyPolicy ?? 'Allow (unset)'}, not Forbid (two runs could overlap)`);
  if (!(spec.startingDeadlineSeconds > 0)) v.push(`${at}: no startingDeadlineSeconds (missed runs would all start at once after an outage)`);
  if (spec.suspend === true) v.push(`${at}: suspended`);
  if (!(job.activeDeadlineSeconds > 0)) v.push(`${at}: no activeDeadlineSeconds (a stuck run would hold the schedule forever)`);
  const period = spec.schedule ? periodMinutes(spec.schedule) : undefined;
  if (period !== undefined && job.activeDeadlineSeconds > period * 60) v.push(`${at}: a run may take ${job.activeDeadlineSeconds}s, longer than the ${period} min between runs`);
  if (!(typeof job.backoffLimit === 'number' && job.backoffLimit <= 3)) v.push(`${at}: backoffLimit ${job.backoffLimit ?? 'unset (6)'}, not at most 3`);
  if (pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure') v.push(`${at}: restartPolicy ${pod.restartPolicy}`);
  if (job.podFailurePolicy && pod.restartPolicy !== 'Never') v.push(`${at}: a podFailurePolicy needs restartPolicy Never`);
  if (podTemplateOf(cj).metadata?.labels?.['app.kubernetes.io/name'] !== ctx.app) v.push(`${at}: its pods are not labelled as ${ctx.app}'s`);
  v.push(...podSecurityViolations(at, pod));
  if (pod.serviceAccountName && !byKind(objects, 'ServiceAccount').some((s) => s.metadata.name === pod.serviceAccountName)) v.push(`${at}: service account ${pod.serviceAccountName} is not in the render`);
  const secrets = secretTargets(objects);
  const facts = imageFacts(ctx.app);
  const bundled = new Set(entryPoints(ctx.app).map((e) => `services/${ctx.app}/dist/${e.out}.js`));
  for (const c of (pod.containers ?? []) as Loose[]) {
    const cat = `${at}/${c.name}`;
    v.push(...imageViolations(cat, c.image, ctx.app));
    v.push(...containerRefsViolations(cat, c, objects, secrets, pod.volumes ?? []));
    for (const f of (c.envFrom ?? []) as Loose[]) if (f.secretRef) v.push(`${cat}: takes the whole Secret ${f.secretRef.name} (envFrom), not the keys it needs`);
    if (facts) {
      const script = (c.command ?? []).at(-1) as string | undefined;
      const expected = [...facts.cmd.slice(0, -1), script];
      if (JSON.stringify(c.command) !== JSON.stringify(expected) || !script || script === facts.cmd.at(-1)) v.push(`${cat}: command ${JSON.stringify(c.command)} is not the image's CMD with a job's bundle in place of the server`);
      else if (!bundled.has(script)) v.push(`${cat}: runs ${script}, which scripts/build.ts does not bundle for ${ctx.app} (${[...bundled].join(', ')})`);
      const uid = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
      if (uid !== facts.uid) v.push(`${cat}: runs as ${uid}, the image's USER is ${facts.uid}`);
    }
  }
  for (const vol of (pod.volumes ?? []) as Loose[]) if (vol.secret || vol.projected) v.push(`${at}: mounts volume ${vol.name} from a Secret (a job reads the keys it needs as env)`);
  return v;
}

/** Who may reach the app's pods and what they may reach. */
export function networkViolations(objects: K8sObject[], ctx: AppContext, uses: { db: boolean; redis: boolean }): string[] {
  const v: string[] = [];
  const e = ENV[ctx.env];
  const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
  const workloads = [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job'), ...byKind(objects, 'CronJob')];
  for (const w of workloads) {
    const template = podTemplateOf(w);
    const labels = template.metadata?.labels ?? {};
    const ports = (template.spec?.containers ?? []).flatMap((c: Loose) => (c.ports ?? []).map((p: Loose) => p.containerPort));
    // what the pods are given: a job reaches the Pushgateway only when it is told where it is
    const env = (template.spec?.containers ?? []).flatMap((c: Loose) => [
      ...((c.env ?? []) as Loose[]).map((e) => e.name as string),
      ...((c.envFrom ?? []) as Loose[]).flatMap((f) => Object.keys(byKind(objects, 'ConfigMap').find((m) => m.metadata.name === f.configMapRef?.name)?.data ?? {})),
    ]);
    const policies = byKind(objects, 'NetworkPolicy').filter((p) => matches(p.spec?.podSelector?.matchLabels, labels));
    const at = `${w.kind} ${w.metadata.name}`;
    if (policies.length === 0) v.push(`${at}: no NetworkPolicy selects its pods`);
    for (const p of policies) {
      const pat = `NetworkPolicy ${p.metadata.name}`;
      if (!(p.spec.policyTypes ?? []).includes('Ingress') || !(p.spec.policyTypes ?? []).includes('Egress')) v.push(`${pat}: does not govern both directions`);
      for (const rule of (p.spec.ingress ?? []) as Loose[]) {
        const from = (rule.from ?? []) as Loose[];
        if (from.length === 0) v.push(`${pat}: an ingress rule open to every source`);
        const cidrs = from.filter((f) => f.ipBlock).map((f) => f.ipBlock.cidr as string);
        if (cidrs.length > 0 && !sameSet(cidrs, e.publicSubnets)) v.push(`${pat}: ingress from ${cidrs.join(',')}, not the ALB's subnets`);
        for (const f of from.filter((x) => !x.ipBlock)) {
          const ns = f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
          const who = f.podSelector?.matchLabels?.['app.kubernetes.io/name'];
          if (!(ns === 'monitoring' && who === 'prometheus')) v.push(`${pat}: ingress from ${JSON.stringify(f)} (only the ALB and Prometheus may call an app)`);
        }
        for (const port of (rule.ports ?? []) as Loose[]) if (!ports.includes(port.port)) v.push(`${pat}: ingress on port ${port.port}, which the pods do not serve`);
        if ((rule.ports ?? []).length === 0) v.push(`${pat}: an ingress rule on every port`);
      }
      for (const rule of (p.spec.egress ?? []) as Loose[]) {
        const to = (rule.to ?? []) as Loose[];
        const rulePorts = ((rule.ports ?? []) as Loose[]).map((x) => x.port as number);
        if (to.length === 0) v.push(`${pat}: an egress rule open to every destination`);
        if (rulePorts.length === 0) v.push(`${pat}: an egress rule on every port`);
        for (const port of rulePorts) {
          if (port === 53) {
            const dns = to.every((t) => t.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'kube-system' && t.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns');
            if (!dns) v.push(`${pat}: port 53 to something other than kube-dns`);
          } else if (port === 3306 || port === 6379) {
            const needed = port === 3306 ? uses.db && (w.kind !== 'CronJob' || env.includes('DATABASE_URL')) : uses.redis && w.kind === 'Deployment';
            const whose = w.kind === 'Job' ? "'s migration" : w.kind === 'CronJob' ? `'s ${w.metadata.name}` : '';
            if (!needed) v.push(`${pat}: reaches ${port === 3306 ? 'MySQL' : 'Redis'}, which ${ctx.app}${whose} does not use`);
            const cidrs = to.map((t) => t.ipBlock?.cidr as string | undefined);
            if (cidrs.some((c) => !c) || !sameSet(cidrs as string[], e.dataSubnets)) v.push(`${pat}: port ${port} to ${JSON.stringify(to)}, not the data subnets`);
          } else if (port === PUSHGATEWAY.port && w.kind === 'CronJob' && env.includes('PUSHGATEWAY_URL')) {
            const pushgateway = to.every(
              (t) => t.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === PUSHGATEWAY.namespace && t.podSelector?.matchLabels?.['app.kubernetes.io/name'] === PUSHGATEWAY.name,
            );
            if (!pushgateway) v.push(`${pat}: port ${port} to ${JSON.stringify(to)}, not the Pushgateway's pods`);
          } else {
            v.push(`${pat}: egress to port ${port}`);
          }
        }
      }
    }
  }
  return v;
}

/** The autoscaler (KEDA's HPA), the PDB, the Service and the ServiceMonitor, each against what exists. */
export function wiringViolations(objects: K8sObject[], ctx: AppContext, opening: { hour: number; minute: number }): string[] {
  const v: string[] = [];
  const deployments = byKind(objects, 'Deployment');
  const podLabels = (d: K8sObject) => d.spec?.template?.metadata?.labels ?? {};
  const services = byKind(objects, 'Service');
  for (const s of services) {
    const d = deployments.find((x) => matches(s.spec?.selector, podLabels(x)));
    if (!d) v.push(`Service ${s.metadata.name}: selects no Deployment's pods`);
    const names = d ? d.spec.template.spec.containers.flatMap((c: Loose) => (c.ports ?? []).map((p: Loose) => p.name)) : [];
    for (const p of (s.spec?.ports ?? []) as Loose[]) if (typeof p.targetPort === 'string' && !names.includes(p.targetPort)) v.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} is no container port`);
  }
  for (const m of byKind(objects, 'ServiceMonitor')) {
    const s = services.find((x) => matches(m.spec?.selector?.matchLabels, x.metadata.labels) && x.metadata.namespace === m.metadata.namespace);
    if (!s) {
      v.push(`ServiceMonitor ${m.metadata.name}: selects no Service`);
      continue;
    }
    for (const ep of (m.spec.endpoints ?? []) as Loose[]) {
      if (!s.spec.ports.some((p: Loose) => p.name === ep.port)) v.push(`ServiceMonitor ${m.metadata.name}: port ${ep.port} is not a port of Service ${s.metadata.name}`);
      if (ep.path !== '/metrics') v.push(`ServiceMonitor ${m.metadata.name}: scrapes ${ep.path}`);
    }
  }
  if (byKind(objects, 'HorizontalPodAutoscaler').length > 0) v.push('a plain HorizontalPodAutoscaler beside KEDA (two autoscalers would fight over the replicas)');
  const scaled = byKind(objects, 'ScaledObject');
  for (const d of deployments) if (!scaled.some((so) => so.spec?.scaleTargetRef?.name === d.metadata.name)) v.push(`Deployment ${d.metadata.name}: no autoscaler`);
  for (const so of scaled) {
    const hpa = hpaOf(so);
    const at = `HPA ${hpa.metadata.name} (ScaledObject ${so.metadata.name})`;
    const target = deployments.find((d) => d.metadata.name === hpa.spec.scaleTargetRef.name && hpa.spec.scaleTargetRef.kind === 'Deployment');
    if (!target) v.push(`${at}: targets ${hpa.spec.scaleTargetRef.kind} ${hpa.spec.scaleTargetRef.name}, which does not exist`);
    v.push(...admissionErrors(so, target).map((e) => `${at}: KEDA would refuse it: ${e}`));
    const metrics = hpa.spec.metrics as Loose[];
    if (!metrics.some((m) => m.type === 'Resource' && m.resource.name === 'cpu' && m.resource.target.type === 'Utilization')) v.push(`${at}: no CPU utilization metric`);
    const isService = !ctx.app.startsWith('frontend-');
    const rps = (so.spec.triggers as Loose[]).find((t) => t.type === 'prometheus');
    if (isService && !(rps && /http_requests_total/.test(rps.metadata.query) && /rate\(/.test(rps.metadata.query))) v.push(`${at}: no requests-per-second metric`);
    const up = hpa.spec.behavior?.scaleUp;
    const down = hpa.spec.behavior?.scaleDown;
    if (!up || (up.stabilizationWindowSeconds ?? 0) > 0 || !(up.policies ?? []).some((p: Loose) => p.periodSeconds <= 15)) v.push(`${at}: scale-up is not fast (no stabilization, a policy every 15 s or less)`);
    if (!down || (down.stabilizationWindowSeconds ?? 300) < 300 || (down.policies ?? []).some((p: Loose) => p.type === 'Percent' && p.value > 20)) v.push(`${at}: scale-down is not slow (5 min stabilization, at most 20% a step)`);
    const cron = (so.spec.triggers as Loose[]).find((t) => t.type === 'cron');
    if (!cron) v.push(`${at}: no pre-scale before the registration window`);
    else {
      const desired = Number(cron.metadata.desiredReplicas);
      if (!(desired >= hpa.spec.minReplicas && desired <= hpa.spec.maxReplicas)) v.push(`${at}: pre-scale ${desired} is outside ${hpa.spec.minReplicas}..${hpa.spec.maxReplicas}`);
      const [minute, hour] = String(cron.metadata.start).split(' ').map(Number) as [number, number];
      const lead = (opening.hour * 60 + opening.minute) - (hour * 60 + minute);
      if (!(lead >= 15)) v.push(`${at}: pre-scale starts at ${hour}:${String(minute).padStart(2, '0')}, less than 15 minutes before the ${opening.hour}:00 opening`);
      if (so.spec.fallback && so.spec.fallback.replicas < desired) v.push(`${at}: fallback replicas below the pre-scale`);
    }
    if (ctx.env === 'prod' && hpa.spec.minReplicas < 2) v.push(`${at}: prod runs fewer than 2 replicas`);
  }
  const pdbs = byKind(objects, 'PodDisruptionBudget');
  for (const d of deployments) if (!pdbs.some((p) => matches(p.spec?.selector?.matchLabels, podLabels(d)))) v.push(`Deployment ${d.metadata.name}: no PodDisruptionBudget`);
  for (const p of pdbs) {
    if (!deployments.some((d) => matches(p.spec?.selector?.matchLabels, podLabels(d)))) v.push(`PodDisruptionBudget ${p.metadata.name}: selects no Deployment's pods`);
    if (p.spec?.maxUnavailable === undefined && p.spec?.minAvailable === undefined) v.push(`PodDisruptionBudget ${p.metadata.name}: allows nothing and protects nothing`);
  }
  return v;
}

/** Config, then (PreSync) migrations, then Deployments, then autoscalers. */
export function waveViolations(objects: K8sObject[]): string[] {
  const v: string[] = [];
  const sync = objects.filter((o) => !hookOf(o));
  const maxWave = (list: K8sObject[]) => Math.max(...list.map(waveOf));
  const minWave = (list: K8sObject[]) => Math.min(...list.map(waveOf));
  const config = sync.filter((o) => CONFIG_KINDS.has(o.kind));
  const workloads = sync.filter((o) => o.kind === 'Deployment' || o.kind === 'CronJob');
  const autoscalers = sync.filter((o) => o.kind === 'ScaledObject');
  if (config.length && workloads.length && maxWave(config) >= minWave(workloads)) v.push('config is not synced before the Deployments and CronJobs');
  if (workloads.length && autoscalers.length && maxWave(workloads) >= minWave(autoscalers)) v.push('the autoscalers are not synced after the Deployments');
  for (const o of objects.filter((x) => hookOf(x) && hookOf(x) !== 'PreSync')) v.push(`${o.kind} ${o.metadata.name}: a ${hookOf(o)} hook`);
  return v;
}

/** What the ExternalSecrets read: this environment's names in AWS only, through the cluster's stores. */
export function externalSecretViolations(objects: K8sObject[], ctx: AppContext, stores: Set<string>): string[] {
  const v: string[] = [];
  if (byKind(objects, 'Secret').length > 0) v.push('a Secret in the repository');
  for (const es of byKind(objects, 'ExternalSecret')) {
    const at = `ExternalSecret ${es.metadata.name}`;
    const refs = [es.spec.secretStoreRef, ...(es.spec.data ?? []).map((d: Loose) => d.sourceRef?.storeRef).filter(Boolean)];
    for (const r of refs) if (r.kind !== 'ClusterSecretStore' || !stores.has(r.name)) v.push(`${at}: store ${r.kind}/${r.name} is not one of gitops/platform/cluster's`);
    for (const d of (es.spec.data ?? []) as Loose[]) {
      const key = d.remoteRef.key as string;
      const store = d.sourceRef?.storeRef?.name ?? es.spec.secretStoreRef.name;
      const ok = store === 'aws-parameter-store' ? new RegExp(`^/goorm/${ctx.env}/`).test(key) : new RegExp(`^goorm/${ctx.env}/(db|redis|jwt)$`).test(key);
      if (!ok) v.push(`${at}: reads ${key} from ${store}, not ${ctx.env}'s`);
    }
  }
  for (const cm of byKind(objects, 'ConfigMap')) {
    for (const [k, val] of Object.entries((cm.data ?? {}) as Record<string, string>)) {
      if (SECRET_NAME.test(k) && !k.endsWith('_FILE')) v.push(`ConfigMap ${cm.metadata.name}: ${k} looks like a secret`);
      if (/:\/\/[^/\s:]+:[^@\s]+@/.test(val)) v.push(`ConfigMap ${cm.metadata.name}: ${k} holds a URL with a password`);
    }
    if (cm.data?.NODE_ENV !== undefined && cm.data.NODE_ENV !== 'production') v.push(`ConfigMap ${cm.metadata.name}: NODE_ENV ${cm.data.NODE_ENV}`);
  }
  return v;
}
