/**
 * Names and retention shared by the stacks. Resource names are fixed where the design fixes them
 * (/ecs/sre-ops-assistant, /aws/lambda/sre-*), so one environment is deployed per account and
 * region.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';

export const PROJECT = 'sre-ops-assistant';
/** The design's ECS log group. */
export const SERVICE_LOG_GROUP = '/ecs/sre-ops-assistant';
/** Where the collector publishes; the alarms and the dashboard read it. */
export const METRICS_NAMESPACE = 'SRE/Operations';
/** The HTTP service's port and its SIGTERM drain (adapters/inbound/http). */
export const SERVICE_PORT = 8000;
export const SERVICE_DRAIN_SECONDS = 25;

/** The Lambda function names: their log groups are /aws/lambda/sre-ops-assistant-<name>. */
export const functionName = (name: 'slack' | 'teams' | 'collector'): string => `${PROJECT}-${name}`;

export const logRetention = (production: boolean): RetentionDays => (production ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH);

/** Production keeps its data and logs when a stack is deleted; other environments clean up. */
export const removalPolicy = (production: boolean): RemovalPolicy => (production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

/**
 * The cdk-nag acknowledgements of the application's roles (the service, the bots), with reasons:
 * what docs/iam-policy.json grants on "*", and SendCommand on any opted-in instance.
 */
export const APPLICATION_ROLE_FINDINGS: Readonly<Record<string, string>> = {
  'AwsSolutions-IAM5[Resource::*]':
    'Resource "*" only on the actions of docs/iam-policy.json: reads without resource-level permissions (EC2 DescribeInstances, Inspector2 ' +
    'ListFindings, SSM Describe*, CloudWatch GetMetricData, CloudTrail LookupEvents) and SSM command and maintenance-window calls on ids ' +
    'the service creates at run time; ssm:SendCommand is split out and scoped.',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]':
    'ssm:SendCommand on instances is limited by condition to those carrying the patch opt-in tag (ssm:resourceTag), and the document to AWS-RunPatchBaseline.',
};

export const NODE22_REASON =
  'Node.js 22 is the project\'s Lambda runtime (the bundles of npm run bundle target node22); move to 24 together with the bundle target.';

/** Acknowledges cdk-nag findings on one construct, each with its reason. */
export function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * A Lambda execution role that may write to its own log group and nothing else (instead of the
 * AWSLambdaBasicExecutionRole managed policy, which reaches every log group).
 */
export function lambdaRole(scope: Construct, id: string, logGroup: ILogGroup, description: string): Role {
  const role = new Role(scope, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
  logGroup.grantWrite(role);
  return role;
}

/** The SNS topics among the alert channels of SRE_OPS_NOTIFY (`sns:TOPIC_ARN` entries): what `sns:Publish` is granted on. */
export function alertTopics(notify: string): string[] {
  return notify.split(',').map((c) => c.trim()).filter((c) => c.startsWith('sns:')).map((c) => c.slice('sns:'.length));
}
