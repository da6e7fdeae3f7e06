/**
 * What the bot says to Slack after the acknowledgement: messages through the Web API
 * (chat.postMessage, chat.update, usergroups.users.list) and replies to a response_url. Every
 * URL is configurable, so tests point them at a local server.
 */
import { webApi } from '@slack/bolt';
import { SourceError } from '../../../domain/errors.js';
import type { Block } from './block-kit.js';

export interface SlackMessageBody {
  readonly text: string;
  readonly blocks: readonly Block[];
}

/** A reply through a response_url (valid 30 minutes, five times). */
export interface ResponseBody {
  readonly text: string;
  readonly blocks?: readonly Block[];
  readonly response_type?: 'ephemeral' | 'in_channel';
  readonly replace_original?: boolean;
}

export interface SlackApi {
  /** Posts in a channel; resolves the message ts, or null when Slack refused (not in channel...). */
  postMessage(channel: string, message: SlackMessageBody, threadTs?: string): Promise<string | null>;
  /** Replaces a message the bot posted; false when Slack refused. */
  updateMessage(channel: string, ts: string, message: SlackMessageBody): Promise<boolean>;
  /** The user ids in a user group (S...). */
  groupMembers(groupId: string): Promise<readonly string[]>;
  respond(responseUrl: string, body: ResponseBody): Promise<boolean>;
}

export interface WebClientSlackApiOptions {
  readonly botToken: string;
  /** Slack's Web API base, e.g. "https://slack.com/api/" (the default). */
  readonly slackApiUrl?: string;
  /** Where failures are reported (never with the token). */
  readonly log: (message: string) => void;
}

export class WebClientSlackApi implements SlackApi {
  private readonly client: InstanceType<typeof webApi.WebClient>;

  constructor(private readonly options: WebClientSlackApiOptions) {
    this.client = new webApi.WebClient(options.botToken, {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      logLevel: webApi.LogLevel.ERROR,
      // The default retries for half an hour; a Lambda has minutes.
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
      timeout: 10_000,
      rejectRateLimitedCalls: false,
    });
  }

  async postMessage(channel: string, message: SlackMessageBody, threadTs?: string): Promise<string | null> {
    try {
      const out = await this.client.chat.postMessage({ channel, text: message.text, ...blocksOf(message), ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false });
      return out.ts ?? null;
    } catch (err) {
      this.options.log(`chat.postMessage to ${channel} failed: ${errorCode(err)}`);
      return null;
    }
  }

  async updateMessage(channel: string, ts: string, message: SlackMessageBody): Promise<boolean> {
    try {
      await this.client.chat.update({ channel, ts, text: message.text, ...blocksOf(message) });
      return true;
    } catch (err) {
      this.options.log(`chat.update of ${channel}/${ts} failed: ${errorCode(err)}`);
      return false;
    }
  }

  async groupMembers(groupId: string): Promise<readonly string[]> {
    try {
      const out = await this.client.usergroups.users.list({ usergroup: groupId });
      return out.users ?? [];
    } catch (err) {
      throw new SourceError('slack', 'usergroups.users.list', `could not read the members of user group ${groupId}: ${errorCode(err)}`, { code: errorCode(err) });
    }
  }

  async respond(responseUrl: string, body: ResponseBody): Promise<boolean> {
    try {
      const res = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) return true;
      this.options.log(`response_url answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    } catch (err) {
      this.options.log(`response_url failed: ${errorCode(err)}`);
    }
    return false;
  }
}

/** Slack refuses an empty block list: a text-only message sends none. */
function blocksOf(message: SlackMessageBody): { blocks?: never } {
  return (message.blocks.length ? { blocks: message.blocks } : {}) as { blocks?: never };
}

/** A Slack error's code ("not_in_channel") or the error's name: never the request. */
function errorCode(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; name?: string; message?: string };
  return e.data?.error ?? e.code ?? e.name ?? String(err);
}
