/**
 * Teams users as Actors: "teams:<aadObjectId>", with roles from configured lists of AAD object
 * ids (Teams has no user groups the bot can read without Microsoft Graph).
 */
import type { Actor } from '../../../domain/access/actor.js';
import type { Policy } from '../../../domain/policy.js';
import { accessHelp, chatRoles, readAccessLists, type AccessLists, type AccessVariables } from '../chat/chat-access.js';
import type { TeamsUser } from './teams-payloads.js';

export const TEAMS_ACCESS_VARIABLES: AccessVariables = {
  viewers: 'SRE_OPS_TEAMS_VIEWERS',
  requesters: 'SRE_OPS_TEAMS_REQUESTERS',
  approvers: 'SRE_OPS_TEAMS_APPROVERS',
  admins: 'SRE_OPS_TEAMS_ADMINS',
};

export const TEAMS_ACCESS_HELP = accessHelp(TEAMS_ACCESS_VARIABLES);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the lists from the environment. @throws ValidationError naming the variable. */
export function teamsAccessLists(env: Readonly<Record<string, string | undefined>>): AccessLists {
  const lists = readAccessLists(env, TEAMS_ACCESS_VARIABLES, GUID, 'an Azure AD object id (a GUID)');
  const lower = (ids: readonly string[]): string[] => ids.map((id) => id.toLowerCase());
  return { viewers: lists.viewers && lower(lists.viewers), requesters: lower(lists.requesters), approvers: lower(lists.approvers), admins: lower(lists.admins) };
}

export class TeamsAccess {
  constructor(readonly lists: AccessLists) {}

  async actorOf(user: TeamsUser, policy: Pick<Policy, 'access'>): Promise<Actor> {
    const aad = user.id.toLowerCase();
    const id = `teams:${aad}`;
    const roles = await chatRoles(id, this.lists, async (entry) => entry === aad, policy);
    return { id, ...(user.name ? { displayName: user.name } : {}), roles, via: 'teams' };
  }
}
