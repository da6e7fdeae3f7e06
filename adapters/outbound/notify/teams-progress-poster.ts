/**
 * Posts a run's progress into the Teams conversation it was requested from: a proactive message
 * through the conversation's Bot Connector (POST {serviceUrl}/v3/conversations/{id}/activities,
 * a reply to the asking message when the thread names it), with a Bot Framework token for the
 * bot's app. The service URL comes from the authenticated activity the run was requested with;
 * the token is only ever sent to an https service URL (or one on this machine, for the Bot
 * Framework Emulator and tests, which also need no credentials).
 */
import { ValidationError } from '../../../domain/errors.js';
import type { ProgressThread } from '../../../domain/patch/run.js';
import type { ApprovalRequestPost, RunProgressPoster } from '../../../ports/outbound/run-progress-poster.port.js';
import { BotFrameworkToken, type BotCredentials } from './bot-framework-token.js';
import { send } from './teams-notifier.js';

export interface TeamsProgressPosterOptions {
  /** The bot's app credentials; absent: no token is sent (the Emulator, or a connector on loopback). */
  readonly credentials?: BotCredentials | null;
  readonly now?: () => number;
}

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

export class TeamsProgressPoster implements RunProgressPoster {
  private readonly token: BotFrameworkToken | null;

  constructor(private readonly o: TeamsProgressPosterOptions = {}) {
    this.token = o.credentials ? new BotFrameworkToken(o.credentials, 'teams progress', o.now) : null;
  }

  async post(thread: ProgressThread, text: string): Promise<void> {
    if (thread.platform !== 'teams') return;
    let base: URL;
    try {
      base = new URL(thread.serviceUrl ?? '');
    } catch {
      throw new ValidationError('progressThread.serviceUrl', 'the conversation\'s Bot Connector URL', `progressThread.serviceUrl: the Teams conversation ${thread.channel} has no service URL recorded: its progress cannot be posted`);
    }
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base))) {
      throw new ValidationError('progressThread.serviceUrl', 'an https URL', `progressThread.serviceUrl: expected an https URL, got ${base.origin}: no token is sent there`);
    }
    if (!this.token && !isLoopback(base)) {
      throw new ValidationError('MicrosoftAppId', 'the bot\'s app id and password', `MicrosoftAppId: posting progress to Teams conversation ${thread.channel} needs the bot's MicrosoftAppId and MicrosoftAppPassword in this service`);
    }
    const conversation = encodeURIComponent(thread.channel);
    const url = `${base.href.replace(/\/$/, '')}/v3/conversations/${conversation}/activities${thread.thread ? `/${encodeURIComponent(thread.thread)}` : ''}`;
    const activity = {
      type: 'message',
      // Teams reads markdown, where one line break is none: each line its own paragraph.
      text: text.split('\n').join('\n\n'),
      textFormat: 'markdown',
      conversation: { id: thread.channel, ...(thread.tenantId ? { tenantId: thread.tenantId } : {}) },
      ...(thread.thread ? { replyToId: thread.thread } : {}),
    };
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (this.token) headers.authorization = `Bearer ${await this.token.bearer()}`;
    await send(`teams conversation ${thread.channel}`, url, activity, headers, 'posting progress');
  }
}

/** The poster of each chat platform: a thread goes to its platform's; a platform with none says so. */
export class ChatProgressPosters implements RunProgressPoster {
  constructor(private readonly byPlatform: Readonly<Record<string, RunProgressPoster | null | undefined>>, private readonly missing: Readonly<Record<string, string>> = {}) {}

  async post(thread: ProgressThread, text: string): Promise<void> {
    const poster = this.byPlatform[thread.platform];
    if (!poster) {
      throw new ValidationError('progressThread.platform', 'a configured chat platform', this.missing[thread.platform] ?? `progressThread.platform: this service posts no progress to ${thread.platform}`);
    }
    await poster.post(thread, text);
  }

  /** The platform's approval request with its buttons; where it has none, the text (and no message id). */
  async postApprovalRequest(thread: ProgressThread, request: ApprovalRequestPost): Promise<string | null> {
    const poster = this.byPlatform[thread.platform];
    if (poster?.postApprovalRequest) return poster.postApprovalRequest(thread, request);
    await this.post(thread, request.text);
    return null;
  }
}
