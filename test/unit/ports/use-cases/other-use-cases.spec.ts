import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ValidationError } from '../../../../domain/errors.js';
import type { MetricPoint } from '../../../../domain/fleet-facts.js';
import { PlanPatches } from '../../../../ports/use-cases/patching/plan-patches.use-case.js';
import { ReportActivity } from '../../../../ports/use-cases/reports/report-activity.use-case.js';
import { SummarizeCompliance } from '../../../../ports/use-cases/reports/summarize-compliance.use-case.js';
import { SummarizeMetrics } from '../../../../ports/use-cases/reports/summarize-metrics.use-case.js';
import { aCvss, aFinding, aManagedInstance, anAsset, anEvent, aPatchState, T0 } from '../../../builders.js';
import { fakeDependencies, type FakeWorld } from '../../../fakes/memory-ports.js';

chai.use(chaiAsPromised);
const { expect } = chai;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const A = 'i-00000000000000aa1';
const B = 'i-00000000000000bb1';
const NOW = T0 + 5 * DAY;

function cpuWeek(end: number): MetricPoint[] {
  const pts: MetricPoint[] = [];
  for (let t = end - 14 * DAY; t < end; t += HOUR) pts.push({ t, v: 40 });
  return pts;
}

function world(over: Partial<FakeWorld> = {}): FakeWorld {
  return {
    now: NOW,
    assets: [
      anAsset({ instanceId: A, name: 'api-1', tags: { Name: 'api-1', Environment: 'staging' } }),
      anAsset({ instanceId: B, name: 'api-2', tags: { Name: 'api-2', Environment: 'prod' }, publicIpv4: '198.51.100.9' }),
    ],
    findings: [
      // attend for a high-mission asset (public poc, automatable): next-window.
      aFinding({ findingArn: 'arn:a', instanceId: A, exploitAvailable: true, cvss: [aCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N', 6.5)] }),
      aFinding({ findingArn: 'arn:b', instanceId: B, exploitAvailable: true, cvss: [aCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N', 6.5)] }),
    ],
    managed: [aManagedInstance({ instanceId: A }), aManagedInstance({ instanceId: B })],
    patchStates: [aPatchState({ instanceId: A }), aPatchState({ instanceId: B, missingCount: 3 })],
    metrics: { [A]: { cpu: cpuWeek(NOW) }, [B]: { cpu: cpuWeek(NOW) } },
    events: {
      [A]: [
        anEvent({ eventId: 'old', eventTime: NOW - 3 * DAY }),
        anEvent({ eventId: 'root', eventTime: NOW - HOUR, userIdentityType: 'Root', eventName: 'StopInstances' }),
      ],
    },
    ...over,
  };
}

describe('PlanPatches', () => {
  it('reads CPU history only for instances waiting for a window, over the policy history', async () => {
    const { deps, calls } = fakeDependencies(world());

    const r = await new PlanPatches(deps).execute();

    expect(calls.metricQueries).to.have.length(1);
    const q = calls.metricQueries[0]!;
    expect([...q.instanceIds].sort()).to.deep.equal(Object.values(r.byDecision).flat().filter((p) => p.decision === 'next-window' || p.decision === 'routine').map((p) => p.instanceId).sort());
    expect(q.end - q.start).to.equal(14 * DAY);
    expect(q.periodSeconds).to.equal(3600);
    for (const p of Object.values(r.byDecision).flat()) if (p.window) expect(Date.parse(p.window.start)).to.be.at.least(NOW);
    expect(Object.keys(r.byDecision)).to.have.members(['patch-now', 'next-window', 'routine', 'mitigate', 'blocked', 'none']);
  });

  it('falls back to default windows with a warning when CloudWatch fails', async () => {
    const { deps } = fakeDependencies(world({ failing: ['cloudwatch'] }));

    const r = await new PlanPatches(deps).execute();

    expect(r.warnings.some((w) => w.startsWith('cloudwatch:GetMetricData'))).to.equal(true);
    const windows = Object.values(r.byDecision).flat().filter((p) => p.window && p.decision !== 'patch-now');
    expect(windows.length).to.be.greaterThan(0);
    expect(windows.every((p) => p.window!.source === 'default')).to.equal(true);
  });
});

describe('SummarizeCompliance', () => {
  it('summarises patch states with ISO times', async () => {
    const { deps } = fakeDependencies(world());

    const r = await new SummarizeCompliance(deps).execute();

    expect(r).to.include({ instances: 2, withPatchState: 2, compliant: 1, nonCompliant: 1, missing: 3 });
    expect(r.perInstance.find((p) => p.instanceId === A)!.lastOperationAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
  });
});

describe('SummarizeMetrics', () => {
  it('asks for five-minute points over a day and hourly beyond', async () => {
    const { deps, calls } = fakeDependencies(world());
    const uc = new SummarizeMetrics(deps);

    await uc.execute({ instance: 'api-1' });
    const r = await uc.execute({ instance: 'api-1', hours: 72 });

    expect(calls.metricQueries.map((q) => q.periodSeconds)).to.deep.equal([300, 3600]);
    expect(r.metrics.cpu.count).to.equal(72);
    expect(r.metrics.cpu.mean).to.equal(40);
  });

  it('returns the points themselves only when asked (series), oldest first with ISO times', async () => {
    const { deps } = fakeDependencies(world());
    const uc = new SummarizeMetrics(deps);

    const plain = await uc.execute({ instance: 'api-1', hours: 72 });
    const charted = await uc.execute({ instance: 'api-1', hours: 72, series: true });

    expect(plain).not.to.have.property('series');
    const cpu = charted.series?.cpu ?? [];
    expect(cpu).to.have.length(charted.metrics.cpu.count);
    expect(cpu.every((p, i) => i === 0 || p.t > (cpu[i - 1]?.t ?? ''))).to.equal(true);
    expect(cpu.reduce((s, p) => s + p.v, 0) / cpu.length).to.equal(charted.metrics.cpu.mean);
    expect(charted.series?.statusCheckFailed).to.be.an('array');
  });

  it('refuses hours that are not a whole number in range', async () => {
    const { deps } = fakeDependencies(world());
    const uc = new SummarizeMetrics(deps);

    for (const hours of [0, -1, 1.5, 99999, Number.NaN]) {
      await expect(uc.execute({ instance: 'api-1', hours })).to.be.rejectedWith(ValidationError, /^hours: expected a whole number from 1 to 2160/);
    }
  });
});

describe('ReportActivity', () => {
  it('returns the events in the window, with root and sensitive calls flagged', async () => {
    const { deps } = fakeDependencies(world());

    const r = await new ReportActivity(deps).execute({ instance: 'api-1', hours: 24 });

    expect(r.events.map((e) => e.eventName)).to.deep.equal(['StopInstances']);
    expect(r.flagged).to.equal(1);
    expect(r.events[0]!.flags.map((f) => f.kind)).to.include.members(['root', 'sensitive-call']);
  });

  it('degrades to a warning when CloudTrail fails', async () => {
    const { deps } = fakeDependencies(world({ failing: ['cloudtrail'] }));

    const r = await new ReportActivity(deps).execute({ instance: 'api-1' });

    expect(r.total).to.equal(0);
    expect(r.warnings[0]).to.match(/^cloudtrail:LookupEvents/);
  });
});
