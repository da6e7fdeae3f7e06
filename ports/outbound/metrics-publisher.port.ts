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
 * Publishes fleet figures to a metrics service (CloudWatch in AWS), where alarms and a dashboard
 * read them. A figure that is null is left out rather than published as zero.
 */
export interface MetricsPublisher {
  publishFleetFigures(figures: FleetFigures, at: Instant): Promise<void>;
}
