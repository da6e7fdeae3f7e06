/**
 * The whole deployment: seven stacks wired together, cdk-nag's AWS Solutions checks on all of
 * them, and the project's tags. Used by bin/app.ts and by the tests (same code, same context).
 */
import { CfnOutput, Fn, Tags, Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack.js';
import { BotsStack } from './bots-stack.js';
import { PROJECT } from './common.js';
import { readConfig, type InfraConfig } from './config.js';
import { DataStack } from './data-stack.js';
import { EdgeStack } from './edge-stack.js';
import { MonitoringStack } from './monitoring-stack.js';
import { NetworkStack } from './network-stack.js';
import { acknowledgeMemberRoles, assumeMemberRoleStatement, listAccountsStatement } from './member-roles.js';
import { OrgAssessmentStack } from './org-assessment-stack.js';
import { organizationConfig, type OrganizationConfig } from './organization-config.js';
import { findRepoRoot } from './paths.js';
import { ServiceStack } from './service-stack.js';

export interface SreOpsStacks {
  readonly config: InfraConfig;
  readonly network: NetworkStack;
  readonly edge: EdgeStack;
  readonly data: DataStack;
  readonly service: ServiceStack;
  readonly bots: BotsStack;
  readonly api: ApiStack;
  readonly monitoring: MonitoringStack;
  /** The scheduled organization assessment: present with context `organization`. */
  readonly organization: OrgAssessmentStack | null;
}

export function buildApp(app: App, repoRoot: string = findRepoRoot()): SreOpsStacks {
  const config = readConfig(app.node, repoRoot);
  // The account comes from the credentials at deploy; the region is an input (the load
  // balancer's access logs need it at synth). No lookup: synth works offline.
  const env: Environment = { region: config.region };
  const common = { env, production: config.production };
  const name = (part: string): { stackName: string; description: string } => ({
    // One environment per account and region (fixed resource names), so no environment in the name.
    stackName: `SreOps-${part}`,
    description: `sre-ops-assistant (${config.environment}): ${part.toLowerCase()}`,
  });

  const network = new NetworkStack(app, 'Network', { ...common, ...name('Network') });
  const data = new DataStack(app, 'Data', { ...common, ...name('Data') });
  const edge = new EdgeStack(app, 'Edge', { env, ...name('Edge'), vpc: network.vpc, config });
  const service = new ServiceStack(app, 'Service', {
    env, ...name('Service'), vpc: network.vpc, config, targetGroup: edge.targetGroup, securityGroup: edge.serviceSecurityGroup, data,
    ...(config.consoleOidc ? { albSignerArn: edge.loadBalancer.loadBalancerArn } : {}),
  });
  const bots = new BotsStack(app, 'Bots', { env, ...name('Bots'), config, data });
  const api = new ApiStack(app, 'Api', {
    env, ...name('Api'), config, zone: edge.zone, certificate: edge.certificate, originSecret: edge.originSecret,
    slackFunctionArn: bots.slack.functionArn, teamsFunctionArn: bots.teams.functionArn,
  });
  const monitoring = new MonitoringStack(app, 'Monitoring', {
    env, ...name('Monitoring'), config, data, loadBalancer: edge.loadBalancer, targetGroup: edge.targetGroup,
    service: service.service, stage: api.api.deploymentStage, bots: [bots.slack, bots.teams],
  });

  const org = organizationConfig(app.node.tryGetContext('organization'));
  const organization = org ? new OrgAssessmentStack(app, 'OrgAssessment', { env, ...name('OrgAssessment'), config, organization: org, data }) : null;
  if (org && organization) {
    const roles = grantMemberRoles(org, service, bots);
    // The member-account StackSet's parameters: who may assume the read and the patch role.
    new CfnOutput(organization, 'TrustedReadRoleArns', { value: Fn.join(',', [organization.functions.partition.role!.roleArn, ...roles]), description: 'TrustedReadRoleArns of the member-account StackSet' });
    new CfnOutput(organization, 'TrustedPatchRoleArns', { value: Fn.join(',', roles), description: 'TrustedPatchRoleArns of the member-account StackSet' });
  }

  Tags.of(app).add('project', PROJECT);
  Tags.of(app).add('environment', config.environment);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
  return { config, network, edge, data, service, bots, api, monitoring, organization };
}

/**
 * The roles that read and patch (the service's task role, the bots) may assume the member roles,
 * and only those (docs/organizations.md, "Permissions"); with accounts "org" they may list the
 * organization's accounts.
 */
function grantMemberRoles(org: OrganizationConfig, service: ServiceStack, bots: BotsStack): string[] {
  const roles = [service.taskDefinition.taskRole, ...[bots.slack, bots.teams].map((fn) => fn.role!)];
  for (const role of roles) {
    role.addToPrincipalPolicy(assumeMemberRoleStatement(org, 'read'));
    role.addToPrincipalPolicy(assumeMemberRoleStatement(org, 'patch'));
    if (org.accounts === 'org') role.addToPrincipalPolicy(listAccountsStatement());
    acknowledgeMemberRoles(role, org, ['read', 'patch']);
  }
  return roles.map((r) => r.roleArn);
}
