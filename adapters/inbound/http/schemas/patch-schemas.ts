/**
 * Patch runs, approvals, risk acceptances and the audit log: request bodies (validated here, at
 * the edge, with the field named) and answers (the PatchOperations contract's reports).
 */
import { z } from 'zod';
import type { AcceptRiskRequest, AcceptanceReport } from '../../../../ports/inbound/acceptances/acceptances.port.js';
import type { AuditEntryReport, AuditVerificationReport } from '../../../../ports/inbound/audit/audit.port.js';
import type { PatchRunReport, PatchRunRequest, PatchRunStatus } from '../../../../ports/inbound/patching/patch-runs.port.js';
import type { AutopilotStatus } from '../../../../ports/inbound/patching/autopilot.port.js';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_TEXT, MAX_REASON_LENGTH, REBOOT_OPTIONS, WAVE_STAGES } from '../../../../domain/vocabulary.js';
import { isoInstant, requestSchemas, responseSchemas, type SameShape } from './registry.js';

export const PATCH_RUN_STATUSES = ['requested', 'approved', 'rejected', 'running', 'verifying', 'succeeded', 'halted', 'failed', 'cancelled'] as const satisfies readonly PatchRunStatus[];
const _statuses: SameShape<z.ZodEnum<{ [K in (typeof PATCH_RUN_STATUSES)[number]]: K }>, PatchRunStatus> = true;

/** Instance ids or Name tags as people type them; bounded so one request cannot name the world. */
const instanceRef = z.string().trim().min(1, 'expected an instance id or Name tag').max(256);
const text = (max: number) => z.string().trim().min(1, 'expected a non-empty text').max(max, `expected at most ${max} characters`);
// ISO 8601 date or date-time: the same forms the CLI's --now and --until take.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const patchRunRequestSchema = z
  .strictObject({
    instances: z.array(instanceRef).min(1, 'expected at least one instance').max(1000).optional().describe('instance ids or Name tags; or set fromPlan'),
    fromPlan: z.boolean().optional().describe('everything the plan patches now or in the next window'),
    dryRun: z.boolean().optional().describe('AWS-RunPatchBaseline Operation=Scan only: nothing is installed'),
    reboot: z.enum(REBOOT_OPTIONS).optional(),
    idempotencyKey: z.string().regex(IDEMPOTENCY_KEY, `expected ${IDEMPOTENCY_KEY_TEXT}`).optional().describe('the same key twice makes one run'),
    reason: text(MAX_REASON_LENGTH).optional(),
  })
  .refine((r) => (r.instances !== undefined) !== (r.fromPlan === true), {
    message: 'expected either instances or fromPlan: true (not both, not neither)',
    path: ['instances'],
  })
  .register(requestSchemas, { id: 'PatchRunRequest' });
const _runRequest: SameShape<typeof patchRunRequestSchema, PatchRunRequest> = true;

export const approveRequestSchema = z.strictObject({ comment: text(MAX_REASON_LENGTH).optional() }).register(requestSchemas, { id: 'ApproveRequest' });
export const rejectRequestSchema = z.strictObject({ reason: text(MAX_REASON_LENGTH).optional() }).register(requestSchemas, { id: 'RejectRequest' });
/** Revoking takes no fields (an empty object, or no body at all): who revokes is the key, when is now. */
export const revokeAcceptanceRequestSchema = z.strictObject({}).register(requestSchemas, { id: 'RevokeAcceptanceRequest' });

export const acceptRiskRequestSchema = z
  .strictObject({
    vulnerabilityId: z.string().trim().min(1).max(128).describe('any advisory id Inspector uses: CVE-2024-6387, KB5023697, ALAS2-2025-2879, GHSA-..., RHSA-2024:1234, USN-6000-1 ...'),
    instance: instanceRef.nullable().optional().describe('an instance id or Name tag, or ACCOUNT/REGION/ID on an organization read (an id two accounts hold is refused as ambiguous); absent or null for the whole fleet'),
    until: z.string().regex(ISO_DATE, 'expected an ISO 8601 date or date-time, e.g. 2027-01-31').describe('must be in the future'),
    reason: text(MAX_REASON_LENGTH),
    force: z.boolean().optional().describe('accept even when no current finding is known by this id (else refused with the nearest ids)'),
  })
  .register(requestSchemas, { id: 'AcceptRiskRequest' });
const _acceptRequest: SameShape<typeof acceptRiskRequestSchema, AcceptRiskRequest> = true;

const nullableString = z.string().nullable();

const approvalSchema = z.strictObject({ by: z.string(), at: isoInstant, decision: z.enum(['approved', 'rejected']), comment: nullableString });

export const patchRunReportSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(PATCH_RUN_STATUSES),
    operation: z.enum(['Scan', 'Install']),
    rebootOption: z.enum(['RebootIfNeeded', 'NoReboot']),
    requestedBy: z.string(),
    requestedAt: isoInstant,
    reason: nullableString,
    needsApproval: z.boolean().describe('production or patch-now runs need an approver other than the requester'),
    approvals: z.array(approvalSchema),
    approvalExpiresAt: isoInstant.nullable(),
    currentWave: z.int().min(1).nullable(),
    waves: z.array(
      z.strictObject({
        number: z.int().min(1),
        canary: z.boolean(),
        status: z.enum(['pending', 'running', 'verifying', 'succeeded', 'halted', 'failed', 'cancelled']),
        commandId: nullableString,
        sentAt: isoInstant.nullable(),
        verifiedAt: isoInstant.nullable(),
        instances: z.array(
          z.strictObject({
            instanceId: z.string(),
            name: nullableString,
            production: z.boolean(),
            status: z.enum(['pending', 'sent', 'in-progress', 'succeeded', 'failed', 'timed-out', 'cancelled', 'regressed', 'skipped']),
            detail: nullableString,
            evidence: z.array(z.string()).optional().describe('once its wave is verified, what the verdict rests on, one check a line: the command\'s outcome, the patch compliance read after it, status checks and CPU after patching'),
            accountId: nullableString.optional().describe('the AWS account it was in when requested'),
            region: nullableString.optional().describe('the AWS region it was in when requested'),
          }),
        ),
        stage: z.enum(WAVE_STAGES).optional().describe('non-production waves go before production ones'),
        commandIds: z.array(z.string()).optional().describe('every SSM command of the wave (a large wave takes several); commandId is the first'),
      }),
    ),
    haltReason: nullableString,
    snapshotId: z.string(),
    updatedAt: isoInstant,
    version: z.int().min(0),
    source: z.string().optional().describe('the data source it was planned on; it executes there, or with a live source of the account and region its instances record'),
    simulated: z.boolean().optional().describe('true on the demo source: nothing is ever sent to AWS'),
    approvalWhy: nullableString.optional().describe('why approval is needed, or null'),
    approvalExpired: z.boolean().optional().describe('an approval was given but expired: approve again before it starts'),
    window: z.strictObject({ start: isoInstant, end: isoInstant }).nullable().optional().describe('autopilot runs: the plan window it starts in, not before, not after'),
    autopilot: z.boolean().optional().describe('true for runs the autopilot made from a plan window'),
  })
  .register(responseSchemas, { id: 'PatchRun' });
const _run: SameShape<typeof patchRunReportSchema, PatchRunReport> = true;

export const patchRunListSchema = z.strictObject({ runs: z.array(patchRunReportSchema) }).register(responseSchemas, { id: 'PatchRunList' });

export const acceptanceReportSchema = z
  .strictObject({
    id: z.string(),
    vulnerabilityId: z.string(),
    instanceId: nullableString,
    accountId: z.string().optional().describe('the instance\'s AWS account, when the acceptance records it (it then applies to that instance only)'),
    region: z.string().optional().describe('the instance\'s region, with accountId'),
    reason: z.string(),
    acceptedBy: z.string(),
    acceptedAt: isoInstant,
    until: isoInstant,
    expired: z.boolean(),
    revokedBy: nullableString.optional(),
    revokedAt: isoInstant.nullable().optional().describe('when revoked (until is then that moment)'),
  })
  .register(responseSchemas, { id: 'Acceptance' });
const _acceptance: SameShape<typeof acceptanceReportSchema, AcceptanceReport> = true;

export const acceptanceListSchema = z.strictObject({ acceptances: z.array(acceptanceReportSchema) }).register(responseSchemas, { id: 'AcceptanceList' });

export const auditEntrySchema = z
  .strictObject({
    id: z.string(),
    at: isoInstant,
    actor: z.string(),
    via: z.enum(['cli', 'http', 'slack', 'teams', 'mcp', 'library', 'executor', 'autopilot', 'policy']),
    action: z.string().describe('e.g. patch-run.request, patch-run.approve, ssm.send-command, risk.accept'),
    target: z.string(),
    result: z.enum(['ok', 'denied', 'failed']),
    detail: nullableString,
  })
  .register(responseSchemas, { id: 'AuditEntry' });
const _audit: SameShape<typeof auditEntrySchema, AuditEntryReport> = true;

export const auditListSchema = z.strictObject({ entries: z.array(auditEntrySchema) }).register(responseSchemas, { id: 'AuditList' });

export const auditVerificationSchema = z
  .strictObject({
    ok: z.boolean().describe('true when every entry links to the one before and the head matches the last entry'),
    entries: z.number().int(),
    head: z.strictObject({ seq: z.number().int(), hash: z.string() }).nullable().describe('the last intact entry: keep it elsewhere to notice a rewritten chain later'),
    firstBreak: z
      .strictObject({ position: z.number().int(), id: z.string().nullable(), seq: z.number().int().nullable(), problem: z.string() })
      .nullable()
      .describe('the first entry that breaks the chain, and how'),
  })
  .register(responseSchemas, { id: 'AuditVerification' });
const _verification: SameShape<typeof auditVerificationSchema, AuditVerificationReport> = true;

const autopilotWindowSchema = z
  .strictObject({
    runId: z.string().describe('the id its run will have (derived from the window and its instances)'),
    start: isoInstant,
    end: isoInstant,
    instances: z.array(z.strictObject({ instanceId: z.string(), name: z.string().nullable(), decision: z.string() })),
    standing: z.boolean().describe('the policy\'s standing approval approves it at its start (else a person must, by approveBy)'),
    createAt: isoInstant.describe('when the run, and its approval request, are made'),
    approveBy: isoInstant.describe('the last moment an approval counts; later, the window is missed'),
  })
  .register(responseSchemas, { id: 'AutopilotWindow' });

const autopilotRunSchema = z
  .strictObject({
    runId: z.string(),
    status: z.string(),
    start: isoInstant.nullable(),
    end: isoInstant.nullable(),
    instances: z.number().int(),
    approvedBy: z.string().nullable().describe('the standing approval\'s actor, or a person; null when nobody yet'),
    haltReason: z.string().nullable().describe('for a missed window: which, and why'),
  })
  .register(responseSchemas, { id: 'AutopilotRun' });

/** What `autopilot status --json` prints, `GET /v1/autopilot` answers and the MCP tool `autopilot_status` returns. */
export const autopilotStatusSchema = z
  .strictObject({
    enabled: z.boolean().describe('policy autopilot.enabled'),
    now: isoInstant,
    due: z.array(autopilotWindowSchema).describe('windows whose run is due now or later, not made yet'),
    runs: z.array(autopilotRunSchema).describe('runs the autopilot made, newest first (missed ones cancelled, haltReason saying so)'),
  })
  .register(responseSchemas, { id: 'AutopilotStatus' });
const _autopilot: SameShape<typeof autopilotStatusSchema, AutopilotStatus> = true;
