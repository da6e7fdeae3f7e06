/**
 * Who may do what. Roles grant permissions; the use cases call `authorize` before they change
 * anything, so no surface (CLI, HTTP, chat, MCP) can forget a check.
 *
 * viewer reads; operator requests, executes and cancels runs; approver approves or rejects runs,
 * accepts risks and schedules patching (a schedule is a standing approval); admin does all.
 */
import { ForbiddenError } from '../errors.js';
import type { Policy } from '../policy.js';
import { ROLES, type Actor, type Role } from './actor.js';

export type Permission = 'view' | 'request' | 'execute' | 'cancel' | 'approve' | 'accept-risk' | 'schedule';

export const PERMISSIONS: readonly Permission[] = ['view', 'request', 'execute', 'cancel', 'approve', 'accept-risk', 'schedule'];

/** What each role grants. Roles add up: an actor with operator and approver has both sets. */
export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['view'],
  operator: ['view', 'request', 'execute', 'cancel'],
  approver: ['view', 'approve', 'cancel', 'accept-risk', 'schedule'],
  admin: PERMISSIONS,
};

const WHAT: Readonly<Record<Permission, string>> = {
  view: 'read patch runs, acceptances, schedules and the audit log',
  request: 'request a patch run',
  execute: 'execute a patch run',
  cancel: 'cancel a patch run',
  approve: 'approve or reject a patch run',
  'accept-risk': 'accept or revoke a risk',
  schedule: 'schedule or unschedule patching',
};

export function can(actor: Actor, permission: Permission): boolean {
  return actor.roles.some((r) => GRANTS[r]?.includes(permission) ?? false);
}

/** The roles that grant a permission, for messages. */
export function rolesGranting(permission: Permission): Role[] {
  return ROLES.filter((r) => GRANTS[r].includes(permission));
}

/**
 * @throws ForbiddenError naming the actor, their roles, the action and the roles that would allow it.
 */
export function authorize(actor: Actor, permission: Permission): void {
  if (can(actor, permission)) return;
  const roles = actor.roles.length ? actor.roles.join(', ') : 'no role';
  throw new ForbiddenError(`${actor.id} (${roles}) may not ${WHAT[permission]}: that needs the ${rolesGranting(permission).join(' or ')} role`);
}

/** True when a policy key with `*` (any run of characters) matches the whole id. */
export function matchesPattern(pattern: string, id: string): boolean {
  if (!pattern.includes('*')) return pattern === id;
  const escape = (part: string): string => part.replace(/[.*+?^$()|[\]{}\\]/g, (c) => `\\${c}`);
  return new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`).test(id);
}

/**
 * The roles of an identity under the policy: those of its exact key in access.actors; else the
 * roles of every key with `*` that matches it (an AWS principal by pattern, e.g.
 * "arn:aws:sts::123456789012:assumed-role/Approvers/*"), together; else access.localUser for the
 * principal of this process (the OS user, or the AWS principal); else access.others.
 * @param local true when `id` is this process's own authenticated principal (not an asserted --actor name).
 */
export function rolesOf(id: string, policy: Policy, local: boolean): readonly Role[] {
  const actors = policy.access.actors;
  const named = Object.prototype.hasOwnProperty.call(actors, id) ? actors[id] : undefined;
  if (named !== undefined) return named;
  const matched = Object.keys(actors).filter((k) => k.includes('*') && matchesPattern(k, id));
  if (matched.length) return ROLES.filter((r) => matched.some((k) => actors[k]?.includes(r)));
  return local ? policy.access.localUser : policy.access.others;
}

/**
 * An Actor for an identity, with its roles from the policy. With `claimedBy`, the identity is a
 * claim asserted by that principal: it gets the roles the policy gives the claimed name, and is
 * recorded as a claim.
 */
export function actorFor(id: string, via: Actor['via'], policy: Policy, options: { local?: boolean; displayName?: string; claimedBy?: string } = {}): Actor {
  const trimmed = id.trim();
  if (!trimmed) throw new ForbiddenError('an actor needs a non-empty identity');
  const claimed = options.claimedBy !== undefined && options.claimedBy !== trimmed;
  return {
    id: trimmed,
    roles: rolesOf(trimmed, policy, claimed ? false : (options.local ?? false)),
    via,
    ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
    ...(claimed ? { claimedBy: options.claimedBy } : {}),
  };
}
