/** The CISA Known Exploited Vulnerabilities catalog JSON to the domain catalog. */
import type { ExploitedCatalog, KevEntry } from '../../../domain/fleet-facts.js';
import type { ShapeContext } from './read.js';
import { asObject, optString, reqArray, reqString } from './read.js';

const CTX: ShapeContext = { service: 'kev', operation: null };

/**
 * Maps the KEV feed (`known_exploited_vulnerabilities.json`: catalogVersion, dateReleased,
 * vulnerabilities[]). Entries are keyed by upper-case CVE id; a CVE listed twice keeps its first
 * entry. Fields CISA adds later are ignored.
 * @param path JSON path of `raw`, usually `$`.
 * @throws ShapeError when vulnerabilities is not an array, or an entry lacks cveID or dateAdded.
 */
export function mapKevCatalog(raw: unknown, path = '$'): ExploitedCatalog {
  const o = asObject(CTX, raw, path);
  const list = reqArray(CTX, o, 'vulnerabilities', path);
  const entries = new Map<string, KevEntry>();
  for (let i = 0; i < list.length; i++) {
    const ePath = `${path}.vulnerabilities[${i}]`;
    const e = asObject(CTX, list[i], ePath);
    const cveID = reqString(CTX, e, 'cveID', ePath).trim().toUpperCase();
    if (entries.has(cveID)) continue;
    entries.set(cveID, {
      cveID,
      vendorProject: optString(CTX, e, 'vendorProject', ePath),
      product: optString(CTX, e, 'product', ePath),
      vulnerabilityName: optString(CTX, e, 'vulnerabilityName', ePath),
      dateAdded: reqString(CTX, e, 'dateAdded', ePath),
      dueDate: optString(CTX, e, 'dueDate', ePath),
      knownRansomwareCampaignUse: optString(CTX, e, 'knownRansomwareCampaignUse', ePath),
    });
  }
  return {
    catalogVersion: optString(CTX, o, 'catalogVersion', path),
    dateReleased: optString(CTX, o, 'dateReleased', path),
    entries,
  };
}
