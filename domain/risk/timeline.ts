/** Remediation timelines: the CISA BOD 26-04 table (CERT/CC SSVC data, cisa_bod_26_04_1_0_0). */
import type { Policy } from '../policy.js';
import { DAY_MS } from '../time.js';
import type { Instant } from '../time.js';
import type { TechnicalImpact, Timeline } from './finding-assessment.js';

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

/** firstObservedAt plus the timeline's days; null for "fix on system upgrade" (see timelineClock for KEV). */
export function dueDate(timeline: Timeline, firstObservedAt: Instant, policy: Policy): Instant | null {
  const days = timelineDays(timeline, policy);
  return days === null ? null : firstObservedAt + days * DAY_MS;
}

/** When a finding is due and why from that start. */
export interface TimelineClock {
  readonly dueBy: Instant | null;
  readonly start: Instant;
  /** What the clock counts from: the first observation, or the KEV listing that drives the timeline. */
  readonly from: 'firstObservedAt' | 'kevDateAdded';
  /** "due 2026-11-04: 3 days from the CISA KEV listing on 2026-11-01 (later than first observed 2026-10-01)". */
  readonly text: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function day(t: Instant): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The due date with its start: firstObservedAt, or, when the KEV listing drives the timeline
 * (without it the timeline would be less urgent) and the CVE entered KEV after the finding was
 * first observed, the KEV dateAdded. "fix on system upgrade" has no due date.
 */
export function timelineClock(
  timeline: Timeline,
  firstObservedAt: Instant,
  kev: { readonly dateAdded: string } | null,
  rest: Omit<TimelineInputs, 'inKev'>,
  policy: Policy,
): TimelineClock {
  let start = firstObservedAt;
  let from: TimelineClock['from'] = 'firstObservedAt';
  const kevDrives = kev !== null && remediationTimeline({ ...rest, inKev: false }) !== timeline;
  const added = kev !== null && DATE_ONLY.test(kev.dateAdded) ? Date.parse(`${kev.dateAdded}T00:00:00Z`) : Number.NaN;
  if (kevDrives && Number.isFinite(added) && added > firstObservedAt) {
    start = added;
    from = 'kevDateAdded';
  }
  const days = timelineDays(timeline, policy);
  if (days === null) return { dueBy: null, start, from, text: `no due date: BOD 26-04 ${timeline}` };
  const dueBy = start + days * DAY_MS;
  const since = from === 'kevDateAdded'
    ? `the CISA KEV listing on ${kev?.dateAdded as string} (later than first observed ${day(firstObservedAt)})`
    : `first observed ${day(firstObservedAt)}${kevDrives ? ` (listed in CISA KEV on ${kev?.dateAdded as string}, earlier)` : ''}`;
  return { dueBy, start, from, text: `due ${day(dueBy)}: ${days} days from ${since}` };
}
