/**
 * Who may do what in chat, from configuration: lists of platform identities (Slack user or user
 * group ids, Teams AAD object ids) per role in the environment, and the policy's access section
 * ("slack:U123": ["approver"] in access.actors; access.others for everyone else). The use cases
 * check the roles again themselves; this only decides which roles a chat user holds.
 */
import { ROLES, type Role } from '../../../domain/access/actor.js';
import type { Policy } from '../../../domain/policy.js';
import { ValidationError } from '../../../domain/errors.js';

export interface AccessLists {
  /** Who may read at all; null: everyone who can reach the bot. */
  readonly viewers: readonly string[] | null;
  /** Who may request patch runs (operator). */
  readonly requesters: readonly string[];
  /** Who may approve or reject runs and accept risks (approver). */
  readonly approvers: readonly string[];
  /** Who may do everything (admin). */
  readonly admins: readonly string[];
}

/** The environment variable behind each list, for messages that say what to change. */
export interface AccessVariables {
  readonly viewers: string;
  readonly requesters: string;
  readonly approvers: string;
  readonly admins: string;
}

/**
 * Reads a comma- or space-separated list of ids, each checked against `pattern`.
 * @throws ValidationError naming the variable and the bad entry.
 */
export function parseIdList(value: string | undefined, variable: string, pattern: RegExp, expected: string): string[] {
  const ids = (value ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  for (const id of ids) {
    if (!pattern.test(id)) throw new ValidationError(variable, expected, `${variable}: "${id}" is not ${expected}`);
  }
  return [...new Set(ids)];
}

export function readAccessLists(env: Readonly<Record<string, string | undefined>>, vars: AccessVariables, pattern: RegExp, expected: string): AccessLists {
  const viewers = env[vars.viewers]?.trim() ? parseIdList(env[vars.viewers], vars.viewers, pattern, expected) : null;
  return {
    viewers,
    requesters: parseIdList(env[vars.requesters], vars.requesters, pattern, expected),
    approvers: parseIdList(env[vars.approvers], vars.approvers, pattern, expected),
    admins: parseIdList(env[vars.admins], vars.admins, pattern, expected),
  };
}

/**
 * The roles of a chat user: those the policy names for `actorId`, else its access.others unless
 * a viewer list restricts reading; plus a role for each list that names the user (`isMember`
 * answers for a user id or, on Slack, a user group).
 */
export async function chatRoles(
  actorId: string,
  lists: AccessLists,
  isMember: (entry: string) => Promise<boolean>,
  policy: Pick<Policy, 'access'>,
): Promise<Role[]> {
  const anyOf = async (entries: readonly string[]): Promise<boolean> => {
    for (const e of entries) if (await isMember(e)) return true;
    return false;
  };
  const named = Object.prototype.hasOwnProperty.call(policy.access.actors, actorId) ? policy.access.actors[actorId] : undefined;
  const roles = new Set<Role>(named ?? (lists.viewers === null ? policy.access.others : []));
  if (lists.viewers !== null && (await anyOf(lists.viewers))) roles.add('viewer');
  if (await anyOf(lists.requesters)) roles.add('operator');
  if (await anyOf(lists.approvers)) roles.add('approver');
  if (await anyOf(lists.admins)) roles.add('admin');
  return ROLES.filter((r) => roles.has(r));
}

/** One sentence saying where roles come from, for a refusal. */
export function accessHelp(vars: AccessVariables): string {
  return `Chat roles are configured by whoever runs the bot: ${vars.requesters} (operator: request runs), ${vars.approvers} (approver: approve runs, accept risks), ${vars.admins} (admin), ${vars.viewers} when reading is restricted, or the policy's access.actors.`;
}
