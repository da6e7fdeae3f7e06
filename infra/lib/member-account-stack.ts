/**
 * The member-account stack: the two roles the service assumes in every account of an organization
 * scope (docs/organizations.md), SreOpsReadRole (the reads of docs/iam-policy.json) and
 * SreOpsPatchRole (patching: SSM commands and maintenance windows, SendCommand only for
 * AWS-RunPatchBaseline on opted-in instances, plus the reads verification needs). Each trusts only
 * the service's own roles, named by ARN in the service account.
 *
 * Deployable as a CloudFormation StackSet from the management or the delegated administrator
 * account: no assets, no lookups, no bootstrap version rule (BootstraplessSynthesizer), inputs as
 * CloudFormation parameters, fixed role names (the CLI's --assume-role and --patch-role defaults).
 */
import { BootstraplessSynthesizer, CfnParameter, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountPrincipal, Effect, ManagedPolicy, PolicyStatement, Role, type IPrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from './common.js';
import { allowedActions, readPolicyFile, sendCommandStatements } from './app-policy.js';

/** The role names of the scope's defaults (domain/scope.ts DEFAULT_READ_ROLE and DEFAULT_PATCH_ROLE). */
export const READ_ROLE_NAME = 'SreOpsReadRole';
export const PATCH_ROLE_NAME = 'SreOpsPatchRole';

/** Reads the patch verification makes beside the patch statement (the CloudWatch comparison, SSM pings). */
const VERIFY_ACTIONS = ['cloudwatch:GetMetricData', 'ssm:DescribeInstanceInformation'] as const;

export interface MemberAccountStackProps extends StackProps {
  /** docs/iam-policy.json: the read statement (Sid SreOpsRead) and the patch statement (SreOpsPatch). */
  readonly policyFile: string;
  /** The tag an instance must carry to be patched (the service's opt-in tag). */
  readonly optInTag: { readonly key: string; readonly value: string };
  /** An external id every AssumeRole must carry (synth-time: -c externalId=...); none when absent. */
  readonly externalId?: string;
}

export class MemberAccountStack extends Stack {
  readonly readRole: Role;
  readonly patchRole: Role;

  constructor(scope: Construct, id: string, props: MemberAccountStackProps) {
    super(scope, id, { ...props, synthesizer: new BootstraplessSynthesizer() });
    const serviceAccount = new CfnParameter(this, 'ServiceAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'the account the sre-ops-assistant service runs in',
    });
    const readers = new CfnParameter(this, 'TrustedReadRoleArns', {
      type: 'CommaDelimitedList',
      description: 'ARNs of the service\'s roles that may assume SreOpsReadRole (the task role, the collector and partition Lambdas, operators)',
    });
    const patchers = new CfnParameter(this, 'TrustedPatchRoleArns', {
      type: 'CommaDelimitedList',
      description: 'ARNs of the service\'s roles that may assume SreOpsPatchRole (the task role running the patch executor)',
    });

    const statements = readPolicyFile(props.policyFile);
    const read = statements.find((s) => s.Sid === 'SreOpsRead');
    const patch = statements.find((s) => s.Sid === 'SreOpsPatch');
    if (!read || !patch) throw new Error(`${props.policyFile}: expected the statements SreOpsRead and SreOpsPatch`);

    const trust = (arns: CfnParameter): IPrincipal =>
      // The service account, narrowed to the named roles: no other principal of that account may assume.
      new AccountPrincipal(serviceAccount.valueAsString).withConditions({
        ArnEquals: { 'aws:PrincipalArn': arns.valueAsList },
        ...(props.externalId !== undefined ? { StringEquals: { 'sts:ExternalId': props.externalId } } : {}),
      });

    this.readRole = new Role(this, 'ReadRole', {
      roleName: READ_ROLE_NAME,
      assumedBy: trust(readers),
      maxSessionDuration: Duration.hours(1),
      description: 'sre-ops-assistant: read EC2, Inspector2, SSM, CloudWatch and CloudTrail of this account (organization scope)',
    });
    const readPolicy = new ManagedPolicy(this, 'ReadPolicy', {
      roles: [this.readRole],
      statements: [new PolicyStatement({ sid: 'SreOpsRead', effect: Effect.ALLOW, actions: allowedActions([read]), resources: ['*'] })],
    });

    this.patchRole = new Role(this, 'PatchRole', {
      roleName: PATCH_ROLE_NAME,
      assumedBy: trust(patchers),
      maxSessionDuration: Duration.hours(1),
      description: 'sre-ops-assistant: patch opted-in instances of this account with AWS-RunPatchBaseline (organization scope)',
    });
    const patchActions = allowedActions([patch]).filter((a) => a !== 'ssm:SendCommand');
    const patchPolicy = new ManagedPolicy(this, 'PatchPolicy', {
      roles: [this.patchRole],
      statements: [
        new PolicyStatement({ sid: 'SreOpsPatch', effect: Effect.ALLOW, actions: patchActions, resources: ['*'] }),
        ...sendCommandStatements({ optInTag: props.optInTag }),
        new PolicyStatement({ sid: 'SreOpsVerify', effect: Effect.ALLOW, actions: [...VERIFY_ACTIONS], resources: ['*'] }),
      ],
    });

    acknowledge(readPolicy, {
      'AwsSolutions-IAM5[Resource::*]': 'Resource "*" only on the read actions of docs/iam-policy.json, none of which has resource-level permissions (EC2 DescribeInstances, Inspector2 ListFindings, SSM Describe*, CloudWatch GetMetricData, CloudTrail LookupEvents).',
    });
    acknowledge(patchPolicy, {
      'AwsSolutions-IAM5[Resource::*]': 'Resource "*" only on SSM command and maintenance-window calls on ids the service creates at run time, and the verification reads; ssm:SendCommand is split out and scoped.',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]':
        'ssm:SendCommand on instances is limited by condition to those carrying the patch opt-in tag (ssm:resourceTag), and the document to AWS-RunPatchBaseline.',
    });
  }
}
