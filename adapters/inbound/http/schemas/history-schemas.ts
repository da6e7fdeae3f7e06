/** The history answers: what changed (GET /v1/changes) and the trend (GET /v1/trend), as `changes --json` and `trend --json`. */
import { z } from 'zod';
import type { FixAvailable, Severity } from '../../../../domain/fleet-facts.js';
import { ALERT_KINDS } from '../../../../domain/history/alerts.js';
import { HISTORY_ORIGINS } from '../../../../domain/history/assessment-record.js';
import { ESCALATION_KINDS } from '../../../../domain/history/changes.js';
import { DECISION_KINDS, SSVC_OUTCOMES, TIMELINES } from '../../../../domain/vocabulary.js';
import type { ChangesReport, TrendReport } from '../../../../ports/inbound/history/history.port.js';
import { isoInstant, oneOf, openEnum, responseSchemas, type SameShape } from './registry.js';

const fix = z.enum(['YES', 'NO', 'PARTIAL']) as unknown as z.ZodType<FixAvailable, string>;
const timeline = z.enum(TIMELINES).nullable();
const byDecision = z.strictObject(Object.fromEntries(DECISION_KINDS.map((d) => [d, z.number().int()])) as Record<(typeof DECISION_KINDS)[number], z.ZodNumber>);
const bySsvc = z.strictObject(Object.fromEntries(SSVC_OUTCOMES.map((o) => [o, z.number().int()])) as Record<(typeof SSVC_OUTCOMES)[number], z.ZodNumber>);
const totals = { byDecision, bySsvc, overdue: z.number().int(), inKev: z.number().int(), accepted: z.number().int() };

const assessmentRef = z
  .strictObject({ id: z.string(), at: isoInstant, source: z.string(), origin: oneOf(HISTORY_ORIGINS), assets: z.number().int(), findings: z.number().int() })
  .register(responseSchemas, { id: 'RecordedAssessment' });

const changedFinding = z
  .strictObject({
    instanceId: z.string(),
    name: z.string().nullable(),
    accountId: z.string().optional(),
    region: z.string().optional(),
    advisoryId: z.string().describe('the advisory (CVE, ALAS ...), or the finding id when it has none'),
    severity: openEnum<Severity>('INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNTRIAGED'),
    ssvc: oneOf(SSVC_OUTCOMES),
    timeline,
    dueBy: isoInstant.nullable(),
    overdue: z.boolean(),
    inKev: z.boolean(),
    fixAvailable: fix,
    firstObservedAt: isoInstant.nullable(),
    acceptance: z.strictObject({ id: z.string(), until: isoInstant.nullable() }).nullable(),
    before: z.strictObject({ ssvc: oneOf(SSVC_OUTCOMES), timeline, dueBy: isoInstant.nullable(), inKev: z.boolean(), fixAvailable: fix }).optional(),
    moved: z.array(oneOf(ESCALATION_KINDS)).optional().describe('what moved: ssvc, timeline, kev, fix-available'),
  })
  .register(responseSchemas, { id: 'ChangedFinding' });

const counts = z.strictObject({
  added: z.number().int(), resolved: z.number().int(), escalations: z.number().int(), deEscalations: z.number().int(),
  newlyOverdue: z.number().int(), dueSoon: z.number().int(), decisionsChanged: z.number().int(), acceptancesExpiring: z.number().int(),
});

export const changesReportSchema = z
  .strictObject({
    generatedAt: isoInstant,
    from: assessmentRef.nullable().describe('the earlier assessment; null when fewer than two are recorded'),
    to: assessmentRef.nullable(),
    dueSoonDays: z.number().int(),
    counts,
    added: z.array(changedFinding),
    resolved: z.array(changedFinding),
    escalations: z.array(changedFinding),
    deEscalations: z.array(changedFinding),
    newlyOverdue: z.array(changedFinding),
    dueSoon: z.array(changedFinding),
    decisionsChanged: z.array(z.strictObject({
      instanceId: z.string(), name: z.string().nullable(), accountId: z.string().optional(), region: z.string().optional(),
      from: oneOf(DECISION_KINDS).nullable(), to: oneOf(DECISION_KINDS), riskScore: z.number(),
    })),
    acceptancesExpiring: z.array(changedFinding),
    alerts: z.array(z.strictObject({ key: z.string(), kind: oneOf(ALERT_KINDS), text: z.string() })),
    summary: z.strictObject(totals).nullable(),
    warnings: z.array(z.string()),
  })
  .register(responseSchemas, { id: 'ChangesReport' });
const _changes: SameShape<typeof changesReportSchema, ChangesReport> = true;

export const trendReportSchema = z
  .strictObject({
    generatedAt: isoInstant,
    days: z.number().int(),
    series: z.array(z.strictObject({
      day: z.string().describe('UTC day, YYYY-MM-DD'),
      assessment: z.string(),
      findings: z.number().int(),
      ...totals,
      resolved: z.number().int(),
      meanHoursToRemediate: z.strictObject(Object.fromEntries(SSVC_OUTCOMES.map((o) => [o, z.number().nullable()])) as Record<(typeof SSVC_OUTCOMES)[number], z.ZodNullable<z.ZodNumber>>),
    })),
    warnings: z.array(z.string()),
  })
  .register(responseSchemas, { id: 'TrendReport' });
const _trend: SameShape<typeof trendReportSchema, TrendReport> = true;
