/**
 * Risk acceptances: accepting a risk hides findings from every report until it expires, a
 * decision of the same weight as approving a run, so it takes the approve scope.
 */
import { z } from 'zod';
import { booleanParam } from '../query-params.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { acceptanceListSchema, acceptanceReportSchema, acceptRiskRequestSchema } from '../schemas/patch-schemas.js';

export function acceptanceRoutes({ assistant }: RouteDeps): Route[] {
  return [
    route({
      method: 'POST',
      path: '/v1/acceptances',
      operationId: 'acceptRisk',
      tag: 'acceptances',
      summary: 'Accept a risk (a CVE on one instance or on the fleet) until a date',
      scope: 'approve',
      body: acceptRiskRequestSchema,
      response: { status: 201, schema: acceptanceReportSchema, description: 'the acceptance as recorded' },
      errors: [404, 409, 422, 502, 503],
      handle: async ({ actor, body }) => ({ status: 201, body: await assistant.acceptRisk(actor, body) }),
    }),
    route({
      method: 'GET',
      path: '/v1/acceptances',
      operationId: 'listAcceptances',
      tag: 'acceptances',
      summary: 'Risk acceptances in force (and expired ones with includeExpired=true)',
      scope: 'read',
      query: z.strictObject({ includeExpired: booleanParam().optional().describe('include expired acceptances') }),
      response: { status: 200, schema: acceptanceListSchema, description: 'the acceptances' },
      errors: [502, 503],
      handle: async ({ actor, query }) => ({
        body: { acceptances: await assistant.listAcceptances(actor, query.includeExpired !== undefined ? { includeExpired: query.includeExpired } : {}) },
      }),
    }),
  ];
}
