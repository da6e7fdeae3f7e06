/** Remediation timelines: the CISA BOD 26-04 table (CERT/CC SSVC data, cisa_bod_26_04_1_0_0). */
import type { Policy } from '../policy.js';
import { DAY_MS } from '../time.js';
import type { Instant } from '../time.js';
import type { TechnicalImpact, Timeline } from './types.js';

/** The decision points of one BOD 26-04 decision. */
export interface TimelineInputs {
  readonly inKev: boolean;
  readonly exposed: boolean;
  readonly automatable: boolean;
  readonly technicalImpact: TechnicalImpact;
}

/** One row of the table. */
export interface TimelineRow extends TimelineInputs {
  readonly timeline: Timeline;
}

/** Identifies the table in the SSVC data repository, for reports that cite it. */
export const BOD_TABLE_ID = 'cisa_bod_26_04_1_0_0';

/** The 16 rows of the table, in the order the SSVC data lists them. */
export const BOD_26_04_TABLE: readonly TimelineRow[] = [
  { inKev: false, exposed: false, automatable: false, technicalImpact: 'partial', timeline: 'fix on system upgrade' },
  { inKev: true, exposed: false, automatable: false, technicalImpact: 'partial', timeline: '14 days' },
  { inKev: false, exposed: true, automatable: false, technicalImpact: 'partial', timeline: '60 days' },
  { inKev: false, exposed: false, automatable: true, technicalImpact: 'partial', timeline: '60 days' },
  { inKev: false, exposed: false, automatable: false, technicalImpact: 'total', timeline: 'fix on system upgrade' },
  { inKev: true, exposed: true, automatable: false, technicalImpact: 'partial', timeline: '14 days' },
  { inKev: true, exposed: false, automatable: true, technicalImpact: 'partial', timeline: '14 days' },
  { inKev: false, exposed: true, automatable: true, technicalImpact: 'partial', timeline: '14 days' },
  { inKev: true, exposed: false, automatable: false, technicalImpact: 'total', timeline: '14 days' },
  { inKev: false, exposed: true, automatable: false, technicalImpact: 'total', timeline: '14 days' },
  { inKev: false, exposed: false, automatable: true, technicalImpact: 'total', timeline: '60 days' },
  { inKev: true, exposed: true, automatable: true, technicalImpact: 'partial', timeline: '3 days' },
  { inKev: true, exposed: true, automatable: false, technicalImpact: 'total', timeline: '3 days and forensic investigation' },
  { inKev: true, exposed: false, automatable: true, technicalImpact: 'total', timeline: '3 days and forensic investigation' },
  { inKev: false, exposed: true, automatable: true, technicalImpact: 'total', timeline: '3 days' },
  { inKev: true, exposed: true, automatable: true, technicalImpact: 'total', timeline: '3 days and forensic investigation' },
];

function slot(i: TimelineInputs): number {
  return (i.inKev ? 8 : 0) + (i.exposed ? 4 : 0) + (i.automatable ? 2 : 0) + (i.technicalImpact === 'total' ? 1 : 0);
}

// A flat index built once from the data; building it also proves the table complete.
const LOOKUP: readonly Timeline[] = (() => {
  const out = new Array<Timeline | undefined>(16).fill(undefined);
  for (const row of BOD_26_04_TABLE) out[slot(row)] = row.timeline;
  if (out.some((t) => t === undefined)) throw new Error('BOD_26_04_TABLE is incomplete');
  return out as Timeline[];
})();

/** The BOD 26-04 remediation timeline for one combination of decision points. */
export function remediationTimeline(inputs: TimelineInputs): Timeline {
  return LOOKUP[slot(inputs)] as Timeline;
}

/** Days a timeline allows under the policy; null for "fix on system upgrade" (no deadline). */
export function timelineDays(timeline: Timeline, policy: Policy): number | null {
  switch (timeline) {
    case '3 days and forensic investigation':
    case '3 days':
      return policy.timelineDays.threeDays;
    case '14 days':
      return policy.timelineDays.fourteenDays;
    case '60 days':
      return policy.timelineDays.sixtyDays;
    case 'fix on system upgrade':
      return null;
  }
}

/** firstObservedAt plus the timeline's days; null for "fix on system upgrade". */
export function dueDate(timeline: Timeline, firstObservedAt: Instant, policy: Policy): Instant | null {
  const days = timelineDays(timeline, policy);
  return days === null ? null : firstObservedAt + days * DAY_MS;
}

/** Urgency of a timeline, 3 days highest (both 3-day rows equal): for ordering, never for display. */
export const TIMELINE_RANK: Readonly<Record<Timeline, number>> = {
  'fix on system upgrade': 0,
  '60 days': 1,
  '14 days': 2,
  '3 days': 3,
  '3 days and forensic investigation': 3,
};
