/**
 * The `collector` Lambda, run every 5 minutes by EventBridge: assesses the fleet and its patch
 * compliance through the Assistant and publishes the headline figures to CloudWatch
 * (SRE/Operations), where the alarms and the dashboard of infra/lib/monitoring-stack.ts read them.
 *
 * Each run also compares the assessment with the newest recorded one in the history, posts the
 * alerts it calls for (newly act, newly in KEV on an exposed instance, newly patch-now) to the
 * channels of SRE_OPS_NOTIFY at once, deduplicated in the state table, and records it
 * (docs/history.md), then publishes today's trend point (instances by decision, findings by SSVC
 * outcome, resolved, mean hours to remediate per outcome) to the same namespace.
 *
 * Environment: SRE_OPS_SOURCE (default aws), SRE_OPS_METRICS_NAMESPACE (default SRE/Operations),
 * SRE_OPS_NOTIFY and the channels' credentials (composition/notify.ts), SRE_OPS_CONSOLE_URL;
 * the region comes from the Lambda runtime.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricsPublisher } from '../adapters/outbound/aws/cloudwatch-metrics-publisher.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import type { FleetFigures, MetricsPublisher, TrendFigures } from '../ports/outbound/metrics-publisher.port.js';
import type { AlertReport, DigestReport } from '../ports/inbound/history/history.port.js';
import { notificationLinksFromEnv, notifiersFromEnv } from './notify.js';
import { stateStoreFromEnv } from './config.js';
import { createAssistant } from './index.js';
import { fleetFigures, trendFigures } from './fleet-figures.js';

export { fleetFigures, trendFigures };

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
  /** What the alerting pass did; null when it failed (said in warnings). */
  readonly alerts: AlertReport | null;
  /** Today's trend point as published; null when the history has none for today or it failed (said in warnings). */
  readonly trend: TrendFigures | null;
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
    let alerts: AlertReport | null = null;
    const failures: string[] = [];
    try {
      alerts = await a.alertOnChanges(fleet, 'collector');
      failures.push(...alerts.failures.map((f) => `alert channel failed: ${f}`));
    } catch (err) {
      // The metrics still go out; the next run compares again and posts what is still unposted.
      failures.push(`alerting failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Today's trend point, once the alerting pass has recorded the assessment: the dashboard's trend.
    let trend: TrendFigures | null = null;
    try {
      const today = fleet.generatedAt.slice(0, 10);
      const day = (await a.trend({ days: 1 })).series.find((d) => d.day === today);
      if (day) {
        trend = trendFigures(day);
        await publisher.publishTrendFigures(trend, Date.parse(fleet.generatedAt));
      }
    } catch (err) {
      trend = null;
      failures.push(`trend metrics failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const warnings = [...new Set([...fleet.warnings, ...compliance.warnings, ...failures])];
    const result: CollectorResult = { at: fleet.generatedAt, source: a.source, figures, alerts, trend, warnings };
    log(JSON.stringify({ message: 'fleet figures published', ...result }));
    return result;
  };
}

/** The EventBridge Scheduler's digest event ({"kind": "digest"}, infra/lib/monitoring-stack.ts). */
export function isDigestEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { kind?: unknown }).kind === 'digest';
}

/** The digest run: posts the last 24 hours' changes to the channels, once a day. */
export function createDigestHandler(deps: Pick<CollectorDependencies, 'assistant' | 'log'>): () => Promise<DigestReport> {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async () => {
    const a = await deps.assistant();
    const report = await a.sendDigest();
    log(JSON.stringify({ message: report.posted ? 'digest posted' : 'digest not posted', ...report }));
    return report;
  };
}

const assistantFromEnv = async (): Promise<Assistant> =>
  createAssistant({
    source: process.env.SRE_OPS_SOURCE ?? 'aws',
    stateStore: stateStoreFromEnv(process.env),
    notifiers: await notifiersFromEnv(process.env),
    notificationLinks: notificationLinksFromEnv(process.env),
  });

const collect = createCollectorHandler({
  assistant: assistantFromEnv,
  publisher: () => new CloudWatchMetricsPublisher(new CloudWatchClient({}), { namespace: process.env.SRE_OPS_METRICS_NAMESPACE || undefined }),
});
let digestAssistant: Promise<Assistant> | null = null;
const digest = createDigestHandler({
  assistant: () =>
    (digestAssistant ??= assistantFromEnv().catch((err: unknown) => {
      digestAssistant = null;
      throw err;
    })),
});

/** The Lambda entry point (dist/lambda/collector/index.mjs after `npm run bundle`): the 5-minute run, or the daily digest. */
export const handler = async (event?: unknown): Promise<CollectorResult | DigestReport> => (isDigestEvent(event) ? digest() : collect(event));
