/**
 * Reads a JSON request body with a size limit. The limit is checked against Content-Length
 * before reading, and again while reading (chunked bodies have no length), so an oversized body
 * is refused without being buffered.
 */
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import { HttpError } from '../http-errors.js';
import type { HttpState } from '../route.js';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${limit} bytes`, { limitBytes: limit });
}

/**
 * Collects the body up to `limit` bytes. On overflow it stops listening and pauses the stream
 * instead of destroying it (leaving a for-await loop early would destroy the socket, and with it
 * the 413 answer); the answer then carries Connection: close.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      stop();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
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
    const text = (await readBody(ctx.req, limit)).toString('utf8');
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
