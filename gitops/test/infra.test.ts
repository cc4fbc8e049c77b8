/**
 * What gitops/ and infra/ (and jenkins/) agreed on, read from their own code rather than copied:
 * the repository Argo CD syncs, the registry, the hosts and zones, the subnets the network rules
 * name (infra's VPC built here, offline), the cluster, ALB and secret names, the Pod Identity
 * service accounts the platform charts must create, the ALB controller release whose IAM policy
 * infra grants, and whether the pods the autoscalers may ask for fit the node groups.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGE_NAMES, names, parsePlatformConfig, type EnvironmentConfig } from '../../infra/src/config.ts';
import { ASSUMED, PROD_PLAN, vcpuOfInstanceClass } from '../../infra/src/capacity.ts';
import { ALB_CONTROLLER_POLICY_VERSION, POD_IDENTITIES } from '../../infra/src/stacks/cluster-stack.ts';
import { NetworkStack } from '../../infra/src/stacks/network-stack.ts';
import { APPS as JENKINS_APPS, SERVICES as JENKINS_SERVICES } from '../../jenkins/scripts/detect-changes.ts';
import { APPS, CHARTS, ENV, ENVS, REGISTRY, REPO, albName, clusterName, secretName, type Env } from '../generate.ts';
import { quantity } from './lib/policy.ts';
import { REPO_ROOT, type Loose } from './lib/render.ts';

const context = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'infra/cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const platform = parsePlatformConfig((key) => context[key]);
const envConfig = (env: Env): EnvironmentConfig => platform.environments.find((e) => e.name === env)!;
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
/** Helm's merge of value files (maps key by key, the rest replaced). */
const merge = (a: Loose, b: Loose): Loose =>
  a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)
    ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? merge(a[k], b[k]) : a[k]]))
    : (b ?? a);
/** The values Argo CD gives a chart: values.yaml, then the environment's file. */
const values = (chart: string, env?: Env): Loose =>
  merge(parse(read(`gitops/platform/values/${chart}/values.yaml`)) ?? {}, env ? (parse(read(`gitops/platform/values/${chart}/${env}.yaml`)) ?? {}) : {});

describe('gitops/ and infra/ agree', () => {
  it('Argo CD syncs the repository and revision infra/ bootstraps it with, starting at gitops/argocd', () => {
    expect(REPO).toEqual({ url: platform.gitopsRepoUrl, revision: platform.gitopsRevision });
    const cluster = read('infra/src/stacks/cluster-stack.ts');
    expect(cluster).toContain("path: 'gitops/argocd'");
    // the in-cluster secret's label is what the ApplicationSets' clusters generator selects on
    expect(cluster).toMatch(/'argocd\.argoproj\.io\/secret-type': 'cluster', environment: config\.name/);
  });

  it('images come from the shared registry, one repository per app, the one Jenkins pushes to and builds', () => {
    expect(REGISTRY).toBe(`${platform.registry.account}.dkr.ecr.${platform.registry.region}.amazonaws.com`);
    expect(read('jenkins/Jenkinsfile')).toContain(`ECR_REGISTRY = '${REGISTRY}'`);
    for (const a of APPS) {
      expect(IMAGE_NAMES as readonly string[], a.name).toContain(a.name);
      expect([...JENKINS_SERVICES, ...JENKINS_APPS] as string[], a.name).toContain(a.name);
    }
    for (const env of ENVS) expect(platform.registry.pullAccounts).toContain(envConfig(env).account);
  });

  it.each([...ENVS])('%s: host, zone, region, cluster, ALB and secret names', (env) => {
    const c = envConfig(env);
    const n = names(env);
    expect(ENV[env].host).toBe(c.host);
    expect(ENV[env].hostedZone).toBe(c.hostedZoneName);
    expect(ENV[env].region).toBe(c.region);
    expect(clusterName(env)).toBe(n.clusterName);
    expect(albName(env)).toBe(n.albName);
    for (const what of ['db', 'redis', 'jwt'] as const) expect(secretName(env, what)).toBe(n.secret(what));
    expect(values('aws-load-balancer-controller', env).clusterName).toBe(n.clusterName);
    expect(values('cluster-autoscaler', env).autoDiscovery.clusterName).toBe(n.clusterName);
    expect(values('external-dns', env).domainFilters).toEqual([c.hostedZoneName]);
    expect(values('aws-load-balancer-controller', env).vpcTags).toEqual({ Name: `goorm-${env}` });
    expect(read('infra/src/stacks/network-stack.ts')).toContain('vpcName: `goorm-${config.name}`');
  });

  it('the network rules name the subnets infra/ gives the ALB (public) and the data layer (isolated)', () => {
    const app = new App();
    for (const env of ENVS) {
      const c = envConfig(env);
      const { vpc } = new NetworkStack(app, `Network-${env}`, { env: { account: c.account, region: c.region }, config: c });
      expect(ENV[env].publicSubnets, env).toEqual(vpc.publicSubnets.map((s) => s.ipv4CidrBlock));
      expect(ENV[env].dataSubnets, env).toEqual(vpc.isolatedSubnets.map((s) => s.ipv4CidrBlock));
    }
  });

  it('every Pod Identity service account infra/ associates is the one its chart creates, in its namespace', () => {
    const chartOf = (name: string) => CHARTS.find((c) => c.name === name)!;
    const creates: Record<keyof typeof POD_IDENTITIES, { chart: string; name: string | undefined }> = {
      prometheus: { chart: 'kube-prometheus-stack', name: values('kube-prometheus-stack').prometheus?.serviceAccount?.name },
      thanosStore: { chart: 'thanos', name: values('thanos').storegateway?.serviceAccount?.name },
      thanosCompactor: { chart: 'thanos', name: values('thanos').compactor?.serviceAccount?.name },
      albController: { chart: 'aws-load-balancer-controller', name: values('aws-load-balancer-controller').serviceAccount?.name },
      externalSecrets: { chart: 'external-secrets', name: values('external-secrets').serviceAccount?.name },
      clusterAutoscaler: { chart: 'cluster-autoscaler', name: values('cluster-autoscaler').rbac?.serviceAccount?.name },
      externalDns: { chart: 'external-dns', name: values('external-dns').serviceAccount?.name },
    };
    for (const [key, sa] of Object.entries(POD_IDENTITIES) as Array<[keyof typeof POD_IDENTITIES, { namespace: string; serviceAccount: string }]>) {
      expect(creates[key].name, key).toBe(sa.serviceAccount);
      expect(chartOf(creates[key].chart).namespace, key).toBe(sa.namespace);
    }
  });

  it('the AWS Load Balancer Controller chart runs the release whose IAM policy infra/ grants', () => {
    const chart = CHARTS.find((c) => c.name === 'aws-load-balancer-controller')!;
    // eks-charts: chart 1.X.Y ships controller v2.X.Y
    expect(`v2.${chart.version.split('.').slice(1).join('.')}`).toBe(ALB_CONTROLLER_POLICY_VERSION);
  });

  it('what the services read from AWS is what infra/ writes there', () => {
    const data = read('infra/src/stacks/data-stack.ts');
    // Redis AUTH token key and the endpoint parameter (the ExternalSecrets read `token` and /goorm/<env>/redis/host)
    expect(data).toContain("generateStringKey: 'token'");
    expect(data).toContain('parameterName: `/goorm/${config.name}/redis/host`');
    // the JWT secret's keys (queueTokenSecret is put in by operators with the real PEMs: README, "Bootstrap")
    expect(data).toContain("JSON.stringify({ privateKey: '', publicKey: '' })");
    // the RDS-generated secret carries username, password, host, port, dbname
    expect(data).toContain('Credentials.fromGeneratedSecret');
  });
});

describe('the pods the autoscalers may ask for fit the node groups infra/ sizes', () => {
  const cores = (list: Array<{ replicas: number; cpu: string }>) => list.reduce((sum, x) => sum + x.replicas * quantity(x.cpu), 0);

  it.each([...ENVS])('%s: every app at its maximum, and the platform, fit the node group at its maximum', (env) => {
    const nodes = envConfig(env).sizes.nodes;
    const perNode = vcpuOfInstanceClass(nodes.instanceTypes[0]!) - ASSUMED.nodeReservedCpu;
    const requested = cores(APPS.map((a) => ({ replicas: a.scale[env].max, cpu: a.requests.cpu }))) + ASSUMED.platformCores;
    expect(requested).toBeLessThanOrEqual(nodes.maxSize * perNode);
  });

  it('prod: the pre-scale holds at least the pods infra/src/capacity.ts plans for the opening (docs/capacity.md)', () => {
    const plan = PROD_PLAN;
    const app = (name: string) => APPS.find((a) => a.name === name)!;
    const coresOf = (name: string) => app(name).scale.prod.prescale * quantity(app(name).requests.cpu);
    expect(coresOf('enrollment')).toBeGreaterThanOrEqual(plan.enrollmentPods * ASSUMED.podCpu);
    expect(coresOf('lectures')).toBeGreaterThanOrEqual(plan.lecturesPods * ASSUMED.podCpu);
    // a pod's CPU request is the model's pod (one core: a Node.js process), and the requests/s trigger is the model's
    expect(quantity(app('enrollment').requests.cpu)).toBe(ASSUMED.podCpu);
    expect(quantity(app('lectures').requests.cpu)).toBe(ASSUMED.podCpu);
    expect(app('enrollment').rpsPerPod).toBe(plan.rpsPerPod.enrollment);
    expect(app('lectures').rpsPerPod).toBe(plan.rpsPerPod.lectures);
    // and each app can grow to at least twice its pre-scale (the burst is bigger than the plan's average)
    for (const a of APPS.filter((x) => x.kind === 'service')) expect(a.scale.prod.max, a.name).toBeGreaterThanOrEqual(2 * a.scale.prod.prescale);
  });

  it("prod: the model's other services' cores hold auth, carts, ai-helper and the two apps at their pre-scale", () => {
    const others = APPS.filter((a) => a.name !== 'enrollment' && a.name !== 'lectures');
    expect(cores(others.map((a) => ({ replicas: a.scale.prod.prescale, cpu: a.requests.cpu })))).toBeLessThanOrEqual(ASSUMED.otherServicesCores);
  });

  it('prod: the data stores are at least what the model plans (RDS vCPUs, Redis node)', () => {
    const sizes = envConfig('prod').sizes;
    expect(vcpuOfInstanceClass(sizes.dbInstanceClass)).toBeGreaterThanOrEqual(PROD_PLAN.dbVcpu);
    expect(sizes.nodes.maxSize).toBeGreaterThanOrEqual(PROD_PLAN.peakNodes);
  });
});
