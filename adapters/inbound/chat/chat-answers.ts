/**
 * Runs a chat command against the Assistant and returns the answer as a value; the Slack and
 * Teams renderers turn it into Block Kit or an Adaptive Card. Same use cases as every surface.
 */
import type { Actor } from '../../../domain/access/actor.js';
import { ForbiddenError } from '../../../domain/errors.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { InstanceReport } from '../../../ports/inbound/assessment/assess-instance.port.js';
import type { FindingsReport } from '../../../ports/inbound/assessment/list-findings.port.js';
import type { AcceptanceReport } from '../../../ports/inbound/acceptances/acceptances.port.js';
import type { PatchRunReport, RequestOptions } from '../../../ports/inbound/patching/patch-runs.port.js';
import type { PlanReport } from '../../../ports/inbound/patching/plan-patches.port.js';
import type { ActivityReport } from '../../../ports/inbound/reports/report-activity.port.js';
import type { FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import type { ComplianceReport } from '../../../ports/inbound/reports/summarize-compliance.port.js';
import type { MetricsReport } from '../../../ports/inbound/reports/summarize-metrics.port.js';
import type { ChatCommand } from './chat-command.js';

export type ChatAnswer =
  | { readonly kind: 'help' }
  | { readonly kind: 'fleet'; readonly report: FleetReport }
  | { readonly kind: 'instance'; readonly report: InstanceReport }
  | { readonly kind: 'findings'; readonly report: FindingsReport }
  | { readonly kind: 'plan'; readonly report: PlanReport }
  | { readonly kind: 'compliance'; readonly report: ComplianceReport }
  | { readonly kind: 'metrics'; readonly report: MetricsReport }
  | { readonly kind: 'activity'; readonly report: ActivityReport }
  | { readonly kind: 'patch-requested'; readonly run: PatchRunReport }
  | { readonly kind: 'run'; readonly run: PatchRunReport }
  | { readonly kind: 'runs'; readonly runs: readonly PatchRunReport[] }
  | { readonly kind: 'acceptance'; readonly acceptance: AcceptanceReport };

export interface AnswerContext {
  readonly now: () => number;
  /** Makes a repeated request (a retried delivery, a double submit) one run. */
  readonly idempotencyKey: string | null;
  /** Recorded with a patch request, e.g. "requested in Slack #ops". */
  readonly reason: string | null;
  /** Where the request came from: the service's executor posts the run's progress there. */
  readonly progressThread?: RequestOptions['progressThread'];
}

const DAY_MS = 86_400_000;
const RECENT_RUNS = 15;

/**
 * Reading the fleet needs a role too: with a viewer list configured, someone outside it gets
 * nothing. (Patch operations check their own permissions in the use cases.)
 */
function mayRead(actor: Actor): void {
  if (actor.roles.length === 0) throw new ForbiddenError(`${actor.id} (no role) may not read the fleet's risk: that needs the viewer role`);
}

export async function answerCommand(assistant: Assistant, actor: Actor, command: ChatCommand, ctx: AnswerContext): Promise<ChatAnswer> {
  if (command.name === 'help') return { kind: 'help' };
  mayRead(actor);
  switch (command.name) {
    case 'assess':
      return command.instance === null
        ? { kind: 'fleet', report: await assistant.assessFleet() }
        : { kind: 'instance', report: await assistant.assessInstance(command.instance) };
    case 'findings':
      return { kind: 'findings', report: await assistant.listFindings({ instance: command.instance, ...(command.minSeverity !== null ? { minSeverity: command.minSeverity } : {}) }) };
    case 'plan':
      return { kind: 'plan', report: await assistant.planPatches() };
    case 'compliance':
      return { kind: 'compliance', report: await assistant.complianceSummary() };
    case 'metrics':
      return { kind: 'metrics', report: await assistant.metricsSummary({ instance: command.instance, ...(command.hours !== null ? { hours: command.hours } : {}) }) };
    case 'activity':
      return { kind: 'activity', report: await assistant.activityReport({ instance: command.instance, ...(command.hours !== null ? { hours: command.hours } : {}) }) };
    case 'patch':
      return {
        kind: 'patch-requested',
        run: await assistant.requestPatchRun(actor, {
          ...(command.fromPlan ? { fromPlan: true } : { instances: command.instances }),
          dryRun: command.dryRun,
          reboot: command.reboot,
          ...(ctx.idempotencyKey !== null ? { idempotencyKey: ctx.idempotencyKey } : {}),
          ...(ctx.reason !== null ? { reason: ctx.reason } : {}),
        }, ...(ctx.progressThread ? [{ progressThread: ctx.progressThread }] : [])),
      };
    case 'status':
      return { kind: 'run', run: await assistant.getPatchRun(actor, command.runId) };
    case 'runs':
      return { kind: 'runs', runs: await assistant.listPatchRuns(actor, { limit: RECENT_RUNS }) };
    case 'accept':
      return {
        kind: 'acceptance',
        acceptance: await assistant.acceptRisk(actor, {
          vulnerabilityId: command.vulnerabilityId,
          instance: command.instance,
          until: new Date(ctx.now() + command.days * DAY_MS).toISOString(),
          reason: command.reason,
          ...(command.force === true ? { force: true } : {}),
        }),
      };
  }
}

/** A run waits for a second person when it needs approval and has none yet. */
export function awaitsApproval(run: PatchRunReport): boolean {
  return run.status === 'requested' && run.needsApproval;
}

/** A run that may start now: approved, or requested without needing approval. */
export function readyToExecute(run: PatchRunReport): boolean {
  return run.status === 'approved' || (run.status === 'requested' && !run.needsApproval);
}
