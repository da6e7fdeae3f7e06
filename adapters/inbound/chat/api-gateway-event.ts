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
