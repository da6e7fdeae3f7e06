/** The SSVC / BOD 26-04 decision inputs derived from AWS data (DOMAIN.md "the proxies"). */
import type { Asset, Cvss, ExploitedCatalog, Finding } from '../inputs.js';
import type { Mission, Policy } from '../policy.js';
import type { Exploitation, TechnicalImpact } from './types.js';

/** The CVSS record the proxies read: the adjusted one where present, else the first v3.x entry. */
export function selectCvss(finding: Finding): Cvss | null {
  void finding;
  throw new Error('TODO');
}
export function exploitationOf(finding: Finding, catalog: ExploitedCatalog | null): Exploitation {
  void finding; void catalog;
  throw new Error('TODO');
}
/** AV:N, PR:N and UI:N in a CVSS v3 vector. No vector: false. */
export function isAutomatable(vector: string | null): boolean {
  void vector;
  throw new Error('TODO');
}
/** C:H and I:H: total; else partial. */
export function technicalImpactOf(vector: string | null): TechnicalImpact {
  void vector;
  throw new Error('TODO');
}
export function missionOf(asset: Asset, policy: Policy): Mission {
  void asset; void policy;
  throw new Error('TODO');
}
/** Public IPv4 / IPv6, or an ACTIVE NETWORK_REACHABILITY finding among `findings`. */
export function isExposed(asset: Asset, findings: readonly Finding[]): boolean {
  void asset; void findings;
  throw new Error('TODO');
}
export function isInKev(finding: Finding, catalog: ExploitedCatalog | null): boolean {
  void finding; void catalog;
  throw new Error('TODO');
}
