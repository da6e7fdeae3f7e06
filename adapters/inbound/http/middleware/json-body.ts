/**
 * Reads a JSON request body with a size limit. The limit is checked against Content-Length
 * before reading, and again while reading (chunked bodies have no length), so an oversized body
 * is refused without being buffered.
 */
import type { Middleware } from 'koa';
import { HttpError } from '../http-errors.js';
import type { HttpState } from '../route.js';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${limit} bytes`, { limitBytes: limit });
}

export function jsonBody(limit: number): Middleware<HttpState> {
  return async (ctx, next) => {
    const length = ctx.request.length;
    const chunked = ctx.get('transfer-encoding') !== '';
    if (!chunked && !length) {
      // No body at all: the route's schema decides whether that is fine.
      ctx.state.body = undefined;
      return next();
    }
    if (length !== undefined && length > limit) throw tooLarge(limit);
    if (!ctx.is('application/json', '+json')) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `request body must be application/json, got ${ctx.get('content-type') || 'no content type'}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') {
      ctx.state.body = undefined;
      return next();
    }
    try {
      ctx.state.body = JSON.parse(text) as unknown;
    } catch (err) {
      throw new HttpError(400, 'INVALID_JSON', `body: not valid JSON (${(err as Error).message})`, { field: 'body' });
    }
    return next();
  };
}
