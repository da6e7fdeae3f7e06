/**
 * The read answers: the same JSON as the CLI's `--json`, built by the use cases. Each schema is
 * pinned to its contract type at compile time (SameShape), and checked against real answers by
 * the OpenAPI tests.
 */
import { z } from 'zod';
import { METRIC_NAMES, type Severity } from '../../../../domain/fleet-facts.js';
import { PATCHED_DECISIONS } from '../../../../domain/patch/waves.js';
import type { ActivityReport } from '../../../../ports/inbound/reports/report-activity.port.js';
import type { InstanceReport } from '../../../../ports/inbound/assessment/assess-instance.port.js';
import type { FindingsReport } from '../../../../ports/inbound/assessment/list-findings.port.js';
import type { PlanReport } from '../../../../ports/inbound/patching/plan-patches.port.js';
import type { AssetReport, FindingReport, FleetReport } from '../../../../ports/inbound/assessment/fleet-report.port.js';
import type { ComplianceReport } from '../../../../ports/inbound/reports/summarize-compliance.port.js';
import type { MetricsReport } from '../../../../ports/inbound/reports/summarize-metrics.port.js';
import { DECISION_KINDS, MIN_SEVERITIES, MISSIONS, SSVC_OUTCOMES, TIMELINES, WAVE_STAGES } from '../../../../domain/vocabulary.js';
import { INSTANT_BASES } from '../../../../ports/outbound/source-info.port.js';
import { isoInstant, oneOf, openEnum, responseSchemas, type SameShape } from './registry.js';

export const decisionSchema = oneOf(DECISION_KINDS).describe('patch decision');
export const missionSchema = z.enum(MISSIONS);
const ssvcSchema = oneOf(SSVC_OUTCOMES);
const nullableString = z.string().nullable();
const warnings = z.array(z.string()).describe('why the answer may be partial (a source failed, data missing)');
const header = {
  generatedAt: isoInstant.describe('the instant the answer is assessed as of: due dates, overdue and look-backs count from it'),
  asOf: oneOf(INSTANT_BASES).describe('where generatedAt comes from: option (now set by the caller), capturedAt (the snapshot\'s capture time), lastObservedAt (the newest finding observation of a snapshot without one), clock'),
  source: z.string().describe('demo, snapshot:DIR or aws:REGION'),
};

export const findingReportSchema = z
  .strictObject({
    findingArn: z.string(),
    vulnerabilityId: nullableString,
    relatedVulnerabilities: z.array(z.string()).describe('the other advisory ids Inspector relates to it: the CVEs of a Windows KB, the ALAS ids of a CVE'),
    title: nullableString,
    type: z.string().describe('PACKAGE_VULNERABILITY, NETWORK_REACHABILITY, CODE_VULNERABILITY (open: AWS may add values)'),
    severity: openEnum<Severity>('INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNTRIAGED (open: AWS may add values)'),
    riskScore: z.number().min(0).max(100),
    exploitation: z.enum(['none', 'public poc', 'active']),
    automatable: z.boolean(),
    technicalImpact: z.enum(['partial', 'total']),
    inKev: z.boolean(),
    cvssScore: z.number().nullable(),
    cvssVector: nullableString,
    epss: z.number().nullable(),
    ssvc: ssvcSchema,
    timeline: z.enum(TIMELINES).nullable()
      .describe('BOD 26-04 timeline; null for network reachability (exposure evidence only)'),
    dueBy: isoInstant.nullable(),
    due: nullableString.describe('how the due date was reached: from first observation, or from the CISA KEV listing when that is later and drives the timeline'),
    overdue: z.boolean(),
    fixAvailable: z.enum(['YES', 'NO', 'PARTIAL']),
    packages: z.array(z.strictObject({ name: z.string(), version: nullableString, fixedInVersion: nullableString })),
    firstObservedAt: isoInstant.nullable(),
    reasons: z.array(z.string()),
    acceptance: z.strictObject({ id: z.string(), by: z.string(), until: isoInstant.nullable(), reason: z.string() }).optional(),
  })
  .register(responseSchemas, { id: 'Finding' });
const _finding: SameShape<typeof findingReportSchema, FindingReport> = true;

export const assetReportSchema = z
  .strictObject({
    instanceId: z.string(),
    accountId: z.string().regex(/^\d{12}$/).optional().describe('the AWS account the instance lives in (an organization read: accounts or regions in scope)'),
    region: z.string().optional().describe('the region the instance lives in, present with accountId'),
    name: nullableString,
    state: z.string().describe('pending, running, shutting-down, terminated, stopping, stopped (open: AWS may add values)'),
    environment: nullableString,
    autoScalingGroup: nullableString,
    mission: missionSchema,
    exposed: z.boolean(),
    managed: z.boolean().nullable(),
    riskScore: z.number().min(0).max(100),
    decision: decisionSchema,
    decisionReasons: z.array(z.string()),
    dueBy: isoInstant.nullable(),
    rebootExpected: z.boolean(),
    forensicTriage: z.boolean(),
    scoreReasons: z.array(z.string()),
    findings: z.array(findingReportSchema),
    accepted: z.array(findingReportSchema).describe('findings present but not counted (risk accepted)'),
  })
  .register(responseSchemas, { id: 'Asset' });
const _asset: SameShape<typeof assetReportSchema, AssetReport> = true;

const summarySchema = z
  .strictObject({
    assets: z.int().min(0),
    findings: z.int().min(0),
    byDecision: z.record(decisionSchema, z.int().min(0)),
    bySsvc: z.record(ssvcSchema, z.int().min(0)),
    overdue: z.int().min(0),
    accepted: z.int().min(0),
    byAccount: z.record(z.string(), z.int().min(0)).optional().describe('assets per AWS account, when the assets carry their account'),
    byRegion: z.record(z.string(), z.int().min(0)).optional().describe('assets per AWS region, when the assets carry their region'),
  })
  .register(responseSchemas, { id: 'FleetSummary' });

const fleetFields = {
  ...header, assets: z.array(assetReportSchema), summary: summarySchema, warnings,
  partial: z.literal(true).optional().describe('an account or region of the scope could not be read: the warnings name it, the rest of the answer stands'),
};
const _fleetReportSchema = z.strictObject(fleetFields);
const _fleet: SameShape<typeof _fleetReportSchema, FleetReport> = true;

/** The most urgent finding of an asset, in short (the full one: `?include=findings` or the findings route). */
const topFindingSchema = z
  .strictObject({
    findingArn: z.string(),
    vulnerabilityId: nullableString,
    title: nullableString,
    severity: findingReportSchema.shape.severity,
    riskScore: z.number(),
    ssvc: ssvcSchema,
    inKev: z.boolean(),
    dueBy: isoInstant.nullable(),
    overdue: z.boolean(),
    fixAvailable: z.enum(['YES', 'NO', 'PARTIAL']),
  })
  .register(responseSchemas, { id: 'TopFinding' });

/** An asset without its findings: the default item of GET /v1/assets. */
export const assetSummarySchema = z
  .strictObject({
    ...assetReportSchema.omit({ findings: true, accepted: true }).shape,
    topFinding: topFindingSchema.nullable().describe('the highest-risk active finding; null when none'),
    findingCounts: z.strictObject({
      active: z.int().min(0),
      accepted: z.int().min(0),
      overdue: z.int().min(0),
      bySeverity: z.record(z.string(), z.int().min(0)).describe('active findings per severity (only severities present)'),
    }),
  })
  .register(responseSchemas, { id: 'AssetSummary' });

const pageFields = {
  limit: z.int().min(1),
  total: z.int().min(0).describe('items that matched the filters'),
  nextCursor: nullableString.describe('pass as ?cursor= for the next page; null on the last. Valid for this assessment only (410 after a refresh)'),
  next: nullableString.describe('the path and query of the next page; null on the last'),
};

/**
 * GET /v1/assets: the fleet report with one page of assets (summaries, or full assets with
 * `?include=findings`); `summary` counts every asset that matched.
 */
export const assetPageSchema = z
  .strictObject({
    ...fleetFields,
    assets: z.array(z.union([assetSummarySchema, assetReportSchema])).describe('summaries by default; full assets (with findings) with ?include=findings'),
    page: z.strictObject({
      offset: z.int().min(0),
      ...pageFields,
      nextOffset: z.int().min(0).nullable().describe('offset of the next page; null on the last'),
    }),
  })
  .register(responseSchemas, { id: 'AssetPage' });

export const instanceReportSchema = z.strictObject({ ...header, asset: assetReportSchema, warnings }).register(responseSchemas, { id: 'InstanceReport' });
const _instance: SameShape<typeof instanceReportSchema, InstanceReport> = true;

export const findingsReportSchema = z
  .strictObject({
    ...header,
    instanceId: z.string(),
    name: nullableString,
    minSeverity: z.enum(MIN_SEVERITIES).nullable(),
    findings: z.array(findingReportSchema),
    filteredOut: z.int().min(0).describe('findings left out by minSeverity'),
    warnings,
  })
  .register(responseSchemas, { id: 'FindingsReport' });
const _findings: SameShape<typeof findingsReportSchema, FindingsReport> = true;

/** GET /v1/assets/{instance}/findings: the findings report with one page of findings. */
export const findingsPageSchema = z
  .strictObject({ ...findingsReportSchema.shape, page: z.strictObject(pageFields) })
  .register(responseSchemas, { id: 'FindingsPage' });

const plannedSchema = z
  .strictObject({
    instanceId: z.string(),
    accountId: z.string().regex(/^\d{12}$/).optional().describe('the AWS account the instance lives in (an organization read)'),
    region: z.string().optional().describe('the region the instance lives in, present with accountId'),
    name: nullableString,
    riskScore: z.number().min(0).max(100),
    decision: decisionSchema,
    dueBy: isoInstant.nullable(),
    window: z.strictObject({ start: isoInstant, end: isoInstant, source: z.enum(['immediate', 'cpu-history', 'default']), why: z.string() }).nullable(),
    wave: z.int().min(1).nullable(),
    canary: z.boolean(),
    production: z.boolean(),
    autoScalingGroup: nullableString,
    rebootExpected: z.boolean(),
    lateByHours: z.number().nullable(),
  })
  .register(responseSchemas, { id: 'PlannedInstance' });

export const planReportSchema = z
  .strictObject({
    ...header,
    rollout: z.strictObject({ maxConcurrency: z.string(), maxErrors: z.string() }),
    byDecision: z.record(decisionSchema, z.array(plannedSchema)),
    waves: z.array(
      z.strictObject({
        number: z.int().min(1),
        stage: z.enum(WAVE_STAGES),
        canary: z.boolean(),
        decision: oneOf(PATCHED_DECISIONS),
        instanceIds: z.array(z.string()),
      }),
    ),
    notes: z.array(z.string()),
    warnings,
  })
  .register(responseSchemas, { id: 'PlanReport' });
const _plan: SameShape<typeof planReportSchema, PlanReport> = true;

const count = z.int().min(0);
export const complianceReportSchema = z
  .strictObject({
    ...header,
    instances: count,
    managed: count.nullable(),
    withPatchState: count,
    compliant: count,
    nonCompliant: count,
    compliancePercent: z.number().min(0).max(100).nullable(),
    missing: count,
    failed: count,
    pendingReboot: count,
    criticalNonCompliant: count,
    securityNonCompliant: count,
    perInstance: z.array(
      z.strictObject({
        instanceId: z.string(),
        name: nullableString,
        managed: z.boolean().nullable(),
        status: z.enum(['compliant', 'non-compliant', 'unknown']),
        missing: count,
        failed: count,
        pendingReboot: count,
        criticalNonCompliant: count,
        securityNonCompliant: count,
        lastOperation: nullableString,
        lastOperationAt: isoInstant.nullable(),
      }),
    ),
    warnings,
  })
  .register(responseSchemas, { id: 'ComplianceReport' });
const _compliance: SameShape<typeof complianceReportSchema, ComplianceReport> = true;

const seriesSchema = z
  .strictObject({
    metric: oneOf(METRIC_NAMES),
    unit: z.enum(['Percent', 'Bytes', 'Count']).describe('unit of mean, min, max, p95 and anomaly values (trendPerHour: per hour); NetworkIn/Out are bytes per period'),
    count,
    mean: z.number().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    p95: z.number().nullable(),
    trendPerHour: z.number().nullable(),
    anomalies: z.array(z.strictObject({ t: z.number().describe('epoch milliseconds'), v: z.number(), score: z.number() })),
  })
  .register(responseSchemas, { id: 'SeriesSummary' });

/** The fields every "one instance over the last N hours" report starts with (ports/use-cases/reports/look-back.ts). */
const lookBackHeader = {
  ...header,
  instanceId: z.string(),
  name: nullableString,
  hours: z.int().min(1),
  start: isoInstant,
  end: isoInstant,
};

export const metricsReportSchema = z
  .strictObject({
    ...lookBackHeader,
    periodSeconds: z.int().min(1),
    metrics: z.record(oneOf(METRIC_NAMES), seriesSchema),
    warnings,
    series: z.record(oneOf(METRIC_NAMES), z.array(z.strictObject({ t: isoInstant, v: z.number() })))
      .optional().describe('the points themselves (library and console callers that ask for them; the HTTP route never does)'),
  })
  .register(responseSchemas, { id: 'MetricsReport' });
const _metrics: SameShape<typeof metricsReportSchema, MetricsReport> = true;

export const activityReportSchema = z
  .strictObject({
    ...lookBackHeader,
    total: count,
    flagged: count,
    events: z.array(
      z.strictObject({
        eventTime: isoInstant,
        eventName: z.string(),
        eventSource: nullableString,
        username: nullableString,
        userIdentityType: nullableString,
        sourceIpAddress: nullableString,
        userAgent: nullableString,
        errorCode: nullableString,
        flags: z.array(z.strictObject({ kind: z.enum(['root', 'sensitive-call', 'error', 'unknown-network']), reason: z.string() })),
      }),
    ),
    warnings,
  })
  .register(responseSchemas, { id: 'ActivityReport' });
const _activity: SameShape<typeof activityReportSchema, ActivityReport> = true;
