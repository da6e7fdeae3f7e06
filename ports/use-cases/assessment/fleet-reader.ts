/**
 * Reads everything a fleet assessment needs from the outbound ports, once, and assesses it.
 * Required sources (inventory, findings) fail the call; secondary ones (SSM, KEV) degrade to
 * warnings. Shared by the assess, findings and plan use cases so they agree on every number.
 */
import { byIdentity, identityKey, type Asset, type ManagedInstance, type PatchState } from '../../../domain/fleet-facts.js';
import { findInstance } from '../../../domain/instance-lookup.js';
import { assessAsset, compareAssessments, residentAssessment, type AssessmentContext, type AssetInput } from '../../../domain/asset-assessment.js';
import { FindingTable } from '../../../domain/finding-table.js';
import { RowLists } from '../../../domain/row-lists.js';
import { indexAcceptances, unplacedAcceptances } from '../../../domain/risk/acceptance-index.js';
import { hereForQuery, sourceHere } from './source-here.js';
import type { AssetAssessment } from '../../../domain/asset-assessment.js';
import type { Instant } from '../../../domain/time.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { addSourceWarnings, secondary } from '../shared/warnings.js';

export interface FleetAssessment {
  readonly now: Instant;
  readonly assets: readonly AssetAssessment[];
  readonly managed: ReadonlyMap<string, ManagedInstance> | null;
  readonly patchStates: ReadonlyMap<string, PatchState>;
  readonly warnings: readonly string[];
  /** Some account or region of an organization scope could not be read (the warnings name it). */
  readonly partial: boolean;
}

/** Loads the inventory and resolves what a person typed to one instance. */
export async function resolveInstance(deps: CoreDependencies, query: string): Promise<{ asset: Asset; assets: readonly Asset[] }> {
  const assets = await deps.assets.listAssets();
  return { asset: findInstance(assets, query, await hereForQuery(deps.source, assets, query)), assets };
}

/**
 * Assesses the fleet, or only `only` (already resolved instances) when given: then only their
 * findings are read, which is what keeps a single-instance question cheap on a large fleet.
 */
export async function assessFleet(deps: CoreDependencies, only?: readonly Asset[]): Promise<FleetAssessment> {
  const warnings: string[] = [...deps.source.notes];
  const assets = only ?? (await deps.assets.listAssets());
  const ids = assets.map((a) => a.instanceId);

  // Independent reads run together; the findings stream is consumed as it arrives.
  const [loaded, managed, patchStates, acceptances, grouped] = await Promise.all([
    // A catalog asked for by name (--kev FILE, a snapshot's kev.json) fails the report when it
    // cannot be read; only the default download (or its cache) degrades to a warning.
    deps.catalog.required === true ? deps.catalog.load() : secondary(warnings, 'kev', 'load', () => deps.catalog.load(), null),
    secondary(warnings, 'ssm', 'DescribeInstanceInformation', () => deps.compliance.managedInstances(), null),
    secondary(warnings, 'ssm', 'DescribeInstancePatchStates', () => deps.compliance.patchStates(ids), new Map<string, PatchState>()),
    deps.acceptances.listAcceptances(),
    groupFindings(deps, only ? ids : undefined),
  ]);
  // The time is read once the findings are: a snapshot without snapshot.json is as of its newest
  // observation, which that read gives (the file is then read once).
  const now = deps.clock.now();
  if (loaded) warnings.push(...loaded.warnings);
  addSourceWarnings(warnings, deps.source);
  if (managed === null && !warnings.some((w) => w.startsWith('ssm DescribeInstanceInformation'))) {
    warnings.push('SSM managed state unknown (no instance information): no instance is reported blocked');
  }

  // Indexed once here: each asset then looks its findings up instead of scanning every acceptance.
  const here = await sourceHere(deps.source, assets, acceptances);
  const unplaced = unplacedAcceptances(acceptances, assets, here, now);
  if (unplaced > 0) {
    // Fail-safe, and said: an acceptance hides risk, so one that cannot be placed does not hide it.
    warnings.push(`${unplaced} risk acceptance${unplaced === 1 ? '' : 's'} name an account and region, but this source's own account and region are unknown: not applied, their findings are counted`);
  }
  const ctx: AssessmentContext = { catalog: loaded?.catalog ?? null, acceptances, now, policy: deps.policy, acceptanceIndex: indexAcceptances(acceptances, now, here) };
  const known = new Set([...ids, ...assets.map(identityKey)]);
  let orphanFindings = 0;
  // With `only`, another account's instance of the same id is not an orphan, just not asked about.
  const idOf = (key: string): string => key.slice(key.lastIndexOf('/') + 1);
  for (const [key, group] of grouped.rows.groups) if (!known.has(key) && !(only !== undefined && known.has(idOf(key)))) orphanFindings += grouped.rows.countOf(group);
  if (orphanFindings > 0) warnings.push(`${orphanFindings} findings are on instances not in the inventory (terminated?) and were left out`);

  // An organization read that could not read a whole account or region: its assets are left out
  // (no findings read is not the same as no findings), its SSM state stays unknown.
  const gaps = deps.source.gaps?.() ?? null;
  const readable = gaps === null ? assets : assets.filter((a) => !gaps.unreadable(a));
  const inputOf = (asset: Asset): AssetInput => {
    // By identity: on an organization read the same instance id may live in two accounts.
    const group = byIdentity(grouped.rows.groups, asset);
    return {
      asset,
      findings: group === undefined ? [] : grouped.rows.rowsOf(group).map((row) => grouped.table.get(row)),
      managedInstance: managed === null || gaps?.managedUnknown(asset) === true ? undefined : (byIdentity(managed, asset) ?? null),
      patchState: byIdentity(patchStates, asset) ?? null,
    };
  };
  // Each asset is scored, then only its resident form is kept; its findings' assessments are
  // rebuilt from the compact rows when a report reads them (the last one is kept, as a report
  // reads an asset's findings and excluded findings one after the other).
  let last: { asset: Asset; detail: AssetAssessment } | null = null;
  const details = {
    detailOf(asset: Asset): AssetAssessment {
      if (last?.asset !== asset) last = { asset, detail: assessAsset(inputOf(asset), ctx) };
      return last.detail;
    },
  };
  const assessed = readable.map((asset) => residentAssessment(assessAsset(inputOf(asset), ctx), details));
  assessed.sort(compareAssessments);
  return { now, assets: assessed, managed, patchStates, warnings, partial: gaps?.partial === true };
}

/** The fleet's findings in their compact form (see FindingTable), with each instance's rows (by identity key). */
interface GroupedFindings {
  readonly table: FindingTable;
  readonly rows: RowLists;
}

async function groupFindings(deps: CoreDependencies, instanceIds?: readonly string[]): Promise<GroupedFindings> {
  const table = new FindingTable();
  const rows = new RowLists();
  for await (const f of deps.findings.listActiveFindings(instanceIds ? { instanceIds } : {})) rows.add(identityKey(f), table.add(f));
  return { table, rows };
}
