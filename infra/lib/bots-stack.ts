/**
 * The Slack and Teams bots on Lambda (Node.js 22), from the bundles `npm run bundle` writes to
 * dist/lambda/<name>/ (index.mjs and the chunks it imports; the source maps stay outside). Each may invoke itself asynchronously (Slack wants an answer in
 * 3 s: the slow work runs in a second, asynchronous invocation) and logs to
 * /aws/lambda/sre-ops-assistant-<name>.
 *
 * Chat secrets stay in Secrets Manager, named by context, and are read by the functions at run
 * time (never put in their configuration): SLACK_SECRET_ARN names a JSON secret
 * `{"signingSecret", "botToken"}`, TEAMS_SECRET_ARN one `{"appId", "appPassword", "tenantId"}`.
 * MicrosoftAppType (context teamsAppType, default SingleTenant) is a setting, not a secret, and so
 * are the access lists (context slackAccess / teamsAccess -> SRE_OPS_SLACK_* / SRE_OPS_TEAMS_*).
 */

/** SRE_OPS_<SURFACE>_VIEWERS ... from the access context. */
export function accessEnvironment(surface: 'SLACK' | 'TEAMS', access: ChatAccess): Record<string, string> {
  return Object.fromEntries(Object.entries(access).map(([role, ids]) => [`SRE_OPS_${surface}_${role.toUpperCase()}`, ids]));
}
import { Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { applicationStatements, readPolicyFile } from './app-policy.js';
import { acknowledge, APPLICATION_ROLE_FINDINGS, functionName, lambdaRole, logRetention, NODE22_REASON, removalPolicy } from './common.js';
import type { ChatAccess, InfraConfig } from './config.js';
import type { DataStack } from './data-stack.js';
import { lambdaBundle } from './paths.js';

export interface BotsStackProps extends StackProps {
  readonly config: InfraConfig;
  /** The state table: its name goes to SRE_OPS_STATE_TABLE, its grant to the role. */
  readonly data: DataStack;
}

export class BotsStack extends Stack {
  readonly slack: LambdaFunction;
  readonly teams: LambdaFunction;

  constructor(scope: Construct, id: string, props: BotsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const appStatements = (): PolicyStatement[] => applicationStatements(readPolicyFile(config.policyFile), { optInTag: config.patchOptInTag });

    const slackSecret = Secret.fromSecretNameV2(this, 'SlackSecret', config.slackSecretName);
    this.slack = this.bot('Slack', 'slack', props, { SLACK_SECRET_ARN: config.slackSecretName, ...accessEnvironment('SLACK', config.slackAccess) });
    slackSecret.grantRead(this.slack);

    const teamsSecret = Secret.fromSecretNameV2(this, 'TeamsSecret', config.teamsSecretName);
    this.teams = this.bot('Teams', 'teams', props, {
      TEAMS_SECRET_ARN: config.teamsSecretName,
      MicrosoftAppType: config.teamsAppType,
      ...accessEnvironment('TEAMS', config.teamsAccess),
    });
    teamsSecret.grantRead(this.teams);

    for (const fn of [this.slack, this.teams]) {
      for (const statement of appStatements()) fn.addToRolePolicy(statement);
      props.data.grantState(fn, 'read-write');
    }
  }

  private bot(id: string, name: 'slack' | 'teams', { config, data }: BotsStackProps, environment: Record<string, string>): LambdaFunction {
    const fnName = functionName(name);
    const logGroup = new LogGroup(this, `${id}Logs`, {
      logGroupName: `/aws/lambda/${fnName}`,
      retention: logRetention(config.production),
      removalPolicy: removalPolicy(config.production),
    });
    const role = lambdaRole(this, `${id}Role`, logGroup, `sre-ops-assistant ${name} bot`);
    acknowledge(role, {
      ...APPLICATION_ROLE_FINDINGS,
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${fnName}:*]`]:
        'The function\'s own versions and aliases only: a published version hands deferred work to itself with its version as qualifier.',
    });
    const fn = new LambdaFunction(this, id, {
      functionName: fnName,
      description: `sre-ops-assistant ${name} bot`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: Code.fromAsset(lambdaBundle(config.lambdaBundleDir, name)),
      // More memory buys CPU for the cold start of the bundles; the acknowledgement must take under 3 s.
      memorySize: 1024,
      timeout: Duration.seconds(60),
      environment: {
        SRE_OPS_SOURCE: 'aws',
        SRE_OPS_CACHE_DIR: '/tmp/sre-ops-assistant',
        SRE_OPS_STATE_TABLE: data.table.tableName,
        // The service stack's executor drives approved runs: an approval here only changes state.
        SRE_OPS_EXECUTOR_DEPLOYED: '1',
        ...environment,
      },
      role,
      logGroup,
    });
    acknowledge(fn, { 'AwsSolutions-L1': NODE22_REASON });
    // The deferred work: one attempt, no retry that would run a command twice.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(15) });
    // By name, not fn.functionArn: a role policy naming its own function's ARN is a dependency cycle.
    // The qualified form too: a published version invokes itself with its version as qualifier.
    const selfArn = `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${fnName}`;
    fn.addToRolePolicy(new PolicyStatement({
      sid: 'InvokeSelfAsynchronously',
      actions: ['lambda:InvokeFunction'],
      resources: [selfArn, `${selfArn}:*`],
    }));
    return fn;
  }
}
