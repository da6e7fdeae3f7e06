import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { DEFAULT_METRICS_NAMESPACE, FLEET_METRICS as PUBLISHED, TREND_METRICS as PUBLISHED_TREND } from '../../adapters/outbound/aws/cloudwatch-metrics-publisher.js';
import { METRICS_NAMESPACE } from '../../infra/lib/common.js';
import { DECISION_KINDS, SSVC_OUTCOMES } from '../../domain/vocabulary.js';
import { FLEET_METRICS, TREND_DECISIONS, TREND_METRICS, TREND_SSVC_OUTCOMES } from '../../infra/lib/monitoring-stack.js';
import { INPUTS, synthesized, useSynth } from './support/synth.js';

interface AlarmProps {
  readonly AlarmName: string;
  readonly MetricName?: string;
  readonly Namespace?: string;
  /** Statistic, ExtendedStatistic or the single MetricStat's Stat. */
  readonly Stat?: string;
  readonly Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string }; Stat: string } }[];
  readonly TreatMissingData: string;
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly AlarmActions: unknown[];
  readonly OKActions: unknown[];
  readonly Dimensions?: { Name: string; Value: unknown }[];
}

/** Alarms by name; one metric (a labelled metric renders as a one-entry Metrics array) flattened. */
function alarms(): Map<string, AlarmProps> {
  const all = Object.values(synthesized().templates.monitoring.findResources('AWS::CloudWatch::Alarm')).map((r) => {
    const p = (r as { Properties: AlarmProps & { Statistic?: string; ExtendedStatistic?: string } }).Properties;
    const only = p.Metrics?.length === 1 ? p.Metrics[0]?.MetricStat : undefined;
    return only
      ? { ...p, MetricName: only.Metric.MetricName, Namespace: only.Metric.Namespace, Stat: only.Stat }
      : { ...p, Stat: p.Statistic ?? p.ExtendedStatistic };
  });
  return new Map(all.map((a) => [a.AlarmName.replace(/^sre-ops-assistant-/, ''), a]));
}

describe('infra 7. monitoring', () => {
  useSynth();

  it('runs the daily digest with EventBridge Scheduler at the configured local time and zone', () => {
    const t = synthesized().templates.monitoring;

    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({ Input: '{"kind":"digest"}' }),
    });
  });

  it('runs the collector bundle every 5 minutes, one run at a time, finishing within the period', () => {
    const t = synthesized().templates.monitoring;

    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sre-ops-assistant-collector',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 240,
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: Match.objectLike({ SRE_OPS_SOURCE: 'aws', SRE_OPS_METRICS_NAMESPACE: 'SRE/Operations' }) },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/sre-ops-assistant-collector' });
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Collector'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    t.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
  });

  it('watches the very metrics the collector publishes (names and namespace shared with the adapter)', () => {
    expect(METRICS_NAMESPACE).to.equal(DEFAULT_METRICS_NAMESPACE);
    expect(Object.values(FLEET_METRICS).sort()).to.deep.equal(Object.values(PUBLISHED).map((m) => m.name).sort());
    const a = alarms();

    expect(a.get('ActNow')).to.deep.include({ Namespace: 'SRE/Operations', MetricName: 'ActNowCount', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(a.get('Overdue')).to.deep.include({ Namespace: 'SRE/Operations', MetricName: 'OverdueCount', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(a.get('CriticalFindings')).to.deep.include({ Namespace: 'SRE/Operations', MetricName: 'CriticalFindings', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(a.get('PatchCompliance')).to.deep.include({ Namespace: 'SRE/Operations', MetricName: 'PatchCompliancePercent', Threshold: 90, ComparisonOperator: 'LessThanThreshold' });
    expect(a.get('CollectorSilent')).to.deep.include({ MetricName: 'ActNowCount', Stat: 'SampleCount', TreatMissingData: 'breaching' });
  });

  it('alarms on the service: 5xx rate, p99 latency, Lambda errors, ECS CPU, and no healthy task', () => {
    const a = alarms();

    const alb5xx = a.get('Alb5xxRate')?.Metrics ?? [];
    expect(alb5xx.find((m) => m.Expression)?.Expression).to.equal('IF(albRequests > 0, 100 * (target5xx + elb5xx) / albRequests, 0)');
    expect(alb5xx.map((m) => m.MetricStat?.Metric.MetricName).filter(Boolean).sort()).to.deep.equal(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
    expect(a.get('Alb5xxRate')).to.include({ Threshold: 5 });
    expect(a.get('Api5xxRate')?.Metrics?.map((m) => m.MetricStat?.Metric.MetricName).filter(Boolean).sort()).to.deep.equal(['5XXError', 'Count']);
    expect(a.get('AlbP99Latency')).to.include({ MetricName: 'TargetResponseTime', Stat: 'p99', Threshold: 2 });
    expect(a.get('ApiP99Latency')).to.include({ MetricName: 'Latency', Stat: 'p99' });
    for (const fn of ['Slack', 'Teams', 'Collector']) {
      expect(a.get(`${fn}Errors`)).to.include({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
    expect(a.get('EcsCpu')).to.include({ Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Threshold: 80 });
    expect(a.get('NoHealthyTasks')).to.include({ MetricName: 'HealthyHostCount', ComparisonOperator: 'LessThanThreshold', Threshold: 1 });
  });

  it('sends every alarm and its recovery to an encrypted SNS topic with an email subscription', () => {
    const t = synthesized().templates.monitoring;
    const topic = Object.keys(t.findResources('AWS::SNS::Topic'))[0];

    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: INPUTS.alarmEmail, TopicArn: { Ref: topic } });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    expect(alarms().size).to.equal(15);
    for (const alarm of alarms().values()) {
      expect(alarm.AlarmActions).to.deep.equal([{ Ref: topic }]);
      expect(alarm.OKActions).to.deep.equal([{ Ref: topic }]);
    }
  });

  it('draws one dashboard with the fleet figures and the service', () => {
    const t = synthesized().templates.monitoring;
    const dashboards = Object.values(t.findResources('AWS::CloudWatch::Dashboard')) as { Properties: { DashboardName: string; DashboardBody: unknown } }[];

    expect(dashboards).to.have.length(1);
    expect(dashboards[0]?.Properties.DashboardName).to.equal('sre-ops-assistant-staging');
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const name of [...Object.values(FLEET_METRICS), 'TargetResponseTime', 'CPUUtilization', 'MemoryUtilization', 'HealthyHostCount', 'Errors', '5XXError']) {
      expect(body).to.contain(name);
    }
  });

  it('draws the trend the collector publishes: a line per decision and per SSVC outcome, mean hours to remediate', () => {
    expect(Object.fromEntries(Object.entries(PUBLISHED_TREND).map(([k, m]) => [k, m.name]))).to.deep.equal(TREND_METRICS);
    expect(TREND_DECISIONS).to.deep.equal(DECISION_KINDS);
    expect(TREND_SSVC_OUTCOMES).to.deep.equal(SSVC_OUTCOMES);
    const t = synthesized().templates.monitoring;
    const dashboard = Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: { DashboardBody: unknown } };
    // The body is a Fn::Join of strings and tokens; its literal parts hold the widgets.
    const joined = JSON.stringify(dashboard.Properties.DashboardBody);
    const trendWidgets = [...joined.matchAll(/Trend: [^\\"]+/g)].map((m) => m[0]);
    expect(trendWidgets).to.deep.equal([
      'Trend: instances by decision (daily)',
      'Trend: findings by SSVC outcome, overdue (daily)',
      'Trend: mean hours to remediate by SSVC outcome, resolved (daily)',
    ]);
    for (const kind of DECISION_KINDS) expect(joined).to.contain(`InstancesByDecision\\",\\"Decision\\",\\"${kind}`);
    for (const outcome of SSVC_OUTCOMES) {
      expect(joined).to.contain(`FindingsBySsvcOutcome\\",\\"SsvcOutcome\\",\\"${outcome}`);
      expect(joined).to.contain(`MeanHoursToRemediate\\",\\"SsvcOutcome\\",\\"${outcome}`);
    }
    expect(joined).to.contain('ResolvedFindings');
  });
});
