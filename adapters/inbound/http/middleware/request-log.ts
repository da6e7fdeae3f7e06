/**
 * The outermost middleware: gives every request an id (the client's x-request-id when it is a
 * sane token, else a new UUID), echoes it, and writes one access-log line when the answer is done.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware, ParameterizedContext } from 'koa';
import type { Logger } from '../logger.js';
import type { HttpState } from '../route.js';

// Anything else (spaces, quotes, control characters, kilobytes) could forge or bloat log lines.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The request's id (the client's when it is a sane token), recorded on ctx.state and echoed. */
export function assignRequestId(ctx: ParameterizedContext<HttpState>): string {
  const incoming = ctx.get('x-request-id');
  const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  ctx.state.requestId = requestId;
  ctx.res.setHeader('X-Request-Id', requestId);
  return requestId;
}

export function requestLog(logger: Logger): Middleware<HttpState> {
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = assignRequestId(ctx);
    // Read now: once a connection is gone its socket is too, and ctx.ip would throw.
    const ip = ctx.ip;
    try {
      await next();
    } finally {
      const status = ctx.status;
      const line = {
        reqId: requestId,
        method: ctx.method,
        route: ctx.state.route ?? null,
        path: ctx.path,
        status,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        key: ctx.state.principal?.name ?? null,
        ip,
      };
      if (status >= 500) logger.error({ ...line, err: ctx.state.error }, 'request failed');
      else logger.info(line, 'request');
    }
  };
}
