/**
 * The IAM statements of the application's roles, built from the operation list the code keeps in
 * docs/iam-policy.json, so a new SDK call shows up in the roles by editing one file.
 *
 * One action is narrowed here whatever the file says: `ssm:SendCommand` may only run the
 * AWS-RunPatchBaseline document, and only on EC2 instances carrying the opt-in tag.
 */
import { readFileSync } from 'node:fs';
import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';

interface FileStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The patch document the service may run, and nothing else. */
export const PATCH_DOCUMENT = 'AWS-RunPatchBaseline';

/** What the collector calls: assessFleet and complianceSummary (EC2, Inspector, SSM reads). */
export const COLLECTOR_READ_ACTIONS = [
  'ec2:DescribeInstances',
  'inspector2:ListFindings',
  'ssm:DescribeInstanceInformation',
  'ssm:DescribeInstancePatchStates',
] as const;

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);

/** The statements of docs/iam-policy.json. @throws Error naming the file when it is unreadable. */
export function readPolicyFile(file: string): readonly FileStatement[] {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as { Statement?: unknown };
  } catch (err) {
    throw new Error(`IAM operation list ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(doc.Statement)) throw new Error(`IAM operation list ${file}: expected a Statement array`);
  return doc.Statement as FileStatement[];
}

/** Every action the file allows, sorted (for tests and the report). */
export function allowedActions(statements: readonly FileStatement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)))].sort();
}

export interface PatchScope {
  readonly optInTag: { readonly key: string; readonly value: string };
}

/**
 * The application's statements (the HTTP service and the chat bots run the same use cases).
 * Each file statement keeps its resources and conditions; SendCommand is split out and scoped.
 */
export function applicationStatements(statements: readonly FileStatement[], scope: PatchScope): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  let sendCommand = false;
  for (const [i, s] of statements.entries()) {
    if (s.Effect !== 'Allow') continue;
    const actions = list(s.Action).filter((a) => {
      if (a.toLowerCase() === 'ssm:sendcommand') { sendCommand = true; return false; }
      return true;
    });
    if (actions.length === 0) continue;
    if (actions.some((a) => a.endsWith(':*') || a === '*')) {
      throw new Error(`IAM operation list statement ${s.Sid ?? i}: service wildcards are not least privilege (${actions.join(', ')})`);
    }
    out.push(new PolicyStatement({
      sid: s.Sid,
      effect: Effect.ALLOW,
      actions,
      resources: list(s.Resource).length ? list(s.Resource) : ['*'],
      ...(s.Condition ? { conditions: s.Condition } : {}),
    }));
  }
  if (sendCommand) out.push(...sendCommandStatements(scope));
  return out;
}

/**
 * SendCommand authorizes every resource of the call: the document and each target instance.
 * The document is AWS-owned (no account in its ARN); instances must carry the opt-in tag.
 */
export function sendCommandStatements(scope: PatchScope): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'SendCommandPatchBaselineOnly',
      effect: Effect.ALLOW,
      actions: ['ssm:SendCommand'],
      resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}::document/${PATCH_DOCUMENT}`],
    }),
    new PolicyStatement({
      sid: 'SendCommandOptedInInstancesOnly',
      effect: Effect.ALLOW,
      actions: ['ssm:SendCommand'],
      resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:instance/*`],
      conditions: { StringEquals: { [`ssm:resourceTag/${scope.optInTag.key}`]: scope.optInTag.value } },
    }),
  ];
}

/** The collector's read statement, checked against the file so the two cannot drift apart. */
export function collectorReadStatement(statements: readonly FileStatement[], file: string): PolicyStatement {
  const allowed = new Set(allowedActions(statements));
  const missing = COLLECTOR_READ_ACTIONS.filter((a) => !allowed.has(a));
  if (missing.length) throw new Error(`IAM operation list ${file} no longer lists ${missing.join(', ')}, which the collector calls`);
  return new PolicyStatement({ sid: 'CollectorFleetReads', effect: Effect.ALLOW, actions: [...COLLECTOR_READ_ACTIONS], resources: ['*'] });
}
