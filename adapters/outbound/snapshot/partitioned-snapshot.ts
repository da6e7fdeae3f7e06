/**
 * The capture of an organization scope: a folder whose snapshot.json lists partitions, each an
 * ACCOUNT/REGION/ folder in the ordinary snapshot format. Read as one fleet whose assets carry
 * their accountId and region; per-instance reads go to the instance's own folder.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { keyByIdentity, type Asset, type ChangeEvent, type Finding, type InstanceMetrics, type ManagedInstance, type PatchState } from '../../../domain/fleet-facts.js';
import { SourceError } from '../../../domain/errors.js';
import type { Instant } from '../../../domain/time.js';
import type { ActivityLog } from '../../../ports/outbound/activity-log.port.js';
import type { AssetInventory } from '../../../ports/outbound/asset-inventory.port.js';
import type { FindingsFilter, FindingsSource } from '../../../ports/outbound/findings-source.port.js';
import type { MetricsQuery, MetricsSource } from '../../../ports/outbound/metrics-source.port.js';
import type { PatchCompliance } from '../../../ports/outbound/patch-compliance.port.js';
import { SnapshotActivityLog } from './snapshot-activity-log.js';
import { SnapshotAssetInventory } from './snapshot-asset-inventory.js';
import { SNAPSHOT_FILES, SnapshotDirectory, type SnapshotDirectoryOptions } from './snapshot-directory.js';
import { SnapshotFindingsSource } from './snapshot-findings-source.js';
import { SnapshotMetricsSource } from './snapshot-metrics-source.js';
import { SnapshotPatchCompliance } from './snapshot-patch-compliance.js';

/** One ACCOUNT/REGION/ folder of a scope's capture. */
export interface SnapshotPartition {
  readonly accountId: string;
  readonly region: string;
  readonly dir: SnapshotDirectory;
}

/** What the top snapshot.json of a scope's capture says. */
export interface ScopeSnapshot {
  readonly capturedAt: Instant | null;
  readonly partitions: readonly SnapshotPartition[];
  /** Partitions the capture could not read, as warnings. */
  readonly unreadable: readonly string[];
}

const ACCOUNT = /^\d{12}$/;

/**
 * The scope manifest of `dir`, or null when the folder is an ordinary (one account and region)
 * snapshot: no snapshot.json, or one without `partitions`.
 * @throws SourceError when the manifest lists a partition outside the folder or malformed.
 */
export async function readScopeSnapshot(dir: string, options: SnapshotDirectoryOptions = {}): Promise<ScopeSnapshot | null> {
  const root = resolve(dir);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(root, SNAPSHOT_FILES.manifest), 'utf8'));
  } catch {
    // No manifest, or one the ordinary reader will report on: not a scope capture.
    return null;
  }
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { partitions?: unknown }).partitions)) return null;
  const m = json as { capturedAt?: unknown; partitions: unknown[]; unreadable?: unknown };
  const bad = (what: string): never => {
    throw new SourceError('snapshot', null, `${join(root, SNAPSHOT_FILES.manifest)}: ${what}`, { code: 'SOURCE_SHAPE' });
  };
  const partitions = m.partitions.map((p, i): SnapshotPartition => {
    const { accountId, region, path } = (p ?? {}) as { accountId?: unknown; region?: unknown; path?: unknown };
    if (typeof accountId !== 'string' || !ACCOUNT.test(accountId)) bad(`$.partitions[${i}].accountId: expected a 12-digit account id`);
    if (typeof region !== 'string' || !/^[a-z0-9-]+$/.test(region)) bad(`$.partitions[${i}].region: expected a region`);
    const folder = resolve(root, typeof path === 'string' ? path : `${accountId as string}/${region as string}`);
    const rel = relative(root, folder);
    if (rel === '' || rel.startsWith('..') || rel.includes(`..${sep}`)) bad(`$.partitions[${i}].path: expected a folder inside the snapshot`);
    return { accountId: accountId as string, region: region as string, dir: new SnapshotDirectory(folder, options) };
  });
  const capturedAt = typeof m.capturedAt === 'string' && Number.isFinite(Date.parse(m.capturedAt)) ? Date.parse(m.capturedAt) : null;
  const unreadable = Array.isArray(m.unreadable)
    ? m.unreadable.map((u) => {
      const { accountId, region, error } = (u ?? {}) as { accountId?: unknown; region?: unknown; error?: unknown };
      return `account ${String(accountId)} ${String(region)}: not captured (${String(error)}); this account and region are not in the answer`;
    })
    : [];
  return { capturedAt, partitions, unreadable };
}

/** The ports over every folder of a scope's capture. */
export class PartitionedSnapshot implements AssetInventory, FindingsSource, PatchCompliance, MetricsSource, ActivityLog {
  /** Instance id → the folders holding it (ids are unique within an account and region only). */
  private readonly where = new Map<string, SnapshotPartition[]>();
  private inventory: Promise<readonly Asset[]> | null = null;

  constructor(readonly snapshot: ScopeSnapshot) {}

  /** Truncated files of every folder, and the partitions the capture could not read. */
  warnings(): string[] {
    return [...this.snapshot.unreadable, ...this.snapshot.partitions.flatMap((p) => p.dir.warnings().map((w) => `account ${p.accountId} ${p.region}: ${w}`))];
  }

  listAssets(): Promise<readonly Asset[]> {
    this.inventory ??= (async () => {
      const lists = await Promise.all(this.snapshot.partitions.map(async (p) =>
        (await new SnapshotAssetInventory(p.dir).listAssets()).map((a): Asset => ({ ...a, accountId: p.accountId, region: p.region }))));
      const out = lists.flat();
      for (const a of out) {
        const p = this.snapshot.partitions.find((x) => x.accountId === a.accountId && x.region === a.region) as SnapshotPartition;
        const list = this.where.get(a.instanceId);
        if (list === undefined) this.where.set(a.instanceId, [p]);
        else if (!list.includes(p)) list.push(p);
      }
      return out;
    })();
    return this.inventory;
  }

  private async route(ids: readonly string[]): Promise<Map<SnapshotPartition, string[]>> {
    await this.listAssets();
    const out = new Map<SnapshotPartition, string[]>();
    for (const id of new Set(ids)) for (const p of this.where.get(id) ?? []) out.set(p, [...(out.get(p) ?? []), id]);
    return out;
  }

  async *listActiveFindings(filter: FindingsFilter = {}): AsyncGenerator<Finding> {
    const targets = filter.instanceIds === undefined
      ? this.snapshot.partitions.map((p) => [p, undefined] as const)
      : [...(await this.route(filter.instanceIds))];
    for (const [p, instanceIds] of targets) {
      // Each finding belongs to the instance of its own folder (the same id may be in another account).
      for await (const f of new SnapshotFindingsSource(p.dir).listActiveFindings(instanceIds ? { instanceIds } : {})) yield { ...f, accountId: p.accountId, region: p.region };
    }
  }

  /** Every folder's managed instances; null (unknown) when no folder has the file. */
  async managedInstances(): Promise<ReadonlyMap<string, ManagedInstance> | null> {
    const maps = await Promise.all(this.snapshot.partitions.map((p) => new SnapshotPatchCompliance(p.dir).managedInstances()));
    if (maps.every((m) => m === null)) return null;
    return keyByIdentity(this.snapshot.partitions.flatMap((p, i) => [...(maps[i] ?? [])].map(([instanceId, value]) => ({ instanceId, accountId: p.accountId, region: p.region, value }))));
  }

  async patchStates(instanceIds: readonly string[]): Promise<ReadonlyMap<string, PatchState>> {
    const out: { instanceId: string; accountId: string; region: string; value: PatchState }[] = [];
    for (const [p, ids] of await this.route(instanceIds)) for (const [k, v] of await new SnapshotPatchCompliance(p.dir).patchStates(ids)) out.push({ instanceId: k, accountId: p.accountId, region: p.region, value: v });
    return keyByIdentity(out);
  }

  async getInstanceMetrics(query: MetricsQuery): Promise<ReadonlyMap<string, InstanceMetrics>> {
    const out: { instanceId: string; accountId: string; region: string; value: InstanceMetrics }[] = [];
    for (const [p, ids] of await this.route(query.instanceIds)) {
      for (const [k, v] of await new SnapshotMetricsSource(p.dir).getInstanceMetrics({ ...query, instanceIds: ids })) out.push({ instanceId: k, accountId: p.accountId, region: p.region, value: v });
    }
    return keyByIdentity(out);
  }

  async lookupInstanceEvents(instanceId: string, start: Instant, end: Instant): Promise<readonly ChangeEvent[]> {
    const [entry] = await this.route([instanceId]);
    if (entry === undefined) return [];
    return new SnapshotActivityLog(entry[0].dir).lookupInstanceEvents(instanceId, start, end);
  }
}
