/**
 * Shared by the risk and patch decision specs: an assessment context, CVSS vectors from named
 * metrics, and the fast-check arbitraries that describe one finding by the factors the score reads.
 */
import fc from 'fast-check';
import type { Finding } from '../../../../domain/fleet-facts.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import type { Mission } from '../../../../domain/policy.js';
import type { AssessmentContext } from '../../../../domain/asset-assessment.js';
import { assessFinding } from '../../../../domain/asset-assessment.js';
import type { AssetContext, Exploitation, FindingAssessment } from '../../../../domain/risk/finding-assessment.js';
import { aCatalog, aCvss, aFinding, T0 } from '../../../builders.js';

export function aContext(over: Partial<AssessmentContext> = {}): AssessmentContext {
  return { catalog: null, acceptances: [], now: T0 + 86_400_000, policy: DEFAULT_POLICY, ...over };
}

/** A CVSS 3.1 vector; every base metric defaults to the least severe value. */
export function vector(over: Partial<Record<'AV' | 'AC' | 'PR' | 'UI' | 'S' | 'C' | 'I' | 'A', string>> = {}): string {
  const m = { AV: 'P', AC: 'H', PR: 'H', UI: 'R', S: 'U', C: 'N', I: 'N', A: 'N', ...over };
  return `CVSS:3.1/AV:${m.AV}/AC:${m.AC}/PR:${m.PR}/UI:${m.UI}/S:${m.S}/C:${m.C}/I:${m.I}/A:${m.A}`;
}

/** Vector metrics for the four combinations of automatable and technical impact. */
export function vectorFor(automatable: boolean, total: boolean): string {
  return vector({
    AV: automatable ? 'N' : 'L', PR: automatable ? 'N' : 'L', UI: automatable ? 'N' : 'R', AC: 'L',
    C: total ? 'H' : 'L', I: total ? 'H' : 'L',
  });
}

/** A finding described by the factors the model reads. */
export interface Factors {
  readonly cvss: number;
  readonly epss: number;
  readonly exploitation: Exploitation;
  readonly inKev: boolean;
  readonly automatable: boolean;
  readonly total: boolean;
  readonly fix: 'YES' | 'NO' | 'PARTIAL';
}

/** The asset-level factors. */
export interface AssetFactors {
  readonly mission: Mission;
  readonly exposed: boolean;
}

export const KEV_CVE = 'CVE-2099-0001';

export const factorsArb: fc.Arbitrary<Factors> = fc.record({
  cvss: fc.integer({ min: 0, max: 100 }).map((n) => n / 10),
  epss: fc.double({ min: 0, max: 1, noNaN: true }),
  exploitation: fc.constantFrom<Exploitation>('none', 'public poc', 'active'),
  inKev: fc.boolean(),
  automatable: fc.boolean(),
  total: fc.boolean(),
  fix: fc.constantFrom('YES' as const, 'NO' as const, 'PARTIAL' as const),
});

export const assetFactorsArb: fc.Arbitrary<AssetFactors> = fc.record({
  mission: fc.constantFrom<Mission>('low', 'medium', 'high'),
  exposed: fc.boolean(),
});

/** A finding with these factors; KEV listing is the catalog's business (see contextFor). */
export function findingFor(f: Factors, arn = 'arn:aws:inspector2:us-east-1:123456789012:finding/f1'): Finding {
  return aFinding({
    findingArn: arn,
    vulnerabilityId: f.inKev ? KEV_CVE : 'CVE-2099-9999',
    cvss: [aCvss(vectorFor(f.automatable, f.total), f.cvss)],
    epss: f.epss,
    exploitAvailable: f.exploitation === 'public poc',
    lastKnownExploitAt: f.exploitation === 'active' ? T0 - 86_400_000 : null,
    fixAvailable: f.fix,
  });
}

export const kevContext = aContext({ catalog: aCatalog(KEV_CVE) });

/** assessFinding for factors, in an asset with the given mission and exposure. */
export function assessFactors(f: Factors, a: AssetFactors, arn?: string): FindingAssessment {
  const asset: AssetContext = { mission: a.mission, exposed: a.exposed };
  return assessFinding(findingFor(f, arn), asset, kevContext);
}

const EXPLOITATION_ORDER: readonly Exploitation[] = ['none', 'public poc', 'active'];
const MISSION_ORDER: readonly Mission[] = ['low', 'medium', 'high'];

/** The inputs the score must be monotonic in, raised one step (or left alone at the top). */
export type Raise = 'cvss' | 'epss' | 'exploitation' | 'kev' | 'automatable' | 'total' | 'exposure' | 'mission';
export const RAISES: readonly Raise[] = ['cvss', 'epss', 'exploitation', 'kev', 'automatable', 'total', 'exposure', 'mission'];

export function raise(what: Raise, f: Factors, a: AssetFactors, amount: number): { f: Factors; a: AssetFactors } {
  switch (what) {
    case 'cvss': return { f: { ...f, cvss: Math.min(10, Math.round((f.cvss + amount * 10) * 10) / 10) }, a };
    case 'epss': return { f: { ...f, epss: Math.min(1, f.epss + amount) }, a };
    case 'exploitation': return { f: { ...f, exploitation: EXPLOITATION_ORDER[Math.min(2, EXPLOITATION_ORDER.indexOf(f.exploitation) + 1)] as Exploitation }, a };
    case 'kev': return { f: { ...f, inKev: true }, a };
    case 'automatable': return { f: { ...f, automatable: true }, a };
    case 'total': return { f: { ...f, total: true }, a };
    case 'exposure': return { f, a: { ...a, exposed: true } };
    case 'mission': return { f, a: { ...a, mission: MISSION_ORDER[Math.min(2, MISSION_ORDER.indexOf(a.mission) + 1)] as Mission } };
  }
}
