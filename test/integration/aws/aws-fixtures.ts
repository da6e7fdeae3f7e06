/**
 * AWS-shaped data and clients for the AWS adapter tests: an Inspector2 finding in the JSON wire
 * format (timestamps as epoch seconds, as the service sends them), SDK clients pointed at moto,
 * and service exceptions as the SDK raises them.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import { MOTO_CREDENTIALS, MOTO_REGION } from '../../support/moto.js';

export const SECONDS = (iso: string): number => Date.parse(iso) / 1000;

/** A PACKAGE_VULNERABILITY finding as ListFindings sends it on the wire. */
export function wireFinding(instanceId: string, n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    awsAccountId: '123456789012',
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${instanceId}-${n}`,
    type: 'PACKAGE_VULNERABILITY',
    severity: 'HIGH',
    status: 'ACTIVE',
    title: `CVE-2024-${6000 + n} - openssh-server`,
    description: 'a vulnerability',
    inspectorScore: 8.1,
    inspectorScoreDetails: { adjustedCvss: { score: 8.1, scoreSource: 'NVD', scoringVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', version: '3.1' } },
    epss: { score: 0.42 },
    exploitAvailable: 'YES',
    exploitabilityDetails: { lastKnownExploitAt: SECONDS('2026-10-01T00:00:00Z') },
    fixAvailable: 'YES',
    firstObservedAt: SECONDS('2026-10-20T08:00:00Z'),
    lastObservedAt: SECONDS('2026-11-20T08:00:00Z'),
    updatedAt: SECONDS('2026-11-20T08:00:00Z'),
    packageVulnerabilityDetails: {
      vulnerabilityId: `CVE-2024-${6000 + n}`,
      source: 'NVD',
      cvss: [{ baseScore: 8.1, scoringVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD', version: '3.1' }],
      vulnerablePackages: [{ name: 'openssh-server', version: '8.7p1', release: '38.el9', epoch: 0, fixedInVersion: '0:8.7p1-38.el9_4.1', arch: 'X86_64', packageManager: 'OS' }],
    },
    remediation: { recommendation: { text: 'update openssh-server' } },
    resources: [
      {
        type: 'AWS_EC2_INSTANCE',
        id: instanceId,
        partition: 'aws',
        region: 'us-east-1',
        tags: { Name: 'web' },
        details: { awsEc2Instance: { platform: 'AMAZON_LINUX_2023', type: 't3.micro' } },
      },
    ],
    ...over,
  };
}

/** The six clients against moto, one attempt each (a moto gap fails at once instead of retrying). */
export function motoClients(endpoint: string, maxAttempts = 1): AwsClients {
  const config = { endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts };
  return {
    inspector2: new Inspector2Client(config),
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    cloudwatch: new CloudWatchClient(config),
    cloudtrail: new CloudTrailClient(config),
    sts: new STSClient(config),
  };
}

/** Launches `count` instances in one reservation with the given tags; returns their ids. */
export async function runInstances(ec2: EC2Client, count: number, tags: Record<string, string> = {}): Promise<string[]> {
  const response = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      ...(Object.keys(tags).length === 0
        ? {}
        : { TagSpecifications: [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] }),
    }),
  );
  return (response.Instances ?? []).map((i) => i.InstanceId as string);
}

/** An error shaped as the SDK raises a modeled service exception (name = AWS error code). */
export function awsError(code: string, message = code, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name: code, $fault: 'client', $metadata: { httpStatusCode } });
}
