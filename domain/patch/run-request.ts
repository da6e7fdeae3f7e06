/**
 * A request for a patch run, checked field by field, and its idempotency fingerprint: the same
 * key with the same request makes one run; the same key with a different request is refused
 * (a reused key is a client bug, not a retry).
 */
import { ValidationError } from '../errors.js';

export interface RunRequestInput {
  readonly instances?: readonly string[];
  readonly fromPlan?: boolean;
  readonly dryRun?: boolean;
  readonly reboot?: string;
  readonly idempotencyKey?: string;
  readonly reason?: string;
}

export interface CheckedRunRequest {
  /** What the person typed (ids or Name tags), trimmed, duplicates dropped, in order. */
  readonly instances: readonly string[];
  readonly fromPlan: boolean;
  readonly dryRun: boolean;
  readonly reboot: 'if-needed' | 'never';
  readonly idempotencyKey: string | null;
  readonly reason: string | null;
}

export const MAX_REASON = 500;
const KEY = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** @throws ValidationError naming the field. */
export function checkRunRequest(r: RunRequestInput): CheckedRunRequest {
  const fromPlan = r.fromPlan === true;
  const raw = r.instances ?? [];
  if (!Array.isArray(raw)) throw new ValidationError('instances', 'a list of instance ids or Name tags');
  const instances = [...new Set(raw.map((i) => (typeof i === 'string' ? i.trim() : '')))];
  if (instances.some((i) => i === '')) throw new ValidationError('instances', 'instance ids or Name tags, none empty');
  if (fromPlan && instances.length) throw new ValidationError('instances', 'either instances or fromPlan, not both', 'instances: give either instances or fromPlan, not both');
  if (!fromPlan && !instances.length) throw new ValidationError('instances', 'at least one instance, or fromPlan', 'instances: name at least one instance, or ask for the plan (fromPlan)');
  const reboot = r.reboot ?? 'if-needed';
  if (reboot !== 'if-needed' && reboot !== 'never') throw new ValidationError('reboot', 'if-needed or never', `reboot: expected if-needed or never, got ${JSON.stringify(reboot)}`);
  const key = r.idempotencyKey ?? null;
  if (key !== null && (typeof key !== 'string' || !KEY.test(key))) {
    throw new ValidationError('idempotencyKey', '1 to 128 letters, digits or ._:@/+=-', `idempotencyKey: expected 1 to 128 letters, digits or ._:@/+=-, got ${JSON.stringify(key)}`);
  }
  return { instances, fromPlan, dryRun: r.dryRun === true, reboot, idempotencyKey: key, reason: checkReason(r.reason, 'reason') };
}

/** A free-text reason or comment: trimmed, empty as null, at most MAX_REASON characters. */
export function checkReason(text: string | null | undefined, field: string): string | null {
  if (text === undefined || text === null) return null;
  if (typeof text !== 'string') throw new ValidationError(field, 'text');
  const t = text.trim();
  if (t.length > MAX_REASON) throw new ValidationError(field, `at most ${MAX_REASON} characters`, `${field}: at most ${MAX_REASON} characters, got ${t.length}`);
  return t || null;
}

/**
 * What makes two requests the same: who asks and what they ask for (instances as a set). The
 * reason is left out: a retry may word it differently and still mean the same run.
 */
export function requestFingerprint(actorId: string, r: CheckedRunRequest): string {
  return JSON.stringify({
    actor: actorId,
    instances: [...r.instances].sort(),
    fromPlan: r.fromPlan,
    dryRun: r.dryRun,
    reboot: r.reboot,
  });
}
