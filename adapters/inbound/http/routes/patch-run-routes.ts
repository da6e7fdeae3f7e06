/**
 * Patch runs: request (operate scope), read (read scope), approve and reject (approve scope).
 * The use cases check the actor's roles again and enforce that nobody approves their own run.
 * GET /v1/autopilot: the runs the autopilot will make from plan windows and made (the JSON of
 * `autopilot status --json`).
 */
import { z } from 'zod';
import { wholeNumber } from '../query-params.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import {
  approveRequestSchema, autopilotStatusSchema, PATCH_RUN_STATUSES, patchRunListSchema, patchRunReportSchema, patchRunRequestSchema, rejectRequestSchema,
} from '../schemas/patch-schemas.js';

const runParams = z.strictObject({
  id: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'expected a run id (letters, digits, . _ : -)').describe('the run id'),
});

// Refusals by a rule of the state machine (approving a rejected run ...) are the core's to say.
const WRITE_ERRORS = [404, 409, 422, 502, 503] as const;

export function patchRunRoutes({ assistant }: RouteDeps): Route[] {
  return [
    route({
      method: 'POST',
      path: '/v1/patch-runs',
      operationId: 'requestPatchRun',
      tag: 'patch-runs',
      summary: 'Request a patch run for named instances or for the plan',
      description: 'The run starts in `requested`; production or patch-now runs wait for an approver other than the requester. The same `idempotencyKey` twice makes one run.',
      scope: 'operate',
      body: patchRunRequestSchema,
      response: { status: 201, schema: patchRunReportSchema, description: 'the run as recorded' },
      errors: [...WRITE_ERRORS],
      handle: async ({ actor, body }) => {
        const run = await assistant.requestPatchRun(actor, body);
        return { status: 201, body: run, headers: { Location: `/v1/patch-runs/${encodeURIComponent(run.id)}` } };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/patch-runs',
      operationId: 'listPatchRuns',
      tag: 'patch-runs',
      summary: 'Patch runs, newest first',
      scope: 'read',
      query: z.strictObject({
        status: z.array(z.enum(PATCH_RUN_STATUSES)).optional().describe('only runs in these states (repeat or separate with commas)'),
        limit: wholeNumber(1, 500).default(50),
      }),
      response: { status: 200, schema: patchRunListSchema, description: 'the runs' },
      errors: [502, 503],
      handle: async ({ actor, query }) => ({
        body: { runs: await assistant.listPatchRuns(actor, { ...(query.status ? { status: query.status } : {}), limit: query.limit }) },
      }),
    }),
    route({
      method: 'GET',
      path: '/v1/patch-runs/{id}',
      operationId: 'getPatchRun',
      tag: 'patch-runs',
      summary: 'One patch run with its waves and approvals',
      scope: 'read',
      params: runParams,
      response: { status: 200, schema: patchRunReportSchema, description: 'the run' },
      errors: [404, 502, 503],
      handle: async ({ actor, params }) => ({ body: await assistant.getPatchRun(actor, params.id) }),
    }),
    route({
      method: 'POST',
      path: '/v1/patch-runs/{id}/approve',
      operationId: 'approvePatchRun',
      tag: 'patch-runs',
      summary: 'Approve a requested run (not your own)',
      scope: 'approve',
      params: runParams,
      body: approveRequestSchema,
      response: { status: 200, schema: patchRunReportSchema, description: 'the run, approved' },
      errors: [...WRITE_ERRORS],
      handle: async ({ actor, params, body }) => ({ body: await assistant.approvePatchRun(actor, params.id, body.comment) }),
    }),
    route({
      method: 'POST',
      path: '/v1/patch-runs/{id}/reject',
      operationId: 'rejectPatchRun',
      tag: 'patch-runs',
      summary: 'Reject a requested run',
      scope: 'approve',
      params: runParams,
      body: rejectRequestSchema,
      response: { status: 200, schema: patchRunReportSchema, description: 'the run, rejected' },
      errors: [...WRITE_ERRORS],
      handle: async ({ actor, params, body }) => ({ body: await assistant.rejectPatchRun(actor, params.id, body.reason) }),
    }),
    route({
      method: 'GET',
      path: '/v1/autopilot',
      operationId: 'autopilotStatus',
      tag: 'patch-runs',
      summary: 'The autopilot: the plan windows it will turn into runs, and the runs it made (missed ones with why)',
      scope: 'read',
      query: z.strictObject({}),
      response: { status: 200, schema: autopilotStatusSchema, description: 'the same JSON as `sre-ops autopilot status --json`' },
      errors: [502, 503],
      handle: async ({ actor }) => ({ body: await assistant.autopilotStatus(actor) }),
    }),
  ];
}
