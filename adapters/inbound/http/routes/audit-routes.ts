/**
 * GET /v1/audit: the append-only record of every change, who made it and through which surface.
 * GET /v1/audit/verify: walks its hash chain and names the first entry that breaks it.
 */
import { z } from 'zod';
import { wholeNumber } from '../query-params.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { auditListSchema, auditVerificationSchema } from '../schemas/patch-schemas.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function auditRoutes({ assistant }: RouteDeps): Route[] {
  return [
    route({
      method: 'GET',
      path: '/v1/audit',
      operationId: 'listAudit',
      tag: 'audit',
      summary: 'Audit entries, newest first',
      scope: 'read',
      query: z.strictObject({
        limit: wholeNumber(1, 1000).default(100),
        since: z.string().regex(ISO_DATE, 'expected an ISO 8601 date or date-time').optional().describe('only entries at or after this instant'),
        target: z.string().min(1).max(256).optional().describe('only entries about this target (a run id, an instance id)'),
      }),
      response: { status: 200, schema: auditListSchema, description: 'the entries' },
      errors: [502, 503],
      handle: async ({ actor, query }) => ({
        body: { entries: await assistant.listAudit(actor, { limit: query.limit, ...(query.since ? { since: query.since } : {}), ...(query.target ? { target: query.target } : {}) }) },
      }),
    }),
    route({
      method: 'GET',
      path: '/v1/audit/verify',
      operationId: 'verifyAudit',
      tag: 'audit',
      summary: 'Walk the audit log\'s hash chain; name the first entry that breaks it',
      scope: 'read',
      query: z.strictObject({}),
      response: { status: 200, schema: auditVerificationSchema, description: 'the verification (ok false names the first break; the answer is 200 either way: the check itself worked)' },
      errors: [502, 503],
      handle: async ({ actor }) => ({ body: await assistant.verifyAudit(actor) }),
    }),
  ];
}
