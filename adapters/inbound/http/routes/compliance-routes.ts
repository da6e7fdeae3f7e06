/** GET /v1/compliance: patch compliance from Systems Manager. */
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { complianceReportSchema } from '../schemas/report-schemas.js';

export function complianceRoutes({ assistant }: RouteDeps): Route[] {
  return [
    route({
      method: 'GET',
      path: '/v1/compliance',
      operationId: 'getCompliance',
      tag: 'compliance',
      summary: 'Patch compliance across the fleet (Systems Manager patch states)',
      scope: 'read',
      response: { status: 200, schema: complianceReportSchema, description: 'the compliance summary' },
      errors: [502, 503],
      handle: async () => ({ body: await assistant.complianceSummary() }),
    }),
  ];
}
