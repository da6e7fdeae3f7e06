/** The headline figures and the trend point the collector and the organization assessment publish to CloudWatch. */
import type { FleetReport } from '../ports/inbound/assessment/fleet-report.port.js';
import type { TrendDay } from '../ports/inbound/history/history.port.js';
import type { FleetFigures, TrendFigures } from '../ports/outbound/metrics-publisher.port.js';

/** The trend point published, from the day's entry of the trend. */
export function trendFigures(day: TrendDay): TrendFigures {
  return { byDecision: day.byDecision, bySsvc: day.bySsvc, resolved: day.resolved, meanHoursToRemediate: day.meanHoursToRemediate };
}

/** The figures of one assessment: patch-now instances, overdue and critical counted findings, compliance. */
export function fleetFigures(fleet: Pick<FleetReport, 'assets' | 'summary'>, compliance: { readonly compliancePercent: number | null }): FleetFigures {
  let criticalFindings = 0;
  for (const asset of fleet.assets) {
    for (const finding of asset.findings) if (finding.severity === 'CRITICAL') criticalFindings++;
  }
  return {
    actNow: fleet.summary.byDecision['patch-now'],
    overdue: fleet.summary.overdue,
    criticalFindings,
    patchCompliancePercent: compliance.compliancePercent,
  };
}

