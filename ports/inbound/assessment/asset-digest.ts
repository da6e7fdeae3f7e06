/**
 * What a fleet summary, an asset summary (`GET /v1/assets` without `include=findings`) and a
 * console row need from an asset's findings: counts and the most urgent finding. Computed from
 * the findings, or read from the digest an asset report carries when its findings are held
 * compressed (the HTTP service keeps a fleet report that way, see
 * docs/architecture.md#the-services-worker-thread): then counting never unpacks the findings.
 */
import type { AssetReport, FindingReport } from './fleet-report.port.js';

export interface AssetDigest {
  /** findings.length */
  readonly active: number;
  /** accepted.length */
  readonly accepted: number;
  /** Active findings past their due date. */
  readonly overdue: number;
  /** Active findings per severity, in the order first met. */
  readonly bySeverity: Readonly<Record<string, number>>;
  /** Active findings per SSVC outcome, in the order first met. */
  readonly bySsvc: Readonly<Record<string, number>>;
  /** findings[0] (the riskiest) in short, or null. */
  readonly top: TopFinding | null;
}

/** The fields of the riskiest finding that an asset summary shows, in this order. */
export type TopFinding = Pick<FindingReport, 'findingArn' | 'vulnerabilityId' | 'title' | 'severity' | 'riskScore' | 'ssvc' | 'inKev' | 'dueBy' | 'overdue' | 'fixAvailable'>;

function topOf(f: FindingReport | undefined): TopFinding | null {
  return f
    ? { findingArn: f.findingArn, vulnerabilityId: f.vulnerabilityId, title: f.title, severity: f.severity, riskScore: f.riskScore, ssvc: f.ssvc, inKev: f.inKev, dueBy: f.dueBy, overdue: f.overdue, fixAvailable: f.fixAvailable }
    : null;
}

/** Where an asset report carries its precomputed digest (non-enumerable: not part of its JSON). */
export const ASSET_DIGEST = Symbol.for('sre-ops-assistant.assetDigest');

/** The digest computed from the findings. */
export function computeDigest(findings: readonly FindingReport[], accepted: readonly FindingReport[]): AssetDigest {
  const bySeverity: Record<string, number> = {};
  const bySsvc: Record<string, number> = {};
  let overdue = 0;
  for (const f of findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    bySsvc[f.ssvc] = (bySsvc[f.ssvc] ?? 0) + 1;
    if (f.overdue) overdue++;
  }
  return { active: findings.length, accepted: accepted.length, overdue, bySeverity, bySsvc, top: topOf(findings[0]) };
}

/** The asset's digest: the one it carries, else computed from its findings. */
export function assetDigest(a: AssetReport): AssetDigest {
  const carried = (a as AssetReport & { readonly [ASSET_DIGEST]?: AssetDigest })[ASSET_DIGEST];
  return carried ?? computeDigest(a.findings, a.accepted);
}

/** The asset's own fields, in their order, without findings and accepted (which are not read). */
export function assetFields(a: AssetReport): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a)) {
    if (k !== 'findings' && k !== 'accepted') out[k] = (a as unknown as Record<string, unknown>)[k];
  }
  return out;
}
