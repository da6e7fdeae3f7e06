/** Catches everything below it and answers with the error envelope (see http-errors.ts). */
import type { Middleware } from 'koa';
import { HttpError, mapError } from '../http-errors.js';
import type { HttpState } from '../route.js';

export function errorEnvelope(): Middleware<HttpState> {
  return async (ctx, next) => {
    try {
      await next();
      // Routing leaves these as bare statuses; they get the envelope like every other error.
      if (ctx.status === 405 && (ctx.body === undefined || ctx.body === null)) {
        const allow = ctx.response.get('Allow');
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}`, { allowed: allow.split(/,\s*/) }, { Allow: allow });
      }
      if (ctx.status === 501 && (ctx.body === undefined || ctx.body === null)) throw new HttpError(501, 'METHOD_NOT_IMPLEMENTED', `the method ${ctx.method} is not supported`);
      if (ctx.status === 404 && (ctx.body === undefined || ctx.body === null)) {
        throw new HttpError(404, 'ROUTE_NOT_FOUND', `no route for ${ctx.method} ${ctx.path}; GET /openapi.json lists them`);
      }
    } catch (err) {
      const mapped = mapError(err, ctx.state.requestId);
      ctx.state.error = err;
      ctx.status = mapped.status;
      ctx.body = mapped.body;
      for (const [k, v] of Object.entries(mapped.headers)) ctx.set(k, v);
      // An error answered before the body was read leaves bytes on the socket; do not reuse it.
      if (mapped.status === 413) ctx.set('Connection', 'close');
    }
  };
}
