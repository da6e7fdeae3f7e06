import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { BotsStack } from '../../infra/lib/bots-stack.js';
import { readConfig } from '../../infra/lib/config.js';
import { DataStack } from '../../infra/lib/data-stack.js';
import { buildApp } from '../../infra/lib/sre-ops-app.js';
import { REPO_ROOT } from '../support/paths.js';
import { newApp, stubBundles, synthesized, useSynth } from './support/synth.js';

interface LambdaProps {
  readonly FunctionName: string;
  readonly Runtime: string;
  readonly Handler: string;
  readonly Environment: { Variables: Record<string, unknown> };
  readonly LoggingConfig: { LogGroup: unknown };
  readonly Code: unknown;
}

function fn(name: string): LambdaProps {
  const all = Object.values(synthesized().templates.bots.findResources('AWS::Lambda::Function')).map((r) => (r as { Properties: LambdaProps }).Properties);
  const hit = all.find((p) => p.FunctionName === `sre-ops-assistant-${name}`);
  if (!hit) throw new Error(`no function sre-ops-assistant-${name}`);
  return hit;
}

describe('infra 5. bots', () => {
  useSynth();

  it('runs the Slack and Teams bundles of `npm run bundle` on Node.js 22 (index.handler)', () => {
    const s = synthesized();
    const assets = JSON.parse(readFileSync(join(s.outdir, `${s.stacks.bots.artifactId}.assets.json`), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    const staged = Object.values(assets.files).map((f) => f.source.path).filter((p) => p.startsWith('asset.'));

    for (const name of ['slack', 'teams']) {
      expect(fn(name)).to.include({ Runtime: 'nodejs22.x', Handler: 'index.handler' });
    }
    const bodies = staged.map((p) => readFileSync(join(s.outdir, p, 'index.mjs'), 'utf8')).sort();
    expect(bodies).to.deep.equal(['slack', 'teams'].map((name) => readFileSync(join(stubBundles(), name, 'index.mjs'), 'utf8')));
    // The whole folder: index.mjs with the chunks it imports; the source maps stay outside.
    for (const p of staged) {
      expect(readdirSync(join(s.outdir, p), { recursive: true, encoding: 'utf8' }).sort()).to.deep.equal(['chunks', 'chunks/chunk-STUB.mjs', 'index.mjs']);
    }
  });

  it('logs to /aws/lambda/sre-* log groups of their own', () => {
    const t = synthesized().templates.bots;
    for (const name of ['slack', 'teams']) {
      const groups = t.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: `/aws/lambda/sre-ops-assistant-${name}` } });
      expect(Object.keys(groups)).to.have.length(1);
      expect(fn(name).LoggingConfig.LogGroup).to.deep.equal({ Ref: Object.keys(groups)[0] });
    }
  });

  it('lets each function invoke itself asynchronously, once, without retries', () => {
    const t = synthesized().templates.bots;
    for (const name of ['slack', 'teams']) {
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Sid: 'InvokeSelfAsynchronously',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:function:sre-ops-assistant-${name}`]] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:function:sre-ops-assistant-${name}:*`]] },
            ],
          }]),
        },
      });
    }
    t.resourcePropertiesCountIs('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 900, Qualifier: '$LATEST' }, 2);
  });

  it('names its chat secrets in Secrets Manager (read at run time) and puts no secret value in the configuration', () => {
    const t = synthesized().templates.bots;
    const slack = fn('slack').Environment.Variables;
    const teams = fn('teams').Environment.Variables;

    expect(slack).to.include({ SLACK_SECRET_ARN: 'sre-ops-assistant/slack', SRE_OPS_SOURCE: 'aws' });
    expect(teams).to.include({ TEAMS_SECRET_ARN: 'sre-ops-assistant/teams', MicrosoftAppType: 'SingleTenant', SRE_OPS_SOURCE: 'aws' });
    expect(Object.keys(teams)).not.to.include('MicrosoftAppPassword');
    expect(JSON.stringify(t.toJSON())).not.to.contain('{{resolve:');
    for (const name of ['slack', 'teams']) {
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([`:secret:sre-ops-assistant/${name}-??????`])] },
          }]),
        },
      });
    }
  });

  it('tells both bots that the service\'s executor drives approved runs (SRE_OPS_EXECUTOR_DEPLOYED=1), so an approval only changes state', () => {
    for (const name of ['slack', 'teams']) expect(fn(name).Environment.Variables, name).to.include({ SRE_OPS_EXECUTOR_DEPLOYED: '1' });
    // The service stack runs that executor on every task.
    const tasks = Object.values(synthesized().templates.service.findResources('AWS::ECS::TaskDefinition')) as { Properties: { ContainerDefinitions: { Environment?: { Name: string; Value: unknown }[] }[] } }[];
    const env = tasks.flatMap((t) => t.Properties.ContainerDefinitions.flatMap((c) => c.Environment ?? []));
    expect(env).to.deep.include({ Name: 'SRE_OPS_EXECUTOR', Value: '1' });
  });

  it('takes the secret names and who may do what from context', () => {
    const app = newApp({
      slackSecretName: 'chat/slack-prod', teamsSecretName: 'chat/teams-prod',
      slackAccess: '{"requesters":"S0ONCALL","approvers":"U012AB,U034CD"}', teamsAccess: { admins: '29:1a2b' },
    });
    const config = readConfig(app.node, REPO_ROOT);
    const data = new DataStack(app, 'Data', { production: false });
    const template = Template.fromStack(new BotsStack(app, 'Bots', { config, data }));

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SLACK_SECRET_ARN: 'chat/slack-prod', SRE_OPS_SLACK_REQUESTERS: 'S0ONCALL', SRE_OPS_SLACK_APPROVERS: 'U012AB,U034CD' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TEAMS_SECRET_ARN: 'chat/teams-prod', SRE_OPS_TEAMS_ADMINS: '29:1a2b' }) } });
    expect(() => readConfig(newApp({ slackAccess: '{"owners":"U1"}' }).node, REPO_ROOT)).to.throw(/context slackAccess\.owners: expected one of viewers, requesters, approvers, admins/);
  });

  it('fails the synth with what to run when a bundle is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'sre-ops-no-bundles-'));
    try {
      expect(() => buildApp(newApp({ lambdaBundleDir: empty }), REPO_ROOT)).to.throw(/Lambda bundle "slack" not found: expected .*slack\/index\.mjs\. Run `npm run bundle` first/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
