/**
 * What is posted at once (not waiting for the digest): a finding newly `act`, a finding newly in
 * the KEV catalog on an exposed asset, an asset whose decision is newly `patch-now`. Each alert
 * has a key (the finding or asset and the escalation) under which the store records that it was
 * posted, so a retry or a second collector never posts it twice.
 */
import { assetKey, findingKey, type RecordedAsset, type RecordedFinding } from './assessment-record.js';
import type { Changes } from './changes.js';

export const ALERT_KINDS = ['newly-act', 'newly-kev-exposed', 'newly-patch-now'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  /** The deduplication key: one alert per finding (or asset) and escalation. */
  readonly key: string;
  readonly kind: AlertKind;
  readonly instanceId: string;
  readonly assetName: string | null;
  /** The advisory, for finding alerts. */
  readonly advisoryId: string | null;
  readonly finding: RecordedFinding | null;
  /** One line a person reads. */
  readonly text: string;
}

function label(instanceId: string, name: string | null): string {
  return name ? `${name} (${instanceId})` : instanceId;
}

/** The alerts a change set calls for, most urgent kind first. */
export function alertsFrom(changes: Changes, assets: readonly RecordedAsset[]): Alert[] {
  const byKey = new Map(assets.map((a) => [assetKey(a), a]));
  const out: Alert[] = [];
  const candidates = [...changes.added.map((c) => ({ f: c.finding, before: c.before })), ...changes.escalations.map((e) => ({ f: e.finding, before: e.before }))];
  for (const { f, before } of candidates) {
    const asset = byKey.get(assetKey(f)) ?? null;
    const name = asset?.name ?? null;
    const due = f.dueBy !== null ? `, due ${new Date(f.dueBy).toISOString().slice(0, 10)}` : '';
    if (f.ssvc === 'act' && before?.ssvc !== 'act') {
      out.push({ key: `${findingKey(f)}#newly-act`, kind: 'newly-act', instanceId: f.instanceId, assetName: name, advisoryId: f.advisoryId, finding: f, text: `${f.advisoryId} on ${label(f.instanceId, name)} is now SSVC act (${f.timeline ?? 'no timeline'}${due})` });
    }
    if (f.inKev && before?.inKev !== true && asset?.exposed === true) {
      out.push({ key: `${findingKey(f)}#newly-kev-exposed`, kind: 'newly-kev-exposed', instanceId: f.instanceId, assetName: name, advisoryId: f.advisoryId, finding: f, text: `${f.advisoryId} on exposed ${label(f.instanceId, name)} is now in the CISA KEV catalog${due}` });
    }
  }
  for (const d of changes.decisionsChanged) {
    if (d.to !== 'patch-now') continue;
    out.push({ key: `${assetKey(d.asset)}#newly-patch-now`, kind: 'newly-patch-now', instanceId: d.asset.instanceId, assetName: d.asset.name, advisoryId: null, finding: null, text: `${label(d.asset.instanceId, d.asset.name)} is now patch-now (was ${d.from ?? 'not assessed'})` });
  }
  const order = (k: AlertKind): number => ALERT_KINDS.indexOf(k);
  return out.sort((x, y) => order(x.kind) - order(y.kind) || x.key.localeCompare(y.key));
}
