/**
 * The organization scope of a live read: which AWS accounts and regions, and the roles assumed in
 * each member account. An asset's identity is (account, region, instance id). One account (the
 * caller's own) and one region (the configured one) is the default: no scope at all.
 */
import { ValidationError } from './errors.js';

/**
 * The regions of the public, China and GovCloud partitions, as the AWS SDK's partition data
 * lists them (test/unit/domain/scope.spec.ts checks this list against the SDK's own). A region
 * not in it is refused, so a typo (eu-west-l) fails before any call instead of timing out.
 */
export const AWS_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1',
  'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1',
  'us-east-1', 'us-east-2', 'us-gov-east-1', 'us-gov-west-1', 'us-west-1', 'us-west-2',
] as const;

/** The role assumed in each member account to read it (the member-account stack creates it). */
export const DEFAULT_READ_ROLE = 'SreOpsReadRole';
/** The role assumed in an instance's account to patch it. */
export const DEFAULT_PATCH_ROLE = 'SreOpsPatchRole';
/**
 * Where Inspector findings are read: from each member account through its read role (members, the
 * default), or once per region from the delegated administrator, the caller's own account
 * (findings carry awsAccountId and are routed to their account).
 */
export const INSPECTOR_SOURCES = ['members', 'administrator'] as const;
export type InspectorSource = (typeof INSPECTOR_SOURCES)[number];

/** `accounts: org`: every ACTIVE account of the organization (Organizations ListAccounts). */
export const ORG_ACCOUNTS = 'org';

/** What a person or a policy asks for; every field optional. */
export interface ScopeRequest {
  /** Regions to read; default the configured region alone. */
  readonly regions?: readonly string[];
  /** Account ids, or "org"; default the caller's own account, without assuming any role. */
  readonly accounts?: readonly string[] | typeof ORG_ACCOUNTS;
  /** Role NAME assumed in each account (arn:aws:iam::ACCOUNT:role/NAME); default SreOpsReadRole. */
  readonly assumeRole?: string;
  /** The external id the roles' trust policies require, if any. */
  readonly externalId?: string;
  /** Role NAME assumed in an instance's account to patch it; default SreOpsPatchRole. */
  readonly patchRole?: string;
  /** Where Inspector findings are read; default members. */
  readonly inspector?: InspectorSource;
}

/** A validated scope. */
export interface Scope {
  /** Empty: the configured region alone. */
  readonly regions: readonly string[];
  /** null: the caller's own account, with its own credentials. */
  readonly accounts: readonly string[] | typeof ORG_ACCOUNTS | null;
  readonly assumeRole: string;
  readonly externalId: string | null;
  readonly patchRole: string;
  readonly inspector: InspectorSource;
}

const ACCOUNT_ID = /^\d{12}$/;
// IAM role names: 1 to 64 of letters, digits and + = , . @ _ -
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// STS ExternalId: 2 to 1224 of letters, digits and + = , . @ : / -
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** "a, b,,c" → ["a", "b", "c"]: the comma lists of --regions and --accounts. */
export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** True when the scope reads more than the default (one account with its own credentials, one region). */
export function isScoped(scope: Scope): boolean {
  return scope.accounts !== null || scope.regions.length > 0 || scope.inspector === 'administrator';
}

/** The role ARN of NAME in ACCOUNT. */
export function roleArn(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The AWS partition a region belongs to (aws, aws-cn, aws-us-gov). */
export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The region of an availability zone ("us-east-1a", "us-west-2-lax-1a" → "us-west-2"); null when it is not one. */
export function regionOfZone(zone: string | null | undefined): string | null {
  const m = zone ? /^([a-z]{2}(?:-gov)?-[a-z]+-\d+)/.exec(zone) : null;
  return m ? (m[1] ?? null) : null;
}

/** The option names errors use, per surface (CLI flags, library keys, policy paths). */
export interface ScopeFields {
  readonly regions: string;
  readonly accounts: string;
  readonly assumeRole: string;
  readonly externalId: string;
  readonly patchRole: string;
  readonly inspector?: string;
}

export const SCOPE_FIELDS: ScopeFields = { regions: 'regions', accounts: 'accounts', assumeRole: 'assumeRole', externalId: 'externalId', patchRole: 'patchRole', inspector: 'inspector' };

function refuse(field: string, expected: string, got: unknown): never {
  throw new ValidationError(field, expected, `${field}: expected ${expected}, got ${JSON.stringify(got)}`);
}

/**
 * Validates a scope request. Each error is one line naming the option (`fields`) and what was
 * expected: an account id of 12 digits (or org), a region of the AWS partitions, an IAM role name.
 * @throws ValidationError
 */
export function resolveScope(request: ScopeRequest, fields: ScopeFields = SCOPE_FIELDS): Scope {
  const regions: string[] = [];
  if (request.regions !== undefined) {
    if (!Array.isArray(request.regions) || request.regions.length === 0) refuse(fields.regions, 'a comma-separated list of AWS regions such as eu-west-1,us-east-1', request.regions);
    for (const r of request.regions) {
      if (typeof r !== 'string' || !(AWS_REGIONS as readonly string[]).includes(r)) refuse(fields.regions, 'AWS regions such as eu-west-1 (a region of the aws, aws-cn or aws-us-gov partition)', r);
      if (!regions.includes(r)) regions.push(r);
    }
    if (new Set(regions.map(partitionOf)).size > 1) refuse(fields.regions, 'regions of one partition (aws, aws-cn or aws-us-gov): credentials do not cross partitions', request.regions);
  }
  let accounts: Scope['accounts'] = null;
  if (request.accounts !== undefined) {
    if (request.accounts === ORG_ACCOUNTS) accounts = ORG_ACCOUNTS;
    else {
      if (!Array.isArray(request.accounts) || request.accounts.length === 0) refuse(fields.accounts, 'a comma-separated list of 12-digit account ids, or org', request.accounts);
      const list = request.accounts as readonly unknown[];
      if (list.length === 1 && list[0] === ORG_ACCOUNTS) accounts = ORG_ACCOUNTS;
      else {
        const ids: string[] = [];
        for (const a of list) {
          if (typeof a !== 'string' || !ACCOUNT_ID.test(a)) refuse(fields.accounts, '12-digit AWS account ids (or org alone)', a);
          if (!ids.includes(a)) ids.push(a);
        }
        accounts = ids;
      }
    }
  }
  const role = (value: string | undefined, field: string, fallback: string): string => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !ROLE_NAME.test(value)) refuse(field, 'an IAM role name (1 to 64 letters, digits or + = , . @ _ -), not an ARN', value);
    return value;
  };
  if (request.externalId !== undefined && (typeof request.externalId !== 'string' || !EXTERNAL_ID.test(request.externalId))) {
    // The value may be a shared secret: name the rule, not the value.
    throw new ValidationError(fields.externalId, 'an external id', `${fields.externalId}: expected 2 to 1224 letters, digits or + = , . @ : / -`);
  }
  if (request.inspector !== undefined && !(INSPECTOR_SOURCES as readonly unknown[]).includes(request.inspector)) {
    refuse(fields.inspector ?? 'inspector', `${INSPECTOR_SOURCES.join(' or ')} (where Inspector findings are read)`, request.inspector);
  }
  return {
    regions,
    accounts,
    assumeRole: role(request.assumeRole, fields.assumeRole, DEFAULT_READ_ROLE),
    externalId: request.externalId ?? null,
    patchRole: role(request.patchRole, fields.patchRole, DEFAULT_PATCH_ROLE),
    inspector: request.inspector ?? 'members',
  };
}
