import { Stack, type StackProps, CfnOutput } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';

export interface DnsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * The public host's certificate, validated by DNS in the zone given in context (imported by id
 * and name, no lookup), and a CAA record that lets only Amazon issue for it. The host's alias
 * record points at the ALB the controller makes, so external-dns (role in the cluster stack,
 * limited to this zone) writes it from the Ingress.
 */
export class DnsStack extends Stack {
  readonly certificate: acm.Certificate;

  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZoneId,
      zoneName: config.hostedZoneName,
    });
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: config.host,
      certificateName: `goorm-${config.name}`,
      validation: acm.CertificateValidation.fromDns(zone),
    });
    new route53.CaaAmazonRecord(this, 'Caa', { zone, recordName: config.host });
    // The Ingress references the certificate by ARN (alb.ingress.kubernetes.io/certificate-arn),
    // or the controller discovers it by host; either way the ARN is an output, never committed.
    new CfnOutput(this, 'CertificateArn', { value: this.certificate.certificateArn, exportName: `goorm-${config.name}-certificate-arn` });
  }
}
