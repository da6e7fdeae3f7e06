/**
 * Who may do what in chat, from configuration: lists of platform identities (Slack user or user
 * group ids, Teams AAD object ids) per role. The use cases check the roles again themselves;
 * this only decides which roles a chat user holds.
 */
import type { Role } from '../../../domain/access/actor.js';
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
 * The roles of a user, given which list entries name them (`isMember` answers for a user id or,
 * on Slack, a user group). Requesters, approvers and admins may read whether or not viewers are
 * listed.
 */
export async function rolesFromLists(lists: AccessLists, isMember: (entry: string) => Promise<boolean>): Promise<Role[]> {
  const anyOf = async (entries: readonly string[]): Promise<boolean> => {
    for (const e of entries) if (await isMember(e)) return true;
    return false;
  };
  const roles: Role[] = [];
  if (lists.viewers === null || (await anyOf(lists.viewers))) roles.push('viewer');
  if (await anyOf(lists.requesters)) roles.push('operator');
  if (await anyOf(lists.approvers)) roles.push('approver');
  if (await anyOf(lists.admins)) roles.push('admin');
  return roles;
}

/** One sentence saying where roles come from, for a refusal. */
export function accessHelp(vars: AccessVariables): string {
  return `Chat roles are configured by whoever runs the bot: ${vars.requesters} (operator: request runs), ${vars.approvers} (approver: approve runs, accept risks), ${vars.admins} (admin) and, when set, ${vars.viewers} (viewer: read).`;
}
