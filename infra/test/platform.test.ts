import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_NAMES } from '../src/config.js';
import { PROD_PLAN, REDIS_NODE_OPS, ASSUMED, vcpuOfInstanceClass } from '../src/capacity.js';
import { nodeDimensionsIn } from '../src/constructs/cluster-dashboards.js';
import { ARGO_CD_CHART } from '../src/stacks/cluster-stack.js';
import { resourceCounts, synthPlatform } from './support.js';

// One synth for the whole file (~15 s): every stack of both environments, cdk-nag included.
let platform: ReturnType<typeof synthPlatform>;
const templates = new Map<string, Template>();
const t = (stack: string) => {
  const found = templates.get(stack);
  if (!found) throw new Error(`no stack ${stack}`);
  return found;
};
beforeAll(() => {
  platform = synthPlatform();
  for (const s of platform.assembly.stacks) templates.set(s.stackName, Template.fromJSON(s.template as Record<string, unknown>));
});
afterAll(() => platform?.cleanup());

const envs = ['staging', 'prod'] as const;

describe('the synthesized platform', () => {
  it('synthesizes both environments and the registry with cdk-nag AwsSolutions finding nothing unacknowledged', () => {
    // app.synth() throws «ValidationFailed» on any unacknowledged finding; reaching here means none.
    expect([...templates.keys()].sort()).toEqual(
      ['GoormRegistry', ...envs.flatMap((e) => ['Cluster', 'Data', 'Dns', 'Network', 'Observability'].map((s) => `Goorm-${e}-${s}`))].sort(),
    );
  });

  it('has the same resource types and counts as the committed snapshot (deterministic synth)', () => {
    const counts = Object.fromEntries([...templates.keys()].sort().map((name) => [name, resourceCounts(t(name).toJSON())]));
    expect(counts).toMatchSnapshot();
  });

  it('never refers from the data stack to the cluster stack (the cluster can be replaced alone)', () => {
    for (const env of envs) {
      const data = JSON.stringify(t(`Goorm-${env}-Data`).toJSON());
      expect(data).not.toContain(`Goorm-${env}-Cluster`);
      const deps = platform.stacks.environments[env]!.data.dependencies.map((s) => s.stackName);
      expect(deps).not.toContain(`Goorm-${env}-Cluster`);
      // CloudWatch finds resources by name: it follows a replaced cluster, database or cache
      expect(platform.stacks.environments[env]!.observability.dependencies).toEqual([]);
    }
  });
});

describe.each(envs)('%s network', (env) => {
  it('spans three AZs with public subnets only for the ALB and no public IPs on launch', () => {
    const tpl = t(`Goorm-${env}-Network`);
    const subnets = tpl.findResources('AWS::EC2::Subnet');
    const azs = new Set(Object.values(subnets).map((s) => (s.Properties as { AvailabilityZone: string }).AvailabilityZone));
    expect(azs.size).toBe(3);
    expect(Object.keys(subnets)).toHaveLength(9);
    for (const s of Object.values(subnets)) expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
    tpl.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  it('has VPC endpoints for ECR, S3, Secrets Manager and CloudWatch', () => {
    const tpl = t(`Goorm-${env}-Network`);
    const services = Object.values(tpl.findResources('AWS::EC2::VPCEndpoint')).map((r) => JSON.stringify(r.Properties.ServiceName));
    for (const svc of ['.ecr.api', '.ecr.dkr', '.s3', '.secretsmanager', '.logs', '.monitoring']) {
      expect(services.some((s) => s.includes(svc)), svc).toBe(true);
    }
  });
});

describe.each(envs)('%s data', (env) => {
  const data = () => t(`Goorm-${env}-Data`);

  it('runs MySQL 8 Multi-AZ, private, encrypted, deletion-protected, with backups', () => {
    data().hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: Match.stringLikeRegexp('^8\\.'),
      DBInstanceIdentifier: `goorm-${env}-mysql`,
      MultiAZ: true,
      PubliclyAccessible: false,
      StorageEncrypted: true,
      KmsKeyId: Match.anyValue(),
      DeletionProtection: true,
      BackupRetentionPeriod: Match.anyValue(),
    });
    const db = only(data().findResources('AWS::RDS::DBInstance'));
    expect(db.Properties.BackupRetentionPeriod).toBeGreaterThanOrEqual(1);
    expect(db.DeletionPolicy).toBe('Snapshot');
  });

  it('puts the database and the cache in isolated subnets with no ingress of their own', () => {
    const network = t(`Goorm-${env}-Network`).toJSON() as { Resources: Record<string, { Type: string; Properties: { Tags?: { Key: string; Value: string }[] } }> };
    const isolated = Object.entries(network.Resources)
      .filter(([, r]) => r.Type === 'AWS::EC2::Subnet' && r.Properties.Tags?.some((tag) => tag.Key === 'aws-cdk:subnet-type' && tag.Value === 'Isolated'))
      .map(([id]) => id);
    expect(isolated).toHaveLength(3);
    const group = only(data().findResources('AWS::RDS::DBSubnetGroup'));
    const refs = JSON.stringify(group.Properties.SubnetIds);
    for (const id of isolated) expect(refs).toContain(id);
    for (const sg of Object.values(data().findResources('AWS::EC2::SecurityGroup'))) {
      for (const rule of (sg.Properties.SecurityGroupIngress as { CidrIp?: string }[] | undefined) ?? []) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    }
  });

  it('configures MySQL the way services/common/src/db.ts expects (READ COMMITTED, UTC, utf8mb4)', () => {
    data().hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({
        transaction_isolation: 'READ-COMMITTED',
        time_zone: 'UTC',
        character_set_server: 'utf8mb4',
        collation_server: 'utf8mb4_unicode_ci',
      }),
    });
  });

  it('generates the database credentials into goorm/<env>/db (the services\' user) and goorm/<env>/db-admin, and rotates both', () => {
    data().hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: `goorm/${env}/db`,
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
    });
    data().hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: `goorm/${env}/db-admin`,
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
    });
    data().resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
  });

  it("rotates the services' credentials with two alternating users, so a running pod's connection string stays valid", () => {
    const template = data().toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Mappings: Record<string, { aws: { applicationId: string } }> };
    const resources = Object.entries(template.Resources);
    const idOf = (type: string, test: (p: Record<string, unknown>) => boolean) => resources.find(([, r]) => r.Type === type && test(r.Properties))?.[0];
    // The services' secret is goorm_app's, with the master's ARN for the multi-user function.
    const appSecret = idOf('AWS::SecretsManager::Secret', (p) => p.Name === `goorm/${env}/db`)!;
    expect(JSON.stringify(template.Resources[appSecret]!.Properties.GenerateSecretString)).toMatch(/goorm_app.*masterarn/);
    // Its rotation schedule runs the MySQL multi-user rotation application.
    const attachment = idOf('AWS::SecretsManager::SecretTargetAttachment', (p) => JSON.stringify(p.SecretId) === JSON.stringify({ Ref: appSecret }))!;
    const schedule = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::RotationSchedule' && JSON.stringify(r.Properties.SecretId) === JSON.stringify({ Ref: attachment }))!;
    const rotationApp = (schedule[1].Properties.RotationLambdaARN as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const location = JSON.stringify(template.Resources[rotationApp]!.Properties.Location);
    const mapping = Object.entries(template.Mappings).find(([name]) => location.includes(name))!;
    expect(mapping[1].aws.applicationId).toMatch(/SecretsManagerRDSMySQLRotationMultiUser$/);
  });

  it('runs Redis as a Multi-AZ replication group with TLS, AUTH from Secrets Manager and at-rest encryption', () => {
    data().hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ReplicationGroupId: `goorm-${env}-redis`,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      KmsKeyId: Match.anyValue(),
    });
    const group = only(data().findResources('AWS::ElastiCache::ReplicationGroup'));
    expect(group.Properties.NumCacheClusters).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(group.Properties.AuthToken)).toContain('{{resolve:secretsmanager:');
    data().hasResourceProperties('AWS::SecretsManager::Secret', { Name: `goorm/${env}/redis`, GenerateSecretString: Match.objectLike({ GenerateStringKey: 'token' }) });
  });

  it('holds no secret value: every secret is generated by Secrets Manager (the JWT one a placeholder)', () => {
    data().hasResourceProperties('AWS::SecretsManager::Secret', { Name: `goorm/${env}/jwt`, GenerateSecretString: Match.anyValue() });
    for (const secret of Object.values(data().findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.GenerateSecretString).toBeDefined();
      expect(secret.Properties.KmsKeyId).toBeDefined();
    }
  });

  it('keeps Thanos blocks in an encrypted, private bucket with a lifecycle', () => {
    data().hasResourceProperties('AWS::S3::Bucket', {
      BucketName: `goorm-${env}-thanos`,
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: Match.anyValue(), Transitions: Match.anyValue() })] },
    });
    for (const bucket of Object.values(data().findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toBeDefined();
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
  });
});

describe.each(envs)('%s cluster', (env) => {
  const cluster = () => t(`Goorm-${env}-Cluster`);

  it('runs a current Kubernetes with a private endpoint, encrypted secrets and every control-plane log', () => {
    cluster().hasResourceProperties('AWS::EKS::Cluster', {
      Name: `goorm-${env}`,
      Version: '1.35',
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
      EncryptionConfig: Match.anyValue(),
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({ Type: type })) } },
    });
  });

  it('installs the managed add-ons, Container Insights among them', () => {
    const addons = Object.values(cluster().findResources('AWS::EKS::Addon')).map((a) => a.Properties.AddonName);
    expect(addons.sort()).toEqual(['amazon-cloudwatch-observability', 'aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
  });

  it("enforces NetworkPolicies (the VPC CNI's network policy agent), which gitops/ relies on", () => {
    const cni = Object.values(cluster().findResources('AWS::EKS::Addon', { Properties: { AddonName: 'vpc-cni' } }))[0]!;
    expect(JSON.parse(cni.Properties.ConfigurationValues as string)).toMatchObject({ enableNetworkPolicy: 'true' });
  });

  it('sizes the managed node group from the environment config (prod within the capacity model)', () => {
    const sizes = platform.config.environments.find((e) => e.name === env)!.sizes.nodes;
    cluster().hasResourceProperties('AWS::EKS::Nodegroup', {
      ScalingConfig: { MinSize: sizes.minSize, DesiredSize: sizes.desiredSize, MaxSize: sizes.maxSize },
      InstanceTypes: sizes.instanceTypes,
    });
    if (env === 'prod') {
      // docs/capacity.md: 30,000 students at once
      const plan = PROD_PLAN;
      expect(sizes.maxSize).toBeGreaterThanOrEqual(plan.peakNodes);
      expect(sizes.minSize).toBeGreaterThanOrEqual(plan.baselineNodes);
      expect(vcpuOfInstanceClass(sizes.instanceTypes[0]!)).toBe(ASSUMED.nodeVcpu);
      const prod = platform.config.environments.find((e) => e.name === 'prod')!;
      expect(vcpuOfInstanceClass(prod.sizes.dbInstanceClass)).toBeGreaterThanOrEqual(plan.dbVcpu);
      const cache = REDIS_NODE_OPS.find((n) => n.nodeType === prod.sizes.cacheNodeType);
      expect(cache, `${prod.sizes.cacheNodeType} is not in the model's Redis table`).toBeDefined();
      expect(plan.redisOpsPerSecond).toBeLessThanOrEqual(cache!.opsPerSecond * ASSUMED.redisTargetUtilization);
    }
  });

  it('associates the agreed service accounts with Pod Identity roles', () => {
    const pairs = Object.values(cluster().findResources('AWS::EKS::PodIdentityAssociation')).map((a) => `${a.Properties.Namespace}/${a.Properties.ServiceAccount}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        'monitoring/kube-prometheus-stack-prometheus',
        'monitoring/thanos-storegateway',
        'monitoring/thanos-compactor',
        'kube-system/aws-load-balancer-controller',
        'external-secrets/external-secrets',
      ]),
    );
    for (const role of Object.values(cluster().findResources('AWS::IAM::Role'))) {
      const doc = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
      if (doc.includes('pods.eks.amazonaws.com')) expect(doc).toContain('sts:TagSession');
    }
  });

  it('lets External Secrets read only the apps\' three secrets (not the database master) and Thanos only its bucket', () => {
    const policies = JSON.stringify(cluster().findResources('AWS::IAM::Policy'));
    for (const what of ['db', 'redis', 'jwt']) expect(policies).toContain(`secret:goorm/${env}/${what}-??????`);
    expect(policies).not.toContain(`secret:goorm/${env}/*`);
    expect(policies).not.toContain('db-admin');
    expect(policies).not.toMatch(/secret:\*"/);
    expect(policies).toContain(`goorm-${env}-thanos`);
  });

  it('bootstraps Argo CD from its pinned Helm chart and points the app-of-apps at gitops/argocd', () => {
    cluster().hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: ARGO_CD_CHART.chart, Version: ARGO_CD_CHART.version, Repository: ARGO_CD_CHART.repository });
    const manifests = JSON.stringify(cluster().findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests).toContain('gitops/argocd');
    expect(manifests).toContain(platform.config.gitopsRepoUrl);
  });

  it('opens MySQL and Redis to the cluster security group only', () => {
    const rules = Object.values(cluster().findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect(rules.filter((r) => r.FromPort === 3306 || r.FromPort === 6379)).toHaveLength(2);
    for (const r of rules.filter((x) => x.FromPort === 3306 || x.FromPort === 6379)) expect(r.CidrIp).toBeUndefined();
  });
});

describe('registry', () => {
  it('has one repository goorm/<name> per service and app, scanning on push with immutable tags and a lifecycle', () => {
    const repos = Object.values(t('GoormRegistry').findResources('AWS::ECR::Repository')).map((r) => r.Properties);
    expect(repos.map((r) => r.RepositoryName).sort()).toEqual(IMAGE_NAMES.map((n) => `goorm/${n}`).sort());
    for (const r of repos) {
      expect(r.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
      expect(r.ImageTagMutability).toBe('IMMUTABLE');
      expect(r.LifecyclePolicy).toBeDefined();
    }
  });
});

describe.each(envs)('%s DNS', (env) => {
  it('issues a DNS-validated certificate for the host in the zone from context', () => {
    const config = platform.config.environments.find((e) => e.name === env)!;
    t(`Goorm-${env}-Dns`).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: config.host,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: config.host, HostedZoneId: config.hostedZoneId }],
    });
  });
});

describe.each(envs)('%s CloudWatch', (env) => {
  it('builds the dashboard from SEARCH expressions only, none naming a node', () => {
    const dashboards = Object.values(t(`Goorm-${env}-Observability`).findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const json = JSON.parse(joinBody(only(dashboards).Properties.DashboardBody));
    expect(nodeDimensionsIn(json)).toEqual([]);
    const metrics = json.widgets.flatMap((w: { properties: { metrics?: unknown[][] } }) => w.properties.metrics ?? []);
    expect(metrics.length).toBeGreaterThan(10);
    for (const m of metrics) expect((m[0] as { expression: string }).expression).toMatch(/^SEARCH\('\{/);
  });
});

/** The one value of a findResources answer. */
function only<T>(found: Record<string, T> | T[]): T {
  const values = Array.isArray(found) ? found : Object.values(found);
  if (values.length !== 1 || values[0] === undefined) throw new Error(`expected one resource, found ${values.length}`);
  return values[0];
}

/** A DashboardBody is a string or an Fn::Join of strings and region/account tokens. */
function joinBody(body: unknown): string {
  if (typeof body === 'string') return body;
  const join = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(join[0]);
}
