/** Slack requests as API Gateway delivers them (REST v1 and HTTP API v2), signed the v0 way. */
import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';

export type Shape = 'v1' | 'v2';

export interface SignOptions {
  readonly secret?: string;
  /** Seconds since the epoch; default now. */
  readonly timestamp?: number;
  readonly shape?: Shape;
  /** HTTP APIs send form bodies base64-encoded. */
  readonly base64?: boolean;
  /** Replaces the computed signature. */
  readonly signature?: string;
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function apiGatewayEvent(body: string, contentType: string, o: SignOptions = {}): APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = o.signature ?? sign(body, ts, o.secret);
  const headers = { 'Content-Type': contentType, 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': signature, 'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)' };
  const shape = o.shape ?? 'v1';
  const payload = o.base64 ? Buffer.from(body, 'utf8').toString('base64') : body;
  if (shape === 'v1') {
    return {
      resource: '/slack/events', path: '/slack/events', httpMethod: 'POST', headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null,
      requestContext: { httpMethod: 'POST', path: '/prod/slack/events', stage: 'prod', requestId: 'req-1' } as never,
      body: payload, isBase64Encoded: o.base64 ?? false,
    };
  }
  return {
    version: '2.0', routeKey: 'POST /slack/events', rawPath: '/slack/events', rawQueryString: '',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: { http: { method: 'POST', path: '/slack/events', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Slackbot' }, requestId: 'req-2', routeKey: 'POST /slack/events', stage: '$default' } as never,
    body: payload, isBase64Encoded: o.base64 ?? false,
  };
}

export interface SlashOptions extends SignOptions {
  readonly command?: string;
  readonly user?: string;
  readonly userName?: string;
  readonly channel?: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
}

export function slashCommand(text: string, o: SlashOptions): APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const body = new URLSearchParams({
    token: 'deprecated-verification-token', team_id: 'T0001', team_domain: 'acme', channel_id: o.channel ?? 'C0001', channel_name: 'ops',
    user_id: o.user ?? 'U0001', user_name: o.userName ?? 'alice', command: o.command ?? '/sre', text, api_app_id: 'A0001', is_enterprise_install: 'false',
    response_url: o.responseUrl, trigger_id: o.triggerId ?? `trigger-${Math.random().toString(36).slice(2)}`,
  }).toString();
  return apiGatewayEvent(body, 'application/x-www-form-urlencoded', o);
}

export interface ClickOptions extends SignOptions {
  readonly user: string;
  readonly userName?: string;
  readonly runId: string;
  readonly action: 'approve' | 'reject';
  readonly channel?: string;
  readonly messageTs?: string;
  readonly responseUrl: string;
}

export function buttonClick(o: ClickOptions): APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const channel = o.channel ?? 'C0001';
  const ts = o.messageTs ?? '1700000000.000100';
  const payload = {
    type: 'block_actions',
    user: { id: o.user, username: o.userName ?? o.user.toLowerCase(), name: o.userName ?? o.user.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0001', token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: `trigger-click-${Math.random().toString(36).slice(2)}`, team: { id: 'T0001', domain: 'acme' }, enterprise: null, is_enterprise_install: false,
    channel: { id: channel, name: 'ops' },
    message: { type: 'message', ts, text: 'Patch run needs approval', bot_id: 'B0001' },
    response_url: o.responseUrl,
    actions: [{ action_id: `sre_${o.action}`, block_id: 'sre_decision', text: { type: 'plain_text', text: o.action === 'approve' ? 'Approve' : 'Reject' }, value: o.runId, type: 'button', action_ts: '1700000001.000200' }],
  };
  return apiGatewayEvent(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', o);
}
