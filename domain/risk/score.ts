/**
 * The explainable 0..100 risk score. SSVC and BOD 26-04 decide; the score only orders.
 *
 * A finding sits in one of five priority bands of 20 points, from its SSVC outcome and timeline
 * (track, track*, attend or 14 days, 3 days, act), and a weighted sum of its factors places it
 * inside the band. Every input raises its band or its factors and never lowers either, so the
 * score is monotonic; bands never overlap, so an `act` finding always ranks first.
 *
 * A finding fills at most FINDING_SPAN (18) points of its band; FINDING_FACTORS, one table,
 * gives each factor's share and the sentence that explains it.
 *
 * An asset sits in the band of its strongest counted finding, at least one point above the floor,
 * plus that finding's own points into the band, so single-finding assets rank exactly as their
 * findings do; further findings fill the rest of the band (up to half a point under the next
 * band's floor) by 1 - prod(1 - q_i) over their positions within their bands, weighted by mission
 * and exposure. docs/decision-model.md "Risk score" states the rules.
 */
import type { KevEntry } from '../fleet-facts.js';
import type { Mission } from '../policy.js';
import { toIso } from '../time.js';
import type { Instant } from '../time.js';
import type { Exploitation, FindingAssessment, ScoreReason, SsvcOutcome, TechnicalImpact, Timeline } from './finding-assessment.js';

/** Points per priority band; five bands fill 0..100. */
export const BAND_WIDTH = 20;

/**
 * Priority band 0..4 of a finding: track, track*, attend or 14 days, 3 days, act. It follows the
 * patch decision (act and 3 days patch now), with act alone on top so an asset with an act
 * finding outranks any without one.
 */
export function priorityBand(ssvc: SsvcOutcome, timeline: Timeline | null): number {
  if (ssvc === 'act') return 4;
  if (timeline === '3 days' || timeline === '3 days and forensic investigation') return 3;
  if (ssvc === 'attend' || timeline === '14 days') return 2;
  if (ssvc === 'track*') return 1;
  return 0;
}

const EXPLOITATION_LEVEL: Readonly<Record<Exploitation, number>> = { none: 0, 'public poc': 0.5, active: 1 };
const MISSION_LEVEL: Readonly<Record<Mission, number>> = { low: 0, medium: 0.5, high: 1 };

/** Where the CVSS number came from, for the reason text. */
export type CvssSource = 'adjusted' | 'cvss' | 'inspector';

/** Everything one finding's score reads; the texts are optional context for the reasons. */
export interface FindingScoreInput {
  readonly ssvc: SsvcOutcome;
  readonly timeline: Timeline;
  /** CVSS base score 0..10 (or Inspector's score when no CVSS v3 record has one); null: none. */
  readonly cvssScore: number | null;
  readonly cvssSource: CvssSource | null;
  /** The CVSS version label ("3.1"), when the score came from a CVSS record. */
  readonly cvssVersion: string | null;
  readonly epss: number | null;
  readonly exploitation: Exploitation;
  readonly inKev: boolean;
  readonly kevEntry: KevEntry | null;
  /** The finding's own id, so a KEV listing under a related id can say so. */
  readonly vulnerabilityId?: string | null | undefined;
  readonly lastKnownExploitAt: Instant | null;
  readonly exposed: boolean;
  readonly automatable: boolean;
  readonly technicalImpact: TechnicalImpact;
  readonly mission: Mission;
  /** "tag Environment=prod": where the mission came from. */
  readonly missionWhy?: string | undefined;
  /** "public IPv4 address 203.0.113.7": why the asset counts as exposed. */
  readonly exposureWhy?: string | undefined;
}

/** A score with its reasons; the reasons' points add up to the score. */
export interface Scored {
  readonly score: number;
  readonly reasons: readonly ScoreReason[];
}

function clamp01(x: number | null): number {
  if (x === null || !(x > 0)) return 0;
  return x > 1 ? 1 : x;
}

/** Formats a number with at most `digits` decimals and no trailing zeros. */
function num(x: number, digits: number): string {
  const f = 10 ** digits;
  return String(Math.round(x * f) / f);
}

// Texts that do not depend on the finding are built once: number formatting per finding would
// cost more than the rest of the score.
const TENTHS_TEXT: readonly string[] = Array.from({ length: 101 }, (_, i) => String(i / 10));
const EPSS_TEXT: readonly string[] = Array.from({ length: 10_001 }, (_, i) => `EPSS ${i / 10_000}`);
const BAND_TEXT: Readonly<Record<SsvcOutcome, Readonly<Record<Timeline, string>>>> = (() => {
  const outcomes: readonly SsvcOutcome[] = ['track', 'track*', 'attend', 'act'];
  const timelines: readonly Timeline[] = ['3 days and forensic investigation', '3 days', '14 days', '60 days', 'fix on system upgrade'];
  const table = {} as Record<SsvcOutcome, Record<Timeline, string>>;
  for (const s of outcomes) {
    table[s] = {} as Record<Timeline, string>;
    for (const t of timelines) {
      const floor = priorityBand(s, t) * BAND_WIDTH;
      table[s][t] = `SSVC ${s}, BOD 26-04 ${t}: priority band ${floor} to ${floor + BAND_WIDTH}`;
    }
  }
  return table;
})();

function bandText(ssvc: SsvcOutcome, timeline: Timeline | null): string {
  return BAND_TEXT[ssvc][timeline ?? 'fix on system upgrade'];
}

function kevText(entry: KevEntry | null, vulnerabilityId: string | null | undefined): string {
  if (entry === null) return 'in CISA KEV';
  const ransomware = entry.knownRansomwareCampaignUse === 'Known' ? ', used in ransomware campaigns' : '';
  // Listed under a related id (a Windows KB fixing a listed CVE): say which one.
  const via = vulnerabilityId && entry.cveID.toUpperCase() !== vulnerabilityId.trim().toUpperCase() ? ` as related ${entry.cveID}` : '';
  return `in CISA KEV${via} (added ${entry.dateAdded}${ransomware})`;
}

function exploitationText(e: Exploitation, inKev: boolean, lastKnownExploitAt: Instant | null): string {
  if (e === 'public poc') return 'public exploit available';
  if (lastKnownExploitAt !== null) return `exploited in the wild (last known exploit ${(toIso(lastKnownExploitAt) as string).slice(0, 10)})`;
  return inKev ? 'exploited in the wild (CISA KEV)' : 'exploited in the wild';
}

function cvssText(score: number, source: CvssSource | null, version: string | null): string {
  const s = TENTHS_TEXT[Math.round(score * 10)] ?? num(score, 1);
  if (source === 'inspector') return `Inspector score ${s} (no CVSS v3 base score)`;
  const v = version ? ` ${version}` : '';
  return source === 'adjusted' ? `CVSS${v} base score ${s} (adjusted by Inspector)` : `CVSS${v} base score ${s}`;
}

/**
 * Apportions raw points to tenths (written into `tenths`) so that the shares add up exactly to
 * the rounded total (largest remainder), and returns the total in tenths.
 */
function apportion(raw: readonly number[], tenths: number[]): number {
  let sum = 0;
  let given = 0;
  for (let i = 0; i < raw.length; i++) {
    sum += raw[i] as number;
    const t = Math.floor((raw[i] as number) * 10 + 1e-9);
    tenths[i] = t;
    given += t;
  }
  const total = Math.round(sum * 10);
  // The floors fall short of the rounded total by fewer than raw.length tenths; the shares with
  // the largest remainders take one tenth each. (The epsilon above can overshoot by a hair: the
  // second loop takes it back from the smallest remainders.)
  for (let left = total - given; left > 0; left--) {
    let best = 0;
    let bestRest = -Infinity;
    for (let i = 0; i < raw.length; i++) {
      const rest = (raw[i] as number) * 10 - (tenths[i] as number);
      if (rest > bestRest) { best = i; bestRest = rest; }
    }
    tenths[best] = (tenths[best] as number) + 1;
  }
  for (let over = given - total; over > 0; over--) {
    let worst = 0;
    let worstRest = Infinity;
    for (let i = 0; i < raw.length; i++) {
      const rest = (raw[i] as number) * 10 - (tenths[i] as number);
      if ((tenths[i] as number) > 0 && rest < worstRest) { worst = i; worstRest = rest; }
    }
    tenths[worst] = (tenths[worst] as number) - 1;
  }
  return total;
}


/** One factor of a finding's in-band position: its share, its level 0..1 and its sentence. */
interface FindingFactor {
  readonly factor: string;
  /** Share of the finding span; the shares of all factors add up to 1. */
  readonly weight: number;
  /** How much of the share the finding earns, 0..1. */
  level(input: FindingScoreInput): number;
  /** The sentence shown when the factor earns points. */
  text(input: FindingScoreInput): string;
}

const EXPOSED_TEXT = 'exposed (public address or network path)';

/**
 * The factors that place a finding inside its band: this one table gives both the points and the
 * reason texts. KEV has its own share so that a listed finding outranks an otherwise identical
 * unlisted one even when both are already active.
 */
export const FINDING_FACTORS: readonly FindingFactor[] = [
  { factor: 'kev', weight: 0.1, level: (i) => (i.inKev ? 1 : 0), text: (i) => kevText(i.kevEntry, i.vulnerabilityId) },
  { factor: 'exploitation', weight: 0.15, level: (i) => EXPLOITATION_LEVEL[i.exploitation], text: (i) => exploitationText(i.exploitation, i.inKev, i.lastKnownExploitAt) },
  { factor: 'epss', weight: 0.2, level: (i) => clamp01(i.epss), text: (i) => EPSS_TEXT[Math.round(clamp01(i.epss) * 10_000)] as string },
  { factor: 'cvss', weight: 0.25, level: (i) => (i.cvssScore === null ? 0 : clamp01(i.cvssScore / 10)), text: (i) => cvssText(i.cvssScore as number, i.cvssSource, i.cvssVersion) },
  { factor: 'exposure', weight: 0.1, level: (i) => (i.exposed ? 1 : 0), text: (i) => i.exposureWhy ?? EXPOSED_TEXT },
  { factor: 'automatable', weight: 0.05, level: (i) => (i.automatable ? 1 : 0), text: () => 'automatable (AV:N, PR:N, UI:N)' },
  { factor: 'technicalImpact', weight: 0.05, level: (i) => (i.technicalImpact === 'total' ? 1 : 0), text: () => 'total technical impact (C:H, I:H)' },
  { factor: 'mission', weight: 0.1, level: (i) => MISSION_LEVEL[i.mission], text: (i) => (i.missionWhy ? `mission ${i.mission} (${i.missionWhy})` : `mission ${i.mission}`) },
];

/** The weights of FINDING_FACTORS by factor name (they add up to 1). */
export const FINDING_WEIGHTS: Readonly<Record<string, number>> = Object.fromEntries(FINDING_FACTORS.map((f) => [f.factor, f.weight]));

/**
 * Points of its band a finding can fill: the factors place it in [floor, floor + FINDING_SPAN].
 * The rest of the band is the asset score's: one point for having a counted finding at all, and
 * head room for further findings, so that a lone finding's asset follows its score point for
 * point (strict order at one decimal) and still stays under the next band.
 */
export const FINDING_SPAN = 18;

/** The 0..100 score of one counted finding, with each factor's share (zero shares left out). */
export function scoreFinding(input: FindingScoreInput): Scored {
  const n = FINDING_FACTORS.length;
  const raw = new Array<number>(n + 1);
  raw[0] = priorityBand(input.ssvc, input.timeline) * BAND_WIDTH;
  for (let k = 0; k < n; k++) {
    const f = FINDING_FACTORS[k] as FindingFactor;
    raw[k + 1] = FINDING_SPAN * f.weight * f.level(input);
  }
  const tenths = new Array<number>(n + 1).fill(0);
  const total = apportion(raw, tenths);
  // The band is always listed, even at 0 points: it says which outcome the finding has.
  const reasons: ScoreReason[] = [{ factor: 'ssvc', points: (tenths[0] as number) / 10, text: bandText(input.ssvc, input.timeline) }];
  for (let k = 0; k < n; k++) {
    const t = tenths[k + 1] as number;
    if (t <= 0) continue;
    const f = FINDING_FACTORS[k] as FindingFactor;
    reasons.push({ factor: f.factor, points: t / 10, text: f.text(input) });
  }
  return { score: total / 10, reasons };
}

/** The lift of an asset with any counted finding above its band's floor. */
export const ASSET_FLOOR_LIFT = 1;

/** Scale of a further finding's share q of the asset's head room (see scoreAsset). */
export const Q_SCALE = 0.1;

/** Each band below the strongest finding's divides a further finding's q by this. */
export const LOWER_BAND_DIVISOR = 4;

/** Shares of what further findings add: the findings alone, then mission and exposure on top. */
export const ASSET_WEIGHTS = { findings: 0.6, mission: 0.25, exposure: 0.15 } as const;

// Half a point under the next band: after rounding to one decimal, still strictly below it.
const ASSET_SPAN = BAND_WIDTH - 0.5;

/** The asset context the asset score reads. */
export interface AssetScoreInput {
  readonly mission: Mission;
  readonly exposed: boolean;
  readonly missionWhy?: string | undefined;
  readonly exposureWhy?: string | undefined;
}

/**
 * The 0..100 score of an asset from its counted findings (any order), built relative to the band:
 * - band: the strongest finding's;
 * - lift: ASSET_FLOOR_LIFT for having a counted finding at all, plus the strongest finding's own
 *   points into its band (so a lone finding's asset follows the finding scores one for one);
 * - head room (up to half a point under the next band): each further finding i closes a share
 *   q_i of it, combined as 1 - prod(1 - q_i) (FIRST's rule for EPSS). q_i = Q_SCALE x (1 + its
 *   position within its band, 0..1) / 2, divided by LOWER_BAND_DIVISOR per band it sits below the
 *   strongest; what the head room gains is then weighted by mission and exposure.
 */
export function scoreAsset(counted: readonly FindingAssessment[], asset: AssetScoreInput): Scored {
  if (counted.length === 0) return { score: 0, reasons: [{ factor: 'count', points: 0, text: 'no counted findings' }] };
  let band = -1;
  let strongest: FindingAssessment | null = null;
  for (const f of counted) {
    const b = priorityBand(f.ssvc, f.timeline);
    if (b > band || (b === band && strongest !== null && f.riskScore > strongest.riskScore)) { band = b; strongest = f; }
  }
  const top = strongest as FindingAssessment;
  const floor = band * BAND_WIDTH;
  const into = Math.min(FINDING_SPAN, Math.max(0, top.riskScore - floor));
  let miss = 1;
  for (const f of counted) {
    if (f === top) continue;
    const b = priorityBand(f.ssvc, f.timeline);
    const position = Math.min(1, Math.max(0, (f.riskScore - b * BAND_WIDTH) / FINDING_SPAN));
    miss *= 1 - (Q_SCALE * (1 + position)) / 2 / LOWER_BAND_DIVISOR ** (band - b);
  }
  const combined = 1 - miss;
  const headRoom = ASSET_SPAN - ASSET_FLOOR_LIFT - into;
  const gained = headRoom * combined;
  const missionLevel = MISSION_LEVEL[asset.mission];
  const raw = [floor, ASSET_FLOOR_LIFT + into, gained * ASSET_WEIGHTS.findings, gained * ASSET_WEIGHTS.mission * missionLevel, asset.exposed ? gained * ASSET_WEIGHTS.exposure : 0];
  const tenths = [0, 0, 0, 0, 0];
  const total = apportion(raw, tenths);
  const id = top.finding.vulnerabilityId ?? top.finding.findingArn;
  const n = counted.length;
  const reasons: ScoreReason[] = [
    { factor: 'ssvc', points: (tenths[0] as number) / 10, text: `strongest finding ${id}: ${bandText(top.ssvc, top.timeline)}` },
    { factor: 'strongest', points: (tenths[1] as number) / 10, text: `${ASSET_FLOOR_LIFT} point for a counted finding, plus ${num(into, 1)} points of ${id} (score ${num(top.riskScore, 1)}) into its band` },
  ];
  if (n > 1) {
    reasons.push({ factor: 'count', points: (tenths[2] as number) / 10, text: `${n - 1} more counted finding${n === 2 ? '' : 's'}, combined ${num(combined, 3)} of the head room (1 - prod(1 - q_i), q_i from each finding's position within its band)` });
  }
  if ((tenths[3] as number) > 0) reasons.push({ factor: 'mission', points: (tenths[3] as number) / 10, text: asset.missionWhy ? `mission ${asset.mission} (${asset.missionWhy})` : `mission ${asset.mission}` });
  if ((tenths[4] as number) > 0) reasons.push({ factor: 'exposure', points: (tenths[4] as number) / 10, text: asset.exposureWhy ?? EXPOSED_TEXT });
  return { score: total / 10, reasons };
}
