/** GET /v1/plan: what to patch, when and in what order. */
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { planReportSchema } from '../schemas/report-schemas.js';

export function planRoutes({ assistant }: RouteDeps): Route[] {
  return [
    route({
      method: 'GET',
      path: '/v1/plan',
      operationId: 'getPlan',
      tag: 'plan',
      summary: 'Windows, waves and rollout limits for everything that needs patching',
      scope: 'read',
      response: { status: 200, schema: planReportSchema, description: 'the patch plan' },
      errors: [502, 503],
      handle: async () => ({ body: await assistant.planPatches() }),
    }),
  ];
}
