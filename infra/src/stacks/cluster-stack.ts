import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Aws, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { CfnAddon, CfnPodIdentityAssociation } from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { type EnvironmentConfig, names } from '../config.js';
import { acknowledge, managedPolicy } from '../nag.js';

/** Kubernetes version of the control plane; the kubectl layer in context must match it (kubectl-v35). */
export const KUBERNETES_VERSION = eks.KubernetesVersion.V1_35;
/** The Argo CD Helm chart the cluster installs (argo-helm `argo-cd`), pinned. */
export const ARGO_CD_CHART = { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '9.1.0' } as const;
/** The AWS Load Balancer Controller release whose IAM policy the controller's role gets (the chart is in gitops/). */
export const ALB_CONTROLLER_POLICY_VERSION = 'v2.17.1';

/** The Pod Identity associations other folders rely on (gitops/ installs the charts that use them). */
export const POD_IDENTITIES = {
  prometheus: { namespace: 'monitoring', serviceAccount: 'kube-prometheus-stack-prometheus' },
  thanosStore: { namespace: 'monitoring', serviceAccount: 'thanos-storegateway' },
  thanosCompactor: { namespace: 'monitoring', serviceAccount: 'thanos-compactor' },
  albController: { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller' },
  externalSecrets: { namespace: 'external-secrets', serviceAccount: 'external-secrets' },
  clusterAutoscaler: { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler' },
  externalDns: { namespace: 'external-dns', serviceAccount: 'external-dns' },
} as const;

export interface ClusterStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  readonly dataKey: kms.IKey;
  readonly databaseSecurityGroup: ec2.ISecurityGroup;
  readonly cacheSecurityGroup: ec2.ISecurityGroup;
  readonly gitopsRepoUrl: string;
  readonly gitopsRevision: string;
}

/**
 * The EKS cluster: private endpoint, all control-plane logs, managed node group sized by
 * capacity.ts, managed add-ons (VPC CNI, CoreDNS, kube-proxy, Pod Identity agent, EBS CSI,
 * CloudWatch Observability), the Pod Identity roles the platform charts use, and the Argo CD
 * bootstrap pointed at gitops/argocd. Replaceable: the data stack does not refer to it.
 */
export class ClusterStack extends Stack {
  readonly cluster: eks.Cluster;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const { config, vpc } = props;
    const n = names(config.name);
    const nodeSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    const secretsKey = new kms.Key(this, 'SecretsKey', {
      alias: `alias/${n.prefix}-eks-secrets`,
      description: `Envelope encryption of Kubernetes secrets in ${n.clusterName}`,
      enableKeyRotation: true,
    });
    // The endpoint is private: the kubectl provider runs in the node subnets and is let in on 443.
    const kubectlSg = new ec2.SecurityGroup(this, 'KubectlProviderSg', { vpc, description: 'kubectl provider function' });
    const controlPlaneSg = new ec2.SecurityGroup(this, 'ControlPlaneSg', { vpc, description: 'EKS control plane (extra)' });
    controlPlaneSg.addIngressRule(kubectlSg, ec2.Port.tcp(443), 'kubectl provider to the API server');

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: n.clusterName,
      version: KUBERNETES_VERSION,
      vpc,
      vpcSubnets: [nodeSubnets],
      securityGroup: controlPlaneSg,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      bootstrapSelfManagedAddons: false, // the managed add-ons below replace them
      secretsEncryptionKey: secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
      kubectlProviderOptions: {
        kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(this, 'KubectlLayer', config.kubectlLayerArn),
        privateSubnets: vpc.selectSubnets(nodeSubnets).subnets,
        securityGroups: [kubectlSg],
      },
    });
    Validations.of(this.cluster).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: 'EncryptionConfig.Resources is what the aws-eks-v2 L2 writes (["secrets"]); the deprecation is in the schema only and the property is still required by the EKS API.',
    });
    config.clusterAdminRoleArns.forEach((arn, i) => {
      this.cluster.grantAccess(`Admin${i}`, arn, [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
      ]);
    });

    // Pods reach the data layer: the rules live here, so the data stack never names the cluster.
    const clusterSgId = this.cluster.clusterSecurityGroupId;
    new ec2.CfnSecurityGroupIngress(this, 'NodesToMysql', {
      groupId: props.databaseSecurityGroup.securityGroupId,
      sourceSecurityGroupId: clusterSgId,
      ipProtocol: 'tcp',
      fromPort: 3306,
      toPort: 3306,
      description: `${n.clusterName} pods to MySQL`,
    });
    new ec2.CfnSecurityGroupIngress(this, 'NodesToRedis', {
      groupId: props.cacheSecurityGroup.securityGroupId,
      sourceSecurityGroupId: clusterSgId,
      ipProtocol: 'tcp',
      fromPort: 6379,
      toPort: 6379,
      description: `${n.clusterName} pods to Redis`,
    });

    // --- Add-ons (managed, versions chosen by EKS for the cluster version) ----------------------
    const addon = (name: string, extra: Partial<{ podIdentityAssociations: CfnAddon.PodIdentityAssociationProperty[]; configurationValues: string }> = {}) =>
      new CfnAddon(this, `Addon-${name}`, { clusterName: this.cluster.clusterName, addonName: name, resolveConflicts: 'OVERWRITE', ...extra });
    // The VPC CNI enforces Kubernetes NetworkPolicies only when asked to: gitops/ relies on them
    // (default deny in the goorm namespace, the database and Redis reachable only from their services).
    const vpcCni = addon('vpc-cni', { configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) });
    const kubeProxy = addon('kube-proxy');
    const podIdentityAgent = addon('eks-pod-identity-agent');

    const sizes = config.sizes.nodes;
    const nodes = this.cluster.addNodegroupCapacity('Services', {
      nodegroupName: 'services',
      instanceTypes: sizes.instanceTypes.map((t) => new ec2.InstanceType(t)),
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      capacityType: eks.CapacityType.ON_DEMAND,
      minSize: sizes.minSize,
      desiredSize: sizes.desiredSize,
      maxSize: sizes.maxSize,
      subnets: nodeSubnets,
      diskSize: 50,
      labels: { 'goorm.ac.kr/pool': 'services' },
      enableNodeAutoRepair: true,
      maxUnavailable: 1,
    });
    // Nodes only become Ready with the CNI: it goes first.
    nodes.node.addDependency(vpcCni, kubeProxy, podIdentityAgent);
    const coreDns = addon('coredns');
    coreDns.node.addDependency(nodes);

    const ebsCsiRole = this.podRole('EbsCsiRole', 'EBS CSI driver');
    ebsCsiRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy'));
    const ebsCsi = addon('aws-ebs-csi-driver', {
      podIdentityAssociations: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: ebsCsiRole.roleArn }],
    });
    ebsCsi.node.addDependency(nodes);
    const cwAgentRole = this.podRole('CloudWatchAgentRole', 'CloudWatch agent (Container Insights)');
    cwAgentRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'));
    const observability = addon('amazon-cloudwatch-observability', {
      podIdentityAssociations: [{ serviceAccount: 'cloudwatch-agent', roleArn: cwAgentRole.roleArn }],
    });
    observability.node.addDependency(nodes);
    const addonPolicyReason = 'The AWS-managed policy is the one the EKS add-on documents; AWS keeps it current with the add-on.';
    acknowledge(ebsCsiRole, 'AwsSolutions-IAM4', [managedPolicy('service-role/AmazonEBSCSIDriverPolicy')], addonPolicyReason);
    acknowledge(cwAgentRole, 'AwsSolutions-IAM4', [managedPolicy('CloudWatchAgentServerPolicy')], addonPolicyReason);

    // --- Pod Identity roles of the platform charts (installed from gitops/) ---------------------
    // By name (and the data key): no export from the data stack that would pin it to this cluster.
    const bucket = s3.Bucket.fromBucketAttributes(this, 'ThanosBucket', { bucketName: n.thanosBucket, encryptionKey: props.dataKey });
    const prometheus = this.associate('Prometheus', POD_IDENTITIES.prometheus, 'Thanos sidecar: upload blocks');
    bucket.grantRead(prometheus);
    bucket.grantPut(prometheus);
    const store = this.associate('ThanosStore', POD_IDENTITIES.thanosStore, 'Thanos store gateway: read blocks');
    bucket.grantRead(store);
    const compactor = this.associate('ThanosCompactor', POD_IDENTITIES.thanosCompactor, 'Thanos compactor: compact, downsample, delete');
    bucket.grantReadWrite(compactor);
    bucket.grantDelete(compactor);
    const thanosFindings = [
      `Resource::arn:<AWS::Partition>:s3:::${n.thanosBucket}/*`,
      ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((a) => `Action::${a}`),
    ];
    for (const role of [prometheus, store, compactor]) {
      acknowledge(role, 'AwsSolutions-IAM5', thanosFindings,
        'Thanos reads and writes block objects under keys it makes itself (ULID prefixes), so objects are bucket/*; every action is limited to the one Thanos bucket and its KMS key (CDK\'s grantRead/grantPut/grantDelete).');
    }

    const alb = this.associate('AlbController', POD_IDENTITIES.albController, 'AWS Load Balancer Controller');
    const albPolicy = new iam.Policy(this, 'AlbControllerPolicy', { document: albControllerPolicy() });
    alb.attachInlinePolicy(albPolicy);
    acknowledge(
      albPolicy,
      'AwsSolutions-IAM5',
      [
        'Resource::*',
        'Resource::arn:<AWS::Partition>:ec2:*:*:security-group/*',
        ...['listener-rule/app/*/*/*', 'listener-rule/net/*/*/*', 'listener/app/*/*/*', 'listener/net/*/*/*', 'loadbalancer/app/*/*', 'loadbalancer/net/*/*', 'targetgroup/*/*'].map(
          (r) => `Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:${r}`,
        ),
      ],
      'The AWS Load Balancer Controller\'s published policy: it describes resources and acts on load balancers, target groups and security groups it creates at run time; its mutating statements are conditioned on the elbv2.k8s.aws/cluster tag.',
    );

    const secrets = this.associate('ExternalSecrets', POD_IDENTITIES.externalSecrets, 'External Secrets: goorm/<env>/{db,redis,jwt}');
    // Exactly the secrets the apps read: the name plus Secrets Manager's random six-character suffix.
    // Not goorm/<env>/* : that would include the database master's goorm/<env>/db-admin.
    const appSecretArns = (['db', 'redis', 'jwt'] as const).map((what) => `arn:${Aws.PARTITION}:secretsmanager:${this.region}:${this.account}:secret:goorm/${config.name}/${what}-??????`);
    secrets.addToPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: appSecretArns,
      }),
    );
    secrets.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [`arn:${Aws.PARTITION}:ssm:${this.region}:${this.account}:parameter/goorm/${config.name}/*`],
      }),
    );
    props.dataKey.grantDecrypt(secrets);
    acknowledge(
      secrets,
      'AwsSolutions-IAM5',
      [
        ...(['db', 'redis', 'jwt'] as const).map((what) => `Resource::arn:<AWS::Partition>:secretsmanager:${config.region}:${config.account}:secret:goorm/${config.name}/${what}-??????`),
        `Resource::arn:<AWS::Partition>:ssm:${config.region}:${config.account}:parameter/goorm/${config.name}/*`,
      ],
      'Read-only on the three secrets the apps read (the ?????? is the random suffix Secrets Manager appends to every secret ARN, so this is each exact secret) and on the environment\'s parameter prefix goorm/<env>/*.',
    );

    const autoscaler = this.associate('ClusterAutoscaler', POD_IDENTITIES.clusterAutoscaler, 'cluster-autoscaler');
    autoscaler.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
          'eks:DescribeNodegroup',
        ],
        resources: ['*'],
      }),
    );
    autoscaler.addToPolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: ['*'],
        conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${n.clusterName}`]: 'owned' } },
      }),
    );

    const dns = this.associate('ExternalDns', POD_IDENTITIES.externalDns, `external-dns: records in ${config.hostedZoneName}`);
    dns.addToPolicy(
      new iam.PolicyStatement({
        actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        resources: [`arn:${Aws.PARTITION}:route53:::hostedzone/${config.hostedZoneId}`],
      }),
    );
    dns.addToPolicy(new iam.PolicyStatement({ actions: ['route53:ListHostedZones'], resources: ['*'] }));
    acknowledge(dns, 'AwsSolutions-IAM5', ['Resource::*'], 'route53:ListHostedZones has no resource-level permission; changes are limited to the one hosted zone.');
    acknowledge(autoscaler, 'AwsSolutions-IAM5', ['Resource::*'],
      'cluster-autoscaler\'s documented policy: describe calls have no resource-level permission; SetDesiredCapacity/Terminate are conditioned on the cluster\'s owned tag.');

    // --- Argo CD bootstrap ------------------------------------------------------------------------
    const argo = this.cluster.addHelmChart('ArgoCd', {
      ...ARGO_CD_CHART,
      release: 'argocd',
      namespace: 'argocd',
      createNamespace: true,
      wait: true,
      timeout: Duration.minutes(15),
      values: {
        global: { domain: `argocd.${config.host}` },
        configs: { params: { 'server.insecure': false } },
        server: { service: { type: 'ClusterIP' } }, // reached by port-forward or SSO ingress later, never public by default
      },
    });
    // The in-cluster destination, labelled with the environment: gitops/argocd's ApplicationSet
    // (a clusters generator) reads `environment` to pick apps/*/overlays/<env>.
    const inCluster = this.cluster.addManifest('ArgoInCluster', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'in-cluster',
        namespace: 'argocd',
        labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: config.name },
      },
      stringData: { name: 'in-cluster', server: 'https://kubernetes.default.svc' },
    });
    inCluster.node.addDependency(argo);
    const appOfApps = this.cluster.addManifest('ArgoAppOfApps', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'goorm-bootstrap', namespace: 'argocd', labels: { environment: config.name } },
      spec: {
        project: 'default',
        source: { repoURL: props.gitopsRepoUrl, targetRevision: props.gitopsRevision, path: 'gitops/argocd' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
      },
    });
    appOfApps.node.addDependency(argo);
    appOfApps.node.addDependency(nodes);

    // CDK's own machinery (the kubectl provider, its custom-resource framework, the node role).
    acknowledge(
      this,
      'AwsSolutions-IAM4',
      [
        ...['AmazonEKSClusterPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy'].map(managedPolicy),
        ...['service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaVPCAccessExecutionRole'].map(managedPolicy),
        // the kubectl handler's conditional ECR Public policy, as cdk-nag prints it
        'Policy::{"Fn::If":["ClusterKubectlProviderHandlerHasEcrPublic69E09706",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}',
      ],
      'The cluster role, the node role and CDK\'s kubectl/custom-resource provider roles use the AWS-managed policies EKS and Lambda document for them.',
    );
    acknowledge(this, 'AwsSolutions-IAM5', ['Resource::<ClusterKubectlProviderHandler2E05C68A.Arn>:*'],
      'CDK\'s provider framework may invoke any version of its own kubectl handler function (function ARN + :*).');
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The kubectl provider and custom-resource provider functions are CDK\'s, on the runtime this aws-cdk-lib release pins.',
    });
  }

  /** A role pods assume through EKS Pod Identity. */
  private podRole(id: string, what: string): iam.Role {
    return new iam.Role(this, id, {
      description: `${this.cluster.clusterName}: ${what}`,
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    });
  }

  /** A Pod Identity role and its association with namespace/serviceAccount. */
  private associate(id: string, sa: { namespace: string; serviceAccount: string }, what: string): iam.Role {
    const role = this.podRole(`${id}Role`, what);
    new CfnPodIdentityAssociation(this, `${id}PodIdentity`, {
      clusterName: this.cluster.clusterName,
      namespace: sa.namespace,
      serviceAccount: sa.serviceAccount,
      roleArn: role.roleArn,
    });
    return role;
  }
}

/** The controller's published IAM policy, as vendored by aws-cdk-lib for this controller version. */
function albControllerPolicy(): iam.PolicyDocument {
  const require = createRequire(import.meta.url);
  const eksV2Dir = dirname(require.resolve('aws-cdk-lib/aws-eks-v2'));
  const file = join(eksV2Dir, 'lib', 'addons', `alb-iam_policy-${ALB_CONTROLLER_POLICY_VERSION}.json`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { Statement: Record<string, unknown>[] };
  const rewrite = (r: unknown): unknown =>
    typeof r === 'string' ? r.replace('arn:aws:', `arn:${Aws.PARTITION}:`) : Array.isArray(r) ? r.map(rewrite) : r;
  return iam.PolicyDocument.fromJson({
    Version: '2012-10-17',
    Statement: json.Statement.map((s) => ({ ...s, Resource: rewrite(s.Resource) })),
  });
}
