/** In-memory implementations of the outbound ports, for use-case tests. */
import { SourceError } from '../../domain/errors.js';
import type { Asset, ChangeEvent, ExploitedCatalog, Finding, InstanceMetrics, ManagedInstance, PatchState, RiskAcceptance } from '../../domain/fleet-facts.js';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy.js';
import type { Instant } from '../../domain/time.js';
import type { CoreDependencies } from '../../ports/use-cases/shared/core-dependencies.js';
import type { FindingsFilter } from '../../ports/outbound/findings-source.port.js';
import type { MetricsQuery } from '../../ports/outbound/metrics-source.port.js';

export interface FakeWorld {
  assets?: Asset[];
  findings?: Finding[];
  /** undefined: unknown (null from the port). */
  managed?: ManagedInstance[];
  patchStates?: PatchState[];
  metrics?: Record<string, InstanceMetrics>;
  events?: Record<string, ChangeEvent[]>;
  catalog?: ExploitedCatalog | null;
  acceptances?: RiskAcceptance[];
  now: Instant;
  policy?: Policy;
  /** Ports that fail with a SourceError. */
  failing?: ('ssm' | 'cloudwatch' | 'cloudtrail' | 'kev' | 'inspector2' | 'ec2')[];
}

/** Records what the use cases asked for, so tests can assert on the calls. */
export interface CallLog {
  findingFilters: (FindingsFilter | undefined)[];
  metricQueries: MetricsQuery[];
  listAssets: number;
}

function fail(service: string, operation: string): never {
  throw new SourceError(service, operation, `${service} ${operation}: simulated outage`, { code: 'ServiceUnavailable' });
}

export function fakeDependencies(world: FakeWorld): { deps: CoreDependencies; calls: CallLog } {
  const calls: CallLog = { findingFilters: [], metricQueries: [], listAssets: 0 };
  const failing = new Set(world.failing ?? []);
  const deps: CoreDependencies = {
    findings: {
      async *listActiveFindings(filter?: FindingsFilter) {
        calls.findingFilters.push(filter);
        if (failing.has('inspector2')) fail('inspector2', 'ListFindings');
        for (const f of world.findings ?? []) {
          if (f.status !== 'ACTIVE') continue;
          if (filter?.instanceIds && !filter.instanceIds.includes(f.instanceId)) continue;
          yield f;
        }
      },
    },
    assets: {
      async listAssets() {
        calls.listAssets++;
        if (failing.has('ec2')) fail('ec2', 'DescribeInstances');
        return world.assets ?? [];
      },
    },
    compliance: {
      async managedInstances() {
        if (failing.has('ssm')) fail('ssm', 'DescribeInstanceInformation');
        return world.managed ? new Map(world.managed.map((m) => [m.instanceId, m])) : null;
      },
      async patchStates(ids: readonly string[]) {
        if (failing.has('ssm')) fail('ssm', 'DescribeInstancePatchStates');
        return new Map((world.patchStates ?? []).filter((p) => ids.includes(p.instanceId)).map((p) => [p.instanceId, p]));
      },
    },
    metrics: {
      async getInstanceMetrics(q: MetricsQuery) {
        calls.metricQueries.push(q);
        if (failing.has('cloudwatch')) fail('cloudwatch', 'GetMetricData');
        const inWindow = (m: InstanceMetrics): InstanceMetrics =>
          Object.fromEntries(Object.entries(m).map(([k, pts]) => [k, pts.filter((p) => p.t >= q.start && p.t < q.end)]));
        return new Map(q.instanceIds.filter((id) => world.metrics?.[id]).map((id) => [id, inWindow(world.metrics?.[id] ?? {})]));
      },
    },
    activity: {
      async lookupInstanceEvents(id: string, start: Instant, end: Instant) {
        if (failing.has('cloudtrail')) fail('cloudtrail', 'LookupEvents');
        return (world.events?.[id] ?? []).filter((e) => e.eventTime >= start && e.eventTime <= end);
      },
    },
    catalog: {
      async load() {
        if (failing.has('kev')) fail('kev', 'load');
        return world.catalog ? { catalog: world.catalog, origin: 'test', warnings: [] } : null;
      },
    },
    acceptances: { listAcceptances: async () => world.acceptances ?? [] },
    clock: { now: () => world.now },
    policy: world.policy ?? DEFAULT_POLICY,
    source: { label: 'test', notes: [] },
  };
  return { deps, calls };
}
