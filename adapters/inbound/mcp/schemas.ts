/**
 * The MCP tools' input and output schemas (zod 4). Inputs are strict, so a misspelt argument is
 * an error naming it rather than a filter silently ignored. Outputs are the agent-facing shapes:
 * bounded versions of the report contract (ports/use-cases/assessment/fleet-report.mapper.ts), and every structured result
 * is parsed through its schema before it is sent, so it never carries a key the schema lacks.
 */
import * as z from 'zod';
import type { Exploitation, TechnicalImpact } from '../../../domain/risk/finding-assessment.js';
import {
  DECISION_KINDS, DEFAULT_LOOKBACK_HOURS, IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_TEXT, MAX_LOOKBACK_HOURS, MAX_REASON_LENGTH, MIN_SEVERITY_NAMES, MISSIONS, REBOOT_OPTIONS, SSVC_OUTCOMES,
  TIMELINES, WAVE_STAGES,
} from '../../../domain/vocabulary.js';
import { PATCHED_DECISIONS } from '../../../domain/patch/waves.js';
import { AWS_REGIONS } from '../../../domain/scope.js';
import type { InstantBasis } from '../../../ports/outbound/source-info.port.js';

/** Defaults and ceilings of every list a tool returns. */
export const LIMITS = {
  assets: { default: 20, max: 100 },
  findings: { default: 50, max: 200 },
  /** Findings shown under each asset of assess_fleet. */
  topFindings: { default: 3, max: 10 },
  rows: { default: 50, max: 200 },
  /** Instance ids listed under each wave of plan_patches. */
  waveIds: 20,
  anomalies: { default: 10, max: 50 },
  /** Instances named in one request_patch_run. */
  runInstances: 100,
} as const;

const EXPLOITATION_VALUES = ['none', 'public poc', 'active'] as const satisfies readonly Exploitation[];
const IMPACT_VALUES = ['partial', 'total'] as const satisfies readonly TechnicalImpact[];

export const Decision = z.enum(DECISION_KINDS);
export const MissionEnum = z.enum(MISSIONS);
const Ssvc = z.enum(SSVC_OUTCOMES);
const TimelineEnum = z.enum(TIMELINES);
const ExploitationEnum = z.enum(EXPLOITATION_VALUES);
const Impact = z.enum(IMPACT_VALUES);
const Iso = z.string().describe('ISO 8601 instant (UTC)');
const IsoOrNull = Iso.nullable();
const AsOf = z.enum(['option', 'capturedAt', 'lastObservedAt', 'clock'] as const satisfies readonly InstantBasis[])
  .describe('where generatedAt (the instant the answer is assessed as of) comes from: option (set by the caller), capturedAt (the snapshot\'s capture time), lastObservedAt (the newest finding observation of a snapshot without one), clock');
const Count = z.number().int().min(0);

// ---- inputs --------------------------------------------------------------------------------

const instance = z.string().trim().min(1, 'instance: name an instance id (i-...) or Name tag').describe('instance id (i-...) or Name tag; on an organization read ACCOUNT/REGION/ID picks one of an id several accounts hold');
const limit = (l: { default: number; max: number }, what: string, order: string) =>
  z.number().int().min(1).max(l.max).default(l.default).describe(`how many ${what} to return, ${order} (1 to ${l.max}, default ${l.default})`);
const offset = z.number().int().min(0).default(0).describe('skip this many (for the next page: the offset a note names)');
const hours = z.number().int().min(1).max(MAX_LOOKBACK_HOURS).default(DEFAULT_LOOKBACK_HOURS)
  .describe(`look back this many hours (1 to ${MAX_LOOKBACK_HOURS}, default ${DEFAULT_LOOKBACK_HOURS})`);
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);

export const AssessFleetInput = z.strictObject({
  decision: oneOrMany(Decision).optional().describe('only assets with this patch decision (or any of these)'),
  mission: oneOrMany(MissionEnum).optional().describe('only assets with this SSVC mission (or any of these)'),
  exposed: z.boolean().optional().describe('only exposed (true) or only unexposed (false) assets'),
  account: oneOrMany(z.string().regex(/^\d{12}$/, 'account: a 12-digit AWS account id')).optional().describe('only assets in this AWS account (or any of these); an organization read'),
  region: oneOrMany(z.enum(AWS_REGIONS)).optional().describe('only assets in this region (or any of these); an organization read'),
  limit: limit(LIMITS.assets, 'assets', 'highest risk first'),
  offset,
  findingsPerAsset: z.number().int().min(0).max(LIMITS.topFindings.max).default(LIMITS.topFindings.default)
    .describe(`the riskiest findings shown under each asset (0 to ${LIMITS.topFindings.max}, default ${LIMITS.topFindings.default})`),
});

export const AssessInstanceInput = z.strictObject({ instance, limit: limit(LIMITS.findings, 'findings', 'highest risk first'), offset });

export const SEVERITIES = MIN_SEVERITY_NAMES;
export const ListFindingsInput = z.strictObject({
  instance,
  minSeverity: z.enum(SEVERITIES).optional().describe('only findings at or above this severity'),
  limit: limit(LIMITS.findings, 'findings', 'highest risk first'),
  offset,
});

export const PlanPatchesInput = z.strictObject({
  decision: oneOrMany(Decision).optional().describe('only instances with this decision (or any of these)'),
  limit: limit(LIMITS.rows, 'planned instances', 'in wave order'),
  offset,
});

export const ComplianceStatus = z.enum(['compliant', 'non-compliant', 'unknown']);
export const PatchComplianceInput = z.strictObject({
  status: ComplianceStatus.optional().describe('only instances with this patch compliance status'),
  limit: limit(LIMITS.rows, 'instances', 'non-compliant first'),
  offset,
});

export const InstanceMetricsInput = z.strictObject({
  instance,
  hours,
  maxAnomalies: z.number().int().min(0).max(LIMITS.anomalies.max).default(LIMITS.anomalies.default)
    .describe(`anomalies listed per metric, strongest first (0 to ${LIMITS.anomalies.max}, default ${LIMITS.anomalies.default})`),
});

export const InstanceActivityInput = z.strictObject({
  instance,
  hours,
  flaggedOnly: z.boolean().default(false).describe('only events flagged as worth a look'),
  limit: limit(LIMITS.rows, 'events', 'newest first'),
  offset,
});

export const ExplainFindingInput = z.strictObject({
  instance,
  vulnerabilityId: z.string().trim().min(1, 'vulnerabilityId: name a CVE id or a finding ARN').describe('the CVE id (e.g. CVE-2024-1086) or the finding ARN'),
});

export const RequestPatchRunInput = z.strictObject({
  instances: z.array(z.string().trim().min(1)).min(1).max(LIMITS.runInstances).optional()
    .describe(`instance ids or Name tags to patch (up to ${LIMITS.runInstances}); or set fromPlan`),
  fromPlan: z.boolean().optional().describe('everything the current plan patches now or in the next window'),
  dryRun: z.boolean().default(false).describe('scan only (AWS-RunPatchBaseline Operation=Scan): nothing is installed'),
  reboot: z.enum(REBOOT_OPTIONS).default('if-needed').describe('reboot if the patches need it (default), or never'),
  reason: z.string().trim().min(1, 'reason: say why the run is needed (it is shown to the approver)').max(MAX_REASON_LENGTH, `reason: at most ${MAX_REASON_LENGTH} characters`).describe('why the run is needed; shown to the human approver'),
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY, `idempotencyKey: expected ${IDEMPOTENCY_KEY_TEXT}`).optional().describe('the same key twice makes one run'),
});

export const AcceptRiskInput = z.strictObject({
  vulnerabilityId: z.string().trim().min(1, 'vulnerabilityId: name the advisory id to accept').max(128, 'vulnerabilityId: at most 128 characters')
    .describe('any advisory id a finding is known by: CVE-2024-6387, KB5023697, ALAS2-2025-2879, GHSA-..., RHSA-2024:1234, USN-6000-1'),
  instance: instance.optional().describe('instance id (i-...), Name tag, or ACCOUNT/REGION/ID on an organization read (an id two accounts hold is refused as ambiguous); leave it out to accept the id on the whole fleet'),
  until: z.string().trim().min(1, 'until: name an ISO 8601 date or date-time, e.g. 2027-01-31').max(64)
    .describe('ISO 8601 date (the end of that day, UTC) or date-time with a zone; in the future and within the policy\'s riskAcceptance.maxDays'),
  reason: z.string().trim().min(1, 'reason: say why the risk is accepted (a compensating control, a planned replacement ...)').max(MAX_REASON_LENGTH, `reason: at most ${MAX_REASON_LENGTH} characters`)
    .describe('why the risk is accepted; shown beside the finding in every report'),
  force: z.boolean().default(false).describe('accept even when no current finding is known by this id (else refused with the nearest ids)'),
});

export const RevokeAcceptanceInput = z.strictObject({
  acceptance: z.string().trim().min(1, 'acceptance: name the acceptance id (acc-...)').max(64).describe('the acceptance id (acc-...), as accept_risk or a finding\'s acceptance gives it'),
});

// ---- outputs -------------------------------------------------------------------------------

/** Paging of one list: what was returned and what was cut. */
const Page = z.object({
  total: Count.describe('items that matched, before the limit'),
  offset: Count,
  returned: Count,
  truncated: z.boolean(),
  note: z.string().nullable().describe('what was cut and how to get the rest; null when nothing was'),
});
export type PageOut = z.infer<typeof Page>;

const FindingBrief = z.object({
  findingArn: z.string(),
  vulnerabilityId: z.string().nullable(),
  relatedVulnerabilities: z.array(z.string()).describe('other advisory ids of the same finding: the CVEs of a Windows KB, the ALAS ids of a CVE'),
  title: z.string().nullable(),
  severity: z.string(),
  riskScore: z.number(),
  ssvc: Ssvc,
  timeline: TimelineEnum.nullable().describe('null for network reachability (exposure evidence only)'),
  dueBy: IsoOrNull,
  due: z.string().nullable().describe('how the due date was reached (first observation or the later CISA KEV listing)'),
  overdue: z.boolean(),
  inKev: z.boolean(),
  exploitation: ExploitationEnum,
  epss: z.number().nullable(),
  cvssScore: z.number().nullable(),
  fixAvailable: z.enum(['YES', 'NO', 'PARTIAL']),
});
export type FindingBriefOut = z.infer<typeof FindingBrief>;

const FindingDetail = FindingBrief.extend({
  type: z.string(),
  automatable: z.boolean(),
  technicalImpact: Impact,
  cvssVector: z.string().nullable(),
  packages: z.array(z.object({ name: z.string(), version: z.string().nullable(), fixedInVersion: z.string().nullable() })),
  firstObservedAt: IsoOrNull,
  reasons: z.array(z.string()).describe('each factor of the risk score with its points'),
  acceptance: z.object({ id: z.string(), by: z.string(), until: IsoOrNull, reason: z.string() }).nullable()
    .describe('the risk acceptance that keeps the finding out of the count, if any'),
});
export type FindingDetailOut = z.infer<typeof FindingDetail>;

const AssetCore = z.object({
  instanceId: z.string(),
  accountId: z.string().optional().describe('the AWS account the instance lives in (an organization read)'),
  region: z.string().optional().describe('its region (an organization read)'),
  name: z.string().nullable(),
  environment: z.string().nullable(),
  mission: MissionEnum,
  exposed: z.boolean(),
  managed: z.boolean().nullable().describe('SSM-managed and online; null when SSM state is unknown'),
  riskScore: z.number(),
  decision: Decision,
  decisionReasons: z.array(z.string()),
  dueBy: IsoOrNull,
  rebootExpected: z.boolean(),
  forensicTriage: z.boolean(),
});

const Summary = z.object({
  assets: Count,
  findings: Count,
  byDecision: z.record(Decision, Count),
  bySsvc: z.record(Ssvc, Count),
  overdue: Count,
  accepted: Count,
  byAccount: z.record(z.string(), Count).optional().describe('assets per AWS account (an organization read)'),
  byRegion: z.record(z.string(), Count).optional().describe('assets per AWS region (an organization or multi-region read)'),
});

export const AssessFleetOutput = z.object({
  generatedAt: Iso,
  asOf: AsOf,
  source: z.string(),
  summary: Summary.describe('counts over every asset that matched the filters, not only those returned'),
  assets: z.array(AssetCore.extend({ findingCount: Count, acceptedCount: Count, topFindings: z.array(FindingBrief) })),
  page: Page,
  warnings: z.array(z.string()),
  partial: z.literal(true).optional().describe('an account or region could not be read: the warnings name it, the rest stands'),
});
export type AssessFleetOut = z.infer<typeof AssessFleetOutput>;

export const AssessInstanceOutput = z.object({
  generatedAt: Iso,
  asOf: AsOf,
  source: z.string(),
  asset: AssetCore.extend({ state: z.string(), autoScalingGroup: z.string().nullable(), scoreReasons: z.array(z.string()) }),
  findings: z.array(FindingBrief),
  page: Page,
  accepted: z.array(FindingBrief).describe(`findings not counted because a risk acceptance covers them (first ${LIMITS.findings.default})`),
  acceptedCount: Count,
  warnings: z.array(z.string()),
});
export type AssessInstanceOut = z.infer<typeof AssessInstanceOutput>;

export const ListFindingsOutput = z.object({
  generatedAt: Iso,
  asOf: AsOf,
  source: z.string(),
  instanceId: z.string(),
  name: z.string().nullable(),
  minSeverity: z.string().nullable(),
  filteredOut: Count.describe('findings below minSeverity'),
  findings: z.array(FindingDetail),
  page: Page,
  warnings: z.array(z.string()),
});
export type ListFindingsOut = z.infer<typeof ListFindingsOutput>;

const PlannedInstance = z.object({
  instanceId: z.string(),
  accountId: z.string().optional().describe('the AWS account the instance lives in (an organization read)'),
  region: z.string().optional().describe('the region the instance lives in, present with accountId'),
  name: z.string().nullable(),
  riskScore: z.number(),
  decision: Decision,
  dueBy: IsoOrNull,
  window: z.object({ start: Iso, end: Iso, source: z.enum(['immediate', 'cpu-history', 'default']), why: z.string() }).nullable(),
  wave: z.number().int().nullable(),
  canary: z.boolean(),
  production: z.boolean(),
  autoScalingGroup: z.string().nullable(),
  rebootExpected: z.boolean(),
  lateByHours: z.number().nullable(),
});

export const PlanPatchesOutput = z.object({
  generatedAt: Iso,
  asOf: AsOf,
  source: z.string(),
  rollout: z.object({ maxConcurrency: z.string(), maxErrors: z.string() }),
  counts: z.record(Decision, Count).describe('instances per decision, over the whole plan'),
  waves: z.array(z.object({
    number: z.number().int(),
    stage: z.enum(WAVE_STAGES),
    canary: z.boolean(),
    decision: z.enum(PATCHED_DECISIONS),
    instanceCount: Count,
    instanceIds: z.array(z.string()).describe(`the first ${LIMITS.waveIds} instance ids of the wave`),
  })),
  instances: z.array(PlannedInstance),
  page: Page,
  notes: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type PlanPatchesOut = z.infer<typeof PlanPatchesOutput>;

export const PatchComplianceOutput = z.object({
  generatedAt: Iso,
  asOf: AsOf,
  source: z.string(),
  summary: z.object({
    instances: Count,
    managed: Count.nullable(),
    withPatchState: Count,
    compliant: Count,
    nonCompliant: Count,
    compliancePercent: z.number().nullable(),
    missing: Count,
    failed: Count,
    pendingReboot: Count,
    criticalNonCompliant: Count,
    securityNonCompliant: Count,
  }),
  instances: z.array(z.object({
    instanceId: z.string(),
    name: z.string().nullable(),
    managed: z.boolean().nullable(),
    status: ComplianceStatus,
    missing: Count,
    failed: Count,
    pendingReboot: Count,
    criticalNonCompliant: Count,
    securityNonCompliant: Count,
    lastOperation: z.string().nullable(),
    lastOperationAt: IsoOrNull,
  })),
  page: Page,
  warnings: z.array(z.string()),
});
export type PatchComplianceOut = z.infer<typeof PatchComplianceOutput>;

const Series = z.object({
  unit: z.enum(['Percent', 'Bytes', 'Count']).describe('unit of mean, min, max, p95 and anomaly values; network bytes are per period'),
  count: Count,
  mean: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  p95: z.number().nullable(),
  trendPerHour: z.number().nullable(),
  anomalyCount: Count,
  anomalies: z.array(z.object({ at: Iso, value: z.number(), score: z.number().describe('signed robust z-score') })).describe('strongest first'),
});

/** The fields every "one instance over the last N hours" result starts with. */
const LookBackHeader = {
  generatedAt: Iso,
  asOf: AsOf,
  source: z.string(),
  instanceId: z.string(),
  name: z.string().nullable(),
  hours: z.number().int(),
  start: Iso,
  end: Iso,
};

export const InstanceMetricsOutput = z.object({
  ...LookBackHeader,
  periodSeconds: z.number().int(),
  metrics: z.object({ cpu: Series, networkIn: Series, networkOut: Series, statusCheckFailed: Series }),
  note: z.string().nullable().describe('anomalies left out, if any'),
  warnings: z.array(z.string()),
});
export type InstanceMetricsOut = z.infer<typeof InstanceMetricsOutput>;

export const InstanceActivityOutput = z.object({
  ...LookBackHeader,
  total: Count.describe('events in the window'),
  flagged: Count.describe('events with at least one flag'),
  events: z.array(z.object({
    eventTime: Iso,
    eventName: z.string(),
    eventSource: z.string().nullable(),
    username: z.string().nullable(),
    userIdentityType: z.string().nullable(),
    sourceIpAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    errorCode: z.string().nullable(),
    flags: z.array(z.object({ kind: z.string(), reason: z.string() })),
  })),
  page: Page,
  warnings: z.array(z.string()),
});
export type InstanceActivityOut = z.infer<typeof InstanceActivityOutput>;

const Input = <T extends z.ZodType>(value: T) => z.object({ value, basis: z.string().describe('where the value comes from') });

export const FindingExplanation = z.object({
  findingArn: z.string(),
  vulnerabilityId: z.string().nullable(),
  relatedVulnerabilities: z.array(z.string()).describe('other advisory ids of the same finding; KEV, exploitation and acceptances match any of them'),
  title: z.string().nullable(),
  severity: z.string(),
  counted: z.boolean().describe('false when a risk acceptance keeps it out of the count'),
  cvss: z.object({
    vector: z.string().nullable(),
    score: z.number().nullable(),
    metrics: z.record(z.string(), z.string()).nullable().describe('the CVSS v3 base metrics read (AV, AC, PR, UI, S, C, I, A)'),
  }),
  ssvc: z.object({
    table: z.string().describe('the CERT/CC SSVC data table id (resource sre-ops://tables/ssvc)'),
    inputs: z.object({ exploitation: Input(ExploitationEnum), automatable: Input(z.boolean()), technicalImpact: Input(Impact), mission: Input(MissionEnum) }),
    row: z.object({
      number: z.number().int().min(1).describe('1-based, in the order the table lists its rows'),
      exploitation: ExploitationEnum,
      automatable: z.boolean(),
      technicalImpact: Impact,
      outcomes: z.object({ low: Ssvc, medium: Ssvc, high: Ssvc }),
    }),
    column: MissionEnum.describe('the mission column read'),
    outcome: Ssvc,
  }),
  timeline: z.object({
    table: z.string().describe('the CERT/CC SSVC data table id (resource sre-ops://tables/bod-26-04)'),
    inputs: z.object({ inKev: Input(z.boolean()), exposed: Input(z.boolean()), automatable: Input(z.boolean()), technicalImpact: Input(Impact) }),
    row: z.object({ number: z.number().int().min(1), inKev: z.boolean(), exposed: z.boolean(), automatable: z.boolean(), technicalImpact: Impact, timeline: TimelineEnum }),
    outcome: TimelineEnum,
    days: z.number().int().nullable().describe('days the policy gives this timeline; null: no deadline'),
    firstObservedAt: IsoOrNull,
    due: z.string().nullable().describe('how the due date was reached: from firstObservedAt, or from the later CISA KEV dateAdded when the listing drives the timeline'),
    dueBy: IsoOrNull,
    overdue: z.boolean(),
  }),
  riskScore: z.number(),
  scoreReasons: z.array(z.string()),
});
export type FindingExplanationOut = z.infer<typeof FindingExplanation>;

export const ExplainFindingOutput = z.object({
  generatedAt: Iso,
  asOf: AsOf,
  source: z.string(),
  instanceId: z.string(),
  name: z.string().nullable(),
  decision: Decision.describe("the instance's patch decision"),
  decisionReasons: z.array(z.string()),
  explanations: z.array(FindingExplanation).describe('one per finding with that id on the instance (usually one)'),
  warnings: z.array(z.string()),
});
export type ExplainFindingOut = z.infer<typeof ExplainFindingOutput>;

export const RequestPatchRunOutput = z.object({
  run: z.object({
    id: z.string(),
    status: z.string(),
    operation: z.enum(['Scan', 'Install']),
    rebootOption: z.enum(['RebootIfNeeded', 'NoReboot']),
    requestedBy: z.string(),
    requestedAt: Iso,
    reason: z.string().nullable(),
    needsApproval: z.boolean(),
    approvalWhy: z.string().nullable().describe('why a human approval is needed'),
    simulated: z.boolean().describe('true on the demo source: nothing is ever sent to AWS'),
    instanceCount: Count,
    waves: z.array(z.object({ number: z.number().int(), canary: z.boolean(), instanceCount: Count, instanceIds: z.array(z.string()).describe(`the first ${LIMITS.waveIds}`) })),
  }),
  next: z.string().describe('what has to happen before anything is sent to the instances'),
});
export type RequestPatchRunOut = z.infer<typeof RequestPatchRunOutput>;

export const AcceptanceOutput = z.object({
  acceptance: z.object({
    id: z.string(),
    vulnerabilityId: z.string(),
    instanceId: z.string().nullable().describe('null: the whole fleet'),
    accountId: z.string().optional().describe('the instance\'s AWS account, when recorded: the acceptance applies to that instance only'),
    region: z.string().optional().describe('the instance\'s region, with accountId'),
    reason: z.string(),
    acceptedBy: z.string(),
    acceptedAt: Iso,
    until: Iso.describe('when it ends (the moment of revocation once revoked)'),
    expired: z.boolean().describe('true once it no longer applies (past until, or revoked)'),
    revokedBy: z.string().nullable(),
    revokedAt: IsoOrNull,
  }),
  next: z.string().describe('what the acceptance does from now on'),
});
export type AcceptanceOut = z.infer<typeof AcceptanceOutput>;

/** autopilot_status: the JSON of `autopilot status --json` (ports/inbound/patching/autopilot.port.ts). */
export const AutopilotStatusInput = z.object({});
export const AutopilotStatusOutput = z.object({
  enabled: z.boolean().describe('policy autopilot.enabled'),
  now: z.string(),
  due: z.array(z.object({
    runId: z.string().describe('the id its run will have'),
    start: z.string(),
    end: z.string(),
    instances: z.array(z.object({ instanceId: z.string(), name: z.string().nullable(), decision: z.string() })),
    standing: z.boolean().describe('the policy\'s standing approval approves it at its start; else a person must, by approveBy'),
    createAt: z.string().describe('when the run and its approval request are made'),
    approveBy: z.string().describe('the last moment an approval counts; later, the window is missed'),
  })).describe('windows whose run is due now or later, not made yet'),
  runs: z.array(z.object({
    runId: z.string(),
    status: z.string(),
    start: z.string().nullable(),
    end: z.string().nullable(),
    instances: z.number().int(),
    approvedBy: z.string().nullable(),
    haltReason: z.string().nullable().describe('for a missed window: which, and why'),
  })).describe('runs the autopilot made, newest first'),
});
