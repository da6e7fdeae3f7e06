/**
 * The deferred jobs of the Teams bot, as JSON. Each carries the conversation reference, which is
 * what botbuilder needs to write into the conversation again after the request has been answered.
 */
import type { ConversationReference } from 'botbuilder';
import type { JsonValue } from '../../../ports/outbound/deferred-work.port.js';
import type { ChatCommand } from '../chat/chat-command.js';

export const TEAMS_JOB = {
  command: 'teams.command',
  decision: 'teams.decision',
  execute: 'teams.execute-run',
} as const;

/** A conversation reference as JSON (botbuilder's type has optional fields JSON cannot name). */
export type StoredReference = { readonly [key: string]: JsonValue };

export function storedReference(reference: Partial<ConversationReference>): StoredReference {
  return JSON.parse(JSON.stringify(reference)) as StoredReference;
}

export function conversationReference(stored: StoredReference): Partial<ConversationReference> {
  return stored as unknown as Partial<ConversationReference>;
}

/** A Teams user: the AAD object id when Teams gives one (it does for people). */
export type TeamsUser = { readonly id: string; readonly name: string | null };

export type TeamsCommandJob = {
  readonly command: ChatCommand;
  readonly text: string;
  readonly user: TeamsUser;
  readonly reference: StoredReference;
  /** The activity id of the message asked, so the answer threads under it; also the idempotency key. */
  readonly activityId: string;
};

export type TeamsDecisionJob = {
  readonly decision: 'approve' | 'reject';
  readonly runId: string;
  readonly user: TeamsUser;
  readonly reference: StoredReference;
  /** The card the button was on, to update it. */
  readonly cardActivityId: string | null;
};

export type TeamsExecuteJob = {
  readonly runId: string;
  readonly requester: TeamsUser;
  readonly reference: StoredReference;
  readonly cardActivityId: string | null;
};
