/** The SSVC / BOD 26-04 decision inputs derived from AWS data (DOMAIN.md "the proxies"). */
import type { Asset, Cvss, ExploitedCatalog, Finding } from '../inputs.js';
import type { Mission, Policy } from '../policy.js';
import type { Exploitation, TechnicalImpact } from './types.js';

/** The base metrics of a CVSS v3.x vector that the proxies read, as upper-case letters. */
export interface CvssV3Metrics {
  readonly AV: string;
  readonly AC: string;
  readonly PR: string;
  readonly UI: string;
  readonly S: string;
  readonly C: string;
  readonly I: string;
  readonly A: string;
}

/** A selected CVSS record with its vector parsed once, so callers never parse it again. */
export interface SelectedCvss {
  readonly cvss: Cvss;
  readonly metrics: CvssV3Metrics;
}

const BASE_VALUES: Readonly<Record<keyof CvssV3Metrics, string>> = {
  AV: 'NALP',
  AC: 'LH',
  PR: 'NLH',
  UI: 'NR',
  S: 'UC',
  C: 'HLN',
  I: 'HLN',
  A: 'HLN',
};

const TOKEN = /^([A-Z]+):([A-Z0-9.]+)$/;

/**
 * Parses a CVSS v3.x vector: base metrics in any order, with or without the "CVSS:3.x/" prefix,
 * temporal and environmental metrics tolerated and ignored. Anything else (a v2 or v4 vector, a
 * missing or repeated base metric, a value outside the specification) is malformed: null, so
 * that a bad vector counts as no vector rather than as a guess.
 */
export function parseCvssV3(vector: string | null | undefined): CvssV3Metrics | null {
  if (!vector) return null;
  let text = vector.trim().toUpperCase();
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
  const found: Partial<Record<keyof CvssV3Metrics, string>> = {};
  let count = 0;
  let first = true;
  for (const part of text.split('/')) {
    if (part === '') continue;
    const m = TOKEN.exec(part);
    if (!m) return null;
    const key = m[1] as string;
    const value = m[2] as string;
    if (key === 'CVSS') {
      // The version label is only meaningful in front; a v4 or v2 label makes this not a v3 vector.
      if (!first || !value.startsWith('3')) return null;
      first = false;
      continue;
    }
    first = false;
    if (!Object.hasOwn(BASE_VALUES, key)) continue;
    const k = key as keyof CvssV3Metrics;
    if (found[k] !== undefined || value.length !== 1 || !BASE_VALUES[k].includes(value)) return null;
    found[k] = value;
    count++;
  }
  return count === 8 ? (found as CvssV3Metrics) : null;
}

function isV3Record(c: Cvss): boolean {
  return (c.version !== null && c.version.trim().startsWith('3')) || (c.scoringVector !== null && c.scoringVector.trim().toUpperCase().startsWith('CVSS:3'));
}

/**
 * The CVSS record the proxies read, with its parsed vector: Inspector's adjusted record when it
 * carries a usable vector, else the first v3.x entry of `cvss` with a usable vector. A missing or
 * malformed vector counts as absent (the record is skipped).
 */
export function readCvss(finding: Finding): SelectedCvss | null {
  const adjusted = finding.adjustedCvss;
  if (adjusted !== null) {
    const metrics = parseCvssV3(adjusted.scoringVector);
    if (metrics) return { cvss: adjusted, metrics };
  }
  for (const c of finding.cvss) {
    if (!isV3Record(c)) continue;
    const metrics = parseCvssV3(c.scoringVector);
    if (metrics) return { cvss: c, metrics };
  }
  return null;
}

/** The CVSS record the proxies read: the adjusted one where present, else the first v3.x entry. */
export function selectCvss(finding: Finding): Cvss | null {
  return readCvss(finding)?.cvss ?? null;
}

/** Upper-cased id as the catalog keys it, or null for findings without one. */
function catalogKey(finding: Finding): string | null {
  const id = finding.vulnerabilityId;
  return id ? id.trim().toUpperCase() : null;
}

/** The CVE is in the exploited catalog (ids compared without regard to case). */
export function isInKev(finding: Finding, catalog: ExploitedCatalog | null): boolean {
  if (catalog === null) return false;
  const key = catalogKey(finding);
  return key !== null && catalog.entries.has(key);
}

/**
 * SSVC Exploitation. Evidence of exploitation (KEV, Inspector's lastKnownExploitAt) makes it
 * active; a public exploit makes it a PoC; EPSS never raises it (FIRST: evidence supersedes EPSS).
 */
export function exploitationOf(finding: Finding, catalog: ExploitedCatalog | null): Exploitation {
  return exploitationFrom(finding, isInKev(finding, catalog));
}

/** exploitationOf with the KEV lookup already done, so assessment looks the CVE up once. */
export function exploitationFrom(finding: Finding, inKev: boolean): Exploitation {
  if (inKev || finding.lastKnownExploitAt !== null) return 'active';
  return finding.exploitAvailable ? 'public poc' : 'none';
}

/** AV:N, PR:N and UI:N in parsed metrics. No metrics: false. */
export function automatableFrom(metrics: CvssV3Metrics | null): boolean {
  return metrics !== null && metrics.AV === 'N' && metrics.PR === 'N' && metrics.UI === 'N';
}

/** C:H and I:H in parsed metrics: total; else (or no metrics) partial. */
export function technicalImpactFrom(metrics: CvssV3Metrics | null): TechnicalImpact {
  return metrics !== null && metrics.C === 'H' && metrics.I === 'H' ? 'total' : 'partial';
}

/** AV:N, PR:N and UI:N in a CVSS v3 vector. No vector: false. */
export function isAutomatable(vector: string | null): boolean {
  return automatableFrom(parseCvssV3(vector));
}

/** C:H and I:H: total; else partial. */
export function technicalImpactOf(vector: string | null): TechnicalImpact {
  return technicalImpactFrom(parseCvssV3(vector));
}

/** A mission and the words saying where it came from ("tag Environment=prod"). */
export interface MissionSource {
  readonly mission: Mission;
  readonly why: string;
}

/** Tag lookup by key without regard to case; the first key written wins on a clash. */
function tagLookup(tags: Readonly<Record<string, string>>): (name: string) => { key: string; value: string } | null {
  const byLower = new Map<string, { key: string; value: string }>();
  for (const [key, value] of Object.entries(tags)) {
    const lower = key.toLowerCase();
    if (!byLower.has(lower)) byLower.set(lower, { key, value });
  }
  return (name) => byLower.get(name.toLowerCase()) ?? null;
}

function mapped(table: Readonly<Record<string, Mission>>, value: string): Mission | null {
  const v = value.trim().toLowerCase();
  // hasOwn: a tag value such as "constructor" must not reach Object.prototype.
  return Object.hasOwn(table, v) ? (table[v] as Mission) : null;
}

/**
 * SSVC Mission and well-being with its source: the criticality tag, else the environment tags
 * in policy order (the first whose value the policy maps), else the policy default. Tag keys and
 * values match without regard to case.
 */
export function resolveMission(asset: Asset, policy: Policy): MissionSource {
  const tag = tagLookup(asset.tags);
  const crit = tag(policy.tags.criticality);
  if (crit) {
    const m = mapped(policy.mission.criticality, crit.value);
    if (m) return { mission: m, why: `tag ${crit.key}=${crit.value}` };
  }
  for (const name of policy.tags.environment) {
    const env = tag(name);
    if (!env) continue;
    const m = mapped(policy.mission.environment, env.value);
    if (m) return { mission: m, why: `tag ${env.key}=${env.value}` };
  }
  return { mission: policy.mission.default, why: 'policy default, no criticality or known environment tag' };
}

/** SSVC Mission and well-being of an asset (see resolveMission). */
export function missionOf(asset: Asset, policy: Policy): Mission {
  return resolveMission(asset, policy).mission;
}

/** BOD 26-04 exposure with the words saying why (null when not exposed). */
export interface ExposureSource {
  readonly exposed: boolean;
  readonly why: string | null;
}

/** Exposure and its first cause: public IPv4, IPv6, or an ACTIVE NETWORK_REACHABILITY finding. */
export function resolveExposure(asset: Asset, findings: readonly Finding[]): ExposureSource {
  if (asset.publicIpv4) return { exposed: true, why: `public IPv4 address ${asset.publicIpv4}` };
  const v6 = asset.ipv6.find((a) => a !== '');
  if (v6 !== undefined) return { exposed: true, why: `IPv6 address ${v6}` };
  for (const f of findings) {
    if (f.type !== 'NETWORK_REACHABILITY' || f.status !== 'ACTIVE') continue;
    const range = f.networkReachability?.openPortRange;
    const proto = f.networkReachability?.protocol ?? '';
    const ports = range ? (range.begin === range.end ? ` port ${range.begin}` : ` ports ${range.begin}-${range.end}`) : '';
    return { exposed: true, why: `reachable from the network (${`${proto}${ports}`.trim() || 'open path'}, Inspector network reachability)` };
  }
  return { exposed: false, why: null };
}

/** Public IPv4 / IPv6, or an ACTIVE NETWORK_REACHABILITY finding among `findings`. */
export function isExposed(asset: Asset, findings: readonly Finding[]): boolean {
  return resolveExposure(asset, findings).exposed;
}
