/**
 * Names and retention shared by the stacks. Resource names are fixed where the design fixes them
 * (/ecs/sre-ops-assistant, /aws/lambda/sre-*), so one environment is deployed per account and
 * region.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

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

/** Acknowledges cdk-nag findings on one construct, each with its reason. */
export function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}
