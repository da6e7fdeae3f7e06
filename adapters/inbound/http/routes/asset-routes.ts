/** The fleet and one instance: assessment, findings, metrics, activity. */
import { ValidationError } from '../../../../domain/errors.js';
import { DECISION_KINDS, DEFAULT_LOOKBACK_HOURS, MAX_LOOKBACK_HOURS, MIN_SEVERITY_NAMES } from '../../../../domain/vocabulary.js';
import { z } from 'zod';
import { AWS_REGIONS } from '../../../../domain/scope.js';
import type { AssetReport } from '../../../../ports/inbound/assessment/fleet-report.port.js';
import { assetDigest, assetFields } from '../../../../ports/inbound/assessment/asset-digest.js';
import { assetJson } from '../../../../ports/inbound/assessment/asset-json.js';
import { decodeCursor, encodeCursor, filterDigest, jsonInPieces, nextLink } from '../paging.js';
import { booleanParam, wholeNumber } from '../query-params.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { activityReportSchema, assetPageSchema, findingsPageSchema, instanceReportSchema, metricsReportSchema, missionSchema } from '../schemas/report-schemas.js';
import { oneOf } from '../schemas/registry.js';


const instanceParams = z.strictObject({
  instance: z.string().min(1).max(256).describe('an instance id (i-...) or its Name tag'),
});

/** `?hours=`, bounded as the use case bounds it (the use case checks again; this names the field). */
export function hoursQuery(max: number) {
  return z.strictObject({ hours: wholeNumber(1, max).default(DEFAULT_LOOKBACK_HOURS).describe('look back this many hours') });
}

const fleetQuery = z.strictObject({
  decision: z.array(oneOf(DECISION_KINDS)).optional().describe('only these decisions (repeat the parameter or separate with commas)'),
  mission: z.array(missionSchema).optional().describe('only these missions: low, medium, high'),
  exposed: booleanParam().optional().describe('only exposed (true) or unexposed (false) instances'),
  account: z.array(z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id')).optional().describe('only instances in these AWS accounts (an organization read; repeat or separate with commas)'),
  region: z.array(oneOf(AWS_REGIONS)).optional().describe('only instances in these regions (an organization read; repeat or separate with commas)'),
  include: z.array(z.enum(['findings'])).optional().describe('findings: full assets with their findings instead of summaries'),
  limit: wholeNumber(1, 1000).default(100).describe('assets per page'),
  cursor: z.string().max(512).optional().describe('page.nextCursor of the previous page'),
  offset: wholeNumber(0).optional().describe('assets to skip (instead of cursor)'),
});

/** An asset without its findings: the most urgent one in short, and counts (from its digest: nothing unpacked). */
export function assetSummary(a: AssetReport): Record<string, unknown> {
  const d = assetDigest(a);
  return {
    ...assetFields(a),
    topFinding: d.top ? { ...d.top } : null,
    findingCounts: { active: d.active, accepted: d.accepted, overdue: d.overdue, bySeverity: { ...d.bySeverity } },
  };
}

/** The generation a cursor is tied to: when the cached answer started, else its generatedAt. */
function generationOf(deps: RouteDeps, answer: { readonly generatedAt: string }): string {
  const at = deps.answeredAt?.(answer);
  return at !== undefined ? String(at) : answer.generatedAt;
}

/** Where a page starts: the cursor's position (checked against generation and filters), else offset, else 0. */
function startOf(query: { cursor?: string | undefined; offset?: number | undefined }, generation: string, filters: string): number {
  if (query.cursor !== undefined && query.offset !== undefined) {
    throw new ValidationError('query.offset', 'either cursor or offset', 'query.offset: expected either cursor or offset, not both');
  }
  if (query.cursor !== undefined) return decodeCursor(query.cursor, generation, filters);
  return query.offset ?? 0;
}

const FINDINGS_PAGE = 500;

const SOURCE_ERRORS = [502, 503] as const;
const INSTANCE_ERRORS = [404, 409, 502, 503] as const;

export function assetRoutes(deps: RouteDeps): Route[] {
  const { assistant } = deps;
  return [
    route({
      method: 'GET',
      path: '/v1/assets',
      operationId: 'listAssets',
      tag: 'assets',
      summary: 'Every instance ranked by risk, with its patch decision; filtered and paged by cursor',
      description: '`summary` counts every asset that matched the filters; `assets` holds one page of them, highest risk first: '
        + 'summaries (top finding, counts, decision, score) unless `include=findings`. Follow `page.next` (or pass `page.nextCursor` as `cursor`); '
        + 'a cursor from an assessment the cache has since replaced answers 410 CURSOR_EXPIRED. The answer is written asset by asset.',
      scope: 'read',
      query: fleetQuery,
      response: { status: 200, schema: assetPageSchema, description: 'one page of the ranked fleet' },
      errors: [...SOURCE_ERRORS, 410],
      handle: async ({ query, ctx }) => {
        const filters = {
          ...(query.decision ? { decisions: query.decision } : {}),
          ...(query.mission ? { missions: query.mission } : {}),
          ...(query.exposed !== undefined ? { exposed: query.exposed } : {}),
          ...(query.account ? { accounts: query.account } : {}),
          ...(query.region ? { regions: query.region } : {}),
        };
        const report = await assistant.assessFleet(filters);
        const full = query.include?.includes('findings') === true;
        const generation = generationOf(deps, report);
        const digest = filterDigest({ ...filters, full });
        const offset = startOf(query, generation, digest);
        const total = report.assets.length;
        const end = Math.min(offset + query.limit, total);
        const nextCursor = end < total ? encodeCursor({ g: generation, o: end, f: digest }) : null;
        const page = { offset, limit: query.limit, total, nextOffset: end < total ? end : null, nextCursor, next: nextCursor ? nextLink(ctx.path, query, nextCursor) : null };
        // With findings, an asset held packed is written from its packed form off the event loop (assetJson).
        const write = full ? assetJson : (a: AssetReport) => JSON.stringify(assetSummary(a));
        return {
          body: undefined,
          stream: () => jsonInPieces(report as unknown as Record<string, unknown>, 'assets', report.assets.slice(offset, end), { page }, write),
          answer: report,
          ...(page.next ? { headers: { Link: `<${page.next}>; rel="next"` } } : {}),
        };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/assets/{instance}',
      operationId: 'getAsset',
      tag: 'assets',
      summary: 'One instance by id or Name tag: risk, decision and findings',
      description: 'An unknown name answers 404 with near matches in `details.suggestions`; a Name tag on several instances answers 409 with the candidates.',
      scope: 'read',
      params: instanceParams,
      response: { status: 200, schema: instanceReportSchema, description: 'the instance assessed' },
      errors: [...INSTANCE_ERRORS],
      handle: async ({ params }) => ({ body: await assistant.assessInstance(params.instance) }),
    }),
    route({
      method: 'GET',
      path: '/v1/assets/{instance}/findings',
      operationId: 'listFindings',
      tag: 'assets',
      summary: 'Active findings on one instance, highest risk first; paged by cursor',
      description: `At most \`limit\` findings (default ${FINDINGS_PAGE}); follow \`page.next\`. The answer is written finding by finding.`,
      scope: 'read',
      params: instanceParams,
      query: z.strictObject({
        minSeverity: z.enum(MIN_SEVERITY_NAMES).optional().describe('only findings at or above this severity'),
        limit: wholeNumber(1, 5000).default(FINDINGS_PAGE).describe('findings per page'),
        cursor: z.string().max(512).optional().describe('page.nextCursor of the previous page'),
      }),
      response: { status: 200, schema: findingsPageSchema, description: 'one page of the findings' },
      errors: [...INSTANCE_ERRORS, 410],
      handle: async ({ params, query, ctx }) => {
        const report = await assistant.listFindings({ instance: params.instance, ...(query.minSeverity ? { minSeverity: query.minSeverity } : {}) });
        const generation = generationOf(deps, report);
        const digest = filterDigest({ instance: report.instanceId, minSeverity: query.minSeverity ?? null });
        const offset = startOf({ cursor: query.cursor }, generation, digest);
        const total = report.findings.length;
        const end = Math.min(offset + query.limit, total);
        const nextCursor = end < total ? encodeCursor({ g: generation, o: end, f: digest }) : null;
        const page = { limit: query.limit, total, nextCursor, next: nextCursor ? nextLink(ctx.path, query, nextCursor) : null };
        return {
          body: undefined,
          stream: () => jsonInPieces(report as unknown as Record<string, unknown>, 'findings', report.findings.slice(offset, end), { page }, (f) => JSON.stringify(f)),
          answer: report,
          ...(page.next ? { headers: { Link: `<${page.next}>; rel="next"` } } : {}),
        };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/assets/{instance}/metrics',
      operationId: 'getMetrics',
      tag: 'assets',
      summary: 'CPU, network and status checks over the last hours, with robust anomalies',
      scope: 'read',
      params: instanceParams,
      query: hoursQuery(MAX_LOOKBACK_HOURS),
      response: { status: 200, schema: metricsReportSchema, description: 'metric summaries' },
      errors: [...INSTANCE_ERRORS],
      handle: async ({ params, query }) => ({ body: await assistant.metricsSummary({ instance: params.instance, hours: query.hours }) }),
    }),
    route({
      method: 'GET',
      path: '/v1/assets/{instance}/activity',
      operationId: 'getActivity',
      tag: 'assets',
      summary: 'CloudTrail events about one instance, with those worth a look flagged',
      scope: 'read',
      params: instanceParams,
      query: hoursQuery(MAX_LOOKBACK_HOURS),
      response: { status: 200, schema: activityReportSchema, description: 'the events, newest first' },
      errors: [...INSTANCE_ERRORS],
      handle: async ({ params, query }) => ({ body: await assistant.activityReport({ instance: params.instance, hours: query.hours }) }),
    }),
  ];
}
