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
 *
 * Which instance: instance ids are unique within an account and region only, so an acceptance
 * that records its instance's account and region applies to the instance of that identity
 * (ACCOUNT/REGION/ID) alone; one without them (stored before they were recorded, or made on a
 * source that knows neither) applies by instance id, in any account, as it always did. An asset
 * that does not carry its account (a read of one account) is taken to be in the source's own
 * account and region when the source knows them (`here`), else only id-only acceptances reach it.
 */
import { identityKey, type RiskAcceptance } from '../fleet-facts.js';
import type { Instant } from '../time.js';
import { vulnerabilityKey } from './advisory-ids.js';

export { vulnerabilityKey };

/** Whether an acceptance applies to an assessment at `now` (see the module comment). */
export function acceptanceApplies(a: Pick<RiskAcceptance, 'until' | 'revokedAt'>, now: Instant): boolean {
  return (a.revokedAt ?? null) === null && now < a.until;
}

/** An instance as an assessment knows it: its id, and its account and region on an organization read. */
export interface InstanceIdentity {
  readonly instanceId: string;
  readonly accountId?: string | null;
  readonly region?: string | null;
}

/** The account and region a source of one account reads, where known. */
export interface SourceHere {
  readonly accountId: string | null;
  readonly region: string | null;
}

export interface AcceptanceIndex {
  /** The instant the index was built for. */
  readonly now: Instant;
  /**
   * The acceptance that applies to a finding known by `keys` (see findingKeys) on an instance (an
   * id, or the asset with its account and region): one on that instance wins over a fleet-wide
   * one; among equals, the latest `until`.
   */
  lookup(instance: string | InstanceIdentity, keys: readonly string[]): RiskAcceptance | undefined;
}

/** The identity key of an acceptance that records its instance's account and region, else null. */
export function acceptanceIdentity(a: Pick<RiskAcceptance, 'instanceId' | 'accountId' | 'region'>): string | null {
  return a.instanceId !== null && a.accountId && a.region ? identityKey({ instanceId: a.instanceId, accountId: a.accountId, region: a.region }) : null;
}

/** The identity key of the instance being assessed, or null when neither it nor the source knows its account. */
function instanceKey(instance: InstanceIdentity, here: SourceHere | null): string | null {
  if (instance.accountId) return instance.region ? identityKey({ instanceId: instance.instanceId, accountId: instance.accountId, region: instance.region }) : null;
  return placed(here) ? identityKey({ instanceId: instance.instanceId, accountId: here.accountId, region: here.region }) : null;
}

/** Whether the source's own account and region are both known: an asset without its own is then in them. */
function placed(here: SourceHere | null): here is { accountId: string; region: string } {
  return Boolean(here?.accountId && here.region);
}

/**
 * How many acceptances in force record an instance's account and region while an instance of
 * `instances` with that id carries no account and the source's own is unknown (`here`): they
 * apply to no such instance (see the module comment), so a report says so.
 */
export function unplacedAcceptances(acceptances: readonly RiskAcceptance[], instances: readonly InstanceIdentity[], here: SourceHere | null, now: Instant): number {
  if (placed(here)) return 0;
  const bare = new Set(instances.filter((a) => !a.accountId).map((a) => a.instanceId));
  if (bare.size === 0) return 0;
  return acceptances.filter((a) => acceptanceApplies(a, now) && acceptanceIdentity(a) !== null && bare.has(a.instanceId as string)).length;
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

/**
 * @param here the source's own account and region, for assets that do not carry theirs (a read of
 * one account); null or absent where unknown.
 */
export function indexAcceptances(acceptances: readonly RiskAcceptance[], now: Instant, here: SourceHere | null = null): AcceptanceIndex {
  const fleet = new Map<string, RiskAcceptance>();
  // By instance id: acceptances without an account (they apply to that id in any account).
  const byId = new Map<string, Map<string, RiskAcceptance>>();
  // By ACCOUNT/REGION/ID: acceptances that record their instance's account and region.
  const byIdentity = new Map<string, Map<string, RiskAcceptance>>();
  for (const a of acceptances) {
    if (!acceptanceApplies(a, now)) continue;
    const key = vulnerabilityKey(a.vulnerabilityId);
    if (a.instanceId === null) {
      keep(fleet, key, a);
      continue;
    }
    const identity = acceptanceIdentity(a);
    const index = identity === null ? byId : byIdentity;
    const at = identity ?? a.instanceId;
    let m = index.get(at);
    if (m === undefined) index.set(at, (m = new Map()));
    keep(m, key, a);
  }
  if (fleet.size === 0 && byId.size === 0 && byIdentity.size === 0) return { now, lookup: EMPTY };
  // An asset's findings are looked up one after the other: its identity key is built once.
  let lastTarget: string | InstanceIdentity | null = null;
  let own: ReadonlyMap<string, RiskAcceptance> | undefined;
  return {
    now,
    lookup: (instance, keys) => {
      const instanceId = typeof instance === 'string' ? instance : instance.instanceId;
      const anyAccount = byId.get(instanceId);
      if (instance !== lastTarget) {
        lastTarget = instance;
        const identity = byIdentity.size === 0 ? null : instanceKey(typeof instance === 'string' ? { instanceId } : instance, here);
        own = identity === null ? undefined : byIdentity.get(identity);
      }
      let best: RiskAcceptance | undefined;
      for (const k of keys) {
        const mine = own?.get(k);
        if (mine !== undefined && better(mine, best)) best = mine;
        const byIdOnly = anyAccount?.get(k);
        if (byIdOnly !== undefined && better(byIdOnly, best)) best = byIdOnly;
        const everywhere = fleet.get(k);
        if (everywhere !== undefined && better(everywhere, best)) best = everywhere;
      }
      return best;
    },
  };
}
