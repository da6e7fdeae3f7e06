/**
 * botbuilder has no Lambda receiver: this turns an API Gateway event (REST v1 or HTTP API v2)
 * into the Request botbuilder's CloudAdapter reads, and collects what it writes to its Response
 * into an API Gateway result.
 */
import type { Request, Response } from 'botbuilder';
import { bodyOf, headersOf, httpResult, methodOf, type ApiGatewayEvent, type HttpResult } from '../chat/api-gateway-event.js';

/** The request, or the 400 to answer when the body is not a JSON object. */
export function toBotRequest(event: ApiGatewayEvent): { readonly request: Request } | { readonly error: HttpResult } {
  let body: unknown;
  try {
    body = JSON.parse(bodyOf(event) || 'null');
  } catch {
    return { error: httpResult(400, JSON.stringify({ error: 'the body is not JSON' }), { 'content-type': 'application/json' }) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: httpResult(400, JSON.stringify({ error: 'the body is not an activity' }), { 'content-type': 'application/json' }) };
  }
  return { request: { method: methodOf(event), headers: headersOf(event), body: body as Record<string, unknown> } };
}

/** A Response that records status, headers and body for the Lambda result. */
export class CapturedResponse implements Response {
  readonly socket = null;
  private statusCode = 200;
  private readonly headers: Record<string, string> = {};
  private body: unknown = undefined;
  private ended = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: unknown): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  send(body?: unknown): this {
    this.body = body;
    return this;
  }

  end(): this {
    this.ended = true;
    return this;
  }

  get finished(): boolean {
    return this.ended;
  }

  toResult(): HttpResult {
    if (this.body === undefined || this.body === null) return httpResult(this.statusCode, '', Object.keys(this.headers).length ? this.headers : undefined);
    if (typeof this.body === 'string') return httpResult(this.statusCode, this.body, { 'content-type': 'text/plain; charset=utf-8', ...this.headers });
    return httpResult(this.statusCode, JSON.stringify(this.body), { 'content-type': 'application/json', ...this.headers });
  }
}
