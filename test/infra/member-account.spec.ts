import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expect } from 'chai';
import { MemberAccountStack, PATCH_ROLE_NAME, READ_ROLE_NAME } from '../../infra/lib/member-account-stack.js';
import { DEFAULT_PATCH_ROLE, DEFAULT_READ_ROLE } from '../../domain/scope.js';
import { REPO_ROOT } from '../support/paths.js';

const POLICY_FILE = join(REPO_ROOT, 'docs', 'iam-policy.json');

/** Offline synth of the member-account stack with cdk-nag on, as infra/bin/member.ts does. */
function synth(externalId?: string): { template: Template; report: { pluginReports: { violations: unknown[] }[] } } {
  const outdir = mkdtempSync(join(tmpdir(), 'sre-ops-member-'));
  try {
    const app = new App({ outdir });
    const stack = new MemberAccountStack(app, 'Member', { policyFile: POLICY_FILE, optInTag: { key: 'sre-ops:patch', value: 'enabled' }, ...(externalId ? { externalId } : {}) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
    app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations: unknown[] }[] };
    return { template: Template.fromStack(stack), report };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('infra: member-account stack (StackSet)', () => {
  const { template, report } = synth('ext-123');
  const file = JSON.parse(readFileSync(POLICY_FILE, 'utf8')) as { Statement: { Sid: string; Action: string[] }[] };
  const actions = (sid: string): string[] => file.Statement.find((s) => s.Sid === sid)!.Action;

  it('is cdk-nag clean (errors fail the synth; no unacknowledged warning either)', () => {
    expect(report.pluginReports.flatMap((p) => p.violations)).to.deep.equal([]);
  });

  it('is deployable as a StackSet: no assets, no bootstrap version parameter or rule, inputs as parameters', () => {
    const json = template.toJSON() as { Parameters?: Record<string, unknown>; Rules?: unknown };
    expect(Object.keys(json.Parameters ?? {}).sort()).to.deep.equal(['ServiceAccountId', 'TrustedPatchRoleArns', 'TrustedReadRoleArns']);
    expect(json.Rules).to.equal(undefined);
    expect(JSON.stringify(json)).not.to.contain('cdk-hnb659fds');
  });

  it('names the roles as the scope\'s defaults, and trusts only the named roles of the service account (with the external id)', () => {
    expect([READ_ROLE_NAME, PATCH_ROLE_NAME]).to.deep.equal([DEFAULT_READ_ROLE, DEFAULT_PATCH_ROLE]);
    for (const [name, param] of [[READ_ROLE_NAME, 'TrustedReadRoleArns'], [PATCH_ROLE_NAME, 'TrustedPatchRoleArns']] as const) {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: name,
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [{
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: 'ServiceAccountId' }])]) } },
            Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: param } }, StringEquals: { 'sts:ExternalId': 'ext-123' } },
          }],
        },
      });
    }
  });

  it('grants the read role exactly the read statement of docs/iam-policy.json', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Sid: 'SreOpsRead', Effect: 'Allow', Action: [...actions('SreOpsRead')].sort(), Resource: '*' }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^ReadRole') }],
    });
  });

  it('grants the patch role the patch statement, SendCommand only for AWS-RunPatchBaseline on opted-in instances, and the verification reads', () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^PatchRole') }] } });
    const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Sid: string; Action: string | string[]; Condition?: unknown }[] } } }).Properties.PolicyDocument.Statement);
    const bySid = new Map(statements.map((s) => [s.Sid, s]));
    expect([...bySid.keys()].sort()).to.deep.equal(['SendCommandOptedInInstancesOnly', 'SendCommandPatchBaselineOnly', 'SreOpsPatch', 'SreOpsVerify']);
    expect(bySid.get('SreOpsPatch')!.Action).to.deep.equal(actions('SreOpsPatch').filter((a) => a !== 'ssm:SendCommand').sort());
    expect(bySid.get('SendCommandOptedInInstancesOnly')!.Condition).to.deep.equal({ StringEquals: { 'ssm:resourceTag/sre-ops:patch': 'enabled' } });
    expect(bySid.get('SreOpsVerify')!.Action).to.deep.equal(['cloudwatch:GetMetricData', 'ssm:DescribeInstanceInformation']);
  });

  it('without an external id, the trust has no external id condition', () => {
    const plain = synth().template;
    const roles = Object.values(plain.findResources('AWS::IAM::Role')) as { Properties: { AssumeRolePolicyDocument: { Statement: { Condition: Record<string, unknown> }[] } } }[];
    for (const r of roles) expect(Object.keys(r.Properties.AssumeRolePolicyDocument.Statement[0]!.Condition)).to.deep.equal(['ArnEquals']);
  });
});
