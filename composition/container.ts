/**
 * The composition root: the only place that imports adapters. It binds each outbound port to the
 * adapter the source calls for, the use cases to factories over the ports (core classes carry no
 * decorators), and the Assistant facade over the use cases.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Container, type ResolutionContext } from 'inversify';
import { FixedClock, SystemClock } from '../adapters/outbound/clock/system-clock.js';
import { FileKevCatalog } from '../adapters/outbound/kev/file-kev-catalog.js';
import { MemoryAcceptanceStore } from '../adapters/outbound/memory/memory-acceptance-store.js';
import { NoExploitedCatalog } from '../adapters/outbound/memory/no-catalog.js';
import {
  SnapshotActivityLog, SnapshotAssetInventory, SnapshotDirectory, SnapshotFindingsSource, SnapshotMetricsSource, SnapshotPatchCompliance,
} from '../adapters/outbound/snapshot/index.js';
import { ValidationError } from '../domain/errors.js';
import type { Policy } from '../domain/policy.js';
import { assistantFrom, type Assistant } from '../ports/inbound/assistant.js';
import { AssessFleet } from '../ports/inbound/assess-fleet.use-case.js';
import { AssessInstance } from '../ports/inbound/assess-instance.use-case.js';
import type { CoreDependencies } from '../ports/inbound/dependencies.js';
import { ListFindings } from '../ports/inbound/list-findings.use-case.js';
import { PlanPatches } from '../ports/inbound/plan-patches.use-case.js';
import { ReportActivity } from '../ports/inbound/report-activity.use-case.js';
import { SummarizeCompliance } from '../ports/inbound/summarize-compliance.use-case.js';
import { SummarizeMetrics } from '../ports/inbound/summarize-metrics.use-case.js';
import type { ExploitedCatalogSource } from '../ports/outbound/exploited-catalog.port.js';
import type { SourceInfo } from '../ports/outbound/source-info.port.js';
import { loadPolicy, parseNow, parseSource, type AssistantOptions, type OutboundAdapters, type SourceSpec } from './config.js';
import { TOKENS } from './tokens.js';

/** Source-specific adapters, before any caller override. */
interface SourceBindings {
  readonly adapters: Omit<OutboundAdapters, 'acceptances' | 'clock'>;
  readonly info: SourceInfo;
  /** The instant a snapshot was taken: the demo fleet is assessed as of then. */
  readonly capturedAt: number | null;
}

async function snapshotBindings(spec: Extract<SourceSpec, { kind: 'demo' | 'snapshot' }>, kev: string | undefined): Promise<SourceBindings> {
  const dir = new SnapshotDirectory(spec.dir);
  const manifest = await dir.manifest();
  const kevFile = kev ?? (existsSync(join(dir.dir, 'kev.json')) ? join(dir.dir, 'kev.json') : undefined);
  const catalog: ExploitedCatalogSource = kevFile ? new FileKevCatalog(kevFile) : new NoExploitedCatalog();
  const demo = spec.kind === 'demo';
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
      label: demo ? 'demo' : `snapshot:${dir.dir}`,
      notes: demo ? ['demo fleet: synthetic data, assessed as of its capture time unless --now is given'] : [],
    },
    capturedAt: manifest?.capturedAt ?? null,
  };
}

async function sourceBindings(spec: SourceSpec, options: AssistantOptions): Promise<SourceBindings> {
  switch (spec.kind) {
    case 'demo':
    case 'snapshot':
      return snapshotBindings(spec, options.kev);
    case 'aws':
      throw new ValidationError('source', 'demo or snapshot:DIR', 'source: the live AWS source is not available in this build');
  }
}

/** Builds the container for one configuration. */
export async function buildContainer(options: AssistantOptions = {}): Promise<Container> {
  const spec = parseSource(options.source);
  const now = parseNow(options.now);
  const policy = await loadPolicy(options);
  // A caller that brings every data adapter needs no bundled source at all.
  const src = await sourceBindings(spec, options);
  const fixedAt = now ?? (spec.kind === 'demo' ? src.capturedAt : null) ?? undefined;

  const c = new Container();
  const o = options.adapters ?? {};
  c.bind(TOKENS.FindingsSource).toConstantValue(o.findings ?? src.adapters.findings);
  c.bind(TOKENS.AssetInventory).toConstantValue(o.assets ?? src.adapters.assets);
  c.bind(TOKENS.PatchCompliance).toConstantValue(o.compliance ?? src.adapters.compliance);
  c.bind(TOKENS.MetricsSource).toConstantValue(o.metrics ?? src.adapters.metrics);
  c.bind(TOKENS.ActivityLog).toConstantValue(o.activity ?? src.adapters.activity);
  c.bind(TOKENS.ExploitedCatalogSource).toConstantValue(o.catalog ?? src.adapters.catalog);
  c.bind(TOKENS.AcceptanceStore).toConstantValue(o.acceptances ?? new MemoryAcceptanceStore(options.acceptances ?? []));
  c.bind(TOKENS.Clock).toConstantValue(o.clock ?? (fixedAt !== undefined ? new FixedClock(fixedAt) : new SystemClock()));
  c.bind<Policy>(TOKENS.Policy).toConstantValue(policy);
  c.bind<SourceInfo>(TOKENS.SourceInfo).toConstantValue(src.info);
  c.bind<CoreDependencies>(TOKENS.CoreDependencies)
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
  const useCase = <T>(token: symbol, make: (d: CoreDependencies) => T): void => {
    c.bind<T>(token).toDynamicValue((ctx) => make(ctx.get<CoreDependencies>(TOKENS.CoreDependencies))).inSingletonScope();
  };
  useCase(TOKENS.AssessFleet, (d) => new AssessFleet(d));
  useCase(TOKENS.AssessInstance, (d) => new AssessInstance(d));
  useCase(TOKENS.ListFindings, (d) => new ListFindings(d));
  useCase(TOKENS.PlanPatches, (d) => new PlanPatches(d));
  useCase(TOKENS.SummarizeCompliance, (d) => new SummarizeCompliance(d));
  useCase(TOKENS.SummarizeMetrics, (d) => new SummarizeMetrics(d));
  useCase(TOKENS.ReportActivity, (d) => new ReportActivity(d));
  c.bind<Assistant>(TOKENS.Assistant)
    .toDynamicValue((ctx) =>
      assistantFrom(ctx.get<CoreDependencies>(TOKENS.CoreDependencies), {
        assessFleet: ctx.get(TOKENS.AssessFleet),
        assessInstance: ctx.get(TOKENS.AssessInstance),
        listFindings: ctx.get(TOKENS.ListFindings),
        planPatches: ctx.get(TOKENS.PlanPatches),
        summarizeCompliance: ctx.get(TOKENS.SummarizeCompliance),
        summarizeMetrics: ctx.get(TOKENS.SummarizeMetrics),
        reportActivity: ctx.get(TOKENS.ReportActivity),
      }),
    )
    .inSingletonScope();
  return c;
}
