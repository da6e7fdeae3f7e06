import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { REPO_ROOT } from '../support/paths.js';
import { readConfig } from '../../infra/lib/config.js';
import { buildApp } from '../../infra/lib/sre-ops-app.js';
import { newApp, onlyResource, synthesized, useSynth } from './support/synth.js';

interface ContainerDefinition {
  readonly PortMappings: { ContainerPort: number }[];
  readonly Environment: { Name: string; Value: unknown }[];
  readonly Secrets: { Name: string; ValueFrom: unknown }[];
  readonly LogConfiguration: { LogDriver: string; Options: Record<string, unknown> };
  readonly StopTimeout: number;
  readonly ReadonlyRootFilesystem: boolean;
  readonly Image: unknown;
}

function container(): ContainerDefinition {
  const task = onlyResource(synthesized().templates.service, 'AWS::ECS::TaskDefinition').Properties;
  const defs = task.ContainerDefinitions as ContainerDefinition[];
  expect(defs).to.have.length(1);
  return defs[0] as ContainerDefinition;
}

describe('infra 3. service', () => {
  useSynth();

  it('runs one Fargate task sized for the default fleet (100,000 findings: 0.25 vCPU, 1 GiB, from the task-size table), heap at 75 %, listening on 8000', () => {
    const task = onlyResource(synthesized().templates.service, 'AWS::ECS::TaskDefinition').Properties;
    const env = Object.fromEntries(container().Environment.map((e) => [e.Name, e.Value]));

    expect(task).to.include({ Cpu: '256', Memory: '1024', NetworkMode: 'awsvpc' });
    expect(env.NODE_OPTIONS).to.equal('--max-old-space-size=768');
    expect(task.RequiresCompatibilities).to.deep.equal(['FARGATE']);
    expect(container().PortMappings).to.deep.equal([{ ContainerPort: 8000, Protocol: 'tcp' }]);
  });

  it("builds the image from the project's Dockerfile (staged at synth, built at deploy)", () => {
    const s = synthesized();
    const manifest = JSON.parse(readFileSync(join(s.outdir, `${s.stacks.service.artifactId}.assets.json`), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; platform?: string } }>;
    };
    const images = Object.values(manifest.dockerImages);

    expect(images).to.have.length(1);
    expect(images[0]?.source.platform).to.equal('linux/amd64');
    const staged = join(s.outdir, images[0]?.source.directory ?? '');
    expect(readFileSync(join(staged, 'Dockerfile'), 'utf8')).to.equal(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    expect(JSON.stringify(container().Image)).to.contain('container-assets');
  });

  it('runs 2 tasks in the private subnets without public addresses, behind the target group', () => {
    const t = synthesized().templates.service;

    t.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      // From the task-size table's warm-up for the default fleet (infra/lib/task-size.ts).
      HealthCheckGracePeriodSeconds: 300,
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', Subnets: Match.arrayWith([Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('privateSubnet') })]) }) },
      LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8000, TargetGroupArn: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('ServiceTargets') }) }],
    });
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  it('scales from 1 to 10 tasks on CPU and on memory', () => {
    const t = synthesized().templates.service;

    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount' });
    for (const metric of ['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization']) {
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: metric } }),
      });
    }
  });

  it('health-checks /ready (in service once warm) and drains for 25 s, in step with the app and within the stop timeout', () => {
    const tg = onlyResource(synthesized().templates.edge, 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties;
    const attributes = Object.fromEntries((tg.TargetGroupAttributes as { Key: string; Value: string }[]).map((a) => [a.Key, a.Value]));
    const env = Object.fromEntries(container().Environment.map((e) => [e.Name, e.Value]));

    expect(tg).to.include({ HealthCheckPath: '/ready', Port: 8000, Protocol: 'HTTP', TargetType: 'ip' });
    expect(tg.Matcher).to.deep.equal({ HttpCode: '200' });
    const delay = Number(attributes['deregistration_delay.timeout_seconds']);
    expect(delay).to.be.at.most(25);
    expect(env.SRE_OPS_DRAIN_SECONDS).to.equal(String(delay));
    expect(container().StopTimeout).to.be.greaterThan(Number(env.SRE_OPS_DRAIN_SECONDS));
  });

  it('runs the patch executor in every task, its leases in the state table the task may write', () => {
    const env = Object.fromEntries(container().Environment.map((e) => [e.Name, e.Value]));

    expect(env.SRE_OPS_EXECUTOR).to.equal('1');
    expect(env.SRE_OPS_STATE_TABLE).to.not.equal(undefined);
  });

  it('logs to /ecs/sre-ops-assistant and takes its API keys from Secrets Manager, its source from AWS', () => {
    const t = synthesized().templates.service;
    const c = container();
    const env = Object.fromEntries(c.Environment.map((e) => [e.Name, e.Value]));

    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/ecs/sre-ops-assistant', RetentionInDays: 30 });
    expect(c.LogConfiguration.LogDriver).to.equal('awslogs');
    expect(c.LogConfiguration.Options['awslogs-group']).to.deep.equal({ Ref: Object.keys(t.findResources('AWS::Logs::LogGroup'))[0] });
    expect(c.Secrets.map((s) => s.Name)).to.include('SRE_OPS_API_KEYS');
    expect(JSON.stringify(c.Secrets.find((s) => s.Name === 'SRE_OPS_API_KEYS')?.ValueFrom)).to.contain(':secret:sre-ops-assistant/api-keys');
    expect(env).to.include({ SRE_OPS_SOURCE: 'aws', SRE_OPS_CACHE_DIR: '/tmp/sre-ops-assistant' });
    expect(env.SRE_OPS_STATE_TABLE).to.have.property('Fn::ImportValue');
    expect(c.ReadonlyRootFilesystem).to.equal(true);
  });

  it("gives the executor the chat bots' credentials from their Secrets Manager secrets (JSON fields read by ECS), never as plain values", () => {
    const t = synthesized().templates.service;
    const c = container();
    const env = Object.fromEntries(c.Environment.map((e) => [e.Name, e.Value]));
    const secret = (name: string): string => JSON.stringify(c.Secrets.find((s) => s.Name === name)?.ValueFrom ?? null);

    expect(c.Secrets.map((s) => s.Name).sort()).to.deep.equal(['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'SLACK_BOT_TOKEN', 'SRE_OPS_API_KEYS']);
    expect(secret('SLACK_BOT_TOKEN')).to.match(/:secret:sre-ops-assistant\/slack:botToken::"/);
    expect(secret('MicrosoftAppId')).to.match(/:secret:sre-ops-assistant\/teams:appId::"/);
    expect(secret('MicrosoftAppPassword')).to.match(/:secret:sre-ops-assistant\/teams:appPassword::"/);
    expect(secret('MicrosoftAppTenantId')).to.match(/:secret:sre-ops-assistant\/teams:tenantId::"/);
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId']) expect(env, name).to.not.have.property(name);
    expect(env.MicrosoftAppType).to.equal('SingleTenant');
    // ECS reads them with the execution role, which may read exactly these secrets.
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p));
    const execution = policies.filter((p) => p.includes('secretsmanager:GetSecretValue'));
    expect(execution.join('\n')).to.contain(':secret:sre-ops-assistant/slack-??????').and.contain(':secret:sre-ops-assistant/teams-??????');
  });

  it('without Teams (context teams=false) maps no Teams secret field, so a Teams secret without appId/appPassword, or none, never stops a task', function () {
    this.timeout(120_000);
    const app = newApp({ teams: false });
    const stacks = buildApp(app, REPO_ROOT);
    const t = Template.fromJSON(app.synth().getStackByName(stacks.service.stackName).template as Record<string, unknown>);
    const task = onlyResource(t, 'AWS::ECS::TaskDefinition').Properties;
    const c = (task.ContainerDefinitions as ContainerDefinition[])[0] as ContainerDefinition;

    expect(c.Secrets.map((s) => s.Name).sort()).to.deep.equal(['SLACK_BOT_TOKEN', 'SRE_OPS_API_KEYS']);
    expect(c.Environment.map((e) => e.Name)).to.not.include('MicrosoftAppType');
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p)).join('\n');
    expect(policies).to.contain(':secret:sre-ops-assistant/slack-??????').and.not.contain('sre-ops-assistant/teams');
    expect(() => readConfig(newApp({ teams: 'no' }).node, REPO_ROOT)).to.throw('context teams: expected true or false, got "no"');
  });
});
