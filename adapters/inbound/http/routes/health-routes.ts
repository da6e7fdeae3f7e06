/** GET /health (liveness: the process answers; no key, no AWS) and GET /ready (the source answers). */
import { HttpError } from '../http-errors.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { healthSchema, readySchema } from '../schemas/common-schemas.js';

export function healthRoutes(deps: RouteDeps): Route[] {
  return [
    route({
      method: 'GET',
      path: '/health',
      operationId: 'health',
      tag: 'operations',
      summary: 'Liveness: the process answers (no key, no call to any source)',
      scope: null,
      response: { status: 200, schema: healthSchema, description: 'alive' },
      handle: async () => ({ body: { status: 'ok', version: deps.version, uptimeSeconds: Math.round((performance.now() - deps.startedAt) / 1000) } }),
    }),
    route({
      method: 'GET',
      path: '/ready',
      operationId: 'ready',
      tag: 'operations',
      summary: 'Readiness: the configured source answers (a cached fleet assessment); 503 while it does not or while draining',
      scope: null,
      response: { status: 200, schema: readySchema, description: 'ready for traffic' },
      errors: [503],
      handle: async () => {
        if (deps.isDraining()) throw new HttpError(503, 'NOT_READY', 'shutting down: finishing requests in flight');
        const r = await deps.readiness.probe();
        if (!r.ready) throw new HttpError(503, 'NOT_READY', `not ready: ${r.reason}`);
        return { body: { status: 'ready', source: deps.assistant.source, checkedAt: new Date(r.checkedAt).toISOString() } };
      },
    }),
  ];
}
