/** The SSVC / BOD 26-04 decision inputs derived from AWS data (docs/decision-model.md "Inputs and proxies"). */
import type { Asset, Cvss, Finding } from '../fleet-facts.js';
import type { Mission, Policy } from '../policy.js';
import type { Exploitation, TechnicalImpact } from './finding-assessment.js';

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

// Base metric name to slot, and the values CVSS v3 allows for it (as letters).
const BASE_KEYS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;
const BASE_ALLOWED: readonly string[] = ['NALP', 'LH', 'NLH', 'NR', 'UC', 'HLN', 'HLN', 'HLN'];

function upper(code: number): number {
  return code >= 97 && code <= 122 ? code - 32 : code;
}

/** Slot of a base metric name in vector[start, end) (upper-cased), or -1 for any other metric. */
function baseSlot(v: string, start: number, end: number): number {
  const len = end - start;
  const c0 = upper(v.charCodeAt(start));
  if (len === 1) return c0 === 83 /* S */ ? 4 : c0 === 67 /* C */ ? 5 : c0 === 73 /* I */ ? 6 : c0 === 65 /* A */ ? 7 : -1;
  if (len !== 2) return -1;
  const c1 = upper(v.charCodeAt(start + 1));
  if (c0 === 65 && c1 === 86) return 0; // AV
  if (c0 === 65 && c1 === 67) return 1; // AC
  if (c0 === 80 && c1 === 82) return 2; // PR
  if (c0 === 85 && c1 === 73) return 3; // UI
  return -1;
}

function isWordChar(code: number): boolean {
  const c = upper(code);
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46;
}

/**
 * Parses a CVSS v3.x vector: base metrics in any order, with or without the "CVSS:3.x/" prefix,
 * letters in either case, temporal and environmental metrics tolerated and ignored. Anything else
 * (a v2 or v4 vector, a missing or repeated base metric, a value outside the specification, a
 * token that is not NAME:VALUE) is malformed: null, so a bad vector counts as no vector rather
 * than as a guess. It scans character codes because it runs once per finding over whole fleets.
 */
export function parseCvssV3(vector: string | null | undefined): CvssV3Metrics | null {
  if (!vector) return null;
  let from = 0;
  let to = vector.length;
  while (from < to && vector.charCodeAt(from) <= 32) from++;
  while (to > from && vector.charCodeAt(to - 1) <= 32) to--;
  if (to - from >= 2 && vector.charCodeAt(from) === 40 && vector.charCodeAt(to - 1) === 41) { from++; to--; }
  const values = ['', '', '', '', '', '', '', ''];
  let found = 0;
  let first = true;
  let i = from;
  while (i <= to) {
    let end = vector.indexOf('/', i);
    if (end === -1 || end > to) end = to;
    if (end > i) {
      const colon = vector.indexOf(':', i);
      if (colon <= i || colon >= end - 1) return null;
      for (let k = i; k < end; k++) if (k !== colon && !isWordChar(vector.charCodeAt(k))) return null;
      const isLabel = colon - i === 4 && vector.slice(i, colon).toUpperCase() === 'CVSS';
      if (isLabel) {
        // The version label belongs in front only; a v2 or v4 label makes this not a v3 vector.
        if (!first || vector.charCodeAt(colon + 1) !== 51 /* 3 */) return null;
      } else {
        const slot = baseSlot(vector, i, colon);
        if (slot >= 0) {
          if (end - colon !== 2 || values[slot] !== '') return null;
          const value = String.fromCharCode(upper(vector.charCodeAt(colon + 1)));
          if (!(BASE_ALLOWED[slot] as string).includes(value)) return null;
          values[slot] = value;
          found++;
        }
      }
      first = false;
    }
    i = end + 1;
  }
  if (found !== BASE_KEYS.length) return null;
  return { AV: values[0], AC: values[1], PR: values[2], UI: values[3], S: values[4], C: values[5], I: values[6], A: values[7] } as CvssV3Metrics;
}

const V3_LABEL = /^\s*cvss:3/i;

function isV3Record(c: Cvss): boolean {
  return (c.version !== null && c.version.trimStart().startsWith('3')) || (c.scoringVector !== null && V3_LABEL.test(c.scoringVector));
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

/**
 * SSVC Exploitation, given whether any id the finding is known by is in KEV. Evidence of
 * exploitation (KEV, Inspector's lastKnownExploitAt) makes it active; a public exploit makes it a
 * PoC; EPSS never raises it (FIRST: evidence supersedes EPSS).
 */
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

/** BOD 26-04 exposure with the words saying why (null when not exposed). */
export interface ExposureSource {
  readonly exposed: boolean;
  readonly why: string | null;
}

/**
 * Exposure and its causes: public IPv4, IPv6, and the open ports of ACTIVE NETWORK_REACHABILITY
 * findings (protocol and port range, each named), joined in that order.
 */
export function resolveExposure(asset: Asset, findings: readonly Finding[]): ExposureSource {
  const why: string[] = [];
  if (asset.publicIpv4) why.push(`public IPv4 address ${asset.publicIpv4}`);
  const v6 = asset.ipv6.find((a) => a !== '');
  if (v6 !== undefined) why.push(`IPv6 address ${v6}`);
  const paths: string[] = [];
  for (const f of findings) {
    if (f.type !== 'NETWORK_REACHABILITY' || f.status !== 'ACTIVE') continue;
    const range = f.networkReachability?.openPortRange;
    const proto = f.networkReachability?.protocol ?? '';
    const ports = range ? (range.begin === range.end ? ` port ${range.begin}` : ` ports ${range.begin}-${range.end}`) : '';
    const path = `${proto}${ports}`.trim() || 'open path';
    if (!paths.includes(path)) paths.push(path);
  }
  if (paths.length > 0) why.push(`reachable from the network (${paths.join(', ')}, Inspector network reachability)`);
  return why.length === 0 ? { exposed: false, why: null } : { exposed: true, why: why.join('; ') };
}

