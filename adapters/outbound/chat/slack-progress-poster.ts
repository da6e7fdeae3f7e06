/**
 * Posts a run's progress into the Slack thread it was requested from (chat.postMessage with
 * thread_ts), with the bot token; the Web API's base URL is an option so tests talk to a stand-in
 * on loopback. Slack answers HTTP 200 with `ok: false` and an error code for a refusal: reported
 * as a SourceError naming the code (never the token).
 */
import { SourceError } from '../../../domain/errors.js';
import type { ProgressThread } from '../../../domain/patch/run.js';
import type { RunProgressPoster } from '../../../ports/outbound/run-progress-poster.port.js';

export interface SlackProgressPosterOptions {
  readonly token: string;
  /** Default https://slack.com/api. */
  readonly baseUrl?: string;
}

export class SlackProgressPoster implements RunProgressPoster {
  constructor(private readonly o: SlackProgressPosterOptions) {}

  async post(thread: ProgressThread, text: string): Promise<void> {
    if (thread.platform !== 'slack') return;
    const res = await fetch(`${this.o.baseUrl ?? 'https://slack.com/api'}/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.o.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: thread.channel, text, ...(thread.thread ? { thread_ts: thread.thread } : {}), unfurl_links: false }),
    });
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: string };
    if (!res.ok || body.ok !== true) {
      throw new SourceError('slack', 'chat.postMessage', `slack chat.postMessage to ${thread.channel} failed (${body.error ?? `HTTP ${res.status}`})`, { code: body.error ?? `HTTP_${res.status}` });
    }
  }
}
