/**
 * GET /health ahead of the general middleware. Load balancers and the container's HEALTHCHECK
 * probe it every few seconds on every task, so it must cost next to nothing (the goal: 80% of a
 * bare Koa app's throughput) and must not flood the access log (it is logged at debug level).
 * It answers with the route declared in health-routes (documented, and still registered on the
 * router for HEAD), with the request id and the security headers every answer carries.
 */
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import type { HttpState, Route } from '../route.js';
import { assignRequestId } from './request-log.js';
import { applySecurityHeaders } from './security-headers.js';

export function liveness(health: Route, logger: Logger, isDraining: () => boolean): Middleware<HttpState> {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== health.path) return next();
    const requestId = assignRequestId(ctx);
    ctx.state.route = health.path;
    applySecurityHeaders(ctx.res);
    // Like every answer while the process stops: the connection must not hold the server open.
    if (isDraining()) ctx.set('Connection', 'close');
    const result = await health.handle({ params: undefined, query: undefined, body: undefined, actor: null, ctx });
    ctx.status = health.response.status;
    ctx.body = result.body;
    if (logger.isLevelEnabled('debug')) logger.debug({ reqId: requestId, method: 'GET', route: health.path, status: ctx.status }, 'request');
  };
}
