import type { DecisionKind } from '../../domain/patch/decision.js';
import type { SsvcOutcome } from '../../domain/risk/finding-assessment.js';
import type { Instant } from '../../domain/time.js';

/** The fleet's headline figures at one instant, as the collector publishes them every 5 minutes. */
export interface FleetFigures {
  /** Instances whose decision is patch-now. */
  readonly actNow: number;
  /** Counted findings past their remediation due date. */
  readonly overdue: number;
  /** Counted (not risk-accepted) findings of CRITICAL severity. */
  readonly criticalFindings: number;
  /** Compliant instances among those with a patch state, 0..100; null when none has a state. */
  readonly patchCompliancePercent: number | null;
}

/**
 * Today's point of the trend (docs/history.md), from the history's latest assessment of the day:
 * what the dashboard graphs day after day. Its overdue count is the fleet figure's OverdueCount.
 */
export interface TrendFigures {
  /** Instances per decision. */
  readonly byDecision: Readonly<Record<DecisionKind, number>>;
  /** Counted findings per SSVC outcome. */
  readonly bySsvc: Readonly<Record<SsvcOutcome, number>>;
  /** Findings resolved today (gone since the previous day's assessment). */
  readonly resolved: number;
  /** Mean hours from first seen to resolved per SSVC outcome of today's resolved findings; null is unknown (left out). */
  readonly meanHoursToRemediate: Readonly<Record<SsvcOutcome, number | null>>;
}

/**
 * Publishes fleet figures to a metrics service (CloudWatch in AWS), where alarms and a dashboard
 * read them. A figure that is null is left out rather than published as zero.
 */
export interface MetricsPublisher {
  publishFleetFigures(figures: FleetFigures, at: Instant): Promise<void>;
  /** Publishes today's trend point, one metric per decision / SSVC outcome (as a dimension). */
  publishTrendFigures(figures: TrendFigures, at: Instant): Promise<void>;
}
