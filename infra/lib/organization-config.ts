/**
 * Context `organization`: the scheduled organization assessment and the organization scope the
 * service's roles may assume into (docs/organizations.md, docs/infrastructure.md). Absent: no
 * organization stack and no sts:AssumeRole on any role. Checked once, each error naming the key.
 *
 *   -c 'organization={"accounts":"org","regions":["us-east-1","eu-west-1"],"organizationId":"o-a1b2c3d4e5"}'
 */
import { PATCH_ROLE_NAME, READ_ROLE_NAME } from './member-account-stack.js';

export interface OrganizationConfig {
  /** "org" (every ACTIVE account of Organizations ListAccounts) or the account ids. */
  readonly accounts: 'org' | readonly string[];
  readonly regions: readonly string[];
  /** The role names of the member-account stack (defaults SreOpsReadRole, SreOpsPatchRole). */
  readonly assumeRole: string;
  readonly patchRole: string;
  readonly externalId: string | null;
  /** o-...: with accounts "org", the roles may be assumed only in accounts of this organization (aws:ResourceOrgID). */
  readonly organizationId: string | null;
  /** Where the partitions read Inspector findings: members (each account's read role) or administrator (this account, the delegated administrator). */
  readonly inspector: 'members' | 'administrator';
  /** EventBridge Scheduler expression (UTC), default every day at 05:00. */
  readonly schedule: string;
  /** Partitions assessed at once by the Distributed Map (default 40). */
  readonly maxConcurrency: number;
  /** Share of partitions whose step may fail without failing the run (default 25 %): they become warnings. */
  readonly toleratedFailurePercentage: number;
}

export const ORGANIZATION_DEFAULTS = {
  schedule: 'cron(0 5 * * ? *)',
  maxConcurrency: 40,
  toleratedFailurePercentage: 25,
} as const;

const KEYS = ['accounts', 'regions', 'assumeRole', 'patchRole', 'externalId', 'organizationId', 'inspector', 'schedule', 'maxConcurrency', 'toleratedFailurePercentage'] as const;

/** Reads context `organization` (an object in cdk.json, or its JSON with -c). @throws Error naming the field. */
export function organizationConfig(v: unknown): OrganizationConfig | null {
  if (v === undefined || v === null || v === '') return null;
  let value = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v);
    } catch {
      throw new Error(`context organization: expected JSON such as {"accounts":"org","regions":["us-east-1"]}, got ${v}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('context organization: expected an object');
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(KEYS as readonly string[]).includes(k)) throw new Error(`context organization.${k}: unknown field; expected ${KEYS.join(', ')}`);
  const accounts = o.accounts;
  if (accounts !== 'org' && !(Array.isArray(accounts) && accounts.length > 0 && accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a)))) {
    throw new Error(`context organization.accounts: expected "org" or a list of 12-digit account ids, got ${JSON.stringify(accounts)}`);
  }
  const regions = o.regions;
  if (!Array.isArray(regions) || regions.length === 0 || !regions.every((r) => typeof r === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(r))) {
    throw new Error(`context organization.regions: expected a list of AWS regions such as ["us-east-1","eu-west-1"], got ${JSON.stringify(regions)}`);
  }
  const role = (k: 'assumeRole' | 'patchRole', fallback: string): string => {
    const r = o[k] ?? fallback;
    if (typeof r !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(r)) throw new Error(`context organization.${k}: expected an IAM role name such as ${fallback} (not an ARN), got ${JSON.stringify(r)}`);
    return r;
  };
  const externalId = o.externalId ?? null;
  if (externalId !== null && (typeof externalId !== 'string' || !/^[\w+=,.@:/-]{2,1224}$/.test(externalId))) throw new Error('context organization.externalId: expected 2 to 1224 of letters, digits and +=,.@:/-');
  const organizationId = o.organizationId ?? null;
  if (organizationId !== null && (typeof organizationId !== 'string' || !/^o-[a-z0-9]{10,32}$/.test(organizationId))) {
    throw new Error(`context organization.organizationId: expected an organization id such as o-a1b2c3d4e5, got ${JSON.stringify(organizationId)}`);
  }
  const inspector = o.inspector ?? 'members';
  if (inspector !== 'members' && inspector !== 'administrator') throw new Error(`context organization.inspector: expected members or administrator, got ${JSON.stringify(inspector)}`);
  const schedule = o.schedule ?? ORGANIZATION_DEFAULTS.schedule;
  if (typeof schedule !== 'string' || !/^(cron|rate)\(.+\)$/.test(schedule)) throw new Error(`context organization.schedule: expected an EventBridge Scheduler expression such as cron(0 5 * * ? *) or rate(12 hours), got ${JSON.stringify(schedule)}`);
  const int = (k: 'maxConcurrency' | 'toleratedFailurePercentage', fallback: number, min: number, max: number): number => {
    const n = o[k] ?? fallback;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new Error(`context organization.${k}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(n)}`);
    return n;
  };
  return {
    accounts: accounts === 'org' ? 'org' : [...(accounts as string[])],
    regions: [...(regions as string[])],
    assumeRole: role('assumeRole', READ_ROLE_NAME),
    patchRole: role('patchRole', PATCH_ROLE_NAME),
    externalId: externalId as string | null,
    organizationId: organizationId as string | null,
    inspector,
    schedule,
    maxConcurrency: int('maxConcurrency', ORGANIZATION_DEFAULTS.maxConcurrency, 1, 10_000),
    toleratedFailurePercentage: int('toleratedFailurePercentage', ORGANIZATION_DEFAULTS.toleratedFailurePercentage, 0, 100),
  };
}

/** The policy's `scope` section the organization Lambdas get as SRE_OPS_SCOPE. */
export function scopeSection(o: OrganizationConfig): Record<string, unknown> {
  return {
    accounts: o.accounts, regions: o.regions, assumeRole: o.assumeRole, patchRole: o.patchRole,
    ...(o.externalId !== null ? { externalId: o.externalId } : {}),
    ...(o.inspector === 'administrator' ? { inspector: 'administrator' } : {}),
  };
}
