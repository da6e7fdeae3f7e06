/**
 * The one rule of risk acceptances (docs/decision-model.md "Risk acceptances"), and an index of
 * them built once per run: by advisory id for the fleet-wide ones, by instance then advisory id
 * for the others. A lookup is a few map reads, so a fleet of 10,000 acceptances costs one pass
 * over them, not one pass per instance.
 *
 * An acceptance applies to an assessment at instant `now` when it was never revoked and `now` is
 * before its `until`. A revoked one never applies again, whatever the instant; an expired one
 * applies to assessments before its end (so `--now` can preview an expiry); when it was created
 * does not limit it.
 */
import type { RiskAcceptance } from '../fleet-facts.js';
import type { Instant } from '../time.js';
import { vulnerabilityKey } from './advisory-ids.js';

export { vulnerabilityKey };

/** Whether an acceptance applies to an assessment at `now` (see the module comment). */
export function acceptanceApplies(a: Pick<RiskAcceptance, 'until' | 'revokedAt'>, now: Instant): boolean {
  return (a.revokedAt ?? null) === null && now < a.until;
}

export interface AcceptanceIndex {
  /** The instant the index was built for. */
  readonly now: Instant;
  /**
   * The acceptance that applies to a finding known by `keys` (see findingKeys) on an instance: one
   * on that instance wins over a fleet-wide one; among equals, the latest `until`.
   */
  lookup(instanceId: string, keys: readonly string[]): RiskAcceptance | undefined;
}

/** Whether `a` replaces `held` as the acceptance that applies. */
function better(a: RiskAcceptance, held: RiskAcceptance | undefined): boolean {
  if (held === undefined) return true;
  const specific = a.instanceId !== null;
  const heldSpecific = held.instanceId !== null;
  return (specific && !heldSpecific) || (specific === heldSpecific && a.until > held.until);
}

function keep(m: Map<string, RiskAcceptance>, key: string, a: RiskAcceptance): void {
  if (better(a, m.get(key))) m.set(key, a);
}

const EMPTY: AcceptanceIndex['lookup'] = () => undefined;

export function indexAcceptances(acceptances: readonly RiskAcceptance[], now: Instant): AcceptanceIndex {
  const fleet = new Map<string, RiskAcceptance>();
  const byInstance = new Map<string, Map<string, RiskAcceptance>>();
  for (const a of acceptances) {
    if (!acceptanceApplies(a, now)) continue;
    const key = vulnerabilityKey(a.vulnerabilityId);
    if (a.instanceId === null) {
      keep(fleet, key, a);
      continue;
    }
    let m = byInstance.get(a.instanceId);
    if (m === undefined) byInstance.set(a.instanceId, (m = new Map()));
    keep(m, key, a);
  }
  if (fleet.size === 0 && byInstance.size === 0) return { now, lookup: EMPTY };
  return {
    now,
    lookup: (instanceId, keys) => {
      const own = byInstance.get(instanceId);
      let best: RiskAcceptance | undefined;
      for (const k of keys) {
        const a = own?.get(k) ?? fleet.get(k);
        if (a !== undefined && better(a, best)) best = a;
      }
      return best;
    },
  };
}
