/**
 * The `collector` Lambda, run every 5 minutes by EventBridge: assesses the fleet and its patch
 * compliance through the Assistant and publishes the headline figures to CloudWatch
 * (SRE/Operations), where the alarms and the dashboard of infra/lib/monitoring-stack.ts read them.
 *
 * Environment: SRE_OPS_SOURCE (default aws), SRE_OPS_METRICS_NAMESPACE (default SRE/Operations);
 * the region comes from the Lambda runtime.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricsPublisher } from '../adapters/outbound/aws/cloudwatch-metrics-publisher.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import type { FleetReport } from '../ports/inbound/assessment/fleet-report.port.js';
import type { ComplianceReport } from '../ports/inbound/reports/summarize-compliance.port.js';
import type { FleetFigures, MetricsPublisher } from '../ports/outbound/metrics-publisher.port.js';
import { stateStoreFromEnv } from './config.js';
import { createAssistant } from './index.js';

/** The figures of one assessment: patch-now instances, overdue and critical counted findings, compliance. */
export function fleetFigures(fleet: FleetReport, compliance: ComplianceReport): FleetFigures {
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

export interface CollectorDependencies {
  /** Called once per Lambda container; the Assistant (and its AWS clients) is reused while warm. */
  readonly assistant: () => Promise<Assistant>;
  readonly publisher: () => MetricsPublisher;
  /** One structured line per run for CloudWatch Logs. */
  readonly log?: (line: string) => void;
}

export interface CollectorResult {
  readonly at: string;
  readonly source: string;
  readonly figures: FleetFigures;
  readonly warnings: readonly string[];
}

/** Builds the handler over its dependencies (tests pass a demo Assistant and a capturing publisher). */
export function createCollectorHandler(deps: CollectorDependencies): (event?: unknown) => Promise<CollectorResult> {
  let assistant: Promise<Assistant> | null = null;
  let publisher: MetricsPublisher | null = null;
  const log = deps.log ?? ((line: string) => console.log(line));
  return async () => {
    // A failed start is not kept: the next run tries again.
    assistant ??= deps.assistant().catch((err: unknown) => {
      assistant = null;
      throw err;
    });
    const a = await assistant;
    publisher ??= deps.publisher();
    const [fleet, compliance] = await Promise.all([a.assessFleet(), a.complianceSummary()]);
    const figures = fleetFigures(fleet, compliance);
    await publisher.publishFleetFigures(figures, Date.parse(fleet.generatedAt));
    const warnings = [...new Set([...fleet.warnings, ...compliance.warnings])];
    const result: CollectorResult = { at: fleet.generatedAt, source: a.source, figures, warnings };
    log(JSON.stringify({ message: 'fleet figures published', ...result }));
    return result;
  };
}

/** The Lambda entry point (dist/lambda/collector/index.mjs after `npm run bundle`). */
export const handler = createCollectorHandler({
  assistant: () => createAssistant({ source: process.env.SRE_OPS_SOURCE ?? 'aws', stateStore: stateStoreFromEnv(process.env) }),
  publisher: () => new CloudWatchMetricsPublisher(new CloudWatchClient({}), { namespace: process.env.SRE_OPS_METRICS_NAMESPACE || undefined }),
});
