/**
 * The explainable 0..100 risk score. SSVC and BOD 26-04 decide; the score only orders.
 *
 * A finding sits in one of five priority bands of 20 points, from its SSVC outcome and timeline
 * (track, track*, attend or 14 days, 3 days, act), and a weighted sum of its factors places it
 * inside the band. Every input raises its band or its factors and never lowers either, so the
 * score is monotonic; bands never overlap, so an `act` finding always ranks first.
 *
 * An asset sits in the band of its strongest counted finding and is placed inside it by combining
 * its findings as 1 - prod(1 - p_i) (FIRST's rule for EPSS), weighted by mission and exposure. The
 * top of a band stays half a point under the next band's floor, so no number of weaker findings
 * rounds up to an asset with one stronger one.
 */
import type { KevEntry } from '../inputs.js';
import type { Mission } from '../policy.js';
import { toIso } from '../time.js';
import type { Instant } from '../time.js';
import type { Exploitation, FindingAssessment, ScoreReason, SsvcOutcome, TechnicalImpact, Timeline } from './types.js';

/** Points per priority band; five bands fill 0..100. */
export const BAND_WIDTH = 20;

/**
 * Priority band 0..4 of a finding: track, track*, attend or 14 days, 3 days, act. It follows the
 * patch decision (act and 3 days patch now), with act alone on top so an asset with an act
 * finding outranks any without one.
 */
export function priorityBand(ssvc: SsvcOutcome, timeline: Timeline): number {
  if (ssvc === 'act') return 4;
  if (timeline === '3 days' || timeline === '3 days and forensic investigation') return 3;
  if (ssvc === 'attend' || timeline === '14 days') return 2;
  if (ssvc === 'track*') return 1;
  return 0;
}

/**
 * Shares of the in-band position of a finding; they add up to 1. KEV has its own share so that a
 * listed finding outranks an otherwise identical unlisted one even when both are already active.
 */
export const FINDING_WEIGHTS = {
  cvss: 0.25,
  epss: 0.2,
  exploitation: 0.15,
  kev: 0.1,
  exposure: 0.1,
  mission: 0.1,
  automatable: 0.05,
  technicalImpact: 0.05,
} as const;

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

/** Rounds to one decimal, the precision every score and share is shown with. */
export function roundScore(x: number): number {
  return Math.round(x * 10) / 10;
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

function bandText(ssvc: SsvcOutcome, timeline: Timeline): string {
  return BAND_TEXT[ssvc][timeline];
}

function kevText(entry: KevEntry | null): string {
  if (entry === null) return 'in CISA KEV';
  const ransomware = entry.knownRansomwareCampaignUse === 'Known' ? ', used in ransomware campaigns' : '';
  return `in CISA KEV (added ${entry.dateAdded}${ransomware})`;
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

/** The 0..100 score of one counted finding, with each factor's share (zero shares left out). */
export function scoreFinding(input: FindingScoreInput): Scored {
  const w = FINDING_WEIGHTS;
  const width = BAND_WIDTH;
  const cvss = input.cvssScore === null ? 0 : clamp01(input.cvssScore / 10);
  const epss = clamp01(input.epss);
  const raw = [
    priorityBand(input.ssvc, input.timeline) * width,
    input.inKev ? width * w.kev : 0,
    width * w.exploitation * EXPLOITATION_LEVEL[input.exploitation],
    width * w.epss * epss,
    width * w.cvss * cvss,
    input.exposed ? width * w.exposure : 0,
    input.automatable ? width * w.automatable : 0,
    input.technicalImpact === 'total' ? width * w.technicalImpact : 0,
    width * w.mission * MISSION_LEVEL[input.mission],
  ];
  const tenths = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const total = apportion(raw, tenths);
  // The band is always listed, even at 0 points: it says which outcome the finding has.
  const reasons: ScoreReason[] = [{ factor: 'ssvc', points: (tenths[0] as number) / 10, text: bandText(input.ssvc, input.timeline) }];
  for (let i = 1; i < raw.length; i++) {
    const t = tenths[i] as number;
    if (t <= 0) continue;
    const points = t / 10;
    switch (i) {
      case 1: reasons.push({ factor: 'kev', points, text: kevText(input.kevEntry) }); break;
      case 2: reasons.push({ factor: 'exploitation', points, text: exploitationText(input.exploitation, input.inKev, input.lastKnownExploitAt) }); break;
      case 3: reasons.push({ factor: 'epss', points, text: EPSS_TEXT[Math.round(epss * 10_000)] as string }); break;
      case 4: reasons.push({ factor: 'cvss', points, text: cvssText(input.cvssScore as number, input.cvssSource, input.cvssVersion) }); break;
      case 5: reasons.push({ factor: 'exposure', points, text: input.exposureWhy ?? EXPOSED_TEXT }); break;
      case 6: reasons.push({ factor: 'automatable', points, text: 'automatable (AV:N, PR:N, UI:N)' }); break;
      case 7: reasons.push({ factor: 'technicalImpact', points, text: 'total technical impact (C:H, I:H)' }); break;
      default: reasons.push({ factor: 'mission', points, text: input.missionWhy ? `mission ${input.mission} (${input.missionWhy})` : `mission ${input.mission}` });
    }
  }
  return { score: total / 10, reasons };
}

const EXPOSED_TEXT = 'exposed (public address or network path)';

/** Scale of a finding's likelihood proxy p = P_SCALE * (score / 100)^2 in the asset combination. */
export const P_SCALE = 0.2;

/** Shares of an asset's in-band position: the findings alone, then mission and exposure on top. */
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
 * The 0..100 score of an asset from its counted findings (any order). Band: the strongest
 * finding's; position: 1 - prod(1 - p_i) with p_i = P_SCALE * (score_i / 100)^2, so that many
 * findings add up, high scores weigh most, and a single finding never fills the band alone.
 */
export function scoreAsset(counted: readonly FindingAssessment[], asset: AssetScoreInput): Scored {
  if (counted.length === 0) return { score: 0, reasons: [{ factor: 'count', points: 0, text: 'no counted findings' }] };
  let band = -1;
  let strongest: FindingAssessment | null = null;
  let miss = 1;
  for (const f of counted) {
    const b = priorityBand(f.ssvc, f.timeline);
    if (b > band || (b === band && strongest !== null && f.riskScore > strongest.riskScore)) { band = b; strongest = f; }
    const s = f.riskScore / 100;
    miss *= 1 - P_SCALE * s * s;
  }
  const top = strongest as FindingAssessment;
  const combined = 1 - miss;
  const span = ASSET_SPAN * combined;
  const missionLevel = MISSION_LEVEL[asset.mission];
  const raw = [band * BAND_WIDTH, span * ASSET_WEIGHTS.findings, span * ASSET_WEIGHTS.mission * missionLevel, asset.exposed ? span * ASSET_WEIGHTS.exposure : 0];
  const tenths = [0, 0, 0, 0];
  const total = apportion(raw, tenths);
  const id = top.finding.vulnerabilityId ?? top.finding.findingArn;
  const n = counted.length;
  const reasons: ScoreReason[] = [
    { factor: 'ssvc', points: (tenths[0] as number) / 10, text: `strongest finding ${id}: ${bandText(top.ssvc, top.timeline)}` },
    { factor: 'count', points: (tenths[1] as number) / 10, text: `${n} counted finding${n === 1 ? '' : 's'}, combined likelihood ${num(combined, 3)} (1 - prod(1 - ${P_SCALE} x (score/100)^2))` },
  ];
  if ((tenths[2] as number) > 0) reasons.push({ factor: 'mission', points: (tenths[2] as number) / 10, text: asset.missionWhy ? `mission ${asset.mission} (${asset.missionWhy})` : `mission ${asset.mission}` });
  if ((tenths[3] as number) > 0) reasons.push({ factor: 'exposure', points: (tenths[3] as number) / 10, text: asset.exposureWhy ?? EXPOSED_TEXT });
  return { score: total / 10, reasons };
}
