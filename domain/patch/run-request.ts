/**
 * A request for a patch run, checked field by field, and its idempotency fingerprint: the same
 * key with the same request makes one run; the same key with a different request is refused
 * (a reused key is a client bug, not a retry).
 */
import { ValidationError } from '../errors.js';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_TEXT, MAX_REASON_LENGTH, REBOOT_OPTIONS } from '../vocabulary.js';

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
  readonly reboot: (typeof REBOOT_OPTIONS)[number];
  readonly idempotencyKey: string | null;
  readonly reason: string | null;
}


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
  if (reboot !== REBOOT_OPTIONS[0] && reboot !== REBOOT_OPTIONS[1]) throw new ValidationError('reboot', 'if-needed or never', `reboot: expected if-needed or never, got ${JSON.stringify(reboot)}`);
  const key = r.idempotencyKey ?? null;
  if (key !== null && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    throw new ValidationError('idempotencyKey', IDEMPOTENCY_KEY_TEXT, `idempotencyKey: expected ${IDEMPOTENCY_KEY_TEXT}, got ${JSON.stringify(key)}`);
  }
  return { instances, fromPlan, dryRun: r.dryRun === true, reboot, idempotencyKey: key, reason: checkReason(r.reason, 'reason') };
}

/** A free-text reason or comment: trimmed, empty as null, at most MAX_REASON_LENGTH characters. */
export function checkReason(text: string | null | undefined, field: string): string | null {
  if (text === undefined || text === null) return null;
  if (typeof text !== 'string') throw new ValidationError(field, 'text');
  const t = text.trim();
  if (t.length > MAX_REASON_LENGTH) throw new ValidationError(field, `at most ${MAX_REASON_LENGTH} characters`, `${field}: at most ${MAX_REASON_LENGTH} characters, got ${t.length}`);
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
