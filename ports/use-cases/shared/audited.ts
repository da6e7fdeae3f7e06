import { actorLabel, type Actor } from '../../../domain/access/actor.js';
import { auditDetail, type AuditEntry, type AuditResult } from '../../../domain/access/audit.js';
import { authorize, type Permission } from '../../../domain/access/authorize.js';
import { sha256Hex } from '../../../domain/access/sha256.js';
import { isForbiddenError } from '../../../domain/errors.js';
import type { PatchDependencies } from '../patching/patch-dependencies.js';
import { hex } from './request-checks.js';
import { isStale } from '../patching/run-records.js';

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
