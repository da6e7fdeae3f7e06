/**
 * Dependency-injection tokens: one per port and per use case, each typed with what it stands for.
 *
 * A token is a `Symbol.for(...)` at run time, typed as Inversify's `ServiceIdentifier<T>` (its
 * abstract-constructor form, which carries `T`): `container.bind(TOKENS.Clock)` then accepts only
 * a `Clock`, and `container.get(TOKENS.Clock)` returns one, so a wrong binding or a swapped token
 * fails to compile (test/unit/composition/tokens.spec.ts proves it). Nothing may `new` a token:
 * the type is abstract.
 */
import type { AbstractNewable } from 'inversify';
import type { Policy } from '../domain/policy.js';
import type { AcceptRisk } from '../ports/use-cases/acceptances/accept-risk.use-case.js';
import type { ApprovePatchRun } from '../ports/use-cases/patching/approve-patch-run.use-case.js';
import type { AssessFleet } from '../ports/use-cases/assessment/assess-fleet.use-case.js';
import type { AssessInstance } from '../ports/use-cases/assessment/assess-instance.use-case.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import type { CancelPatchRun } from '../ports/use-cases/patching/cancel-patch-run.use-case.js';
import type { CancelSchedule } from '../ports/use-cases/patching/cancel-schedule.use-case.js';
import type { CaptureSnapshot } from '../ports/use-cases/assessment/capture-snapshot.use-case.js';
import type { CoreDependencies } from '../ports/use-cases/shared/core-dependencies.js';
import type { ExecutePatchRun } from '../ports/use-cases/patching/execute-patch-run.use-case.js';
import type { ListAcceptances } from '../ports/use-cases/acceptances/list-acceptances.use-case.js';
import type { ListAudit, VerifyAudit } from '../ports/use-cases/audit/list-audit.use-case.js';
import type { ListFindings } from '../ports/use-cases/assessment/list-findings.use-case.js';
import type { ListSchedules } from '../ports/use-cases/patching/list-schedules.use-case.js';
import type { PatchDependencies } from '../ports/use-cases/patching/patch-dependencies.js';
import type { PatchOperationsImpl } from '../ports/use-cases/patching/patch-operations.facade.js';
import type { PlanPatches } from '../ports/use-cases/patching/plan-patches.use-case.js';
import type { RejectPatchRun } from '../ports/use-cases/patching/reject-patch-run.use-case.js';
import type { ReportActivity } from '../ports/use-cases/reports/report-activity.use-case.js';
import type { RequestPatchRun } from '../ports/use-cases/patching/request-patch-run.use-case.js';
import type { RevokeAcceptance } from '../ports/use-cases/acceptances/revoke-acceptance.use-case.js';
import type { SchedulePatching } from '../ports/use-cases/patching/schedule-patching.use-case.js';
import type { SummarizeCompliance } from '../ports/use-cases/reports/summarize-compliance.use-case.js';
import type { SummarizeMetrics } from '../ports/use-cases/reports/summarize-metrics.use-case.js';
import type { ViewPatchRuns } from '../ports/use-cases/patching/view-patch-runs.use-case.js';
import type { AcceptanceStore } from '../ports/outbound/acceptance-store.port.js';
import type { ActivityLog } from '../ports/outbound/activity-log.port.js';
import type { AssetInventory } from '../ports/outbound/asset-inventory.port.js';
import type { Clock } from '../ports/outbound/clock.port.js';
import type { ExploitedCatalogSource } from '../ports/outbound/exploited-catalog.port.js';
import type { FindingsSource } from '../ports/outbound/findings-source.port.js';
import type { MetricsSource } from '../ports/outbound/metrics-source.port.js';
import type { PatchCompliance } from '../ports/outbound/patch-compliance.port.js';
import type { SourceInfo } from '../ports/outbound/source-info.port.js';
import type { StateStore } from '../ports/outbound/state-store.port.js';
import type { HistoryStore } from '../ports/outbound/history-store.port.js';
import type { HistoryDependencies } from '../ports/use-cases/history/history-dependencies.js';
import type { RecordAssessment } from '../ports/use-cases/history/record-assessment.use-case.js';
import type { SummarizeTrend } from '../ports/use-cases/history/summarize-trend.use-case.js';
import type { WhatChanged } from '../ports/use-cases/history/what-changed.use-case.js';
import type { NotifyChanges } from '../ports/use-cases/history/notify-changes.use-case.js';
import type { SendDigest } from '../ports/use-cases/history/send-digest.use-case.js';

/** A typed service identifier: `ServiceIdentifier<T>` in the form that lets Inversify infer `T`. */
export type Token<T> = AbstractNewable<T>;

function token<T>(name: string): Token<T> {
  return Symbol.for(`sre-ops.${name}`) as unknown as Token<T>;
}

export const TOKENS = {
  FindingsSource: token<FindingsSource>('FindingsSource'),
  AssetInventory: token<AssetInventory>('AssetInventory'),
  PatchCompliance: token<PatchCompliance>('PatchCompliance'),
  MetricsSource: token<MetricsSource>('MetricsSource'),
  ActivityLog: token<ActivityLog>('ActivityLog'),
  ExploitedCatalogSource: token<ExploitedCatalogSource>('ExploitedCatalogSource'),
  AcceptanceStore: token<AcceptanceStore>('AcceptanceStore'),
  Clock: token<Clock>('Clock'),
  Policy: token<Policy>('Policy'),
  SourceInfo: token<SourceInfo>('SourceInfo'),
  CoreDependencies: token<CoreDependencies>('CoreDependencies'),
  AssessFleet: token<AssessFleet>('AssessFleet'),
  AssessInstance: token<AssessInstance>('AssessInstance'),
  ListFindings: token<ListFindings>('ListFindings'),
  PlanPatches: token<PlanPatches>('PlanPatches'),
  SummarizeCompliance: token<SummarizeCompliance>('SummarizeCompliance'),
  SummarizeMetrics: token<SummarizeMetrics>('SummarizeMetrics'),
  ReportActivity: token<ReportActivity>('ReportActivity'),
  CaptureSnapshot: token<CaptureSnapshot>('CaptureSnapshot'),
  StateStore: token<StateStore>('StateStore'),
  PatchDependencies: token<PatchDependencies>('PatchDependencies'),
  RequestPatchRun: token<RequestPatchRun>('RequestPatchRun'),
  ApprovePatchRun: token<ApprovePatchRun>('ApprovePatchRun'),
  RejectPatchRun: token<RejectPatchRun>('RejectPatchRun'),
  CancelPatchRun: token<CancelPatchRun>('CancelPatchRun'),
  ViewPatchRuns: token<ViewPatchRuns>('ViewPatchRuns'),
  ExecutePatchRun: token<ExecutePatchRun>('ExecutePatchRun'),
  AcceptRisk: token<AcceptRisk>('AcceptRisk'),
  ListAcceptances: token<ListAcceptances>('ListAcceptances'),
  RevokeAcceptance: token<RevokeAcceptance>('RevokeAcceptance'),
  ListAudit: token<ListAudit>('ListAudit'),
  VerifyAudit: token<VerifyAudit>('VerifyAudit'),
  SchedulePatching: token<SchedulePatching>('SchedulePatching'),
  ListSchedules: token<ListSchedules>('ListSchedules'),
  CancelSchedule: token<CancelSchedule>('CancelSchedule'),
  PatchOperations: token<PatchOperationsImpl>('PatchOperations'),
  HistoryStore: token<HistoryStore>('HistoryStore'),
  HistoryDependencies: token<HistoryDependencies>('HistoryDependencies'),
  RecordAssessment: token<RecordAssessment>('RecordAssessment'),
  WhatChanged: token<WhatChanged>('WhatChanged'),
  SummarizeTrend: token<SummarizeTrend>('SummarizeTrend'),
  NotifyChanges: token<NotifyChanges>('NotifyChanges'),
  SendDigest: token<SendDigest>('SendDigest'),
  Assistant: token<Assistant>('Assistant'),
} as const;
