/** Bot Framework activities from Teams, as API Gateway delivers them (REST v1 and HTTP API v2). */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const REQUESTER_AAD = '00000000-0000-4000-8000-000000000001';
export const APPROVER_AAD = '00000000-0000-4000-8000-000000000002';
export const BYSTANDER_AAD = '00000000-0000-4000-8000-000000000003';

export interface ActivityOptions {
  readonly serviceUrl: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly aad?: string;
  readonly name?: string;
  readonly id?: string;
  readonly replyToId?: string;
  readonly mention?: boolean;
  readonly tenant?: string;
}

export function activity(o: ActivityOptions): Record<string, unknown> {
  const bot = { id: '28:bot-id', name: 'SRE' };
  const text = o.mention ? `<at>SRE</at> ${o.text ?? ''}` : o.text;
  return {
    type: 'message',
    id: o.id ?? `act-${Math.random().toString(36).slice(2, 8)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: { id: `29:${o.aad ?? REQUESTER_AAD}`, name: o.name ?? 'Alice', aadObjectId: o.aad ?? REQUESTER_AAD },
    conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: o.tenant ?? TENANT },
    recipient: bot,
    ...(text !== undefined ? { text } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
    ...(o.mention ? { entities: [{ type: 'mention', text: '<at>SRE</at>', mentioned: bot }] } : {}),
    channelData: { tenant: { id: o.tenant ?? TENANT } },
    locale: 'en-US',
  };
}

export function teamsEvent(body: unknown, o: { shape?: 'v1' | 'v2'; authorization?: string; base64?: boolean } = {}): APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const payload = o.base64 ? Buffer.from(text).toString('base64') : text;
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', ...(o.authorization ? { Authorization: o.authorization } : {}) };
  if ((o.shape ?? 'v1') === 'v1') {
    return {
      resource: '/teams/messages', path: '/teams/messages', httpMethod: 'POST', headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null,
      requestContext: { httpMethod: 'POST', path: '/prod/teams/messages', stage: 'prod', requestId: 'req-1' } as never,
      body: payload, isBase64Encoded: o.base64 ?? false,
    };
  }
  return {
    version: '2.0', routeKey: 'POST /teams/messages', rawPath: '/teams/messages', rawQueryString: '',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: { http: { method: 'POST', path: '/teams/messages', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Microsoft-BotFramework/3.1' }, requestId: 'req-2', routeKey: 'POST /teams/messages', stage: '$default' } as never,
    body: payload, isBase64Encoded: o.base64 ?? false,
  };
}

/** An RSA key pair and its JWKS entry, as the Bot Framework's OpenID metadata publishes keys. */
export function signingKey(kid: string): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { privateKey, jwk: { ...jwk, kid, kty: 'RSA', use: 'sig', endorsements: ['msteams'] } };
}

const b64url = (x: Buffer | string): string => Buffer.from(x).toString('base64url');

/** A Bot Framework channel token (RS256), as the connector service sends in Authorization. */
export function channelToken(privateKey: KeyObject, kid: string, claims: { aud: string; serviceurl: string; iss?: string }): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = b64url(JSON.stringify({ iss: claims.iss ?? 'https://api.botframework.com', aud: claims.aud, serviceurl: claims.serviceurl, nbf: now - 10, exp: now + 600 }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}
