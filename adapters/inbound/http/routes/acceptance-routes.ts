/**
 * Risk acceptances: accepting a risk hides findings from every report until it expires, a
 * decision of the same weight as approving a run, so it takes the approve scope; so does ending
 * one early (POST /v1/acceptances/{id}/revoke), as on the console, the CLI and MCP.
 */
import { z } from 'zod';
import { booleanParam } from '../query-params.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import {
  acceptanceListSchema, acceptanceReportSchema, acceptRiskRequestSchema, revokeAcceptanceRequestSchema,
} from '../schemas/patch-schemas.js';

const acceptanceParams = z.strictObject({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'expected an acceptance id (acc-..., as POST /v1/acceptances answers it)').describe('the acceptance id'),
});

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
      method: 'POST',
      path: '/v1/acceptances/{id}/revoke',
      operationId: 'revokeAcceptance',
      tag: 'acceptances',
      summary: 'Revoke a risk acceptance now: its findings count again from the next report',
      description: 'Approvers and admins may revoke (the core checks the key\'s roles again); recorded in the audit log as `risk.revoke`. An unknown id is a 404, an acceptance already revoked or expired a 409.',
      scope: 'approve',
      params: acceptanceParams,
      body: revokeAcceptanceRequestSchema,
      response: { status: 200, schema: acceptanceReportSchema, description: 'the acceptance, revoked (until and revokedAt are now)' },
      errors: [404, 409, 502, 503],
      handle: async ({ actor, params }) => ({ body: await assistant.revokeAcceptance(actor, params.id) }),
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
