/**
 * sre-ops-assistant as a library.
 *
 * ```ts
 * import { createAssistant } from 'sre-ops-assistant';
 * const assistant = await createAssistant({ source: 'snapshot:./capture' });
 * const report = await assistant.assessFleet();
 * ```
 * @packageDocumentation
 */
import type { Assistant } from '../ports/inbound/assistant.port.js';
import type { AssistantOptions } from './config.js';
import { TOKENS } from './tokens.js';

/** Builds an Assistant over the configured source. Options are validated; errors name the option. */
export async function createAssistant(options: AssistantOptions = {}): Promise<Assistant> {
  // The container (Inversify: some 245 module files) loads on first use, so importing the package
  // for its types, errors or policy helpers stays cheap.
  const { buildContainer } = await import('./container.js');
  const container = await buildContainer(options);
  return container.get<Assistant>(TOKENS.Assistant);
}

export type { AssistantOptions, AwsOptions, OutboundAdapters, PatchAdapters, StateStoreOption } from './config.js';
export { DEMO_FLEET_DIR } from './config.js';
export type { Assistant, ActorResolver } from '../ports/inbound/assistant.port.js';
export type * from '../ports/inbound/patching/patch-runs.port.js';
export type * from '../ports/inbound/acceptances/acceptances.port.js';
export type * from '../ports/inbound/audit/audit.port.js';
export type * from '../ports/inbound/patching/schedules.port.js';
export type * from '../ports/inbound/patch-operations.port.js';
export type { Actor, Role } from '../domain/access/actor.js';
export type { StateStore, RunFilter, AuditFilter } from '../ports/outbound/state-store.port.js';
export type { PatchRunner, WaveCommand, SentCommand, Sleeper } from '../ports/outbound/patch-runner.port.js';
export type { MaintenanceWindows, PatchSchedule } from '../ports/outbound/maintenance-window.port.js';
export type { AssessFleetRequest } from '../ports/inbound/assessment/assess-fleet.port.js';
export type { InstanceReport } from '../ports/inbound/assessment/assess-instance.port.js';
export type { FindingsReport } from '../ports/inbound/assessment/list-findings.port.js';
export type { PlanReport, PlannedInstanceReport } from '../ports/inbound/patching/plan-patches.port.js';
export type { ComplianceReport } from '../ports/inbound/reports/summarize-compliance.port.js';
export type { MetricsReport } from '../ports/inbound/reports/summarize-metrics.port.js';
export type { ActivityReport, ActivityEventReport } from '../ports/inbound/reports/report-activity.port.js';
export type { FleetReport, AssetReport, FindingReport, FleetSummary } from '../ports/inbound/assessment/fleet-report.port.js';
export type { FindingsSource, FindingsFilter } from '../ports/outbound/findings-source.port.js';
export type { AssetInventory } from '../ports/outbound/asset-inventory.port.js';
export type { PatchCompliance } from '../ports/outbound/patch-compliance.port.js';
export type { MetricsSource, MetricsQuery } from '../ports/outbound/metrics-source.port.js';
export type { ActivityLog } from '../ports/outbound/activity-log.port.js';
export type { ExploitedCatalogSource, LoadedCatalog } from '../ports/outbound/exploited-catalog.port.js';
export type { AcceptanceStore } from '../ports/outbound/acceptance-store.port.js';
export type { Clock } from '../ports/outbound/clock.port.js';
export type * from '../domain/fleet-facts.js';
export type { Policy, Mission, WeeklyWindow, FreezeWindow } from '../domain/policy.js';
export { DEFAULT_POLICY, resolvePolicy } from '../domain/policy.js';
export type * from '../domain/risk/finding-assessment.js';
export type * from '../domain/patch/decision.js';
export type * from '../domain/asset-assessment.js';
export type * from '../domain/patch/decision.js';
export type * from '../domain/patch/plan-model.js';
export type * from '../domain/patch/compliance.js';
export { DomainError, ValidationError, NotFoundError, AmbiguousError, SourceError, ForbiddenError, ConflictError } from '../domain/errors.js';
