/**
 * The scheduled organization assessment's three Lambda steps (infra/lib/org-assessment-stack.ts;
 * docs/organizations.md, "Scheduled organization assessment"), one bundle with three handlers:
 *
 * - `list`: the scope's (account, region) partitions (the policy's `scope`, Organizations
 *   ListAccounts for `org`), written to S3 as the Distributed Map's items;
 * - `partition`: one item of the Map: reads and assesses that account and region through the
 *   assumed read role and writes its result to S3. An account that cannot be read is written as
 *   its AWS error, not thrown: a warning in the summary, not a failed item;
 * - `merge`: reads every listed partition's result, writes the organization report, publishes
 *   the collector's figures to CloudWatch and, with a state table, does what the collector does
 *   after an assessment: compares it with the newest recorded one and posts the alerts it calls
 *   for (SRE_OPS_NOTIFY), records it in the history (origin `collector`, the same record as the
 *   collector's) and publishes the day's trend point.
 *
 * Every partition is assessed as of the execution's start time, so the merge equals one
 * assessment of the whole scope at that instant.
 *
 * Environment: SRE_OPS_ASSESSMENT_BUCKET (required), SRE_OPS_SCOPE (the policy's `scope` section
 * as JSON; overrides SRE_OPS_POLICY_FILE's), SRE_OPS_POLICY_FILE, SRE_OPS_KEV, SRE_OPS_STATE_TABLE
 * (risk acceptances; the history and the posted-alert claims), SRE_OPS_METRICS_NAMESPACE (default
 * SRE/Operations), SRE_OPS_NOTIFY and its channels' credentials (composition/notify.ts),
 * SRE_OPS_CONSOLE_URL; the region is the Lambda runtime's.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricsPublisher } from '../adapters/outbound/aws/cloudwatch-metrics-publisher.js';
import { createS3Client, type AwsClientOptions } from '../adapters/outbound/aws/aws-clients.js';
import { listOrganizationAccounts } from '../adapters/outbound/aws/organization-scope.js';
import { isSourceError, ValidationError } from '../domain/errors.js';
import { resolvePolicy } from '../domain/policy.js';
import type { Scope } from '../domain/scope.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import type { AlertReport } from '../ports/inbound/history/history.port.js';
import type { MetricsPublisher, TrendFigures } from '../ports/outbound/metrics-publisher.port.js';
import { mergePartitionResults, type OrganizationReport, type PartitionResult } from '../ports/use-cases/assessment/merge-partitions.js';
import { loadPolicy, resolveAwsScope, stateStoreFromEnv, type AssistantOptions } from './config.js';
import { fleetFigures, trendFigures } from './fleet-figures.js';
import { notificationLinksFromEnv, notifiersFromEnv } from './notify.js';
import { createAssistant } from './index.js';

/** One item of the Distributed Map. */
export interface PartitionItem {
  readonly accountId: string;
  readonly region: string;
  /** The caller's own account, read with the Lambda's own credentials (a scope without `accounts`). */
  readonly own?: boolean;
}

/** The state machine's input to `list`: the execution's name and start time. */
export interface ListEvent {
  readonly runId: string;
  readonly now: string;
}

export interface ListResult extends ListEvent {
  readonly bucket: string;
  /** The S3 key of the items (a JSON array of PartitionItem) the Distributed Map reads. */
  readonly itemsKey: string;
  readonly partitions: number;
}

/** What the Map passes each item: the item and the run it belongs to. */
export interface PartitionEvent {
  readonly item: PartitionItem;
  readonly runId: string;
  readonly now: string;
}

/** Kept small: the Map's results are discarded, the result itself is in S3. */
export interface PartitionOutcome {
  readonly key: string;
  readonly assets: number;
  readonly error: string | null;
}

export interface MergeResult {
  readonly key: string;
  readonly summary: OrganizationReport['summary'];
  readonly partial: boolean;
  readonly warnings: number;
  readonly partitions: { readonly read: number; readonly unreadable: number; readonly missing: number };
  /**
   * What the collector's pass did (SRE_OPS_STATE_TABLE set): the alerts and the history record;
   * null without a state table, or when the pass failed (said in `failures`).
   */
  readonly alerts: AlertReport | null;
  /** The day's trend point as published; null without a state table, or when it failed. */
  readonly trend: TrendFigures | null;
  /** What failed after the report was written (alerting, a channel, the trend): the report stands. */
  readonly failures: readonly string[];
}

export interface OrgAssessmentDependencies {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** SDK settings for every client (tests: moto's endpoint). */
  readonly aws?: Pick<AwsClientOptions, 'endpointUrl' | 'maxAttempts'>;
  /** Default: an S3 client over `aws`. */
  readonly s3?: () => Promise<S3Client>;
  /** Default: CloudWatch PutMetricData to SRE_OPS_METRICS_NAMESPACE. */
  readonly publisher?: () => MetricsPublisher;
  /** Default: createAssistant for one partition, and for the merge's history and alerts (tests may wrap it). */
  readonly assistant?: (options: AssistantOptions) => Promise<Assistant>;
  readonly log?: (line: string) => void;
}

/** Where a run's objects live in the bucket. */
export const runKeys = {
  items: (runId: string): string => `runs/${runId}/partitions.json`,
  partition: (runId: string, p: { accountId: string; region: string }): string => `runs/${runId}/partitions/${p.accountId}/${p.region}.json`,
  organization: (runId: string): string => `runs/${runId}/organization.json`,
};

const RUN_ID = /^[\w.-]{1,80}$/;

function checkRun(e: { runId?: unknown; now?: unknown }): { runId: string; now: string } {
  if (typeof e.runId !== 'string' || !RUN_ID.test(e.runId)) throw new ValidationError('runId', 'a Step Functions execution name', `runId: expected a Step Functions execution name, got ${JSON.stringify(e.runId)}`);
  if (typeof e.now !== 'string' || Number.isNaN(Date.parse(e.now))) throw new ValidationError('now', 'an ISO instant', `now: expected the execution's start time as an ISO instant, got ${JSON.stringify(e.now)}`);
  return { runId: e.runId, now: e.now };
}

function bucketOf(env: OrgAssessmentDependencies['env']): string {
  const bucket = env.SRE_OPS_ASSESSMENT_BUCKET;
  if (!bucket) throw new ValidationError('SRE_OPS_ASSESSMENT_BUCKET', 'the results bucket', 'SRE_OPS_ASSESSMENT_BUCKET: expected the name of the bucket the organization assessment writes to');
  return bucket;
}

/** The scope: the policy file's `scope`, then SRE_OPS_SCOPE (the same section as JSON) over it. */
export async function scopeFromEnv(env: OrgAssessmentDependencies['env']): Promise<Scope> {
  let section: unknown;
  if (env.SRE_OPS_SCOPE) {
    try {
      section = JSON.parse(env.SRE_OPS_SCOPE);
    } catch {
      throw new ValidationError('SRE_OPS_SCOPE', 'JSON', 'SRE_OPS_SCOPE: expected the policy\'s scope section as JSON, e.g. {"accounts":"org","regions":["us-east-1"]}');
    }
  }
  const fromFile = await loadPolicy(env.SRE_OPS_POLICY_FILE ? { policyFile: env.SRE_OPS_POLICY_FILE } : {});
  return resolveAwsScope(undefined, section === undefined ? fromFile : resolvePolicy({ scope: section }, fromFile));
}

function clientOptions(deps: OrgAssessmentDependencies, region: string): { region: string; endpoint?: string; maxAttempts?: number } {
  return { region, ...(deps.aws?.endpointUrl !== undefined ? { endpoint: deps.aws.endpointUrl } : {}), ...(deps.aws?.maxAttempts !== undefined ? { maxAttempts: deps.aws.maxAttempts } : {}) };
}

async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
}

/** The object's JSON, or null when there is no such key. */
async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | null> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString()) as T;
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return null;
    throw err;
  }
}

function s3Of(deps: OrgAssessmentDependencies): () => Promise<S3Client> {
  let client: Promise<S3Client> | null = null;
  return () => (client ??= deps.s3 ? deps.s3() : createS3Client({ ...deps.aws, ...(deps.env.AWS_REGION ? { region: deps.env.AWS_REGION } : {}) }));
}

/** The first step: every (account, region) of the scope, written as the Map's items. */
export function createListHandler(deps: OrgAssessmentDependencies): (event: ListEvent) => Promise<ListResult> {
  const s3 = s3Of(deps);
  return async (event) => {
    const { runId, now } = checkRun(event);
    const bucket = bucketOf(deps.env);
    const scope = await scopeFromEnv(deps.env);
    const home = scope.regions[0] ?? deps.env.AWS_REGION;
    if (home === undefined) throw new ValidationError('SRE_OPS_SCOPE', 'regions', 'SRE_OPS_SCOPE: no regions and no AWS_REGION; name the regions to read');
    const regions = scope.regions.length > 0 ? scope.regions : [home];
    let accounts: readonly string[];
    let own = false;
    if (scope.accounts === 'org') {
      const org = new OrganizationsClient(clientOptions(deps, home));
      try {
        accounts = await listOrganizationAccounts(org);
      } finally {
        org.destroy();
      }
    } else if (scope.accounts === null) {
      const sts = new STSClient(clientOptions(deps, home));
      try {
        const me = await sts.send(new GetCallerIdentityCommand({}));
        accounts = [me.Account as string];
        own = true;
      } finally {
        sts.destroy();
      }
    } else accounts = scope.accounts;
    const items: PartitionItem[] = accounts.flatMap((accountId) => regions.map((region) => ({ accountId, region, ...(own ? { own: true } : {}) })));
    const itemsKey = runKeys.items(runId);
    await putJson(await s3(), bucket, itemsKey, items);
    deps.log?.(JSON.stringify({ message: 'organization partitions listed', runId, partitions: items.length }));
    return { runId, now, bucket, itemsKey, partitions: items.length };
  };
}

/** One item of the Map: assess one account and region, write its result. */
export function createPartitionHandler(deps: OrgAssessmentDependencies): (event: PartitionEvent) => Promise<PartitionOutcome> {
  const s3 = s3Of(deps);
  const make = deps.assistant ?? createAssistant;
  return async (event) => {
    const { runId, now } = checkRun(event);
    const item = event.item;
    if (!item || !/^\d{12}$/.test(item.accountId) || typeof item.region !== 'string') {
      throw new ValidationError('item', 'an account and region', `item: expected {"accountId":"123456789012","region":"us-east-1"}, got ${JSON.stringify(item)}`);
    }
    const bucket = bucketOf(deps.env);
    const scope = await scopeFromEnv(deps.env);
    const key = runKeys.partition(runId, item);
    const assistant = await make({
      source: 'aws',
      now,
      ...(deps.env.SRE_OPS_POLICY_FILE ? { policyFile: deps.env.SRE_OPS_POLICY_FILE } : {}),
      ...(deps.env.SRE_OPS_KEV ? { kev: deps.env.SRE_OPS_KEV } : {}),
      ...(deps.env.SRE_OPS_CACHE_DIR ? { cacheDir: deps.env.SRE_OPS_CACHE_DIR } : {}),
      // Risk acceptances from the state table; without one, none (no SQLite file on a Lambda).
      ...(deps.env.SRE_OPS_STATE_TABLE ? { stateStore: stateStoreFromEnv(deps.env) } : {}),
      aws: {
        ...deps.aws,
        regions: [item.region],
        // The caller's own account: its own credentials, as the CLI reads it without --accounts.
        ...(item.own ? {} : { accounts: [item.accountId], assumeRole: scope.assumeRole, ...(scope.externalId !== null ? { externalId: scope.externalId } : {}) }),
        // Inspector from the delegated administrator (this Lambda's account), filtered to the partition's account.
        ...(scope.inspector === 'administrator' ? { inspector: 'administrator' as const } : {}),
      },
    });
    let result: PartitionResult;
    try {
      const [fleet, compliance] = await Promise.all([assistant.assessFleet(), assistant.complianceSummary()]);
      const { perInstance: _rows, ...totals } = compliance;
      result = { accountId: item.accountId, region: item.region, fleet, compliance: totals, error: null };
    } catch (err) {
      // The partition could not be read at all (the role denied, the region disabled): its AWS
      // error, as a result, so the merge names it and the rest stands.
      if (!isSourceError(err)) throw err;
      result = { accountId: item.accountId, region: item.region, fleet: null, compliance: null, error: err.message };
    } finally {
      await assistant.close();
    }
    await putJson(await s3(), bucket, key, result);
    const outcome: PartitionOutcome = { key, assets: result.fleet?.assets.length ?? 0, error: result.error };
    deps.log?.(JSON.stringify({ message: 'partition assessed', runId, ...item, ...outcome }));
    return outcome;
  };
}

/** The last step: the organization report from the partitions' results, and the fleet figures. */
export function createMergeHandler(deps: OrgAssessmentDependencies): (event: ListEvent) => Promise<MergeResult> {
  const s3 = s3Of(deps);
  let publisher: MetricsPublisher | null = null;
  return async (event) => {
    const { runId, now } = checkRun(event);
    const bucket = bucketOf(deps.env);
    const client = await s3();
    const items = await getJson<PartitionItem[]>(client, bucket, runKeys.items(runId));
    if (items === null) throw new ValidationError('runId', 'a listed run', `runId: no partitions listed for run ${runId} (s3://${bucket}/${runKeys.items(runId)})`);
    const results: PartitionResult[] = [];
    // A few reads at a time: one object per partition.
    for (let i = 0; i < items.length; i += 16) {
      const batch = await Promise.all(items.slice(i, i + 16).map((p) => getJson<PartitionResult>(client, bucket, runKeys.partition(runId, p))));
      for (const r of batch) if (r !== null) results.push(r);
    }
    const accounts = [...new Set(items.map((p) => p.accountId))];
    const regions = [...new Set(items.map((p) => p.region))];
    const report = mergePartitionResults(items, results, { generatedAt: new Date(Date.parse(now)).toISOString(), source: `aws:${accounts.join(',')}:${regions.join(',')}` });
    const key = runKeys.organization(runId);
    await putJson(client, bucket, key, report);
    publisher ??= deps.publisher?.() ?? new CloudWatchMetricsPublisher(new CloudWatchClient(clientOptions(deps, deps.env.AWS_REGION ?? 'us-east-1')), { namespace: deps.env.SRE_OPS_METRICS_NAMESPACE || undefined });
    await publisher.publishFleetFigures(fleetFigures(report, report.compliance), Date.parse(report.generatedAt));
    const collected = deps.env.SRE_OPS_STATE_TABLE ? await collectorPass(deps, report, publisher) : { alerts: null, trend: null, failures: [] };
    const count = (s: string): number => report.partitions.filter((p) => p.status === s).length;
    const result: MergeResult = {
      key, summary: report.summary, partial: report.partial === true, warnings: report.warnings.length,
      partitions: { read: count('read'), unreadable: count('unreadable'), missing: count('missing') },
      ...collected,
    };
    deps.log?.(JSON.stringify({ message: 'organization assessed', runId, ...result }));
    return result;
  };
}

/**
 * What the collector does after each assessment (composition/collector-lambda.ts), for the
 * organization report: alerts for what changed since the newest recorded assessment, posted to
 * SRE_OPS_NOTIFY's channels and claimed in the state table (each once), the report recorded in
 * the history (origin `collector`, at most once per policy history.minIntervalMinutes), then the
 * day's trend point published. The same use cases as the collector's, through an Assistant on
 * the state table; nothing is read from AWS here. A failure is returned, not thrown: the report
 * is in S3 and its figures are published.
 */
async function collectorPass(deps: OrgAssessmentDependencies, report: OrganizationReport, publisher: MetricsPublisher): Promise<Pick<MergeResult, 'alerts' | 'trend' | 'failures'>> {
  const failures: string[] = [];
  let alerts: AlertReport | null = null;
  let trend: TrendFigures | null = null;
  const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  let assistant: Assistant;
  try {
    const region = deps.env.AWS_REGION;
    assistant = await (deps.assistant ?? createAssistant)({
      source: 'aws',
      // As of the execution's start: the trend's day is the report's.
      now: report.generatedAt,
      ...(deps.env.SRE_OPS_POLICY_FILE ? { policyFile: deps.env.SRE_OPS_POLICY_FILE } : {}),
      stateStore: stateStoreFromEnv(deps.env),
      notifiers: await notifiersFromEnv(deps.env, { ...(region ? { region } : {}), ...(deps.aws?.endpointUrl !== undefined ? { endpointUrl: deps.aws.endpointUrl } : {}) }),
      notificationLinks: notificationLinksFromEnv(deps.env),
      aws: { ...deps.aws, ...(region ? { regions: [region] } : {}) },
    });
  } catch (err) {
    return { alerts, trend, failures: [`alerting and history failed: ${message(err)}`] };
  }
  try {
    try {
      alerts = await assistant.alertOnChanges(report, 'collector');
      failures.push(...alerts.failures.map((f) => `alert channel failed: ${f}`));
    } catch (err) {
      failures.push(`alerting failed: ${message(err)}`);
    }
    try {
      const today = report.generatedAt.slice(0, 10);
      const day = (await assistant.trend({ days: 1 })).series.find((d) => d.day === today);
      if (day) {
        trend = trendFigures(day);
        await publisher.publishTrendFigures(trend, Date.parse(report.generatedAt));
      }
    } catch (err) {
      trend = null;
      failures.push(`trend metrics failed: ${message(err)}`);
    }
  } finally {
    await assistant.close();
  }
  return { alerts, trend, failures };
}

const lambdaDeps: OrgAssessmentDependencies = { env: process.env, log: (line) => console.log(line) };

/** Lambda entry points (dist/lambda/org-assessment/index.mjs: index.list, index.partition, index.merge). */
export const list = createListHandler(lambdaDeps);
export const partition = createPartitionHandler(lambdaDeps);
export const merge = createMergeHandler(lambdaDeps);
