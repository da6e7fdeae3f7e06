/**
 * GET /v1/changes: what changed between two recorded assessments (since a point, or between two).
 * GET /v1/trend: per-day counts from the history.
 */
import { z } from 'zod';
import { wholeNumber } from '../query-params.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { changesReportSchema, trendReportSchema } from '../schemas/history-schemas.js';

export function historyRoutes({ assistant }: RouteDeps): Route[] {
  return [
    route({
      method: 'GET',
      path: '/v1/changes',
      operationId: 'getChanges',
      tag: 'history',
      summary: 'What changed between two recorded assessments',
      scope: 'read',
      query: z.strictObject({
        since: z.string().min(1).max(64).optional().describe('24h, 7d, or an ISO date / date-time with a zone (default 24h)'),
        from: z.string().min(1).max(128).optional().describe('with to: the earlier assessment, an id or an ISO instant'),
        to: z.string().min(1).max(128).optional().describe('with from: the later assessment, an id or an ISO instant'),
      }),
      response: { status: 200, schema: changesReportSchema, description: 'the changes' },
      errors: [502, 503],
      handle: async ({ query }) => {
        const between = query.from !== undefined || query.to !== undefined ? ([query.from ?? '', query.to ?? ''] as const) : undefined;
        return { body: await assistant.changes({ ...(query.since !== undefined ? { since: query.since } : {}), ...(between ? { between } : {}) }) };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/trend',
      operationId: 'getTrend',
      tag: 'history',
      summary: 'Per day from the history: counts by decision and SSVC outcome, overdue, mean time to remediate',
      scope: 'read',
      query: z.strictObject({ days: wholeNumber(1, 3650).default(30) }),
      response: { status: 200, schema: trendReportSchema, description: 'the trend' },
      errors: [502, 503],
      handle: async ({ query }) => ({ body: await assistant.trend({ days: query.days }) }),
    }),
  ];
}
