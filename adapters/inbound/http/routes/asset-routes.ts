/** The fleet and one instance: assessment, findings, metrics, activity. */
import { DECISION_KINDS, DEFAULT_LOOKBACK_HOURS, MAX_LOOKBACK_HOURS, MIN_SEVERITY_NAMES } from '../../../../domain/vocabulary.js';
import { z } from 'zod';
import { AWS_REGIONS } from '../../../../domain/scope.js';
import type { FleetReport } from '../../../../ports/inbound/assessment/fleet-report.port.js';
import { booleanParam, wholeNumber } from '../query-params.js';
import { route, type Route } from '../route.js';
import type { RouteDeps } from '../route-deps.js';
import { activityReportSchema, assetPageSchema, findingsReportSchema, instanceReportSchema, metricsReportSchema, missionSchema } from '../schemas/report-schemas.js';
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
  limit: wholeNumber(1, 1000).default(100).describe('assets per page'),
  offset: wholeNumber(0).default(0).describe('assets to skip'),
});

const SOURCE_ERRORS = [502, 503] as const;
const INSTANCE_ERRORS = [404, 409, 502, 503] as const;

/**
 * Pages of one report, so the same page of the same (cached) report is the same object and its
 * serialized JSON is reused (see dispatch). Dropped with the report; at most 32 pages each.
 */
const pages = new WeakMap<FleetReport, Map<string, unknown>>();

function pageOf(report: FleetReport, offset: number, limit: number): unknown {
  let byPage = pages.get(report);
  if (!byPage) pages.set(report, (byPage = new Map()));
  const key = `${offset}:${limit}`;
  let page = byPage.get(key);
  if (page === undefined) {
    const total = report.assets.length;
    const end = offset + limit;
    page = { ...report, assets: report.assets.slice(offset, end), page: { offset, limit, total, nextOffset: end < total ? end : null } };
    if (byPage.size >= 32) byPage.delete(byPage.keys().next().value as string);
    byPage.set(key, page);
  }
  return page;
}

export function assetRoutes({ assistant }: RouteDeps): Route[] {
  return [
    route({
      method: 'GET',
      path: '/v1/assets',
      operationId: 'listAssets',
      tag: 'assets',
      summary: 'Every instance ranked by risk, with its patch decision and findings; filtered and paged',
      description: '`summary` counts every asset that matched the filters; `assets` holds one page of them, highest risk first.',
      scope: 'read',
      query: fleetQuery,
      response: { status: 200, schema: assetPageSchema, description: 'one page of the ranked fleet' },
      errors: [...SOURCE_ERRORS],
      handle: async ({ query }) => {
        const report = await assistant.assessFleet({
          ...(query.decision ? { decisions: query.decision } : {}),
          ...(query.mission ? { missions: query.mission } : {}),
          ...(query.exposed !== undefined ? { exposed: query.exposed } : {}),
          ...(query.account ? { accounts: query.account } : {}),
          ...(query.region ? { regions: query.region } : {}),
        });
        return { body: pageOf(report, query.offset, query.limit), answer: report };
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
      summary: 'Active findings on one instance, highest risk first',
      scope: 'read',
      params: instanceParams,
      query: z.strictObject({
        minSeverity: z.enum(MIN_SEVERITY_NAMES).optional().describe('only findings at or above this severity'),
      }),
      response: { status: 200, schema: findingsReportSchema, description: 'the findings' },
      errors: [...INSTANCE_ERRORS],
      handle: async ({ params, query }) => ({
        body: await assistant.listFindings({ instance: params.instance, ...(query.minSeverity ? { minSeverity: query.minSeverity } : {}) }),
      }),
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
