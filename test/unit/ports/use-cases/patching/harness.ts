/**
 * A patch-operations world for use-case tests: the core's in-memory ports, the in-memory state
 * store, a scripted runner, a clock that only moves when the executor sleeps, and counting ids.
 */
import type { Asset, InstanceMetrics } from '../../../../../domain/fleet-facts.js';
import { DEFAULT_POLICY, resolvePolicy, type Policy } from '../../../../../domain/policy.js';
import type { CoreDependencies } from '../../../../../ports/use-cases/shared/core-dependencies.js';
import type { PatchDependencies } from '../../../../../ports/use-cases/patching/patch-dependencies.js';
import { createPatchOperations, type PatchOperationsImpl } from '../../../../../ports/use-cases/patching/patch-operations.facade.js';
import type { MaintenanceWindows } from '../../../../../ports/outbound/maintenance-window.port.js';
import type { MetricsQuery } from '../../../../../ports/outbound/metrics-source.port.js';
import type { StateStore } from '../../../../../ports/outbound/state-store.port.js';
import { aFinding, aManagedInstance, anAsset, T0 } from '../../../../builders.js';
import { FakePatchRunner } from '../../../../fakes/fake-patch-runner.js';
import { fakeDependencies, type FakeWorld } from '../../../../fakes/memory-ports.js';
import { MemoryStateStore } from '../../../../fakes/memory-state-store.js';

export const NOW = T0 + 10 * 86_400_000;

/** Fast verification so tests spend no real time: poll every 10 s, settle 5 min, observe 10 min. */
export const TEST_POLICY: Policy = resolvePolicy({
  verification: { pollSeconds: 10, settleMinutes: 5, observeMinutes: 10, baselineMinutes: 60, waveTimeoutMinutes: 30 },
  rollout: { alarms: ['web-5xx'] },
}, DEFAULT_POLICY);

export const IDS = {
  stg: 'i-000000000000000a1',
  dev: 'i-000000000000000a2',
  prod1: 'i-000000000000000b1',
  prod2: 'i-000000000000000b2',
  unmanaged: 'i-000000000000000c1',
} as const;

function asset(id: string, name: string, env: string): Asset {
  return anAsset({ instanceId: id, name, tags: { Name: name, Environment: env } });
}

/** Four managed instances (two production), one unmanaged; an attend-level finding on each. */
export function world(over: Partial<FakeWorld> = {}): FakeWorld {
  const assets = [
    asset(IDS.stg, 'web-staging-1', 'staging'),
    asset(IDS.dev, 'dev-1', 'dev'),
    asset(IDS.prod1, 'web-1', 'prod'),
    asset(IDS.prod2, 'web-2', 'prod'),
    asset(IDS.unmanaged, 'legacy-1', 'dev'),
  ];
  return {
    now: NOW,
    policy: TEST_POLICY,
    assets,
    findings: assets.map((a, k) => aFinding({ findingArn: `arn:f${k}`, instanceId: a.instanceId, exploitAvailable: true })),
    managed: assets.filter((a) => a.instanceId !== IDS.unmanaged).map((a) => aManagedInstance({ instanceId: a.instanceId })),
    ...over,
  };
}

export interface Harness {
  readonly ops: PatchOperationsImpl;
  readonly store: MemoryStateStore;
  readonly runner: FakePatchRunner;
  readonly core: CoreDependencies;
  readonly clock: { t: number };
  readonly sleeps: number[];
  readonly metricQueries: MetricsQuery[];
  /** Metrics the verification reads return, by instance (filtered to the query window). */
  metrics: Record<string, InstanceMetrics>;
  /** Runs before each sleep returns (to cancel mid-run, say). */
  onSleep: (() => Promise<void>) | null;
  /** Builds another set of use cases over the same store and runner: a second process. */
  another(store?: StateStore): PatchOperationsImpl;
  /** The dependencies of such a process (to build other use cases over them). */
  deps(store?: StateStore): PatchDependencies;
}

export function harness(options: { world?: Partial<FakeWorld>; runner?: FakePatchRunner | null; windows?: MaintenanceWindows | null; source?: string } = {}): Harness {
  const clock = { t: NOW };
  const { deps } = fakeDependencies(world(options.world));
  const sleeps: number[] = [];
  const metricQueries: MetricsQuery[] = [];
  const store = new MemoryStateStore();
  const runner = options.runner === undefined ? new FakePatchRunner(50, () => clock.t) : options.runner;
  let n = 0;
  const h: Harness = {
    ops: undefined as unknown as PatchOperationsImpl,
    store,
    runner: runner as FakePatchRunner,
    core: deps,
    clock,
    sleeps,
    metricQueries,
    metrics: {},
    onSleep: null,
    another: (s) => createPatchOperations(make(s ?? store)),
    deps: (s) => make(s ?? store),
  };
  const core: CoreDependencies = {
    ...deps,
    source: { label: options.source ?? 'test', notes: [] },
    metrics: {
      async getInstanceMetrics(q) {
        metricQueries.push(q);
        const cut = (m: InstanceMetrics): InstanceMetrics =>
          Object.fromEntries(Object.entries(m).map(([k, pts]) => [k, pts.filter((p) => p.t >= q.start && p.t < q.end)]));
        return new Map(q.instanceIds.map((id) => [id, cut(h.metrics[id] ?? {})]));
      },
    },
  };
  (h as { core: CoreDependencies }).core = core;
  function make(s: StateStore): PatchDependencies {
    return {
      core,
      store: s,
      runner,
      windows: options.windows ?? null,
      unavailable: 'this source cannot execute patch runs (test)',
      clock: { now: () => clock.t },
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.t += ms;
        if (h.onSleep) await h.onSleep();
      },
      newId: () => `${(++n).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    };
  }
  (h as { ops: PatchOperationsImpl }).ops = createPatchOperations(make(store));
  return h;
}
