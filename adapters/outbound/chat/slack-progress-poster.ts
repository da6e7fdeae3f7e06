/**
 * Posts a run's progress into the Slack thread it was requested from (chat.postMessage with
 * thread_ts), with the bot token; the Web API's base URL is an option so tests talk to a stand-in
 * on loopback. Slack answers HTTP 200 with `ok: false` and an error code for a refusal: reported
 * as a SourceError naming the code (never the token).
 *
 * An approval request (the autopilot's) is posted with the Slack bot's own Approve / Reject
 * buttons, rendered by the bot's Block Kit renderer (adapters/inbound/slack/block-kit.ts): the same
 * action ids and run id value, so a click reaches the bot's Lambda (the app's interactivity URL,
 * the same app as this token's) and is handled like a click on any run's request: signature
 * verified, the clicker's roles checked, the requester refused, the decision audited.
 */
import { SourceError } from '../../../domain/errors.js';
import type { ProgressThread } from '../../../domain/patch/run.js';
import type { ApprovalRequestPost, RunProgressPoster } from '../../../ports/outbound/run-progress-poster.port.js';

export interface SlackProgressPosterOptions {
  readonly token: string;
  /** Default https://slack.com/api. */
  readonly baseUrl?: string;
}

export class SlackProgressPoster implements RunProgressPoster {
  constructor(private readonly o: SlackProgressPosterOptions) {}

  async post(thread: ProgressThread, text: string): Promise<void> {
    if (thread.platform !== 'slack') return;
    await this.postMessage(thread, { text });
  }

  async postApprovalRequest(thread: ProgressThread, request: ApprovalRequestPost): Promise<string | null> {
    if (thread.platform !== 'slack') return null;
    // Loaded when a request is posted: the library's core (which wires this poster) loads no chat module.
    const [{ decisionActions }, { clampText, renderSlack, SLACK_LIMITS, slackMarkup }] = await Promise.all([
      import('../../inbound/chat/chat-documents.js'),
      import('../../inbound/slack/block-kit.js'),
    ]);
    const message = renderSlack({
      title: request.title,
      subtitle: null,
      facts: [],
      sections: [{ heading: null, lines: [slackMarkup.text(request.text)] }],
      notes: [],
      actions: decisionActions(request.runId, request.instances),
    });
    // The notification text is the request itself (the blocks' header is only its title).
    return this.postMessage(thread, { ...message, text: clampText(request.text, SLACK_LIMITS.fallbackText) });
  }

  /** chat.postMessage; resolves with the message's ts. */
  private async postMessage(thread: ProgressThread, message: { readonly text: string; readonly blocks?: unknown }): Promise<string | null> {
    const res = await fetch(`${this.o.baseUrl ?? 'https://slack.com/api'}/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.o.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: thread.channel, ...message, ...(thread.thread ? { thread_ts: thread.thread } : {}), unfurl_links: false }),
    });
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: string; ts?: unknown };
    if (!res.ok || body.ok !== true) {
      throw new SourceError('slack', 'chat.postMessage', `slack chat.postMessage to ${thread.channel} failed (${body.error ?? `HTTP ${res.status}`})`, { code: body.error ?? `HTTP_${res.status}` });
    }
    return typeof body.ts === 'string' ? body.ts : null;
  }
}
