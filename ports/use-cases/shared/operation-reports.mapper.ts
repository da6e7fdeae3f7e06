import type { AuditEntry } from '../../../domain/access/audit.js';
import { isAcceptanceExpired, type AcceptanceRecord } from '../../../domain/patch/acceptance.js';
import { approvalMissing, type PatchRun, type RunWave } from '../../../domain/patch/run.js';
import { toIso, type Instant } from '../../../domain/time.js';
import type { PatchSchedule } from '../../outbound/maintenance-window.port.js';
import type { AcceptanceReport } from '../../inbound/acceptances/acceptances.port.js';
import type { AuditEntryReport } from '../../inbound/audit/audit.port.js';
import type { PatchRunReport, WaveReport } from '../../inbound/patching/patch-runs.port.js';
import type { ScheduleReport } from '../../inbound/patching/schedules.port.js';

function waveReport(w: RunWave): WaveReport {
  const commandIds = w.sends.flatMap((s) => (s.commandId ? [s.commandId] : []));
  const sentAt = w.sends.map((s) => s.sentAt).filter((t): t is number => t !== null);
  return {
    number: w.number,
    canary: w.canary,
    stage: w.stage,
    status: w.status,
    commandId: commandIds[0] ?? null,
    commandIds,
    sentAt: sentAt.length ? toIso(Math.min(...sentAt)) : null,
    verifiedAt: toIso(w.verifiedAt),
    instances: w.instances.map((i) => ({
      instanceId: i.instanceId, name: i.name, production: i.production, status: i.status, detail: i.detail,
      ...(i.evidence ? { evidence: [...i.evidence] } : {}),
      ...(i.accountId !== undefined ? { accountId: i.accountId } : {}),
      ...(i.region !== undefined ? { region: i.region } : {}),
    })),
  };
}

export function toRunReport(run: PatchRun, now: Instant): PatchRunReport {
  return {
    id: run.id,
    status: run.status,
    operation: run.operation,
    rebootOption: run.rebootOption,
    requestedBy: run.requestedBy,
    requestedAt: toIso(run.requestedAt) as string,
    reason: run.reason,
    needsApproval: run.needsApproval,
    approvals: run.approvals.map((a) => ({ by: a.by, at: toIso(a.at) as string, decision: a.decision, comment: a.comment })),
    approvalExpiresAt: toIso(run.approvalExpiresAt),
    currentWave: run.currentWave,
    waves: run.waves.map(waveReport),
    haltReason: run.haltReason,
    snapshotId: run.snapshotId,
    updatedAt: toIso(run.updatedAt) as string,
    version: run.version,
    source: run.source,
    simulated: run.simulated,
    approvalWhy: run.approvalWhy,
    approvalExpired: run.status === 'approved' && run.approvalExpiresAt !== null && approvalMissing(run, now),
    ...(run.autopilot ? { autopilot: true, window: run.window ? { start: toIso(run.window.start) as string, end: toIso(run.window.end) as string } : null } : {}),
  };
}

export function toAcceptanceReport(a: AcceptanceRecord, now: Instant): AcceptanceReport {
  return {
    id: a.id,
    vulnerabilityId: a.vulnerabilityId,
    instanceId: a.instanceId,
    ...(a.instanceId !== null && a.accountId && a.region ? { accountId: a.accountId, region: a.region } : {}),
    reason: a.reason,
    acceptedBy: a.acceptedBy,
    acceptedAt: toIso(a.acceptedAt) as string,
    until: toIso(a.until) as string,
    expired: isAcceptanceExpired(a, now),
    revokedBy: a.revokedBy,
    revokedAt: toIso(a.revokedAt),
  };
}

export function toAuditReport(e: AuditEntry): AuditEntryReport {
  return { id: e.id, at: toIso(e.at) as string, actor: e.actor, via: e.via, action: e.action, target: e.target, result: e.result, detail: e.detail };
}

export function toScheduleReport(s: PatchSchedule): ScheduleReport {
  return { windowId: s.windowId, name: s.name, schedule: s.schedule, durationHours: s.durationHours, cutoffHours: s.cutoffHours, targets: s.targets, enabled: s.enabled };
}
