import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { expect } from 'chai';
import { allowedActions, applicationStatements, COLLECTOR_READ_ACTIONS, PATCH_DOCUMENT, readPolicyFile } from '../../infra/lib/app-policy.js';
import { STATE_READ_ACTIONS, STATE_WRITE_ACTIONS } from '../../infra/lib/data-stack.js';
import { REPO_ROOT } from '../support/paths.js';
import { policyStatements, type StackPart, synthesized, useSynth } from './support/synth.js';

interface Statement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const actionsOf = (s: Statement): string[] => (typeof s.Action === 'string' ? [s.Action] : s.Action);
const POLICY_FILE = join(REPO_ROOT, 'docs', 'iam-policy.json');
const FILE_ACTIONS = allowedActions(readPolicyFile(POLICY_FILE));
const OPT_IN = { key: 'sre-ops:patch', value: 'enabled' };

/** The statements of the policy attached to the role whose logical id starts with `rolePrefix`. */
function roleStatements(part: StackPart, rolePrefix: string): Statement[] {
  const t = synthesized().templates[part];
  const policies = Object.values(t.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }[];
  const mine = policies.filter((p) => p.Properties.Roles.some((r) => r.Ref.startsWith(rolePrefix)));
  expect(mine, `policy of ${part}/${rolePrefix}`).to.have.length(1);
  return mine[0]?.Properties.PolicyDocument.Statement ?? [];
}

function resolved(statements: ReturnType<typeof applicationStatements>): Statement[] {
  const stack = new Stack(new App(), 'S');
  return statements.map((s) => stack.resolve(s.toStatementJson()) as Statement);
}

describe('infra 8. least privilege', () => {
  useSynth();

  describe('the application statements from docs/iam-policy.json', () => {
    const file = [
      { Sid: 'Read', Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' },
      { Sid: 'Patch', Effect: 'Allow', Action: ['ssm:GetCommandInvocation', 'ssm:SendCommand'], Resource: '*' },
    ];

    it('never grants ssm:SendCommand on "*": only the AWS-RunPatchBaseline document and instances carrying the opt-in tag', () => {
      const out = resolved(applicationStatements(file, { optInTag: OPT_IN }));

      expect(out.filter((s) => s.Resource === '*').flatMap(actionsOf).sort()).to.deep.equal(['ec2:DescribeInstances', 'ssm:GetCommandInvocation']);
      const send = out.filter((s) => actionsOf(s).includes('ssm:SendCommand'));
      expect(send).to.have.length(2);
      expect(JSON.stringify(send[0]?.Resource)).to.contain(`::document/${PATCH_DOCUMENT}`);
      expect(send[0]?.Condition).to.equal(undefined);
      expect(JSON.stringify(send[1]?.Resource)).to.contain(':instance/*');
      expect(send[1]?.Condition).to.deep.equal({ StringEquals: { 'ssm:resourceTag/sre-ops:patch': 'enabled' } });
    });

    it('refuses a service-wide wildcard', () => {
      expect(() => applicationStatements([{ Effect: 'Allow', Action: ['ssm:*'], Resource: '*' }], { optInTag: OPT_IN })).to.throw(/not least privilege/);
    });
  });

  it('no role anywhere has "*" or a service-wide action, and "*" resources only carry listed actions', () => {
    const s = synthesized();
    const allowedOnStar = new Set([...FILE_ACTIONS, 'ecr:GetAuthorizationToken', 'cloudwatch:PutMetricData']);
    for (const [part, t] of Object.entries(s.templates)) {
      for (const statement of policyStatements(t) as unknown as Statement[]) {
        for (const action of actionsOf(statement)) {
          expect(action, `${part}: ${action}`).not.to.match(/(^\*$|:\*$)/);
          if (statement.Resource === '*') expect(allowedOnStar.has(action), `${part}: ${action} on "*"`).to.equal(true);
        }
      }
    }
  });

  it('scopes every ssm:SendCommand in the deployment (service and bots alike)', () => {
    const s = synthesized();
    const send = Object.values(s.templates).flatMap((t) => (policyStatements(t) as unknown as Statement[]).filter((st) => actionsOf(st).includes('ssm:SendCommand')));

    expect(send.length).to.equal(FILE_ACTIONS.includes('ssm:SendCommand') ? 6 : 0);
    for (const st of send) {
      expect(st.Resource).not.to.equal('*');
      const text = JSON.stringify(st.Resource);
      if (text.includes(':document/')) expect(text).to.contain(`::document/${PATCH_DOCUMENT}"`);
      else expect(st.Condition).to.deep.equal({ StringEquals: { 'ssm:resourceTag/sre-ops:patch': 'enabled' } });
    }
  });

  it('gives the task role exactly the actions of docs/iam-policy.json and the state table', () => {
    const statements = roleStatements('service', 'TaskTaskRole');
    const app = statements.flatMap(actionsOf).filter((a) => !a.startsWith('dynamodb:'));

    expect([...new Set(app)].sort()).to.deep.equal(FILE_ACTIONS);
    const state = statements.find((st) => st.Sid === 'StateTableReadWrite');
    expect(actionsOf(state as Statement).sort()).to.deep.equal([...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS].sort());
    expect(JSON.stringify(state?.Resource)).to.contain('/index/gsi1').and.not.to.contain('*');
  });

  it('gives the execution role the image pull, its log group, the API keys secret and the chat bots\' secrets (for the executor\'s progress posts), nothing more', () => {
    const statements = roleStatements('service', 'TaskExecutionRole');
    const actions = [...new Set(statements.flatMap(actionsOf))].sort();

    expect(actions).to.deep.equal([
      'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer',
      'logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue',
    ]);
    const secrets = statements.filter((st) => actionsOf(st).includes('secretsmanager:GetSecretValue')).map((st) => JSON.stringify(st.Resource)).sort();
    expect(secrets).to.have.length(3);
    for (const [k, name] of ['api-keys', 'slack', 'teams'].entries()) expect(secrets[k]).to.contain(`:secret:sre-ops-assistant/${name}-??????`);
  });

  it('gives each bot the application actions, its own secret, its own log group and itself to invoke', () => {
    for (const [role, secret] of [['SlackRole', 'slack'], ['TeamsRole', 'teams']] as const) {
      const statements = roleStatements('bots', role);
      const actions = [...new Set(statements.flatMap(actionsOf))].sort();

      expect(actions).to.deep.equal([...new Set([...FILE_ACTIONS, ...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS,
        'lambda:InvokeFunction', 'logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'])].sort());
      const secrets = statements.filter((st) => actionsOf(st).includes('secretsmanager:GetSecretValue')).map((st) => JSON.stringify(st.Resource));
      expect(secrets).to.have.length(1);
      expect(secrets[0]).to.contain(`:secret:sre-ops-assistant/${secret}-??????`);
    }
  });

  it('lets the collector read the fleet, read and write the state table (the history) and publish to SRE/Operations only', () => {
    const statements = roleStatements('monitoring', 'CollectorRole');
    const put = statements.find((st) => actionsOf(st).includes('cloudwatch:PutMetricData'));

    expect([...new Set(statements.flatMap(actionsOf))].sort()).to.deep.equal(
      [...COLLECTOR_READ_ACTIONS, ...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS, 'cloudwatch:PutMetricData', 'logs:CreateLogStream', 'logs:PutLogEvents'].sort(),
    );
    expect(put?.Condition).to.deep.equal({ StringEquals: { 'cloudwatch:namespace': 'SRE/Operations' } });
  });
});
