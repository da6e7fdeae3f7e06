/**
 * sts:AssumeRole for the service's own roles, on the member roles only (the roles of
 * member-account-stack.ts, whose trust names these roles back): the exact ARNs when the scope
 * lists its accounts; with accounts "org", the role name in any account, narrowed to the
 * organization by aws:ResourceOrgID when its id is given.
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { acknowledge } from './common.js';
import type { OrganizationConfig } from './organization-config.js';

export type MemberRole = 'read' | 'patch';

/** The member roles' ARNs the scope names (a wildcard account with "org"). */
export function memberRoleArns(o: OrganizationConfig, which: MemberRole): string[] {
  const name = which === 'read' ? o.assumeRole : o.patchRole;
  const accounts = o.accounts === 'org' ? ['*'] : o.accounts;
  return accounts.map((a) => `arn:${Aws.PARTITION}:iam::${a}:role/${name}`);
}

export function assumeMemberRoleStatement(o: OrganizationConfig, which: MemberRole): PolicyStatement {
  return new PolicyStatement({
    sid: which === 'read' ? 'AssumeMemberReadRole' : 'AssumeMemberPatchRole',
    actions: ['sts:AssumeRole'],
    resources: memberRoleArns(o, which),
    ...(o.accounts === 'org' && o.organizationId !== null ? { conditions: { StringEquals: { 'aws:ResourceOrgID': o.organizationId } } } : {}),
  });
}

/** Organizations ListAccounts has no resource-level permission; only an "org" scope needs it. */
export function listAccountsStatement(): PolicyStatement {
  return new PolicyStatement({ sid: 'ListOrganizationAccounts', actions: ['organizations:ListAccounts'], resources: ['*'] });
}

/** The cdk-nag acknowledgements the statements above call for, on the construct holding them. */
export function acknowledgeMemberRoles(scope: IConstruct, o: OrganizationConfig, roles: readonly MemberRole[]): void {
  const findings: Record<string, string> = {};
  if (o.accounts === 'org') {
    for (const which of roles) {
      const name = which === 'read' ? o.assumeRole : o.patchRole;
      findings[`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${name}]`] =
        `With accounts "org" the member accounts are known only at run time (Organizations ListAccounts): sts:AssumeRole on the role ${name} in any account` +
        (o.organizationId !== null ? `, limited to the organization ${o.organizationId} by aws:ResourceOrgID` : '') +
        '; the role\'s trust policy names this role back.';
    }
  }
  if (Object.keys(findings).length > 0) acknowledge(scope, findings);
}
