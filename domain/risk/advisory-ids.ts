/**
 * Advisory ids: the names Inspector gives a finding. A finding is known by its `vulnerabilityId`
 * and its `relatedVulnerabilities` (a Windows finding comes under a KB id with its CVEs as related
 * ids; an Amazon Linux finding under the CVE with its ALAS ids as related ids). KEV matching,
 * exploitation, acceptances and explanations read all of them (docs/decision-model.md "Advisory ids").
 */
import type { Finding } from '../fleet-facts.js';

const NEEDS_NORMALISING = /[a-z]|^\s|\s$/;

/** An advisory id as the catalog and the acceptances key it: upper case, trimmed. */
export function vulnerabilityKey(id: string): string {
  // Ids nearly always arrive upper case already; only the rare other one costs a new string.
  return NEEDS_NORMALISING.test(id) ? id.trim().toUpperCase() : id;
}

const NO_IDS: readonly string[] = [];

/** Every id a finding is known by, as keys (vulnerabilityId first), without repeats. */
export function findingKeys(finding: Pick<Finding, 'vulnerabilityId' | 'relatedVulnerabilities'>): readonly string[] {
  const own = finding.vulnerabilityId === null || finding.vulnerabilityId === '' ? null : vulnerabilityKey(finding.vulnerabilityId);
  const related = finding.relatedVulnerabilities ?? NO_IDS;
  if (related.length === 0) return own === null ? NO_IDS : [own];
  const out: string[] = own === null ? [] : [own];
  for (const r of related) {
    const k = vulnerabilityKey(r);
    if (k !== '' && !out.includes(k)) out.push(k);
  }
  return out;
}

/**
 * The forms Inspector reports advisories in: CVE-2024-6387, KB5023697 (Windows updates),
 * ALAS-2024-1234, ALAS2-2025-2879, ALAS2023-2025-123, GHSA-jfh8-c2jp-5v3q, RHSA-2024:1234,
 * ELSA-2024-1234, USN-6000-1, DSA-5000-1, DLA-3000-1, SUSE-SU-2024:1234-1, MS17-010 ...:
 * a prefix of letters (and digits), a dash, then letters, digits, dashes, colons, dots; or KB and
 * six or seven digits.
 */
const ADVISORY_ID = /^(?:KB\d{6,7}|[A-Z][A-Z0-9]*(?:-[A-Z]+)?-[A-Z0-9][A-Z0-9:._-]{1,60})$/;

/** Whether `key` (upper case, see vulnerabilityKey) has the form of an advisory id. */
export function isAdvisoryId(key: string): boolean {
  return ADVISORY_ID.test(key);
}

const KB = /^KB\d{6,7}$/i;

/** A Windows update (KB5023697): installing it restarts the instance. */
export function isWindowsUpdateId(id: string): boolean {
  return KB.test(id.trim());
}

/** What follows the advisory's prefix: "2025-2879" of ALAS2023-2025-2879; the digits of KB5023697. */
function body(key: string): string {
  const dash = key.indexOf('-');
  return dash === -1 ? key.replace(/\D+/g, '') : key.slice(dash + 1);
}

/** Levenshtein distance, capped: beyond `cap` the exact number does not matter. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * Known ids close to `key` (at most `limit`, closest first): at most two edits away, or the same
 * number under another prefix (ALAS2023-2025-2879 for ALAS-2025-2879).
 */
export function nearMatches(key: string, known: Iterable<string>, limit = 5): string[] {
  const b = body(key);
  const scored: { id: string; score: number }[] = [];
  for (const id of known) {
    const k = vulnerabilityKey(id);
    if (k === key) continue;
    const edits = distance(k, key, 2);
    if (edits <= 2) scored.push({ id: k, score: edits });
    else if (b.length >= 4 && body(k) === b) scored.push({ id: k, score: 3 });
  }
  scored.sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
  return scored.slice(0, limit).map((s) => s.id);
}
