/**
 * Risk acceptances: "we live with CVE-X on instance I (or the whole fleet) until D, because R".
 * An acceptance always ends: `until` is required and bounded by policy. A revoked one keeps its
 * record (for the audit trail) with `revokedAt` set and `until` moved to the moment of
 * revocation; revokedAt alone makes it stop applying, for assessments at any instant, also
 * those before the revocation (docs/decision-model.md "Risk acceptances").
 */
import { actorLabel, type Actor } from '../access/actor.js';
import { authorize } from '../access/authorize.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { RiskAcceptance } from '../fleet-facts.js';
import type { Policy } from '../policy.js';
import { DAY_MS, parseInstant, toIso, type Instant } from '../time.js';
import { acceptanceApplies } from '../risk/acceptance-index.js';
import { isAdvisoryId } from '../risk/advisory-ids.js';
import { checkReason } from './run-request.js';

/** An acceptance as stored: the core's RiskAcceptance plus revocation and a version. */
export interface AcceptanceRecord extends RiskAcceptance {
  readonly revokedBy: string | null;
  readonly revokedAt: Instant | null;
  readonly version: number;
}

/**
 * An ISO date or date-time with a zone (domain/time.ts). A date alone means the end of that day
 * (UTC): "until 2026-12-31" includes the 31st.
 * @throws ValidationError naming `field`.
 */
export function parseUntil(text: string, field = 'until'): Instant {
  return parseInstant(text, field, { date: 'end-of-day' });
}

export interface NewAcceptanceInput {
  readonly id: string;
  readonly vulnerabilityId: string;
  /** A resolved instance id, or null for the whole fleet. */
  readonly instanceId: string | null;
  /**
   * The account and region of that instance, when the read that resolved it knew them: the
   * acceptance then applies to that instance only, not to the same id in another account.
   */
  readonly accountId?: string | null;
  readonly region?: string | null;
  readonly until: string;
  readonly reason: string;
  readonly actor: Actor;
  readonly now: Instant;
  readonly policy: Policy;
}

/**
 * A new acceptance: approver or admin; a vulnerability id; a reason; `until` in the future and no
 * further than policy.riskAcceptance.maxDays.
 * @throws ForbiddenError, ValidationError naming the field.
 */
export function newAcceptance(input: NewAcceptanceInput): AcceptanceRecord {
  authorize(input.actor, 'accept-risk');
  const vulnerabilityId = typeof input.vulnerabilityId === 'string' ? input.vulnerabilityId.trim().toUpperCase() : '';
  if (!isAdvisoryId(vulnerabilityId)) {
    throw new ValidationError('vulnerabilityId', 'an advisory id such as CVE-2024-6387, KB5023697, ALAS2-2025-2879, GHSA-..., RHSA-2024:1234, USN-6000-1', `vulnerabilityId: expected an advisory id such as CVE-2024-6387, KB5023697, ALAS2-2025-2879, GHSA-jfh8-c2jp-5v3q, RHSA-2024:1234 or USN-6000-1, got ${JSON.stringify(input.vulnerabilityId)}`);
  }
  const reason = checkReason(input.reason, 'reason');
  if (reason === null) throw new ValidationError('reason', 'why the risk is accepted', 'reason: say why the risk is accepted (a compensating control, a planned replacement ...)');
  const until = parseUntil(input.until);
  if (until <= input.now) throw new ValidationError('until', 'a moment in the future', `until: ${toIso(until)} is not in the future`);
  const max = input.now + input.policy.riskAcceptance.maxDays * DAY_MS;
  if (until > max) {
    throw new ValidationError('until', `at most ${input.policy.riskAcceptance.maxDays} days ahead`, `until: at most ${input.policy.riskAcceptance.maxDays} days ahead (policy riskAcceptance.maxDays), that is ${toIso(max)?.slice(0, 10)}`);
  }
  const located = input.instanceId !== null && input.accountId && input.region ? { accountId: input.accountId, region: input.region } : {};
  return {
    id: input.id,
    vulnerabilityId,
    instanceId: input.instanceId,
    ...located,
    reason,
    acceptedBy: actorLabel(input.actor),
    acceptedAt: input.now,
    until,
    revokedBy: null,
    revokedAt: null,
    version: 0,
  };
}

/**
 * Expired or revoked at `now`: it no longer suppresses anything. The negation of the one rule,
 * acceptanceApplies (domain/risk/acceptance-index.ts).
 */
export function isAcceptanceExpired(a: Pick<RiskAcceptance, 'until' | 'revokedAt'>, now: Instant): boolean {
  return !acceptanceApplies(a, now);
}

/**
 * Revokes an acceptance now: approver or admin.
 * @throws ForbiddenError, ConflictError when it was already revoked or has expired.
 */
export function revokeAcceptance(a: AcceptanceRecord, actor: Actor, now: Instant): AcceptanceRecord {
  authorize(actor, 'accept-risk');
  if (a.revokedAt !== null) throw new ConflictError('INVALID_STATE', `acceptance ${a.id} was already revoked by ${a.revokedBy} at ${toIso(a.revokedAt)}`);
  if (isAcceptanceExpired(a, now)) throw new ConflictError('INVALID_STATE', `acceptance ${a.id} already expired at ${toIso(a.until)}`);
  return { ...a, until: now, revokedBy: actorLabel(actor), revokedAt: now };
}

/**
 * How listings name an acceptance's instance: ACCOUNT/REGION/ID when it records them (the form
 * `accept --instance` takes back), else the id; null for a fleet-wide one.
 */
export function acceptanceInstanceLabel(a: Pick<RiskAcceptance, 'instanceId' | 'accountId' | 'region'>): string | null {
  if (a.instanceId === null) return null;
  return a.accountId && a.region ? `${a.accountId}/${a.region}/${a.instanceId}` : a.instanceId;
}
