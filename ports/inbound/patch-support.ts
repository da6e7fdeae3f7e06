/**
 * What the patch use cases share: the audit trail around every action that changes anything,
 * read-modify-write with optimistic concurrency, ids, and the JSON-ready reports.
 */
import { actorLabel, type Actor } from '../../domain/access/actor.js';
import { auditDetail, type AuditEntry, type AuditResult } from '../../domain/access/audit.js';
import { authorize, type Permission } from '../../domain/access/authorize.js';
import { sha256Hex } from '../../domain/access/sha256.js';
import { isConflictError, isForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { isAcceptanceExpired, type AcceptanceRecord } from '../../domain/patch/acceptance.js';
import { approvalMissing, type PatchRun, type RunWave } from '../../domain/patch/run.js';
import { toIso, type Instant } from '../../domain/time.js';
import type { PatchSchedule } from '../outbound/maintenance-window.port.js';
import type { AcceptanceReport, AuditEntryReport, PatchRunReport, ScheduleReport, WaveReport } from './patch-operations.js';
import type { PatchDependencies } from './patch-dependencies.js';

/** A stale write is retried this many times on fresh state before the conflict is reported. */
const MAX_RETRIES = 5;

/**
 * Appends one audit entry. With `once`, a key naming the event (e.g. "r-1|send|<token>"), the id
 * is derived from it and an entry already written for that event is left as it is: the entry is
 * written once however often a resumed run passes the same point. @returns false when it was already there.
 */
export async function audit(d: PatchDependencies, actor: Actor, action: string, target: string, result: AuditResult, detail: string | null, once?: string): Promise<boolean> {
  const id = once === undefined ? `a-${hex(d.newId(), 20)}` : `a-${sha256Hex(once).slice(0, 20)}`;
  const entry: AuditEntry = { id, at: d.clock.now(), actor: actorLabel(actor), via: actor.via, action, target, result, detail: auditDetail(detail) };
  try {
    await d.store.appendAudit(entry);
    return true;
  } catch (err) {
    if (once !== undefined && isStale(err)) return false;
    throw err;
  }
}

/** What an audited action returns: its value, and what to write about it. */
export interface Outcome<T> {
  readonly value: T;
  /** The target once known (a new run's id); else the one given up front. */
  readonly target?: string;
  readonly detail?: string | null;
}

/**
 * Runs an action and writes one audit entry for it: ok, denied (a ForbiddenError) or failed
 * (any other error, which is rethrown). The error message is the detail of a failure.
 */
export async function audited<T>(d: PatchDependencies, actor: Actor, action: string, target: string, fn: () => Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await fn();
  } catch (err) {
    const result: AuditResult = isForbiddenError(err) ? 'denied' : 'failed';
    await audit(d, actor, action, target, result, err instanceof Error ? err.message : String(err));
    throw err;
  }
  await audit(d, actor, action, outcome.target ?? target, 'ok', outcome.detail ?? null);
  return outcome.value;
}

/** authorize, auditing a denial (reads are not audited when allowed: they change nothing). */
export async function authorizeAudited(d: PatchDependencies, actor: Actor, permission: Permission, action: string, target: string): Promise<void> {
  try {
    authorize(actor, permission);
  } catch (err) {
    if (isForbiddenError(err)) await audit(d, actor, action, target, 'denied', err.message);
    throw err;
  }
}

export async function loadRun(d: PatchDependencies, id: string): Promise<PatchRun> {
  const run = await d.store.getRun(id);
  if (!run) throw new NotFoundError('patch run', id);
  return run;
}

export function isStale(err: unknown): boolean {
  return isConflictError(err) && err.code === 'STALE_VERSION';
}

/**
 * Read, change, write; when someone else wrote in between, read again and re-apply `change` (its
 * guards see the fresh state). `change` returns the next run and may note what it saw.
 */
export async function mutateRun(d: PatchDependencies, id: string, change: (run: PatchRun, now: Instant) => PatchRun): Promise<{ before: PatchRun; after: PatchRun }> {
  for (let attempt = 0; ; attempt++) {
    const before = await loadRun(d, id);
    const next = change(before, d.clock.now());
    try {
      return { before, after: await d.store.updateRun(next) };
    } catch (err) {
      if (!isStale(err) || attempt >= MAX_RETRIES) throw err;
    }
  }
}

/** The first `n` hex digits of a UUID (or any id). */
export function hex(id: string, n: number): string {
  const h = id.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return (h.length >= n ? h : h.padEnd(n, '0')).slice(0, n);
}

/** A run id a person can read and type: r-20261125-143005-a1b2c3 (UTC time of the request). */
export function newRunId(now: Instant, id: string): string {
  const iso = toIso(now) as string;
  return `r-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${hex(id, 6)}`;
}

/** Limit a list request to 1..max (default `fallback`). @throws ValidationError */
export function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ValidationError('limit', `a whole number from 1 to ${max}`, `limit: expected a whole number from 1 to ${max}, got ${String(limit)}`);
  return n;
}

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
    instances: w.instances.map((i) => ({ instanceId: i.instanceId, name: i.name, production: i.production, status: i.status, detail: i.detail })),
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
  };
}

export function toAcceptanceReport(a: AcceptanceRecord, now: Instant): AcceptanceReport {
  return {
    id: a.id,
    vulnerabilityId: a.vulnerabilityId,
    instanceId: a.instanceId,
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
