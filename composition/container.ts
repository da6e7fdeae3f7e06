/**
 * The composition root: the only place that imports adapters. It binds each outbound port to the
 * adapter the source calls for, every use case (the thirteen patch use cases too) to a factory over
 * its dependencies (core classes carry no decorators), and the Assistant facade over the use cases.
 * Tokens are typed (tokens.ts): a binding of the wrong type does not compile.
 */
import 'reflect-metadata';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Container, type ResolutionContext } from 'inversify';
import { FixedClock, SystemClock } from '../adapters/outbound/clock/system-clock.js';
import { HttpKevCatalog } from '../adapters/outbound/kev/http-kev-catalog.js';
import { FileKevCatalog } from '../adapters/outbound/kev/file-kev-catalog.js';
import { NoExploitedCatalog } from '../adapters/outbound/memory/no-catalog.js';
import {
  SNAPSHOT_FILES, SnapshotActivityLog, SnapshotAssetInventory, SnapshotCaptureClock, SnapshotDirectory, SnapshotFindingsSource, SnapshotMetricsSource, SnapshotPatchCompliance,
} from '../adapters/outbound/snapshot/index.js';
import { PartitionedSnapshot, readScopeSnapshot } from '../adapters/outbound/snapshot/partitioned-snapshot.js';
import { SourceError, ValidationError } from '../domain/errors.js';
import type { Policy } from '../domain/policy.js';
import { DAY_MS } from '../domain/time.js';
import { assistantFrom } from '../ports/use-cases/assistant.facade.js';
import { AssessFleet } from '../ports/use-cases/assessment/assess-fleet.use-case.js';
import { AssessInstance } from '../ports/use-cases/assessment/assess-instance.use-case.js';
import { ListFindings } from '../ports/use-cases/assessment/list-findings.use-case.js';
import { PlanPatches } from '../ports/use-cases/patching/plan-patches.use-case.js';
import { ReportActivity } from '../ports/use-cases/reports/report-activity.use-case.js';
import { SummarizeCompliance } from '../ports/use-cases/reports/summarize-compliance.use-case.js';
import { SummarizeMetrics } from '../ports/use-cases/reports/summarize-metrics.use-case.js';
import { CaptureSnapshot } from '../ports/use-cases/assessment/capture-snapshot.use-case.js';
import { patchOperationsFrom } from '../ports/use-cases/patching/patch-operations.facade.js';
import { AcceptRisk } from '../ports/use-cases/acceptances/accept-risk.use-case.js';
import { ApprovePatchRun } from '../ports/use-cases/patching/approve-patch-run.use-case.js';
import { CancelPatchRun } from '../ports/use-cases/patching/cancel-patch-run.use-case.js';
import { CancelSchedule } from '../ports/use-cases/patching/cancel-schedule.use-case.js';
import { ExecutePatchRun } from '../ports/use-cases/patching/execute-patch-run.use-case.js';
import { ListAcceptances } from '../ports/use-cases/acceptances/list-acceptances.use-case.js';
import { ListAudit, VerifyAudit } from '../ports/use-cases/audit/list-audit.use-case.js';
import { ListSchedules } from '../ports/use-cases/patching/list-schedules.use-case.js';
import { RejectPatchRun } from '../ports/use-cases/patching/reject-patch-run.use-case.js';
import { RequestPatchRun } from '../ports/use-cases/patching/request-patch-run.use-case.js';
import { RevokeAcceptance } from '../ports/use-cases/acceptances/revoke-acceptance.use-case.js';
import { SchedulePatching } from '../ports/use-cases/patching/schedule-patching.use-case.js';
import { ViewPatchRuns } from '../ports/use-cases/patching/view-patch-runs.use-case.js';
import { EXECUTOR_ACTOR, RunPatchExecutor } from '../ports/use-cases/patching/patch-executor.use-case.js';
import { RunAutopilot } from '../ports/use-cases/patching/autopilot.use-case.js';
import type { AcceptanceStore } from '../ports/outbound/acceptance-store.port.js';
import type { ExploitedCatalogSource } from '../ports/outbound/exploited-catalog.port.js';
import type { StateStore } from '../ports/outbound/state-store.port.js';
import type { SnapshotCapture } from '../ports/outbound/snapshot-capture.port.js';
import type { InstantBasis, SourceInfo } from '../ports/outbound/source-info.port.js';
import { AWS_REGIONS, isScoped, type Scope } from '../domain/scope.js';
import { checkOptions, loadPolicy, parseNow, parseSource, resolveAwsScope, resolveStateStore, type AssistantOptions, type OutboundAdapters, type SourceSpec } from './config.js';
import {
  actorResolver, awsPatchBindings, awsPrincipal, identityKind, demoPatchBindings, LazyStateStore, newUuid, NoStateStore, snapshotPatchBindings, timerSleep, type PatchSourceBindings,
} from './patching.js';
import { findingsInputBinding, type FindingsInputBinding } from './findings-input.js';
import { progressPosterFromEnv } from './progress-posters.js';
import { TOKENS, type Token } from './tokens.js';
import { historyStoreFor } from './history.js';
import { RecordAssessment } from '../ports/use-cases/history/record-assessment.use-case.js';
import { SummarizeTrend } from '../ports/use-cases/history/summarize-trend.use-case.js';
import { WhatChanged } from '../ports/use-cases/history/what-changed.use-case.js';
import { NotifyChanges } from '../ports/use-cases/history/notify-changes.use-case.js';
import { SendDigest } from '../ports/use-cases/history/send-digest.use-case.js';

/** Source-specific adapters, before any caller override. */
interface SourceBindings {
  readonly adapters: Omit<OutboundAdapters, 'acceptances' | 'clock'>;
  readonly info: SourceInfo;
  /** The instant a snapshot was taken, and how it is known: a snapshot is assessed as of then. */
  readonly capturedAt: { readonly at: number; readonly basis: 'capturedAt' | 'lastObservedAt' } | null;
  /** A snapshot without snapshot.json: its time, learnt from the findings as a report reads them. */
  readonly captureClock?: SnapshotCaptureClock;
  readonly capture: SnapshotCapture | null;
  /** What this source allows of patch operations (a simulated runner for the demo only). */
  readonly patch: PatchSourceBindings;
  readonly close: () => Promise<void>;
}

async function snapshotBindings(spec: Extract<SourceSpec, { kind: 'demo' | 'snapshot' }>, options: AssistantOptions, policy: Policy, store: StateStore): Promise<SourceBindings> {
  const kev = options.kev;
  const dir = new SnapshotDirectory(spec.dir, { strict: options.strict === true });
  // The capture of an organization scope: ACCOUNT/REGION/ folders under one manifest.
  const scoped = spec.kind === 'snapshot' ? await readScopeSnapshot(spec.dir, { strict: options.strict === true }) : null;
  if (spec.kind === 'snapshot' && scoped === null) await checkSnapshotFolder(dir, options.findings === undefined);
  const manifest = scoped !== null ? { capturedAt: scoped.capturedAt } : await dir.manifest();
  // The snapshot's own kev.json is part of what was named (--source), so it is read like --kev
  // FILE: required, and refused when it is a link leading out of the folder.
  const catalog: ExploitedCatalogSource =
    kev === undefined ? await snapshotKevCatalog(dir)
    : isUrl(kev) ? new HttpKevCatalog({ cachePath: kevCachePath(options), maxAgeMs: policy.kev.maxAgeDays * DAY_MS, url: kev })
    : await preloaded(new FileKevCatalog(kev));
  const demo = spec.kind === 'demo';
  // As of the capture: snapshot.json's capturedAt, else the newest observation in the findings
  // (used only when no --now overrides it), which the report's own read of the findings gives:
  // the file is not read a second time for it (SnapshotCaptureClock).
  const capturedAt: SourceBindings['capturedAt'] = manifest !== null && manifest.capturedAt !== null ? { at: manifest.capturedAt, basis: 'capturedAt' } : null;
  const captureClock = capturedAt === null && scoped === null && options.now === undefined && options.adapters?.findings === undefined && options.findings === undefined && options.adapters?.clock === undefined
    ? new SnapshotCaptureClock(dir, new SystemClock())
    : undefined;
  const label = demo ? 'demo' : `snapshot:${dir.dir}`;
  if (scoped !== null) {
    const fleet = new PartitionedSnapshot(scoped);
    return {
      adapters: { findings: fleet, assets: fleet, compliance: fleet, metrics: fleet, activity: fleet, catalog },
      info: { label, notes: [], warnings: () => fleet.warnings(), gaps: () => ({ partial: scoped.unreadable.length > 0, unreadable: () => false, managedUnknown: () => false }) },
      capturedAt,
      capture: null,
      patch: snapshotPatchBindings(label),
      close: async () => {},
    };
  }
  // An ordinary snapshot (one account and region): its manifest says where it was captured.
  const single = manifest as Awaited<ReturnType<typeof dir.manifest>>;
  return {
    adapters: {
      findings: new SnapshotFindingsSource(dir),
      assets: new SnapshotAssetInventory(dir),
      compliance: new SnapshotPatchCompliance(dir),
      metrics: new SnapshotMetricsSource(dir),
      activity: new SnapshotActivityLog(dir),
      catalog,
    },
    info: {
      label,
      notes: demo ? ['demo fleet: synthetic data, assessed as of its capture time unless --now is given'] : [],
      warnings: () => dir.warnings(),
      // Where the snapshot was captured: runs requested on it record it per instance (the demo's
      // runs are simulated and never execute elsewhere).
      ...(demo ? {} : { scope: async () => ({ accountId: single?.accountId ?? null, region: single?.region ?? null }) }),
    },
    capturedAt,
    ...(captureClock ? { captureClock } : {}),
    capture: null,
    patch: demo ? await demoPatchBindings(store) : snapshotPatchBindings(label),
    close: async () => {},
  };
}

/**
 * The snapshot's own kev.json as the catalog, or none when the folder has none. Its bytes are
 * those of the handle the folder opened and checked: the catalog never opens it again by path.
 */
export async function snapshotKevCatalog(dir: SnapshotDirectory): Promise<ExploitedCatalogSource> {
  const kev = await dir.optionalBytes(SNAPSHOT_FILES.kev);
  return kev === null ? new NoExploitedCatalog() : new FileKevCatalog(kev.file, kev.bytes);
}

// A KEV file named by --kev is read when the assistant is built, so a bad one stops the CLI, the
// HTTP server or the MCP server before it answers anything (the read is cached for later).
async function preloaded(catalog: FileKevCatalog): Promise<FileKevCatalog> {
  await catalog.load();
  return catalog;
}

/**
 * A snapshot folder that is not there, or lacks a file every report reads, fails when the
 * Assistant is built: for `mcp` and `serve` that is at start, as for `assess`, not at the first
 * request. The messages are those of the first read.
 */
async function checkSnapshotFolder(dir: SnapshotDirectory, needsFindings: boolean): Promise<void> {
  let folder: boolean;
  try {
    folder = (await stat(dir.dir)).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder) throw new SourceError('snapshot', null, `snapshot directory ${dir.dir} does not exist or is not a directory`, { code: 'SOURCE_MISSING' });
  // With --findings, the findings come from elsewhere: the snapshot's own file is not needed.
  for (const [name, how] of [
    [SNAPSHOT_FILES.instances, 'aws ec2 describe-instances --output json'],
    ...(needsFindings ? [[SNAPSHOT_FILES.findings, 'aws inspector2 list-findings --output json'] as const] : []),
  ] as const) {
    if (!(await dir.has(name))) {
      throw new SourceError('snapshot', null, `${name} is required but was not found in the snapshot directory ${dir.dir} (capture it with: ${how} > ${name})`, { code: 'SOURCE_MISSING' });
    }
  }
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Where the KEV feed is cached between runs. */
function kevCachePath(options: AssistantOptions): string {
  const base = options.cacheDir ?? process.env.SRE_OPS_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sre-ops-assistant');
  return join(base, 'kev.json');
}

// A caller's own clock decides the instant, whatever --now or the snapshot say.
function clockGiven(options: AssistantOptions): boolean {
  return options.adapters?.clock !== undefined;
}

async function awsBindings(options: AssistantOptions, policy: Policy): Promise<SourceBindings> {
  const scope = resolveAwsScope(options.aws, policy);
  if (isScoped(scope)) return awsScopeBindings(options, policy, scope);
  // Loaded on demand: the AWS SDK is a large graph that the demo and snapshot sources never need.
  const { createAwsClients, createAwsSources, createS3Client, destroyAwsClients } = await import('../adapters/outbound/aws/index.js');
  const clients = createAwsClients({ ...options.aws });
  // Resolving the region now turns a missing region into one clear error before any call.
  let region: string;
  try {
    region = await clients.ec2.config.region();
  } catch {
    destroyAwsClients(clients);
    throw new ValidationError('region', 'an AWS region', 'region: no AWS region configured; pass --region or set AWS_REGION (or a region in your profile)');
  }
  // S3 only for a capture that reads a findings report (snapshot capture --findings-report).
  const sources = createAwsSources(clients, { s3: () => createS3Client({ ...options.aws }) });
  const maxAgeMs = policy.kev.maxAgeDays * DAY_MS;
  const kev = options.kev && !isUrl(options.kev) ? await preloaded(new FileKevCatalog(options.kev)) : new HttpKevCatalog({ cachePath: kevCachePath(options), maxAgeMs, ...(options.kev ? { url: options.kev } : {}) });
  const capture: SnapshotCapture = {
    capture: (request) => sources.capture.capture({ ...request, kevFeed: () => (kev instanceof HttpKevCatalog ? kev.feedText() : readFile(options.kev as string, 'utf8')) }),
  };
  return {
    adapters: { findings: sources.findings, assets: sources.assets, compliance: sources.patchCompliance, metrics: sources.metrics, activity: sources.activity, catalog: kev },
    info: { label: `aws:${region}`, notes: [], scope: liveScope(options, region) },
    capturedAt: null,
    capture,
    patch: await awsPatchBindings(clients.ssm),
    close: async () => destroyAwsClients(clients),
  };
}

/** The KEV catalog of a live read: --kev FILE (read now), else the CISA feed (or --kev URL), cached. */
async function liveKev(options: AssistantOptions, policy: Policy): Promise<FileKevCatalog | HttpKevCatalog> {
  const maxAgeMs = policy.kev.maxAgeDays * DAY_MS;
  return options.kev && !isUrl(options.kev) ? preloaded(new FileKevCatalog(options.kev)) : new HttpKevCatalog({ cachePath: kevCachePath(options), maxAgeMs, ...(options.kev ? { url: options.kev } : {}) });
}

/**
 * An organization scope (docs/organizations.md): every account and region through the assumed
 * read role; a partition that cannot be read is a warning and the rest stands, marked partial.
 */
async function awsScopeBindings(options: AssistantOptions, policy: Policy, scope: Scope): Promise<SourceBindings> {
  const { captureScope, createOrganizationScope } = await import('../adapters/outbound/aws/organization-scope.js');
  const aws = options.aws ?? {};
  let regions = scope.regions;
  if (aws.region !== undefined && !(AWS_REGIONS as readonly string[]).includes(aws.region)) {
    throw new ValidationError('region', 'an AWS region such as eu-west-1', `region: expected an AWS region such as eu-west-1, got ${JSON.stringify(aws.region)}`);
  }
  if (regions.length === 0) {
    const { loadConfiguredRegion } = await import('../adapters/outbound/aws/aws-clients.js');
    const region = await loadConfiguredRegion(aws);
    if (region === null) throw new ValidationError('region', 'an AWS region', 'region: no AWS region configured; pass --region or --regions, or set AWS_REGION (or a region in your profile)');
    regions = [region];
  }
  const org = await createOrganizationScope({
    regions,
    accounts: scope.accounts,
    assumeRole: scope.assumeRole,
    externalId: scope.externalId,
    ...(aws.profile !== undefined ? { profile: aws.profile } : {}),
    ...(aws.endpointUrl !== undefined ? { endpointUrl: aws.endpointUrl } : {}),
    ...(aws.maxAttempts !== undefined ? { maxAttempts: aws.maxAttempts } : {}),
    patchRole: scope.patchRole,
    inspector: scope.inspector,
  });
  const kev = await liveKev(options, policy);
  const accounts = scope.accounts === 'org' ? `org (${org.accounts.length} accounts)` : org.accounts.join(',');
  const label = `aws:${accounts}:${regions.join(',')}`;
  return {
    adapters: { findings: org, assets: org, compliance: org, metrics: org, activity: org, catalog: kev },
    info: { label, notes: [], warnings: () => org.warnings(), gaps: () => org.gaps() },
    capturedAt: null,
    // One ACCOUNT/REGION/ folder per partition under one manifest, kev.json once at the top.
    capture: {
      capture: (request) => captureScope(org, { ...request, kevFeed: () => (kev instanceof HttpKevCatalog ? kev.feedText() : readFile(options.kev as string, 'utf8')) }),
    },
    // Runs and schedules act in each instance's own account and region through the patch role.
    patch: {
      runner: org.patchRunner(),
      // Schedules: SSM maintenance windows in each instance's own account and region.
      windows: org.maintenanceWindows(),
      unavailable: '',
    },
    close: async () => org.close(),
  };
}

/**
 * The account and region a live source reads: the account of the role the sources assume
 * (--role-arn), else of the base credentials (STS GetCallerIdentity, asked once, when a run is
 * first requested or executed).
 */
function liveScope(options: AssistantOptions, region: string): () => Promise<{ accountId: string | null; region: string | null }> {
  let account: Promise<string | null> | null = null;
  const accountOf = (arn: string): string | null => /^arn:[^:]+:[^:]*::(\d{12}):/.exec(arn)?.[1] ?? null;
  return async () => {
    const roleArn = options.aws?.roleArn;
    account ??= roleArn !== undefined ? Promise.resolve(accountOf(roleArn)) : awsPrincipal(options.aws ?? {}, null).then(accountOf, () => {
      account = null;
      return null;
    });
    return { accountId: await account, region };
  };
}

async function sourceBindings(spec: SourceSpec, options: AssistantOptions, policy: Policy, store: StateStore): Promise<SourceBindings> {
  switch (spec.kind) {
    case 'demo':
    case 'snapshot':
      return snapshotBindings(spec, options, policy, store);
    case 'aws':
      return awsBindings(options, policy);
  }
}

/** Builds the container for one configuration. */
export async function buildContainer(options: AssistantOptions = {}): Promise<Container> {
  checkOptions(options);
  const spec = parseSource(options.source);
  const now = parseNow(options.now);
  const policy = await loadPolicy(options);
  // A malformed scope option is refused whatever the source (it would otherwise be ignored).
  resolveAwsScope(options.aws, policy);
  const env = options.env ?? process.env;
  const ownStore = options.patchAdapters?.stateStore === undefined;
  // No state store unless one is passed (the CLI and the services pass theirs explicitly).
  const storeSpec = resolveStateStore(options.stateStore, env);
  const store: StateStore = options.patchAdapters?.stateStore ?? (storeSpec ? new LazyStateStore(storeSpec, options.aws ?? {}) : new NoStateStore());
  const ownHistory = options.patchAdapters?.historyStore === undefined;
  const history = options.patchAdapters?.historyStore ?? historyStoreFor(storeSpec, options.aws ?? {});
  // A caller that brings every data adapter needs no bundled source at all.
  const src = await sourceBindings(spec, options, policy, store);
  // --findings: Inspector2's own exports in place of the source's findings.
  let input: FindingsInputBinding | null = null;
  try {
    input = options.findings === undefined ? null : await findingsInputBinding(options.findings, options.aws ?? {});
  } catch (err) {
    await src.close();
    throw err;
  }
  // --now, else a snapshot's capture time, else the clock; every report says which (asOf).
  const fixedAt = now ?? src.capturedAt?.at;
  const asOf: InstantBasis = clockGiven(options) ? 'clock' : now !== undefined ? 'option' : (src.capturedAt?.basis ?? 'clock');
  const info: SourceInfo = { ...src.info, ...(input === null ? {} : { label: `${src.info.label} + ${input.label}` }), asOf };
  // Without snapshot.json the basis is known once the findings are read (none: the clock's time).
  const lazyClock = fixedAt === undefined && !clockGiven(options) ? src.captureClock : undefined;
  if (lazyClock) Object.defineProperty(info, 'asOf', { enumerable: true, get: (): InstantBasis => (lazyClock.isObservation() ? 'lastObservedAt' : 'clock') });

  // Acceptances given as an option (a file, a test) count beside those recorded in the store.
  const acceptances: AcceptanceStore = {
    listAcceptances: async () => [...(options.acceptances ?? []), ...(await store.listAcceptances())],
  };

  const c = new Container();
  const o = options.adapters ?? {};
  c.bind(TOKENS.FindingsSource).toConstantValue(o.findings ?? input?.source ?? src.adapters.findings);
  c.bind(TOKENS.AssetInventory).toConstantValue(o.assets ?? src.adapters.assets);
  c.bind(TOKENS.PatchCompliance).toConstantValue(o.compliance ?? src.adapters.compliance);
  c.bind(TOKENS.MetricsSource).toConstantValue(o.metrics ?? src.adapters.metrics);
  c.bind(TOKENS.ActivityLog).toConstantValue(o.activity ?? src.adapters.activity);
  c.bind(TOKENS.ExploitedCatalogSource).toConstantValue(o.catalog ?? src.adapters.catalog);
  c.bind(TOKENS.AcceptanceStore).toConstantValue(o.acceptances ?? acceptances);
  c.bind(TOKENS.StateStore).toConstantValue(store);
  c.bind(TOKENS.Clock).toConstantValue(o.clock ?? (fixedAt !== undefined ? new FixedClock(fixedAt) : (lazyClock ?? new SystemClock())));
  c.bind(TOKENS.Policy).toConstantValue(policy);
  c.bind(TOKENS.SourceInfo).toConstantValue(info);
  c.bind(TOKENS.CoreDependencies)
    .toDynamicValue((ctx: ResolutionContext) => ({
      findings: ctx.get(TOKENS.FindingsSource),
      assets: ctx.get(TOKENS.AssetInventory),
      compliance: ctx.get(TOKENS.PatchCompliance),
      metrics: ctx.get(TOKENS.MetricsSource),
      activity: ctx.get(TOKENS.ActivityLog),
      catalog: ctx.get(TOKENS.ExploitedCatalogSource),
      acceptances: ctx.get(TOKENS.AcceptanceStore),
      clock: ctx.get(TOKENS.Clock),
      policy: ctx.get(TOKENS.Policy),
      source: ctx.get(TOKENS.SourceInfo),
    }))
    .inSingletonScope();
  /** Every use case is a singleton built from its dependencies, resolved through its token. */
  const useCase = <T, D>(token: Token<T>, deps: Token<D>, make: (d: D) => T): void => {
    c.bind(token).toDynamicValue((ctx) => make(ctx.get(deps))).inSingletonScope();
  };
  useCase(TOKENS.AssessFleet, TOKENS.CoreDependencies, (d) => new AssessFleet(d));
  useCase(TOKENS.AssessInstance, TOKENS.CoreDependencies, (d) => new AssessInstance(d));
  useCase(TOKENS.ListFindings, TOKENS.CoreDependencies, (d) => new ListFindings(d));
  useCase(TOKENS.PlanPatches, TOKENS.CoreDependencies, (d) => new PlanPatches(d));
  useCase(TOKENS.SummarizeCompliance, TOKENS.CoreDependencies, (d) => new SummarizeCompliance(d));
  useCase(TOKENS.SummarizeMetrics, TOKENS.CoreDependencies, (d) => new SummarizeMetrics(d));
  useCase(TOKENS.ReportActivity, TOKENS.CoreDependencies, (d) => new ReportActivity(d));
  useCase(TOKENS.CaptureSnapshot, TOKENS.CoreDependencies, (d) => new CaptureSnapshot(d, src.capture));
  const pa = options.patchAdapters ?? {};
  const runner = pa.patchRunner ?? src.patch.runner;
  const windows = pa.maintenanceWindows ?? src.patch.windows;
  c.bind(TOKENS.PatchDependencies)
    .toDynamicValue((ctx) => ({
      core: ctx.get(TOKENS.CoreDependencies),
      store: ctx.get(TOKENS.StateStore),
      runner,
      windows,
      unavailable: src.patch.unavailable,
      // Audit times, approvals and waits run on real time even when --now (or the demo) fixes
      // the assessment's clock; a caller's clock (tests) is used for both.
      clock: o.clock ?? new SystemClock(),
      sleep: pa.sleep ?? timerSleep,
      newId: newUuid,
      progressPoster: pa.progressPoster ?? progressPosterFromEnv(env),
    }))
    .inSingletonScope();
  useCase(TOKENS.RequestPatchRun, TOKENS.PatchDependencies, (d) => new RequestPatchRun(d));
  useCase(TOKENS.ApprovePatchRun, TOKENS.PatchDependencies, (d) => new ApprovePatchRun(d));
  useCase(TOKENS.RejectPatchRun, TOKENS.PatchDependencies, (d) => new RejectPatchRun(d));
  useCase(TOKENS.CancelPatchRun, TOKENS.PatchDependencies, (d) => new CancelPatchRun(d));
  useCase(TOKENS.ViewPatchRuns, TOKENS.PatchDependencies, (d) => new ViewPatchRuns(d));
  useCase(TOKENS.ExecutePatchRun, TOKENS.PatchDependencies, (d) => new ExecutePatchRun(d));
  useCase(TOKENS.AcceptRisk, TOKENS.PatchDependencies, (d) => new AcceptRisk(d));
  useCase(TOKENS.ListAcceptances, TOKENS.PatchDependencies, (d) => new ListAcceptances(d));
  useCase(TOKENS.RevokeAcceptance, TOKENS.PatchDependencies, (d) => new RevokeAcceptance(d));
  useCase(TOKENS.ListAudit, TOKENS.PatchDependencies, (d) => new ListAudit(d));
  useCase(TOKENS.VerifyAudit, TOKENS.PatchDependencies, (d) => new VerifyAudit(d));
  useCase(TOKENS.SchedulePatching, TOKENS.PatchDependencies, (d) => new SchedulePatching(d));
  useCase(TOKENS.ListSchedules, TOKENS.PatchDependencies, (d) => new ListSchedules(d));
  useCase(TOKENS.CancelSchedule, TOKENS.PatchDependencies, (d) => new CancelSchedule(d));
  c.bind(TOKENS.PatchOperations)
    .toDynamicValue((ctx) =>
      patchOperationsFrom({
        request: ctx.get(TOKENS.RequestPatchRun),
        approve: ctx.get(TOKENS.ApprovePatchRun),
        reject: ctx.get(TOKENS.RejectPatchRun),
        cancel: ctx.get(TOKENS.CancelPatchRun),
        view: ctx.get(TOKENS.ViewPatchRuns),
        run: ctx.get(TOKENS.ExecutePatchRun),
        accept: ctx.get(TOKENS.AcceptRisk),
        acceptances: ctx.get(TOKENS.ListAcceptances),
        revoke: ctx.get(TOKENS.RevokeAcceptance),
        auditLog: ctx.get(TOKENS.ListAudit),
        auditChain: ctx.get(TOKENS.VerifyAudit),
        schedule: ctx.get(TOKENS.SchedulePatching),
        schedules: ctx.get(TOKENS.ListSchedules),
        unschedule: ctx.get(TOKENS.CancelSchedule),
        autopilot: new RunAutopilot(ctx.get(TOKENS.PatchDependencies), 'status'),
        executor: (eo) => new RunPatchExecutor(ctx.get(TOKENS.PatchDependencies), ctx.get(TOKENS.ExecutePatchRun), eo, EXECUTOR_ACTOR, new RunAutopilot(ctx.get(TOKENS.PatchDependencies), eo.holder, eo.onError)),
      }),
    )
    .inSingletonScope();
  c.bind(TOKENS.HistoryStore).toConstantValue(history);
  c.bind(TOKENS.HistoryDependencies)
    .toDynamicValue((ctx) => ({ core: ctx.get(TOKENS.CoreDependencies), history: ctx.get(TOKENS.HistoryStore), newId: newUuid }))
    .inSingletonScope();
  useCase(TOKENS.RecordAssessment, TOKENS.HistoryDependencies, (d) => new RecordAssessment(d));
  useCase(TOKENS.WhatChanged, TOKENS.HistoryDependencies, (d) => new WhatChanged(d));
  useCase(TOKENS.SummarizeTrend, TOKENS.HistoryDependencies, (d) => new SummarizeTrend(d));
  c.bind(TOKENS.SendDigest).toDynamicValue((ctx) => new SendDigest(ctx.get(TOKENS.HistoryDependencies), ctx.get(TOKENS.WhatChanged), options.notifiers ?? [], options.notificationLinks ?? [])).inSingletonScope();
  useCase(TOKENS.NotifyChanges, TOKENS.HistoryDependencies, (d) => new NotifyChanges(d, options.notifiers ?? [], options.notificationLinks ?? []));
  let actors: Awaited<ReturnType<typeof actorResolver>>;
  try {
    const identity = identityKind(options, spec.kind === 'aws', ownStore && storeSpec?.kind === 'dynamodb');
    actors = await actorResolver(options, policy, env, identity, () => awsPrincipal(options.aws ?? {}, storeSpec ?? null));
  } catch (err) {
    input?.close();
    await src.close();
    throw err;
  }
  const close = async (): Promise<void> => {
    try {
      if (ownStore) await store.close();
      if (ownHistory) await history.close();
    } finally {
      input?.close();
      await src.close();
    }
  };
  c.bind(TOKENS.Assistant)
    .toDynamicValue((ctx) =>
      assistantFrom(ctx.get(TOKENS.CoreDependencies), {
        assessFleet: ctx.get(TOKENS.AssessFleet),
        assessInstance: ctx.get(TOKENS.AssessInstance),
        listFindings: ctx.get(TOKENS.ListFindings),
        planPatches: ctx.get(TOKENS.PlanPatches),
        summarizeCompliance: ctx.get(TOKENS.SummarizeCompliance),
        summarizeMetrics: ctx.get(TOKENS.SummarizeMetrics),
        reportActivity: ctx.get(TOKENS.ReportActivity),
        captureSnapshot: ctx.get(TOKENS.CaptureSnapshot),
        patch: ctx.get(TOKENS.PatchOperations),
        actors,
        history: {
          recordAssessment: (report, origin) => ctx.get(TOKENS.RecordAssessment).execute(report, origin ?? 'library'),
          recordAssessmentIfDue: (report, origin) => ctx.get(TOKENS.RecordAssessment).executeIfDue(report, origin ?? 'library'),
          changes: (request) => ctx.get(TOKENS.WhatChanged).execute(request),
          trend: (request) => ctx.get(TOKENS.SummarizeTrend).execute(request),
          sendDigest: () => ctx.get(TOKENS.SendDigest).execute(),
          alertOnChanges: (report, origin) => ctx.get(TOKENS.NotifyChanges).execute(report, origin ?? 'collector'),
        },
      }, close),
    )
    .inSingletonScope();
  return c;
}
