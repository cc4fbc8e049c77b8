import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type PlatformConfig, parsePlatformConfig } from './config.js';
import { ClusterStack } from './stacks/cluster-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { DnsStack } from './stacks/dns-stack.js';
import { NetworkStack } from './stacks/network-stack.js';
import { ObservabilityStack } from './stacks/observability-stack.js';
import { RegistryStack } from './stacks/registry-stack.js';

export interface PlatformStacks {
  registry: RegistryStack;
  environments: Record<string, { network: NetworkStack; data: DataStack; cluster: ClusterStack; dns: DnsStack; observability: ObservabilityStack }>;
}

/**
 * Builds the whole platform: the shared registry, then for each environment (staging, prod) from
 * the same code and its own sizes: Network → Data → Cluster, and Dns and Observability beside them.
 * cdk-nag's AwsSolutions pack validates every stack at synth.
 */
export function buildPlatform(props: AppProps = {}): { app: App; config: PlatformConfig; stacks: PlatformStacks } {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const config = parsePlatformConfig((key) => app.node.tryGetContext(key));
  Tags.of(app).add('Project', 'goorm-sugang');

  const registry = new RegistryStack(app, 'GoormRegistry', {
    env: { account: config.registry.account, region: config.registry.region },
    registry: config.registry,
    description: 'goorm: ECR repositories shared by every environment',
  });
  const environments: PlatformStacks['environments'] = {};
  for (const envConfig of config.environments) {
    const env = { account: envConfig.account, region: envConfig.region };
    const id = (part: string) => `Goorm-${envConfig.name}-${part}`;
    const network = new NetworkStack(app, id('Network'), { env, config: envConfig, description: `goorm ${envConfig.name}: VPC` });
    const data = new DataStack(app, id('Data'), {
      env,
      config: envConfig,
      vpc: network.vpc,
      description: `goorm ${envConfig.name}: MySQL, Redis, Thanos bucket, secrets (kept across cluster replacement)`,
      terminationProtection: envConfig.name === 'prod',
    });
    const cluster = new ClusterStack(app, id('Cluster'), {
      env,
      config: envConfig,
      vpc: network.vpc,
      dataKey: data.key,
      databaseSecurityGroup: data.databaseSecurityGroup,
      cacheSecurityGroup: data.cacheSecurityGroup,
      gitopsRepoUrl: config.gitopsRepoUrl,
      gitopsRevision: config.gitopsRevision,
      description: `goorm ${envConfig.name}: EKS, add-ons, Pod Identity, Argo CD bootstrap`,
    });
    const dns = new DnsStack(app, id('Dns'), { env, config: envConfig, description: `goorm ${envConfig.name}: certificate for ${envConfig.host}` });
    const observability = new ObservabilityStack(app, id('Observability'), {
      env,
      config: envConfig,
      description: `goorm ${envConfig.name}: CloudWatch dashboards and alarms`,
    });
    for (const stack of [network, data, cluster, dns, observability]) Tags.of(stack).add('Environment', envConfig.name);
    environments[envConfig.name] = { network, data, cluster, dns, observability };
  }
  return { app, config, stacks: { registry, environments } };
}
