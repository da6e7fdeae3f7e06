/**
 * A Bot Framework access token for the bot's app (OAuth client credentials, scope
 * https://api.botframework.com/.default), kept until five minutes before it expires. The token
 * endpoint is the Bot Framework's for multi-tenant bots, the tenant's for single-tenant ones, or
 * any URL given (tests: a stand-in on loopback). Errors name the app id, never the password.
 */
import { SourceError } from '../../../domain/errors.js';

export interface BotCredentials {
  readonly appId: string;
  readonly appPassword: string;
  /** A single-tenant bot's tenant: its token comes from that tenant. */
  readonly tenantId?: string;
  /** Default the Bot Framework's (or the tenant's) token endpoint. */
  readonly tokenUrl?: string;
}

export const BOT_TOKEN_URL = 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token';

export function botTokenUrl(c: Pick<BotCredentials, 'tenantId' | 'tokenUrl'>): string {
  return c.tokenUrl ?? (c.tenantId ? `https://login.microsoftonline.com/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token` : BOT_TOKEN_URL);
}

export class BotFrameworkToken {
  private token: { value: string; until: number } | null = null;

  constructor(
    private readonly credentials: BotCredentials,
    /** Who asks, in error messages ("teams:CONVERSATION"). */
    private readonly who: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async bearer(): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.credentials.appId, client_secret: this.credentials.appPassword, scope: 'https://api.botframework.com/.default' });
    let answer: { access_token?: string; expires_in?: number };
    try {
      const r = await fetch(botTokenUrl(this.credentials), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, signal: AbortSignal.timeout(10_000) });
      answer = (await r.json()) as typeof answer;
      if (!r.ok || !answer.access_token) throw new Error(`HTTP ${r.status}`);
    } catch (err) {
      throw new SourceError('teams', 'token', `${this.who}: no Bot Framework token for app ${this.credentials.appId}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.token = { value: answer.access_token, until: this.now() + Math.max(60, (answer.expires_in ?? 3600) - 300) * 1000 };
    return this.token.value;
  }
}
