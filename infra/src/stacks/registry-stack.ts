import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { IMAGE_NAMES, type RegistryConfig } from '../config.js';

export interface RegistryStackProps extends StackProps {
  readonly registry: RegistryConfig;
}

/**
 * One ECR repository `goorm/<name>` per service and app, shared by both environments: Jenkins
 * builds an image once per commit and staging and prod run the very same digest (a repository
 * name exists once per account and region, so it cannot live in each environment's stacks).
 */
export class RegistryStack extends Stack {
  readonly repositories: Record<string, ecr.Repository> = {};

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    for (const name of IMAGE_NAMES) {
      const repo = new ecr.Repository(this, `Repo-${name}`, {
        repositoryName: `goorm/${name}`,
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        encryption: ecr.RepositoryEncryption.KMS,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [
          { description: 'drop untagged layers after a day', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1), rulePriority: 1 },
          // images are tagged with the commit sha; keep enough to roll back well past a term
          { description: 'keep the last 200 commits', tagStatus: ecr.TagStatus.ANY, maxImageCount: 200, rulePriority: 2 },
        ],
      });
      for (const account of props.registry.pullAccounts) {
        if (account === this.account) continue;
        repo.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: `pull-${account}`,
            principals: [new iam.AccountPrincipal(account)],
            actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          }),
        );
      }
      this.repositories[name] = repo;
    }
  }
}
