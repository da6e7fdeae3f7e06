/** Resolving what a person typed (an instance id or a Name tag) to one instance. */
import { AmbiguousError, NotFoundError } from './errors.js';
import type { Asset } from './fleet-facts.js';

/** Levenshtein distance, bounded work for short strings. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[n] ?? 0;
}

/** ", account 111122223333 eu-west-1" when the asset carries its account and region. */
function where(a: Asset): string {
  const parts = [...(a.accountId ? [`account ${a.accountId}`] : []), ...(a.region ? [a.region] : [])];
  return parts.length === 0 ? '' : `, ${parts.join(' ')}`;
}

/** ACCOUNT/REGION/ID or ACCOUNT/ID, as findInstance reads it. */
export const QUALIFIED_INSTANCE = /^(\d{12})\/(?:([a-z0-9-]+)\/)?(i-[0-9a-f]+)$/;

/**
 * Finds one instance by id (exact) or by Name tag (exact, then case-insensitive), or by
 * ACCOUNT/REGION/ID. `here`: the account and region of a source of one account, whose assets do
 * not carry theirs; ACCOUNT/REGION/ID then names its instance when the account and region are
 * that source's (so the form listings print is taken back on any read).
 * @throws NotFoundError with up to five near matches (by edit distance or prefix).
 * @throws AmbiguousError when a name matches several instances, listing them.
 */
export function findInstance(assets: readonly Asset[], query: string, here: { readonly accountId: string | null; readonly region: string | null } | null = null): Asset {
  const q = query.trim();
  // ACCOUNT/REGION/ID (or ACCOUNT/ID): one instance of an organization read, whose id another account may hold too.
  const qualified = QUALIFIED_INSTANCE.exec(q);
  if (qualified) {
    const [, account, region, id] = qualified;
    let hits = assets.filter((a) => a.instanceId === id && a.accountId === account && (region === undefined || a.region === region));
    if (hits.length === 0 && here !== null && here.accountId === account && (region === undefined || here.region === region)) {
      hits = assets.filter((a) => a.instanceId === id && a.accountId === undefined);
    }
    if (hits.length === 1) return hits[0] as Asset;
    if (hits.length > 1) throw new AmbiguousError('instance', q, hits.map((a) => `${a.accountId}/${a.region}/${a.instanceId}`).sort(), 'use ACCOUNT/REGION/ID');
  }
  const byId = assets.filter((a) => a.instanceId === q);
  if (byId.length === 1) return byId[0] as Asset;
  if (byId.length > 1) {
    // The same id in two accounts (ids are unique within an account and region only): name it with its account and region.
    throw new AmbiguousError('instance', q, byId.map((a) => `${a.accountId ?? ''}/${a.region ?? ''}/${a.instanceId}`).sort(), 'use ACCOUNT/REGION/ID');
  }
  let byName = assets.filter((a) => a.name === q);
  if (byName.length === 0) byName = assets.filter((a) => a.name !== null && a.name.toLowerCase() === q.toLowerCase());
  if (byName.length === 1) return byName[0] as Asset;
  if (byName.length > 1) {
    // Across accounts the same name is common (web-1 in prod and in staging): each candidate says where it lives.
    throw new AmbiguousError('instance', q, byName.map((a) => `${a.instanceId} (${a.name}${where(a)})`).sort());
  }
  const lower = q.toLowerCase();
  const scored = assets
    .flatMap((a) => [a.instanceId, ...(a.name ? [a.name] : [])].map((label) => ({ label, a })))
    .map(({ label, a }) => {
      const l = label.toLowerCase();
      const d = l.startsWith(lower) || lower.startsWith(l) || l.includes(lower) ? 0 : editDistance(lower, l);
      return { label: a.name && label === a.name ? `${a.name} (${a.instanceId})` : label, d, limit: Math.max(2, Math.floor(l.length / 3)) };
    })
    .filter((s) => s.d <= s.limit)
    .sort((x, y) => x.d - y.d || x.label.localeCompare(y.label));
  const suggestions = [...new Set(scored.map((s) => s.label))].slice(0, 5);
  throw new NotFoundError('instance', q, suggestions);
}

/**
 * Where the instances of `inventory` with `asset`'s id live, as ACCOUNT/REGION, sorted: more than
 * one when other accounts or regions of an organization read hold the same id (ids are unique
 * within an account and region only); [] for an asset that does not carry its account.
 */
export function holdersOfId(asset: Asset, inventory: readonly Asset[]): string[] {
  if (asset.accountId === undefined) return [];
  return inventory.filter((a) => a.instanceId === asset.instanceId && a.accountId !== undefined).map((a) => `${a.accountId}/${a.region ?? ''}`).sort();
}

/**
 * The ids that more than one instance of `inventory` carrying its account holds (other accounts or
 * regions of an organization read): an asset carrying its account whose id is in it has
 * holdersOfId of two or more. Built once per inventory, so a check over every asset is not a scan
 * of the inventory per asset.
 */
export function sharedIds(inventory: readonly Asset[]): ReadonlySet<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const a of inventory) {
    if (a.accountId === undefined) continue;
    if (seen.has(a.instanceId)) shared.add(a.instanceId);
    else seen.add(a.instanceId);
  }
  return shared;
}
