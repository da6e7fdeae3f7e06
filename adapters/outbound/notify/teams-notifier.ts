/**
 * Posts to a Teams channel: through a Teams workflow webhook (Power Automate "post to a channel
 * when a webhook request is received"), or as a Bot Framework proactive message to a stored
 * conversation reference (the bot's service URL and the conversation id), with a token for the
 * bot's app id and password (client credentials).
 */
import { SourceError } from '../../../domain/errors.js';
import type { Notification, Notifier } from '../../../ports/outbound/notifier.port.js';
import { cardMessage, renderAdaptiveCard } from './adaptive-card.js';

async function send(channel: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  let status: number;
  let text = '';
  try {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    status = r.status;
    if (status >= 300) text = (await r.text()).slice(0, 200);
  } catch (err) {
    throw new SourceError('teams', 'post', `${channel}: posting failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (status >= 300) throw new SourceError('teams', 'post', `${channel}: posting refused (HTTP ${status}${text ? `: ${text}` : ''})`, { code: `HTTP_${status}` });
}

export class TeamsWorkflowNotifier implements Notifier {
  readonly channel = 'teams-webhook';
  constructor(private readonly webhookUrl: string) {}

  async post(message: Notification): Promise<void> {
    await send(this.channel, this.webhookUrl, cardMessage(renderAdaptiveCard(message)));
  }
}

export interface BotConversation {
  readonly serviceUrl: string;
  readonly conversationId: string;
}

export interface BotCredentials {
  readonly appId: string;
  readonly appPassword: string;
  /** Default the Bot Framework's token endpoint (tests: a loopback stand-in). */
  readonly tokenUrl?: string;
}

export const BOT_TOKEN_URL = 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token';

export class TeamsBotNotifier implements Notifier {
  readonly channel: string;
  private token: { value: string; until: number } | null = null;

  constructor(
    private readonly conversation: BotConversation,
    private readonly credentials: BotCredentials,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.channel = `teams:${conversation.conversationId}`;
  }

  private async bearer(): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.credentials.appId, client_secret: this.credentials.appPassword, scope: 'https://api.botframework.com/.default' });
    let answer: { access_token?: string; expires_in?: number };
    try {
      const r = await fetch(this.credentials.tokenUrl ?? BOT_TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, signal: AbortSignal.timeout(10_000) });
      answer = (await r.json()) as typeof answer;
      if (!r.ok || !answer.access_token) throw new Error(`HTTP ${r.status}`);
    } catch (err) {
      throw new SourceError('teams', 'token', `${this.channel}: no Bot Framework token for app ${this.credentials.appId}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.token = { value: answer.access_token, until: this.now() + Math.max(60, (answer.expires_in ?? 3600) - 300) * 1000 };
    return this.token.value;
  }

  async post(message: Notification): Promise<void> {
    const url = `${this.conversation.serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(this.conversation.conversationId)}/activities`;
    await send(this.channel, url, cardMessage(renderAdaptiveCard(message)), { authorization: `Bearer ${await this.bearer()}` });
  }
}
