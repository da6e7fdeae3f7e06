/** Posts to a Slack channel with the Web API's chat.postMessage (a bot token with chat:write). */
import { SourceError } from '../../../domain/errors.js';
import type { Notification, Notifier } from '../../../ports/outbound/notifier.port.js';
import { renderBlockKit } from './block-kit.js';

export interface SlackNotifierOptions {
  readonly token: string;
  /** A channel id (C0123...) or name. */
  readonly channel: string;
  /** Default https://slack.com/api (tests: a loopback stand-in). */
  readonly apiUrl?: string;
}

export class SlackNotifier implements Notifier {
  readonly channel: string;
  constructor(private readonly options: SlackNotifierOptions) {
    this.channel = `slack:${options.channel}`;
  }

  async post(message: Notification): Promise<void> {
    const url = `${(this.options.apiUrl ?? 'https://slack.com/api').replace(/\/$/, '')}/chat.postMessage`;
    let answer: { ok?: boolean; error?: string };
    try {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify({ channel: this.options.channel, unfurl_links: false, ...renderBlockKit(message) }),
        signal: AbortSignal.timeout(10_000),
      });
      answer = (await r.json().catch(() => ({ ok: false, error: `HTTP ${r.status}` }))) as typeof answer;
    } catch (err) {
      throw new SourceError('slack', 'chat.postMessage', `${this.channel}: chat.postMessage failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (answer.ok !== true) throw new SourceError('slack', 'chat.postMessage', `${this.channel}: chat.postMessage refused: ${answer.error ?? 'unknown error'}`, { code: answer.error ?? 'unknown' });
  }
}
