import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { buildApp, type SreOpsStacks } from '../../infra/lib/sre-ops-app.js';
import { organizationConfig } from '../../infra/lib/organization-config.js';
import { REPO_ROOT } from '../support/paths.js';
import { newApp, policyStatements, type ValidationReport } from './support/synth.js';

const A = '111111111111';
const B = '222222222222';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sre-alerts';

interface Synth { stacks: SreOpsStacks; templates: Record<'org' | 'service' | 'bots', Template>; report: ValidationReport }

/** The whole app with context `organization`, offline, cdk-nag on (as infra/bin/app.ts). */
function synth(organization: unknown, extra: Record<string, unknown> = {}): Synth {
  const app = newApp({ organization, ...extra });
  const stacks = buildApp(app, REPO_ROOT);
  const assembly = app.synth();
  const t = (stack: { stackName: string }): Template => Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>);
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { stacks, templates: { org: t(stacks.organization!), service: t(stacks.service), bots: t(stacks.bots) }, report };
}

type Asl = { StartAt: string; States: Record<string, Record<string, unknown>> };

/** The state machine's definition, with the Fn::Join of its tokens flattened to text (refs as ${LogicalId.Attr}). */
function asl(template: Template): { definition: Asl; text: string } {
  const [sm] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as { Properties: { DefinitionString: unknown } }[];
  const flatten = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if (o['Fn::Join']) return ((o['Fn::Join'] as [string, unknown[]])[1]).map(flatten).join((o['Fn::Join'] as [string])[0]);
    if (o['Fn::GetAtt']) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
    if (o.Ref) return `\${${o.Ref as string}}`;
    throw new Error(`unexpected token ${JSON.stringify(v)}`);
  };
  const text = flatten(sm!.Properties.DefinitionString);
  return { definition: JSON.parse(text) as Asl, text };
}

const logicalIdOf = (template: Template, type: string, match: Record<string, unknown>): string => {
  const ids = Object.keys(template.findResources(type, { Properties: match }));
  expect(ids, `${type} ${JSON.stringify(match)}`).to.have.length(1);
  return ids[0]!;
};

describe('infra: scheduled organization assessment (Step Functions Distributed Map)', function () {
  this.timeout(240_000);
  let org: Synth;
  let listed: Synth;
  before(() => {
    org = synth({ accounts: 'org', regions: ['us-east-1', 'eu-west-1'], organizationId: 'o-a1b2c3d4e5', maxConcurrency: 25, toleratedFailurePercentage: 20 });
    listed = synth(JSON.stringify({ accounts: [A, B], regions: ['us-east-1'], inspector: 'administrator' }), { notify: `sns:${TOPIC},teams-webhook:https://example.webhook.office.com/x` });
  });

  it('is cdk-nag clean with the organization stack (no unacknowledged finding)', () => {
    for (const s of [org, listed]) {
      const open = s.report.pluginReports.flatMap((p) => p.violations.map((v) => `${v.ruleName} ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`));
      expect(open).to.deep.equal([]);
    }
  });

  it('lists the partitions, fans out in a DISTRIBUTED Map reading its items from S3 with a tolerated failure share, then merges', () => {
    const t = org.templates.org;
    const { definition, text } = asl(t);
    const list = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.list' });
    const partition = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.partition' });
    const merge = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.merge' });
    const bucket = logicalIdOf(t, 'AWS::S3::Bucket', {});

    expect(definition.StartAt).to.equal('ListPartitions');
    const first = definition.States.ListPartitions!;
    expect(first).to.deep.include({ Type: 'Task', Resource: `\${${list}.Arn}`, Next: 'AssessPartitions' });
    expect(first.Parameters).to.deep.equal({ 'runId.$': '$$.Execution.Name', 'now.$': '$$.Execution.StartTime' });

    interface MapState {
      Type: string; ItemReader: unknown; ItemSelector: unknown; MaxConcurrency: number; ToleratedFailurePercentage: number; ResultPath: unknown; Next: string;
      ItemProcessor: { ProcessorConfig: { Mode: string }; StartAt: string; States: Record<string, Record<string, unknown>> };
    }
    const map = definition.States.AssessPartitions as unknown as MapState;
    expect(map.Type).to.equal('Map');
    expect(map.ItemProcessor.ProcessorConfig.Mode).to.equal('DISTRIBUTED');
    expect(map.ItemReader).to.deep.equal({
      Resource: 'arn:${AWS::Partition}:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: `\${${bucket}}`, 'Key.$': '$.itemsKey' },
    });
    expect(map.ItemSelector).to.deep.equal({ 'item.$': '$$.Map.Item.Value', 'runId.$': '$.runId', 'now.$': '$.now' });
    expect(map.MaxConcurrency).to.equal(25);
    expect(map.ToleratedFailurePercentage).to.equal(20);
    expect(map.ResultPath).to.equal(null);
    expect(map.Next).to.equal('MergeOrganization');
    const inner = map.ItemProcessor.States[map.ItemProcessor.StartAt]!;
    expect(inner).to.deep.include({ Type: 'Task', Resource: `\${${partition}.Arn}`, End: true });
    expect((inner.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals)).to.include('Lambda.TooManyRequestsException');

    expect(definition.States.MergeOrganization).to.deep.include({ Type: 'Task', Resource: `\${${merge}.Arn}`, End: true });
    expect(text).not.to.contain('Lambda:Invoke');
  });

  it('runs on a schedule (EventBridge Scheduler → states:StartExecution on this state machine only), logged and traced', () => {
    const t = org.templates.org;
    const sm = logicalIdOf(t, 'AWS::StepFunctions::StateMachine', {});
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 5 * * ? *)', ScheduleExpressionTimezone: 'UTC', Target: { Arn: { Ref: sm } } });
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: sm } }] } });
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL' } });
  });

  it('the results bucket: encrypted, SSL only, public access blocked, runs expire', () => {
    const t = org.templates.org;
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 30, Status: 'Enabled' })] },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('the partition Lambda assumes only the member read role; the list Lambda may list accounts; the merge may publish to SRE/Operations only', () => {
    const statements = policyStatements(org.templates.org);
    const assume = statements.filter((s) => s.Action === 'sts:AssumeRole');
    expect(assume).to.have.length(1);
    expect(assume[0]).to.deep.include({
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/SreOpsReadRole']] },
      Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
    });
    expect(statements.filter((s) => s.Action === 'organizations:ListAccounts')).to.have.length(1);
    expect(statements.find((s) => s.Action === 'cloudwatch:PutMetricData')).to.deep.include({ Condition: { StringEquals: { 'cloudwatch:namespace': 'SRE/Operations' } } });
    const env = Object.values(org.templates.org.findResources('AWS::Lambda::Function')).map((f) => (f as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables);
    for (const v of env) expect(JSON.parse(v.SRE_OPS_SCOPE as string)).to.deep.equal({ accounts: 'org', regions: ['us-east-1', 'eu-west-1'], assumeRole: 'SreOpsReadRole', patchRole: 'SreOpsPatchRole' });
  });

  it('the service\'s task role and the bots get sts:AssumeRole on the member roles only: exact ARNs when the accounts are listed', () => {
    const arn = (acct: string, role: string): unknown => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${acct}:role/${role}`]] });
    for (const template of [listed.templates.service, listed.templates.bots]) {
      const assume = policyStatements(template).filter((s) => s.Action === 'sts:AssumeRole');
      const perRole = template === listed.templates.bots ? 2 : 1;
      expect(assume.filter((s) => s.Sid === 'AssumeMemberReadRole')).to.have.length(perRole);
      for (const s of assume) {
        const role = s.Sid === 'AssumeMemberReadRole' ? 'SreOpsReadRole' : 'SreOpsPatchRole';
        expect(s.Resource).to.deep.equal([arn(A, role), arn(B, role)]);
        expect(s.Condition).to.equal(undefined);
      }
      expect(policyStatements(template).some((s) => s.Action === 'organizations:ListAccounts')).to.equal(false);
    }
    // Inspector from the delegated administrator: the partitions list findings in this account; with members they do not.
    expect(policyStatements(listed.templates.org).find((s) => s.Sid === 'ListFindingsAsAdministrator')).to.deep.include({ Action: 'inspector2:ListFindings', Resource: '*' });
    expect(policyStatements(org.templates.org).some((s) => s.Sid === 'ListFindingsAsAdministrator')).to.equal(false);
    // Nothing but these: no statement of any stack assumes any other role.
    const all = [org, listed].flatMap((s) => Object.values(s.templates).flatMap(policyStatements));
    for (const s of all.filter((x) => ([] as unknown[]).concat(x.Action).includes('sts:AssumeRole'))) expect(String(s.Sid)).to.match(/^AssumeMember(Read|Patch)Role$/);
  });

  it('the merge alone writes the state table (the history, the alert claims) and may publish to the alert topics of context notify; the partitions only read it', () => {
    for (const s of [org, listed]) {
      const t = s.templates.org;
      const roleOf = (handler: string): string => {
        const fn = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Handler: handler } }))[0] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } };
        return fn.Properties.Role['Fn::GetAtt'][0];
      };
      const statementsOf = (handler: string): Record<string, unknown>[] => Object.values(t.findResources('AWS::IAM::Policy'))
        .filter((p) => ((p as { Properties: { Roles: { Ref: string }[] } }).Properties.Roles).some((r) => r.Ref === roleOf(handler)))
        .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement);
      const sids = (handler: string): unknown[] => statementsOf(handler).map((x) => x.Sid);
      expect(sids('index.merge')).to.include('StateTableReadWrite').and.not.include('StateTableRead');
      expect(sids('index.partition')).to.include('StateTableRead').and.not.include('StateTableReadWrite');
      expect(sids('index.list')).to.not.include.members(['StateTableRead', 'StateTableReadWrite']);
      const write = statementsOf('index.merge').find((x) => x.Sid === 'StateTableReadWrite')!;
      expect(write.Action).to.include('dynamodb:PutItem').and.not.include('dynamodb:DeleteTable');
      expect(JSON.stringify(write.Resource)).to.match(/StateTable/);
      const publish = statementsOf('index.merge').filter((x) => x.Sid === 'PublishAlerts');
      const env = (handler: string): Record<string, unknown> => (Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Handler: handler } }))[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables;
      if (s === listed) {
        expect(publish).to.deep.equal([{ Sid: 'PublishAlerts', Action: 'sns:Publish', Effect: 'Allow', Resource: TOPIC }]);
        expect(env('index.merge').SRE_OPS_NOTIFY).to.equal(`sns:${TOPIC},teams-webhook:https://example.webhook.office.com/x`);
      } else {
        expect(publish).to.deep.equal([]);
        expect(env('index.merge')).to.not.have.property('SRE_OPS_NOTIFY');
      }
      for (const h of ['index.list', 'index.partition']) {
        expect(env(h), h).to.not.have.property('SRE_OPS_NOTIFY');
        expect(statementsOf(h).some((x) => x.Action === 'sns:Publish'), h).to.equal(false);
      }
    }
  });

  it('outputs the member StackSet\'s trusted role ARNs: the partition Lambda, the task role and the bots read; the task role and the bots patch', () => {
    const outputs = (org.templates.org.toJSON() as { Outputs: Record<string, { Value: { 'Fn::Join': [string, unknown[]] } }> }).Outputs;
    expect(outputs.TrustedReadRoleArns!.Value['Fn::Join'][1]).to.have.length(4);
    expect(outputs.TrustedPatchRoleArns!.Value['Fn::Join'][1]).to.have.length(3);
  });

  it('without context organization: no organization stack and no sts:AssumeRole anywhere', () => {
    const app = newApp();
    const stacks = buildApp(app, REPO_ROOT);
    expect(stacks.organization).to.equal(null);
    const statements = [stacks.service, stacks.bots].flatMap((s) => policyStatements(Template.fromStack(s)));
    expect(statements.filter((s) => ([] as unknown[]).concat(s.Action).includes('sts:AssumeRole'))).to.deep.equal([]);
  });

  it('bad context organization: one line naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ accounts: ['12'], regions: ['us-east-1'] }, /^context organization\.accounts: expected "org" or a list of 12-digit account ids/],
      [{ accounts: 'org', regions: [] }, /^context organization\.regions: /],
      [{ accounts: 'org', regions: ['us-east-1'], assumeRole: 'arn:aws:iam::1:role/x' }, /^context organization\.assumeRole: expected an IAM role name/],
      [{ accounts: 'org', regions: ['us-east-1'], schedule: 'daily' }, /^context organization\.schedule: /],
      [{ accounts: 'org', regions: ['us-east-1'], maxConcurrency: 0 }, /^context organization\.maxConcurrency: /],
      [{ accounts: 'org', regions: ['us-east-1'], region: 'x' }, /^context organization\.region: unknown field/],
      ['{not json', /^context organization: expected JSON/],
    ];
    for (const [v, message] of cases) expect(() => organizationConfig(v), JSON.stringify(v)).to.throw(message);
  });
});
