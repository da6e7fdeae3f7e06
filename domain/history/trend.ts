/**
 * The trend of the fleet from its history: per UTC day, the counts of the day's last assessment
 * (by decision, by SSVC outcome, overdue) and, for the findings that went away since the previous
 * day's last assessment, the mean time from first seen to resolved per SSVC outcome (in their
 * last recorded outcome).
 */
import type { SsvcOutcome } from '../risk/finding-assessment.js';
import { HOUR_MS } from '../time.js';
import { SSVC_OUTCOMES } from '../vocabulary.js';
import { counts, findingKey, type AssessmentRecord } from './assessment-record.js';

export interface Remediation {
  /** Findings resolved between the two assessments. */
  readonly resolved: number;
  /** Mean hours from first seen to the later assessment, per outcome; null where none resolved (or none with a first-seen time). */
  readonly meanHoursToRemediate: Readonly<Record<SsvcOutcome, number | null>>;
}

/** The findings of `before` that `after` no longer has, and how long each had been open. */
export function remediationBetween(before: AssessmentRecord, after: AssessmentRecord): Remediation {
  const still = new Set(after.findings.map(findingKey));
  const sum = Object.fromEntries(SSVC_OUTCOMES.map((o) => [o, { hours: 0, n: 0 }])) as Record<SsvcOutcome, { hours: number; n: number }>;
  let resolved = 0;
  for (const f of before.findings) {
    if (still.has(findingKey(f)) || !counts(f, before.at)) continue;
    resolved++;
    if (f.firstObservedAt === null || f.firstObservedAt > after.at) continue;
    sum[f.ssvc].hours += (after.at - f.firstObservedAt) / HOUR_MS;
    sum[f.ssvc].n++;
  }
  const mean = Object.fromEntries(SSVC_OUTCOMES.map((o) => [o, sum[o].n ? Math.round((sum[o].hours / sum[o].n) * 10) / 10 : null])) as Record<SsvcOutcome, number | null>;
  return { resolved, meanHoursToRemediate: mean };
}

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
