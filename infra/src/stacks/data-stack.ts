import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { type EnvironmentConfig, names } from '../config.js';
import { acknowledge, managedPolicy } from '../nag.js';

export interface DataStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
}

/**
 * What outlives a cluster: the MySQL database, Redis, the Thanos bucket and the secrets. Nothing
 * here refers to the cluster; the cluster stack opens the data security groups to its own nodes,
 * so replacing the cluster stack never touches this one.
 */
export class DataStack extends Stack {
  readonly key: kms.Key;
  readonly database: rds.DatabaseInstance;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  readonly cacheSecurityGroup: ec2.SecurityGroup;
  readonly cache: elasticache.CfnReplicationGroup;
  readonly thanosBucket: s3.Bucket;
  readonly dbSecret: secretsmanager.ISecret;
  readonly redisSecret: secretsmanager.Secret;
  readonly jwtSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, vpc } = props;
    const n = names(config.name);
    const sizes = config.sizes;
    const dataSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    this.key = new kms.Key(this, 'DataKey', {
      alias: `alias/${n.prefix}-data`,
      description: `Encrypts the ${config.name} database, cache, secrets and Thanos blocks`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- MySQL 8 (RDS), Multi-AZ, private, encrypted -------------------------------------------
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSg', {
      vpc,
      description: 'MySQL: ingress is added by the cluster stack (its nodes) and the rotation function only',
      allowAllOutbound: false,
    });
    // What services/common/src/db.ts sets per session, made the server's default too (docs/decisions/0003).
    const parameterGroup = new rds.ParameterGroup(this, 'MysqlParameters', {
      engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_7 }),
      description: 'goorm: READ COMMITTED, UTC, utf8mb4',
      parameters: {
        transaction_isolation: 'READ-COMMITTED',
        time_zone: 'UTC',
        character_set_server: 'utf8mb4',
        collation_server: 'utf8mb4_unicode_ci',
        // deadlocks are retried by withTransaction; their details go to the error log for the runbook
        innodb_print_all_deadlocks: '1',
      },
    });
    this.database = new rds.DatabaseInstance(this, 'Mysql', {
      instanceIdentifier: n.dbInstanceId,
      engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_7 }),
      instanceType: new ec2.InstanceType(sizes.dbInstanceClass),
      vpc,
      vpcSubnets: dataSubnets,
      securityGroups: [this.databaseSecurityGroup],
      publiclyAccessible: false,
      multiAz: true,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      storageType: rds.StorageType.GP3,
      allocatedStorage: sizes.dbAllocatedStorageGiB,
      maxAllocatedStorage: sizes.dbMaxAllocatedStorageGiB,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      backupRetention: Duration.days(sizes.dbBackupRetentionDays),
      preferredBackupWindow: '17:00-18:00', // 02:00-03:00 KST
      preferredMaintenanceWindow: 'sun:18:00-sun:19:00',
      copyTagsToSnapshot: true,
      databaseName: 'goorm',
      credentials: rds.Credentials.fromGeneratedSecret('goorm_admin', {
        secretName: n.secret('db-admin'),
        encryptionKey: this.key,
      }),
      parameterGroup,
      iamAuthentication: true,
      cloudwatchLogsExports: ['error', 'slowquery'],
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.key,
      monitoringInterval: Duration.seconds(60),
      autoMinorVersionUpgrade: true,
    });
    // The master user (goorm/<env>/db-admin) is for people and the rotation function only; it rotates alone.
    this.database.addRotationSingleUser({
      automaticallyAfter: Duration.days(30),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    // The services connect as goorm_app (goorm/<env>/db, created once at bootstrap: gitops/README.md).
    // Multi-user rotation alternates goorm_app and goorm_app_clone: the credentials a running pod read
    // at start stay valid until the rotation after next, while External Secrets (15 min) hands new pods
    // the current ones. A single-user rotation would break every new connection of running pods at once.
    this.dbSecret = new rds.DatabaseSecret(this, 'AppUserSecret', {
      username: 'goorm_app',
      secretName: n.secret('db'),
      masterSecret: this.database.secret!,
      encryptionKey: this.key,
    }).attach(this.database);
    this.database.addRotationMultiUser('AppUser', {
      secret: this.dbSecret,
      automaticallyAfter: Duration.days(30),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    acknowledge(this.database, 'AwsSolutions-IAM4', [managedPolicy('service-role/AmazonRDSEnhancedMonitoringRole')],
      'Enhanced Monitoring\'s role uses the AWS-managed policy RDS documents for it (it only writes to the RDSOSMetrics log group).');
    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason: 'The default port 3306 is kept: the database is reachable only from the cluster nodes and the rotation function by security group, a different port adds nothing.',
    });

    // --- Redis (ElastiCache replication group), Multi-AZ, TLS, AUTH, at-rest encryption ---------
    this.cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSg', {
      vpc,
      description: 'Redis: ingress is added by the cluster stack (its nodes) only',
      allowAllOutbound: false,
    });
    this.redisSecret = new secretsmanager.Secret(this, 'RedisAuth', {
      secretName: n.secret('redis'),
      description: `ElastiCache AUTH token of ${n.cacheGroupId}`,
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'default' }),
        generateStringKey: 'token',
        // AUTH tokens allow printable ASCII but not @ " / and spaces; letters and digits only is simplest.
        excludePunctuation: true,
        passwordLength: 64,
      },
    });
    Validations.of(this.redisSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'An ElastiCache AUTH token rotates with modify-replication-group --auth-token-update-strategy ROTATE then SET (both tokens valid meanwhile); the runbook does it by hand, there is no managed rotation function for it.',
    });
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: `${n.cacheGroupId} data subnets`,
      subnetIds: vpc.selectSubnets(dataSubnets).subnetIds,
    });
    this.cache = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupId: n.cacheGroupId,
      replicationGroupDescription: `goorm ${config.name}: waiting room and rate limits`,
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: sizes.cacheNodeType,
      numCacheClusters: 1 + sizes.cacheReplicas,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: this.key.keyArn,
      authToken: this.redisSecret.secretValueFromJson('token').unsafeUnwrap(), // a dynamic reference, resolved by CloudFormation
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.cacheSecurityGroup.securityGroupId],
      port: 6379,
      snapshotRetentionLimit: 7,
      snapshotWindow: '17:00-18:00',
      preferredMaintenanceWindow: 'sun:19:00-sun:20:00',
      autoMinorVersionUpgrade: true,
    });
    this.cache.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.cache).acknowledge({
      id: 'AwsSolutions-AEC5',
      reason: 'The default port 6379 is kept: the cache is reachable from the cluster nodes only by security group; TLS and AUTH are required.',
    });
    // Hosts are configuration, not secrets: External Secrets reads them with the secrets (goorm/<env>/*).
    new ssm.StringParameter(this, 'RedisHost', {
      parameterName: `/goorm/${config.name}/redis/host`,
      stringValue: this.cache.attrPrimaryEndPointAddress,
    });

    // --- The JWT signing key pair: a placeholder generated by Secrets Manager --------------------
    // Secrets Manager cannot generate an RSA/EC key pair; operators put the real PEMs in before the
    // first sync (README, Deploying). The code never holds a value.
    this.jwtSecret = new secretsmanager.Secret(this, 'Jwt', {
      secretName: n.secret('jwt'),
      description: 'JWT signing key pair (privateKey, publicKey PEM); replace the generated placeholder before first use',
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ privateKey: '', publicKey: '' }),
        generateStringKey: 'placeholder',
        passwordLength: 32,
      },
    });
    Validations.of(this.jwtSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the signing key needs a key rollover in auth (publish the next public key before signing with it); it is an operator procedure until auth supports key ids.',
    });

    // --- Thanos object storage ------------------------------------------------------------------
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      bucketName: `${n.prefix}-s3-access-logs`,
      encryption: s3.BucketEncryption.S3_MANAGED, // S3 server access logging can only write SSE-S3 targets
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });
    this.thanosBucket = new s3.Bucket(this, 'Thanos', {
      bucketName: n.thanosBucket,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'thanos/',
      lifecycleRules: [
        {
          id: 'thanos-blocks',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(sizes.thanosInfrequentAccessDays) },
          ],
          // a backstop a few days past the compactor's longest retention (it deletes blocks itself)
          expiration: Duration.days(sizes.thanosExpireDays),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
