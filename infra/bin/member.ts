#!/usr/bin/env node
/**
 * The member-account stack alone, for a CloudFormation StackSet (docs/organizations.md):
 *   npx cdk synth --app "npx tsx infra/bin/member.ts" SreOps-Member > member.template.yaml
 * Context: patchOptInTagKey / patchOptInTagValue (defaults sre-ops:patch / enabled), externalId.
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MemberAccountStack } from '../lib/member-account-stack.js';
import { findRepoRoot } from '../lib/paths.js';

const app = new App();
const ctx = (key: string): string | undefined => {
  const v = app.node.tryGetContext(key) as unknown;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};
const externalId = ctx('externalId');
new MemberAccountStack(app, 'Member', {
  stackName: 'SreOps-Member',
  description: 'sre-ops-assistant: the read and patch roles of a member account (organization scope)',
  policyFile: join(findRepoRoot(), 'docs', 'iam-policy.json'),
  optInTag: { key: ctx('patchOptInTagKey') ?? 'sre-ops:patch', value: ctx('patchOptInTagValue') ?? 'enabled' },
  ...(externalId !== undefined ? { externalId } : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
app.synth();
