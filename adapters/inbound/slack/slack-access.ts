/**
 * Slack users as Actors: "slack:U123", with roles from the configured lists of user ids (U...,
 * W...) and user group ids (S...). Group members are read with usergroups.users.list and kept
 * for a few minutes per container, so a busy channel does not call Slack on every click.
 */
import type { Actor } from '../../../domain/access/actor.js';
import type { Policy } from '../../../domain/policy.js';
import { accessHelp, chatRoles, readAccessLists, type AccessLists, type AccessVariables } from '../chat/chat-access.js';
import type { SlackApi } from './slack-api.js';
import type { SlackUser } from './slack-payloads.js';

export const SLACK_ACCESS_VARIABLES: AccessVariables = {
  viewers: 'SRE_OPS_SLACK_VIEWERS',
  requesters: 'SRE_OPS_SLACK_REQUESTERS',
  approvers: 'SRE_OPS_SLACK_APPROVERS',
  admins: 'SRE_OPS_SLACK_ADMINS',
};

export const SLACK_ACCESS_HELP = accessHelp(SLACK_ACCESS_VARIABLES);

/** Reads the lists from the environment. @throws ValidationError naming the variable. */
export function slackAccessLists(env: Readonly<Record<string, string | undefined>>): AccessLists {
  return readAccessLists(env, SLACK_ACCESS_VARIABLES, /^[UWS][A-Z0-9]{2,}$/, 'a Slack user id (U..., W...) or user group id (S...)');
}

const GROUP_TTL_MS = 5 * 60_000;

export class SlackAccess {
  private readonly groups = new Map<string, { readonly at: number; readonly members: Promise<ReadonlySet<string>> }>();

  constructor(
    readonly lists: AccessLists,
    private readonly api: Pick<SlackApi, 'groupMembers'>,
    private readonly now: () => number = Date.now,
  ) {}

  async actorOf(user: SlackUser, policy: Pick<Policy, 'access'>): Promise<Actor> {
    const id = `slack:${user.id}`;
    const roles = await chatRoles(id, this.lists, (entry) => this.isMember(entry, user.id), policy);
    return { id, ...(user.name ? { displayName: user.name } : {}), roles, via: 'slack' };
  }

  /** How the approvers are mentioned in an approval request. */
  approverMentions(): string[] {
    return [...this.lists.approvers, ...this.lists.admins].map((e) => (e.startsWith('S') ? `<!subteam^${e}>` : `<@${e}>`));
  }

  private async isMember(entry: string, userId: string): Promise<boolean> {
    if (!entry.startsWith('S')) return entry === userId;
    return (await this.members(entry)).has(userId);
  }

  private members(groupId: string): Promise<ReadonlySet<string>> {
    const hit = this.groups.get(groupId);
    if (hit && this.now() - hit.at < GROUP_TTL_MS) return hit.members;
    const members = this.api.groupMembers(groupId).then((ids) => new Set(ids) as ReadonlySet<string>);
    // A failed lookup is not cached: the next click asks again.
    members.catch(() => this.groups.delete(groupId));
    this.groups.set(groupId, { at: this.now(), members });
    return members;
  }
}
