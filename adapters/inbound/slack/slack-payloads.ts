/**
 * The deferred jobs of the Slack bot, as JSON: what the acknowledgement hands over, and what the
 * job needs to answer (the response_url, the channel, the message to update).
 */
import type { ChatCommand } from '../chat/chat-command.js';

export const SLACK_JOB = {
  command: 'slack.command',
  decision: 'slack.decision',
  execute: 'slack.execute-run',
} as const;

export type SlackUser = { readonly id: string; readonly name: string | null };

/** Where a message about a run lives, so later jobs can update it. */
export type MessageTarget = {
  readonly channelId: string | null;
  /** The message's ts when it was posted with chat.postMessage; null when only response_url is known. */
  readonly ts: string | null;
  readonly responseUrl: string | null;
};

export type CommandJob = {
  readonly command: ChatCommand;
  /** What the person typed, for the acknowledgement and logs. */
  readonly text: string;
  readonly user: SlackUser;
  readonly teamId: string | null;
  readonly channelId: string | null;
  readonly channelName: string | null;
  readonly responseUrl: string;
  /** Unique per invocation: the idempotency key of a patch request (a retried job makes no second run). */
  readonly triggerId: string;
};

export type DecisionJob = {
  readonly decision: 'approve' | 'reject';
  readonly runId: string;
  readonly user: SlackUser;
  readonly message: MessageTarget;
};

export type ExecuteJob = {
  readonly runId: string;
  /** The run executes as its requester (operators execute; approvers approve). */
  readonly requester: SlackUser;
  readonly message: MessageTarget;
};
