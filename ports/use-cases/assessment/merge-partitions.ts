/**
 * The organization report from the reports of its (account, region) partitions, each assessed on
 * its own (the scheduled organization assessment's merge step, docs/organizations.md). An asset's
 * assessment depends on its own facts only, so the merge of the partitions' assets is the
 * assessment of the whole scope: the same assets, the same order (highest risk first, then
 * instance id, then account and region), the same summary. A partition that could not be read, or
 * whose result is missing, is a warning naming it, and the answer is partial.
 */
import type { AssetReport, FleetReport } from '../../inbound/assessment/fleet-report.port.js';
import type { ComplianceReport } from '../../inbound/reports/summarize-compliance.port.js';
import { summarize } from './fleet-report.mapper.js';

/** What one partition's step wrote: its assessment, or the error that kept it from one. */
export interface PartitionResult {
  readonly accountId: string;
  readonly region: string;
  readonly fleet: FleetReport | null;
  /** The compliance totals (perInstance left out). */
  readonly compliance: Omit<ComplianceReport, 'perInstance'> | null;
  /** The AWS error when the partition could not be read at all. */
  readonly error: string | null;
}

export interface PartitionStatus {
  readonly accountId: string;
  readonly region: string;
  /** read: assessed; unreadable: its step named the AWS error; missing: no result (its step failed past its retries). */
  readonly status: 'read' | 'unreadable' | 'missing';
  readonly assets: number;
}

/** Compliance totals over the partitions. */
export type OrganizationCompliance = Omit<ComplianceReport, 'perInstance' | 'generatedAt' | 'asOf' | 'source' | 'warnings'>;

export interface OrganizationReport extends FleetReport {
  readonly compliance: OrganizationCompliance;
  readonly partitions: readonly PartitionStatus[];
}

/** Highest risk first, then instance id, then account and region (ids may repeat across accounts). */
export function compareAssetReports(a: AssetReport, b: AssetReport): number {
  return b.riskScore - a.riskScore
    || a.instanceId.localeCompare(b.instanceId)
    || (a.accountId ?? '').localeCompare(b.accountId ?? '')
    || (a.region ?? '').localeCompare(b.region ?? '');
}

const byKey = (a: { accountId: string; region: string }, b: { accountId: string; region: string }): number =>
  a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region);

/**
 * Merges the partitions' results over the partitions that were listed: `expected` in, every one
 * of them accounted for (read, unreadable or missing).
 */
export function mergePartitionResults(
  expected: readonly { readonly accountId: string; readonly region: string }[],
  results: readonly PartitionResult[],
  meta: { readonly generatedAt: string; readonly source: string },
): OrganizationReport {
  const found = new Map(results.map((r) => [`${r.accountId}/${r.region}`, r]));
  const assets: AssetReport[] = [];
  const warnings: string[] = [];
  const partitions: PartitionStatus[] = [];
  const totals = { instances: 0, managed: null as number | null, withPatchState: 0, compliant: 0, nonCompliant: 0, missing: 0, failed: 0, pendingReboot: 0, criticalNonCompliant: 0, securityNonCompliant: 0 };
  let partial = false;
  for (const p of [...expected].sort(byKey)) {
    const r = found.get(`${p.accountId}/${p.region}`);
    if (r === undefined) {
      partial = true;
      warnings.push(`account ${p.accountId} ${p.region}: no result (its partition step failed past its retries); this account and region are left out of the answer`);
      partitions.push({ ...p, status: 'missing', assets: 0 });
      continue;
    }
    if (r.fleet === null) {
      partial = true;
      warnings.push(`account ${p.accountId} ${p.region}: ${r.error ?? 'not read'}; this account and region are left out of the answer`);
      partitions.push({ ...p, status: 'unreadable', assets: 0 });
      continue;
    }
    assets.push(...r.fleet.assets);
    if (r.fleet.partial) partial = true;
    for (const w of r.fleet.warnings) if (!warnings.includes(w)) warnings.push(w);
    partitions.push({ ...p, status: 'read', assets: r.fleet.assets.length });
    const c = r.compliance;
    if (c) {
      totals.instances += c.instances;
      if (c.managed !== null) totals.managed = (totals.managed ?? 0) + c.managed;
      totals.withPatchState += c.withPatchState;
      totals.compliant += c.compliant;
      totals.nonCompliant += c.nonCompliant;
      totals.missing += c.missing;
      totals.failed += c.failed;
      totals.pendingReboot += c.pendingReboot;
      totals.criticalNonCompliant += c.criticalNonCompliant;
      totals.securityNonCompliant += c.securityNonCompliant;
      for (const w of c.warnings) if (!warnings.includes(w)) warnings.push(w);
    }
  }
  assets.sort(compareAssetReports);
  return {
    generatedAt: meta.generatedAt,
    asOf: 'option',
    source: meta.source,
    assets,
    summary: summarize(assets),
    warnings,
    ...(partial ? { partial: true as const } : {}),
    compliance: {
      ...totals,
      compliancePercent: totals.withPatchState === 0 ? null : Math.round((totals.compliant / totals.withPatchState) * 1000) / 10,
    },
    partitions,
  };
}
