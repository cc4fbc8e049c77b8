/**
 * One definition for every environment: the shape of the context each environment reads
 * (account, region, zones, DNS, sizes) and its parsing. Nothing here calls AWS: the account, the
 * region and the availability zones come from `cdk.json` context (or the app's props in tests),
 * never from a lookup.
 */

export const ENVIRONMENT_NAMES = ['staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The services and apps that get an image (and so an ECR repository `goorm/<name>`). */
export const SERVICE_IMAGES = ['auth', 'lectures', 'carts', 'enrollment', 'ai-helper', 'gateway'] as const;
export const APP_IMAGES = ['frontend-student', 'frontend-admin'] as const;
export const IMAGE_NAMES = [...SERVICE_IMAGES, ...APP_IMAGES] as const;

export interface NodeGroupSize {
  /** EC2 instance types the managed node group may use (same size class, so the scheduler's arithmetic holds). */
  readonly instanceTypes: string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

export interface EnvironmentSizes {
  readonly nodes: NodeGroupSize;
  /** RDS instance class without the `db.` prefix, e.g. `r7g.large`. */
  readonly dbInstanceClass: string;
  readonly dbAllocatedStorageGiB: number;
  readonly dbMaxAllocatedStorageGiB: number;
  readonly dbBackupRetentionDays: number;
  /** ElastiCache node type, e.g. `cache.r7g.large`. */
  readonly cacheNodeType: string;
  /** Replicas per shard (the primary not counted); at least 1 for Multi-AZ failover. */
  readonly cacheReplicas: number;
  /** NAT gateways: one per AZ in prod (an AZ outage keeps egress), fewer where cost matters more. */
  readonly natGateways: number;
  /** Days before Thanos blocks move to infrequent access, and before they expire. */
  readonly thanosInfrequentAccessDays: number;
  readonly thanosExpireDays: number;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  readonly account: string;
  readonly region: string;
  /** Exactly three AZs, named (e.g. `ap-northeast-2a`): given, never looked up. */
  readonly availabilityZones: string[];
  readonly vpcCidr: string;
  /** The public host students and staff use. */
  readonly host: string;
  /** The Route53 hosted zone that holds `host` (id and name from context, no lookup). */
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
  /** ARN of a Lambda layer with kubectl and helm (published once per account from @aws-cdk/lambda-layer-kubectl-v33). */
  readonly kubectlLayerArn: string;
  /** IAM role ARNs (operators, the Jenkins agent role) given cluster-admin through EKS access entries. */
  readonly clusterAdminRoleArns: string[];
  /** Where alarms go (an SNS subscription is made per address; the on-call tool subscribes here). */
  readonly alarmEmail?: string;
  readonly sizes: EnvironmentSizes;
}

export interface RegistryConfig {
  readonly account: string;
  readonly region: string;
  /** Accounts whose nodes pull images (the environments' accounts). */
  readonly pullAccounts: string[];
}

export interface PlatformConfig {
  readonly environments: EnvironmentConfig[];
  readonly registry: RegistryConfig;
  /** Git repository Argo CD syncs from (its `gitops/` folder). */
  readonly gitopsRepoUrl: string;
  readonly gitopsRevision: string;
}

export class ConfigError extends Error {}

type Json = Record<string, unknown>;

function need<T>(obj: Json, key: string, where: string, check: (v: unknown) => v is T, what: string): T {
  const value = obj[key];
  if (!check(value)) throw new ConfigError(`${where}.${key}: expected ${what}, got ${JSON.stringify(value)}`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAccount = (v: unknown): v is string => typeof v === 'string' && /^\d{12}$/.test(v);

function parseSizes(raw: Json, where: string): EnvironmentSizes {
  const nodes = need(raw, 'nodes', where, isObject, 'an object');
  const n = `${where}.nodes`;
  const size: NodeGroupSize = {
    instanceTypes: need(nodes, 'instanceTypes', n, isStringArray, 'instance types'),
    minSize: need(nodes, 'minSize', n, isNumber, 'a number'),
    desiredSize: need(nodes, 'desiredSize', n, isNumber, 'a number'),
    maxSize: need(nodes, 'maxSize', n, isNumber, 'a number'),
  };
  if (!(size.minSize <= size.desiredSize && size.desiredSize <= size.maxSize)) {
    throw new ConfigError(`${n}: expected minSize <= desiredSize <= maxSize`);
  }
  const sizes: EnvironmentSizes = {
    nodes: size,
    dbInstanceClass: need(raw, 'dbInstanceClass', where, isString, 'an instance class'),
    dbAllocatedStorageGiB: need(raw, 'dbAllocatedStorageGiB', where, isNumber, 'GiB'),
    dbMaxAllocatedStorageGiB: need(raw, 'dbMaxAllocatedStorageGiB', where, isNumber, 'GiB'),
    dbBackupRetentionDays: need(raw, 'dbBackupRetentionDays', where, isNumber, 'days'),
    cacheNodeType: need(raw, 'cacheNodeType', where, isString, 'a node type'),
    cacheReplicas: need(raw, 'cacheReplicas', where, isNumber, 'a number'),
    natGateways: need(raw, 'natGateways', where, isNumber, 'a number'),
    thanosInfrequentAccessDays: need(raw, 'thanosInfrequentAccessDays', where, isNumber, 'days'),
    thanosExpireDays: need(raw, 'thanosExpireDays', where, isNumber, 'days'),
  };
  if (sizes.cacheReplicas < 1) throw new ConfigError(`${where}.cacheReplicas: Multi-AZ needs at least one replica`);
  if (sizes.dbBackupRetentionDays < 1) throw new ConfigError(`${where}.dbBackupRetentionDays: backups must be on`);
  return sizes;
}

function parseEnvironment(name: EnvironmentName, raw: unknown): EnvironmentConfig {
  const where = `goorm:environments.${name}`;
  if (!isObject(raw)) throw new ConfigError(`${where}: missing`);
  const azs = need(raw, 'availabilityZones', where, isStringArray, 'three AZ names');
  if (azs.length !== 3) throw new ConfigError(`${where}.availabilityZones: expected three AZs, got ${azs.length}`);
  return {
    name,
    account: need(raw, 'account', where, isAccount, 'a 12-digit account id'),
    region: need(raw, 'region', where, isString, 'a region'),
    availabilityZones: azs,
    vpcCidr: need(raw, 'vpcCidr', where, isString, 'a CIDR'),
    host: need(raw, 'host', where, isString, 'a host name'),
    hostedZoneId: need(raw, 'hostedZoneId', where, isString, 'a hosted zone id'),
    hostedZoneName: need(raw, 'hostedZoneName', where, isString, 'a zone name'),
    kubectlLayerArn: need(raw, 'kubectlLayerArn', where, isString, 'a layer ARN'),
    clusterAdminRoleArns: need(raw, 'clusterAdminRoleArns', where, isStringArray, 'role ARNs'),
    alarmEmail: typeof raw.alarmEmail === 'string' ? raw.alarmEmail : undefined,
    sizes: parseSizes(need(raw, 'sizes', where, isObject, 'an object'), `${where}.sizes`),
  };
}

/** Reads the platform's configuration from CDK context values (as `app.node.tryGetContext` gives them). */
export function parsePlatformConfig(get: (key: string) => unknown): PlatformConfig {
  const envs = get('goorm:environments');
  if (!isObject(envs)) throw new ConfigError('context goorm:environments: missing');
  const registry = get('goorm:registry');
  if (!isObject(registry)) throw new ConfigError('context goorm:registry: missing');
  const repoUrl = get('goorm:gitopsRepoUrl');
  if (!isString(repoUrl)) throw new ConfigError('context goorm:gitopsRepoUrl: missing');
  const revision = get('goorm:gitopsRevision');
  const environments = ENVIRONMENT_NAMES.map((name) => parseEnvironment(name, envs[name]));
  for (const env of environments) {
    if (env.host !== env.hostedZoneName && !env.host.endsWith(`.${env.hostedZoneName}`)) {
      throw new ConfigError(`goorm:environments.${env.name}: host ${env.host} is not in zone ${env.hostedZoneName}`);
    }
  }
  return {
    environments,
    registry: {
      account: need(registry, 'account', 'goorm:registry', isAccount, 'a 12-digit account id'),
      region: need(registry, 'region', 'goorm:registry', isString, 'a region'),
      pullAccounts: need(registry, 'pullAccounts', 'goorm:registry', (v): v is string[] => Array.isArray(v) && v.every(isAccount), 'account ids'),
    },
    gitopsRepoUrl: repoUrl,
    gitopsRevision: isString(revision) ? revision : 'main',
  };
}

/** Names every stack and resource shares, so stacks refer to each other by name, not by export. */
export const names = (env: EnvironmentName) => ({
  prefix: `goorm-${env}`,
  clusterName: `goorm-${env}`,
  dbInstanceId: `goorm-${env}-mysql`,
  cacheGroupId: `goorm-${env}-redis`,
  thanosBucket: `goorm-${env}-thanos`,
  /** The ALB the AWS Load Balancer Controller makes for the Ingress group (annotation load-balancer-name). */
  albName: `goorm-${env}`,
  secret: (what: 'db' | 'db-admin' | 'redis' | 'jwt') => `goorm/${env}/${what}`,
});
