/**
 * Posts to a Teams channel: through a Teams workflow webhook (Power Automate "post to a channel
 * when a webhook request is received"), or as a Bot Framework proactive message to a stored
 * conversation reference (the bot's service URL and the conversation id), with a token for the
 * bot's app id and password (client credentials).
 */
import { SourceError } from '../../../domain/errors.js';
import type { Notification, Notifier } from '../../../ports/outbound/notifier.port.js';
import { cardMessage, renderAdaptiveCard } from './adaptive-card.js';
import { BotFrameworkToken, type BotCredentials } from './bot-framework-token.js';

/** POSTs `body` as JSON (10 s timeout); a refusal or failure is a SourceError naming `channel` and `what` (e.g. "posting"). */
export async function send(channel: string, url: string, body: unknown, headers: Record<string, string> = {}, what = 'posting'): Promise<void> {
  let status: number;
  let text = '';
  try {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    status = r.status;
    if (status >= 300) text = (await r.text()).slice(0, 200);
  } catch (err) {
    throw new SourceError('teams', 'post', `${channel}: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (status >= 300) throw new SourceError('teams', 'post', `${channel}: ${what} refused (HTTP ${status}${text ? `: ${text}` : ''})`, { code: `HTTP_${status}` });
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

export class TeamsBotNotifier implements Notifier {
  readonly channel: string;
  private readonly token: BotFrameworkToken;

  constructor(
    private readonly conversation: BotConversation,
    credentials: BotCredentials,
    now: () => number = () => Date.now(),
  ) {
    this.channel = `teams:${conversation.conversationId}`;
    this.token = new BotFrameworkToken(credentials, this.channel, now);
  }

  async post(message: Notification): Promise<void> {
    const url = `${this.conversation.serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(this.conversation.conversationId)}/activities`;
    await send(this.channel, url, cardMessage(renderAdaptiveCard(message)), { authorization: `Bearer ${await this.token.bearer()}` });
  }
}
