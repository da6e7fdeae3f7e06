/**
 * API Gateway's two event shapes (REST API v1 and HTTP API v2) read the same way: method, headers
 * with lower-case names, and the body as UTF-8 text (HTTP APIs send form bodies base64-encoded).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/** The response both shapes accept. */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export function isApiGatewayEvent(event: unknown): event is ApiGatewayEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as { httpMethod?: unknown; requestContext?: { http?: { method?: unknown } }; version?: unknown };
  return typeof e.httpMethod === 'string' || typeof e.requestContext?.http?.method === 'string';
}

export function methodOf(event: ApiGatewayEvent): string {
  return 'httpMethod' in event ? event.httpMethod : event.requestContext.http.method;
}

export function headersOf(event: ApiGatewayEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

/** The body as text; base64 bodies decoded as UTF-8 (not Latin-1: a signature covers the bytes). */
export function bodyOf(event: ApiGatewayEvent): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function httpResult(statusCode: number, body = '', headers?: Record<string, string>): HttpResult {
  return { statusCode, body, ...(headers ? { headers } : {}) };
}

/** The project's error envelope (the HTTP API's too): `{ error: { code, message, requestId } }`. */
export function errorEnvelope(code: string, message: string, requestId: string): { readonly error: { readonly code: string; readonly message: string; readonly requestId: string } } {
  return { error: { code, message, requestId } };
}

/** An error answer in the envelope, as JSON. */
export function errorResult(statusCode: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): HttpResult {
  return httpResult(statusCode, JSON.stringify(errorEnvelope(code, message, requestId)), { 'content-type': 'application/json', ...headers });
}

/** True for an http(s) URL whose host is this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    host = u.hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
