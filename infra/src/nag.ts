import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings one by one. AwsSolutions-IAM4/IAM5 report one finding per managed
 * policy, action or resource (`AwsSolutions-IAM5[Action::s3:List*]`), and an acknowledgement must
 * name the finding: a bare rule id does not cover them, which keeps each wildcard visible here.
 */
export function acknowledge(scope: IConstruct, rule: string, findings: string[], reason: string): void {
  if (findings.length === 0) {
    Validations.of(scope).acknowledge({ id: rule, reason });
    return;
  }
  for (const finding of findings) Validations.of(scope).acknowledge({ id: `${rule}[${finding}]`, reason });
}

export const managedPolicy = (name: string) => `Policy::arn:<AWS::Partition>:iam::aws:policy/${name}`;
