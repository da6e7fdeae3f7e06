/** SSVC: the CISA coordinator decision table v2.0.3 (CERT/CC SSVC data, cisa_coordinator_2_0_3). */
import type { Mission } from '../policy.js';
import { MISSIONS } from '../vocabulary.js';
import type { Exploitation, SsvcOutcome, TechnicalImpact } from './finding-assessment.js';

/** The decision points of one SSVC decision. */
export interface SsvcInputs {
  readonly exploitation: Exploitation;
  readonly automatable: boolean;
  readonly technicalImpact: TechnicalImpact;
  readonly mission: Mission;
}

/** One row of the table: the outcome for each Mission and well-being value. */
export interface SsvcRow {
  readonly exploitation: Exploitation;
  readonly automatable: boolean;
  readonly technicalImpact: TechnicalImpact;
  readonly outcomes: Readonly<Record<Mission, SsvcOutcome>>;
}

/** Identifies the table in the SSVC data repository, for reports that cite it. */
export const SSVC_TABLE_ID = 'cisa_coordinator_2_0_3';

/** The 12 rows x 3 missions of the table, in the order the SSVC data lists them. */
export const SSVC_COORDINATOR_TABLE: readonly SsvcRow[] = [
  { exploitation: 'none', automatable: false, technicalImpact: 'partial', outcomes: { low: 'track', medium: 'track', high: 'track' } },
  { exploitation: 'none', automatable: false, technicalImpact: 'total', outcomes: { low: 'track', medium: 'track', high: 'track*' } },
  { exploitation: 'none', automatable: true, technicalImpact: 'partial', outcomes: { low: 'track', medium: 'track', high: 'attend' } },
  { exploitation: 'none', automatable: true, technicalImpact: 'total', outcomes: { low: 'track', medium: 'track', high: 'attend' } },
  { exploitation: 'public poc', automatable: false, technicalImpact: 'partial', outcomes: { low: 'track', medium: 'track', high: 'track*' } },
  { exploitation: 'public poc', automatable: false, technicalImpact: 'total', outcomes: { low: 'track', medium: 'track*', high: 'attend' } },
  { exploitation: 'public poc', automatable: true, technicalImpact: 'partial', outcomes: { low: 'track', medium: 'track', high: 'attend' } },
  { exploitation: 'public poc', automatable: true, technicalImpact: 'total', outcomes: { low: 'track', medium: 'track*', high: 'attend' } },
  { exploitation: 'active', automatable: false, technicalImpact: 'partial', outcomes: { low: 'track', medium: 'track', high: 'attend' } },
  { exploitation: 'active', automatable: false, technicalImpact: 'total', outcomes: { low: 'track', medium: 'attend', high: 'act' } },
  { exploitation: 'active', automatable: true, technicalImpact: 'partial', outcomes: { low: 'attend', medium: 'attend', high: 'act' } },
  { exploitation: 'active', automatable: true, technicalImpact: 'total', outcomes: { low: 'attend', medium: 'act', high: 'act' } },
];

const EXPLOITATION_INDEX: Readonly<Record<Exploitation, number>> = { none: 0, 'public poc': 1, active: 2 };
const MISSION_INDEX: Readonly<Record<Mission, number>> = { low: 0, medium: 1, high: 2 };

function slot(exploitation: Exploitation, automatable: boolean, technicalImpact: TechnicalImpact, mission: Mission): number {
  return ((EXPLOITATION_INDEX[exploitation] * 2 + (automatable ? 1 : 0)) * 2 + (technicalImpact === 'total' ? 1 : 0)) * 3 + MISSION_INDEX[mission];
}

// A flat index built once from the data, so a lookup is arithmetic rather than a search or a string
// key per finding. Building it also proves the table complete.
const LOOKUP: readonly SsvcOutcome[] = (() => {
  const out = new Array<SsvcOutcome | undefined>(36).fill(undefined);
  for (const row of SSVC_COORDINATOR_TABLE) {
    for (const m of MISSIONS) out[slot(row.exploitation, row.automatable, row.technicalImpact, m)] = row.outcomes[m];
  }
  if (out.some((o) => o === undefined)) throw new Error('SSVC_COORDINATOR_TABLE is incomplete');
  return out as SsvcOutcome[];
})();

/** The CISA coordinator outcome for one combination of decision points. */
export function ssvcOutcome(inputs: SsvcInputs): SsvcOutcome {
  return LOOKUP[slot(inputs.exploitation, inputs.automatable, inputs.technicalImpact, inputs.mission)] as SsvcOutcome;
}
