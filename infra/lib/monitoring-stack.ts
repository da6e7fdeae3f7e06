/**
 * Monitoring: the `collector` Lambda publishes the fleet figures to SRE/Operations every
 * 5 minutes; alarms on those figures and on the service's health go to an SNS topic (email);
 * one dashboard shows both.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm, AlarmStatusWidget, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, SingleValueWidget, Stats, TextWidget, TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import { HttpCodeElb, HttpCodeTarget, type ApplicationLoadBalancer, type ApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, Runtime, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { collectorReadStatement, readPolicyFile } from './app-policy.js';
import { acknowledge, alertTopics, functionName, lambdaRole, logRetention, METRICS_NAMESPACE, NODE22_REASON, PROJECT, removalPolicy } from './common.js';
import type { InfraConfig } from './config.js';
import type { DataStack } from './data-stack.js';
import { lambdaBundle } from './paths.js';

/** The figures composition/collector-lambda.ts publishes (CloudWatchMetricsPublisher names them). */
export const FLEET_METRICS = {
  actNow: 'ActNowCount',
  overdue: 'OverdueCount',
  critical: 'CriticalFindings',
  compliance: 'PatchCompliancePercent',
} as const;

/**
 * The trend's metrics the collector publishes once it has recorded an assessment (docs/history.md;
 * CloudWatchMetricsPublisher's TREND_METRICS), with the dimension values it uses.
 */
export const TREND_METRICS = {
  byDecision: 'InstancesByDecision',
  bySsvc: 'FindingsBySsvcOutcome',
  resolved: 'ResolvedFindings',
  meanHoursToRemediate: 'MeanHoursToRemediate',
} as const;
export const TREND_DECISIONS = ['patch-now', 'next-window', 'routine', 'mitigate', 'blocked', 'none'] as const;
export const TREND_SSVC_OUTCOMES = ['act', 'attend', 'track*', 'track'] as const;

/** Thresholds of the alarms; the fleet ones alarm on the first instance needing action. */
export const THRESHOLDS = {
  patchCompliancePercentBelow: 90,
  serverErrorPercent: 5,
  p99LatencySeconds: 2,
  ecsCpuPercent: 80,
  ecsMemoryPercent: 85,
} as const;

export interface MonitoringStackProps extends StackProps {
  readonly config: InfraConfig;
  /** The state table: its name goes to SRE_OPS_STATE_TABLE, its grant to the role. */
  readonly data: DataStack;
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly targetGroup: ApplicationTargetGroup;
  readonly service: FargateService;
  readonly stage: Stage;
  readonly bots: readonly IFunction[];
}

export class MonitoringStack extends Stack {
  readonly collector: LambdaFunction;
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;
    const five = Duration.minutes(5);

    // Collector ------------------------------------------------------------------------------
    const collectorName = functionName('collector');
    const logGroup = new LogGroup(this, 'CollectorLogs', {
      logGroupName: `/aws/lambda/${collectorName}`,
      retention: logRetention(config.production),
      removalPolicy: removalPolicy(config.production),
    });
    const role = lambdaRole(this, 'CollectorRole', logGroup, 'sre-ops-assistant collector');
    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]':
        'The fleet reads (EC2 DescribeInstances, Inspector2 ListFindings, SSM Describe*) have no resource-level permissions; ' +
        'cloudwatch:PutMetricData has none either and is limited to the SRE/Operations namespace by condition.',
    });
    this.collector = new LambdaFunction(this, 'Collector', {
      functionName: collectorName,
      description: `sre-ops-assistant: publishes the fleet figures to ${METRICS_NAMESPACE}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: Code.fromAsset(lambdaBundle(config.lambdaBundleDir, 'collector')),
      memorySize: 1024,
      // Finishes well inside its 5-minute period; one run at a time.
      timeout: Duration.minutes(4),
      reservedConcurrentExecutions: 1,
      environment: {
        SRE_OPS_SOURCE: 'aws',
        SRE_OPS_CACHE_DIR: '/tmp/sre-ops-assistant',
        SRE_OPS_STATE_TABLE: props.data.table.tableName,
        SRE_OPS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...(config.notify ? { SRE_OPS_NOTIFY: config.notify } : {}),
      },
      role,
      logGroup,
    });
    acknowledge(this.collector, { 'AwsSolutions-L1': NODE22_REASON });
    this.collector.addToRolePolicy(collectorReadStatement(readPolicyFile(config.policyFile), config.policyFile));
    this.collector.addToRolePolicy(new PolicyStatement({
      sid: 'PutFleetMetricsOnly',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
    }));
    // It reads risk acceptances, and writes the history (assessments, posted-alert claims) to the
    // same table (docs/history.md).
    props.data.grantState(this.collector, 'read-write');
    const topics = alertTopics(config.notify);
    if (topics.length) this.collector.addToRolePolicy(new PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: topics }));
    if (config.digest) {
      // EventBridge Scheduler (not a Rule): a cron in the team's own time zone, daylight saving included.
      const [hour, minute] = config.digest.time.split(':').map(Number) as [number, number];
      const invoker = new Role(this, 'DigestSchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: 'Lets EventBridge Scheduler run the daily digest' });
      // The function itself, not its versions (grantInvoke would add ARN:*).
      invoker.addToPolicy(new PolicyStatement({ sid: 'InvokeCollectorForDigest', actions: ['lambda:InvokeFunction'], resources: [this.collector.functionArn] }));
      new CfnSchedule(this, 'DailyDigest', {
        name: `${PROJECT}-daily-digest`,
        description: 'Posts the sre-ops-assistant daily digest (what changed, due soon, overdue)',
        scheduleExpression: `cron(${minute} ${hour} * * ? *)`,
        scheduleExpressionTimezone: config.digest.timeZone,
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: this.collector.functionArn, roleArn: invoker.roleArn, input: JSON.stringify({ kind: 'digest' }), retryPolicy: { maximumRetryAttempts: 2 } },
      });
    }
    new Rule(this, 'Every5Minutes', {
      description: 'Runs the sre-ops-assistant collector',
      schedule: Schedule.rate(five),
      targets: [new LambdaTarget(this.collector, { retryAttempts: 0 })],
    });

    // Alarm topic ----------------------------------------------------------------------------
    // CloudWatch can only publish to an encrypted topic through a customer managed key it may use.
    const key = new Key(this, 'AlarmTopicKey', {
      description: `${PROJECT}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: removalPolicy(config.production),
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Alarms', { topicName: `${PROJECT}-alarms`, masterKey: key, enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(config.alarmEmail));

    // Alarms: the fleet ----------------------------------------------------------------------
    const fleet = (metricName: string, label: string): Metric =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, statistic: Stats.MAXIMUM, period: five, label });
    const actNow = fleet(FLEET_METRICS.actNow, 'Instances to patch now');
    const overdue = fleet(FLEET_METRICS.overdue, 'Overdue findings');
    const critical = fleet(FLEET_METRICS.critical, 'Critical findings');
    const compliance = new Metric({ namespace: METRICS_NAMESPACE, metricName: FLEET_METRICS.compliance, statistic: Stats.MINIMUM, period: five, label: 'Patch compliance %' });

    this.alarm('ActNow', actNow, { threshold: 0, above: true, description: 'An instance must be patched now (SSVC act, BOD 26-04 timeline).' });
    this.alarm('Overdue', overdue, { threshold: 0, above: true, description: 'A finding is past its remediation due date.' });
    this.alarm('CriticalFindings', critical, { threshold: 0, above: true, description: 'The fleet has critical findings.' });
    this.alarm('PatchCompliance', compliance, {
      threshold: THRESHOLDS.patchCompliancePercentBelow, above: false, periods: 3,
      description: `Patch compliance below ${THRESHOLDS.patchCompliancePercentBelow}% for 15 minutes.`,
    });
    this.alarm('CollectorSilent', actNow.with({ statistic: Stats.SAMPLE_COUNT, label: 'Collector runs' }), {
      threshold: 1, above: false, periods: 3, missing: TreatMissingData.BREACHING,
      description: 'The collector has published nothing for 15 minutes.',
    });

    // Alarms: the service --------------------------------------------------------------------
    const alb = props.loadBalancer;
    const albRequests = alb.metrics.requestCount({ period: five, statistic: Stats.SUM });
    const alb5xxRate = new MathExpression({
      expression: 'IF(albRequests > 0, 100 * (target5xx + elb5xx) / albRequests, 0)',
      usingMetrics: {
        albRequests,
        target5xx: alb.metrics.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, { period: five, statistic: Stats.SUM }),
        elb5xx: alb.metrics.httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, { period: five, statistic: Stats.SUM }),
      },
      label: 'Load balancer 5xx %',
      period: five,
    });
    const apiRequests = props.stage.metricCount({ period: five, statistic: Stats.SUM });
    const api5xxRate = new MathExpression({
      expression: 'IF(apiRequests > 0, 100 * api5xx / apiRequests, 0)',
      usingMetrics: { apiRequests, api5xx: props.stage.metricServerError({ period: five, statistic: Stats.SUM }) },
      label: 'API Gateway 5xx %',
      period: five,
    });
    const albP99 = alb.metrics.targetResponseTime({ period: five, statistic: Stats.p(99), label: 'Target response time p99 (s)' });
    const apiP99 = props.stage.metricLatency({ period: five, statistic: Stats.p(99), label: 'API latency p99 (ms)' });
    const cpu = props.service.metricCpuUtilization({ period: five, statistic: Stats.AVERAGE });
    const memory = props.service.metricMemoryUtilization({ period: five, statistic: Stats.AVERAGE });
    const healthy = props.targetGroup.metrics.healthyHostCount({ period: Duration.minutes(1), statistic: Stats.MINIMUM });

    this.alarm('Alb5xxRate', alb5xxRate, { threshold: THRESHOLDS.serverErrorPercent, above: true, periods: 3, datapoints: 2, description: 'More than 5% of requests to the service fail with 5xx.' });
    this.alarm('Api5xxRate', api5xxRate, { threshold: THRESHOLDS.serverErrorPercent, above: true, periods: 3, datapoints: 2, description: 'More than 5% of API Gateway requests fail with 5xx.' });
    this.alarm('AlbP99Latency', albP99, { threshold: THRESHOLDS.p99LatencySeconds, above: true, periods: 3, datapoints: 2, description: 'The service answers slower than 2 s at p99.' });
    this.alarm('ApiP99Latency', apiP99, { threshold: THRESHOLDS.p99LatencySeconds * 1000 + 1000, above: true, periods: 3, datapoints: 2, description: 'API Gateway answers slower than 3 s at p99.' });
    this.alarm('EcsCpu', cpu, { threshold: THRESHOLDS.ecsCpuPercent, above: true, periods: 3, description: 'Service CPU above 80% for 15 minutes (scaling may be at its maximum).' });
    this.alarm('EcsMemory', memory, { threshold: THRESHOLDS.ecsMemoryPercent, above: true, periods: 3, description: 'Service memory above 85% for 15 minutes.' });
    this.alarm('NoHealthyTasks', healthy, { threshold: 1, above: false, periods: 2, missing: TreatMissingData.BREACHING, description: 'No task passes the /health check.' });
    const functions: IFunction[] = [...props.bots, this.collector];
    const errors = functions.map((fn) => fn.metricErrors({ period: five, statistic: Stats.SUM }));
    functions.forEach((fn, i) => {
      const name = ['Slack', 'Teams', 'Collector'][i] ?? `Function${i}`;
      this.alarm(`${name}Errors`, errors[i] as IMetric, { threshold: 0, above: true, description: `The ${name.toLowerCase()} Lambda reported errors.` });
    });

    // Dashboard ------------------------------------------------------------------------------
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${PROJECT}-${config.environment}`, defaultInterval: Duration.hours(24) });
    dashboard.addWidgets(new TextWidget({ markdown: `# sre-ops-assistant (${config.environment})\nFleet figures from the collector (${METRICS_NAMESPACE}), then the service.`, width: 24, height: 2 }));
    dashboard.addWidgets(
      new SingleValueWidget({ title: 'Fleet now', metrics: [actNow, overdue, critical, compliance], width: 24, height: 4 }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Instances to patch now, overdue and critical findings', left: [actNow, overdue, critical], width: 12 }),
      new GraphWidget({ title: 'Patch compliance %', left: [compliance], leftYAxis: { min: 0, max: 100 }, width: 12 }),
    );
    // The trend, one line per decision / SSVC outcome; the daily maximum of the 5-minute points.
    const day = Duration.days(1);
    const trend = (metricName: string, dimension: string, values: readonly string[]): Metric[] =>
      values.map((v) => new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { [dimension]: v }, statistic: Stats.MAXIMUM, period: day, label: v }));
    dashboard.addWidgets(
      new GraphWidget({ title: 'Trend: instances by decision (daily)', left: trend(TREND_METRICS.byDecision, 'Decision', TREND_DECISIONS), width: 8, stacked: true }),
      new GraphWidget({ title: 'Trend: findings by SSVC outcome, overdue (daily)', left: trend(TREND_METRICS.bySsvc, 'SsvcOutcome', TREND_SSVC_OUTCOMES), right: [overdue.with({ period: day })], width: 8 }),
      new GraphWidget({
        title: 'Trend: mean hours to remediate by SSVC outcome, resolved (daily)',
        left: trend(TREND_METRICS.meanHoursToRemediate, 'SsvcOutcome', TREND_SSVC_OUTCOMES).map((m) => m.with({ statistic: Stats.AVERAGE })),
        right: [new Metric({ namespace: METRICS_NAMESPACE, metricName: TREND_METRICS.resolved, statistic: Stats.MAXIMUM, period: day, label: 'Resolved' })],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Requests', left: [apiRequests.with({ label: 'API Gateway' }), albRequests.with({ label: 'Load balancer' })], width: 8 }),
      new GraphWidget({ title: '5xx %', left: [api5xxRate, alb5xxRate], width: 8 }),
      new GraphWidget({ title: 'Latency p99', left: [albP99], right: [apiP99], width: 8 }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'ECS CPU and memory %', left: [cpu.with({ label: 'CPU' }), memory.with({ label: 'Memory' })], leftYAxis: { min: 0, max: 100 }, width: 8 }),
      new GraphWidget({ title: 'Healthy tasks', left: [healthy.with({ label: 'Healthy' })], width: 8 }),
      new GraphWidget({ title: 'Lambda errors', left: errors, width: 8 }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboardName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn });
  }

  private alarm(
    id: string,
    metric: IMetric,
    o: { threshold: number; above: boolean; description: string; periods?: number; datapoints?: number; missing?: TreatMissingData },
  ): Alarm {
    const alarm = new Alarm(this, `${id}Alarm`, {
      alarmName: `${PROJECT}-${id}`,
      alarmDescription: o.description,
      metric,
      threshold: o.threshold,
      comparisonOperator: o.above ? ComparisonOperator.GREATER_THAN_THRESHOLD : ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: o.periods ?? 1,
      datapointsToAlarm: o.datapoints ?? o.periods ?? 1,
      treatMissingData: o.missing ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
