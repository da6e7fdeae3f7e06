/**
 * Risk acceptances in force, indexed once per fleet run: by vulnerability id for the fleet-wide
 * ones, by instance then vulnerability id for the others. A lookup is two map reads, so a fleet of
 * 10,000 acceptances costs one pass over them, not one pass per instance.
 */
import type { RiskAcceptance } from '../inputs.js';
import type { Instant } from '../time.js';

const NEEDS_NORMALISING = /[a-z]|^\s|\s$/;

/** A CVE id as the catalog and the acceptance index key it: upper case, trimmed. */
export function vulnerabilityKey(id: string): string {
  // Ids nearly always arrive upper case already; only the rare other one costs a new string.
  return NEEDS_NORMALISING.test(id) ? id.trim().toUpperCase() : id;
}

export interface AcceptanceIndex {
  /** The instant the index was built for: acceptances with `until` at or before it are left out. */
  readonly now: Instant;
  /**
   * The acceptance in force for a vulnerability (key: vulnerabilityKey) on an instance: one on that
   * instance wins over a fleet-wide one; among equals, the latest `until`.
   */
  lookup(instanceId: string, key: string): RiskAcceptance | undefined;
}

function keepLatest(m: Map<string, RiskAcceptance>, key: string, a: RiskAcceptance): void {
  const held = m.get(key);
  if (held === undefined || a.until > held.until) m.set(key, a);
}

export function indexAcceptances(acceptances: readonly RiskAcceptance[], now: Instant): AcceptanceIndex {
  const fleet = new Map<string, RiskAcceptance>();
  const byInstance = new Map<string, Map<string, RiskAcceptance>>();
  for (const a of acceptances) {
    if (a.until <= now) continue;
    const key = vulnerabilityKey(a.vulnerabilityId);
    if (a.instanceId === null) {
      keepLatest(fleet, key, a);
      continue;
    }
    let m = byInstance.get(a.instanceId);
    if (m === undefined) byInstance.set(a.instanceId, (m = new Map()));
    keepLatest(m, key, a);
  }
  return { now, lookup: (instanceId, key) => byInstance.get(instanceId)?.get(key) ?? fleet.get(key) };
}
