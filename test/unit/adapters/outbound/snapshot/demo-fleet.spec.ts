import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import {
  SnapshotActivityLog, SnapshotAssetInventory, SnapshotDirectory, SnapshotFindingsSource, SnapshotMetricsSource, SnapshotPatchCompliance,
} from '../../../../../adapters/outbound/snapshot/index.js';
import { FileKevCatalog } from '../../../../../adapters/outbound/kev/file-kev-catalog.js';
import type { Asset, ChangeEvent, Finding } from '../../../../../domain/fleet-facts.js';
import { generateDemoFleet, generateSyntheticSnapshot } from '../../../../../scripts/generate-demo-fleet.js';
import { ALL_DEMO_CVES, kevListed } from '../../../../../scripts/demo-cves.js';
import { demoFleet } from './fixtures.js';

const CAPTURED = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

async function collect(source: SnapshotFindingsSource): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of source.listActiveFindings()) out.push(f);
  return out;
}

function tag(a: Asset, key: string): string | undefined {
  const k = Object.keys(a.tags).find((x) => x.toLowerCase() === key);
  return k === undefined ? undefined : a.tags[k]?.toLowerCase();
}

function envOf(a: Asset): string | undefined {
  const v = tag(a, 'environment') ?? tag(a, 'env');
  if (v === undefined) return undefined;
  return ['prod', 'production'].includes(v) ? 'prod' : ['staging', 'stage', 'uat'].includes(v) ? 'staging' : ['dev', 'development', 'test', 'sandbox'].includes(v) ? 'dev' : v;
}

describe('the demo fleet (examples/demo-fleet) through every snapshot adapter', () => {
  const snapshot = new SnapshotDirectory(demoFleet());
  let assets: readonly Asset[];
  let findings: Finding[];

  before(async () => {
    assets = await new SnapshotAssetInventory(snapshot).listAssets();
    findings = await collect(new SnapshotFindingsSource(snapshot));
  });

  it('has the manifest of a synthetic capture at 2026-11-20T12:00Z', async () => {
    expect(await snapshot.manifest()).to.deep.equal({ capturedAt: CAPTURED, region: 'us-east-1', accountId: '123456789012', description: 'demo fleet: synthetic data' });
  });

  it('has at least 12 instances across prod, staging and dev, with mixed-case tags', () => {
    expect(assets.length).to.be.at.least(12);
    expect(new Set(assets.map(envOf))).to.deep.equal(new Set(['prod', 'staging', 'dev']));
    expect(assets.map((a) => a.name)).to.include.members(['web-1', 'api-2', 'db-primary', 'bastion']);
    expect(assets.some((a) => a.tags.Environment === 'Production')).to.equal(true);
    expect(assets.some((a) => Object.keys(a.tags).includes('CRITICALITY'))).to.equal(true);
  });

  it('has public instances, an IPv6-only one and a stopped one', () => {
    expect(assets.filter((a) => a.publicIpv4 !== null).length).to.be.at.least(2);
    expect(assets.filter((a) => a.publicIpv4 === null && a.ipv6.length > 0).map((a) => a.name)).to.deep.equal(['dev-sandbox']);
    expect(assets.filter((a) => a.state === 'stopped').map((a) => a.name)).to.deep.equal(['build-old']);
  });

  it('has an Auto Scaling group of at least 3 instances', () => {
    const groups = new Map<string, number>();
    for (const a of assets) if (a.autoScalingGroup) groups.set(a.autoScalingGroup, (groups.get(a.autoScalingGroup) ?? 0) + 1);

    expect(Math.max(...groups.values())).to.be.at.least(3);
  });

  it('has an instance SSM does not manage and one whose agent lost its connection', async () => {
    const managed = await new SnapshotPatchCompliance(snapshot).managedInstances();

    expect(managed).to.not.equal(null);
    expect(assets.filter((a) => !managed?.has(a.instanceId)).map((a) => a.name)).to.deep.equal(['legacy-reports']);
    const lost = assets.filter((a) => managed?.get(a.instanceId)?.pingStatus === 'ConnectionLost').map((a) => a.name);
    expect(lost).to.include('api-staging-1');
  });

  it('has varied patch states: missing, failed and pending-reboot counts', async () => {
    const states = [...(await new SnapshotPatchCompliance(snapshot).patchStates(assets.map((a) => a.instanceId))).values()];

    expect(states.length).to.be.at.least(12);
    expect(states.some((s) => s.missingCount > 0)).to.equal(true);
    expect(states.some((s) => s.failedCount > 0)).to.equal(true);
    expect(states.some((s) => s.installedPendingRebootCount > 0)).to.equal(true);
    expect(new Set(states.map((s) => s.missingCount)).size).to.be.at.least(5);
  });

  it('has at least 300 active findings, including the five named CVEs, all on known instances', () => {
    const ids = new Set(assets.map((a) => a.instanceId));

    expect(findings.length).to.be.at.least(300);
    expect(findings.every((f) => f.status === 'ACTIVE' && ids.has(f.instanceId))).to.equal(true);
    const cves = new Set(findings.map((f) => f.vulnerabilityId));
    for (const id of ['CVE-2024-6387', 'CVE-2023-4911', 'CVE-2024-1086', 'CVE-2021-44228', 'CVE-2023-38545']) expect(cves, id).to.include(id);
    expect(cves.size).to.be.at.least(30);
  });

  it('has SUPPRESSED and CLOSED findings (which the source does not yield) and non-EC2 ones it skips', async () => {
    const all = await snapshot.findings();
    const raw = JSON.parse(await readFile(join(demoFleet(), 'inspector2-list-findings.json'), 'utf8')) as { findings: { resources: { type: string }[] }[] };

    expect(all.filter((f) => f.status === 'SUPPRESSED').length).to.be.at.least(1);
    expect(all.filter((f) => f.status === 'CLOSED').length).to.be.at.least(1);
    expect(raw.findings.length - all.length).to.equal(raw.findings.filter((f) => !f.resources.some((r) => r.type === 'AWS_EC2_INSTANCE')).length).and.be.at.least(1);
  });

  it('has network reachability findings on a public instance', () => {
    const reach = findings.filter((f) => f.type === 'NETWORK_REACHABILITY');
    const publicIds = new Set(assets.filter((a) => a.publicIpv4 !== null).map((a) => a.instanceId));

    expect(reach.length).to.be.at.least(2);
    expect(reach.every((f) => publicIds.has(f.instanceId) && f.networkReachability?.openPortRange !== null)).to.equal(true);
  });

  it('has one instance whose KEV findings all lack a fix (the mitigate case)', () => {
    const worker = assets.find((a) => a.name === 'worker-staging');
    const kev = kevListed();
    const mine = findings.filter((f) => f.instanceId === worker?.instanceId);

    expect(mine.filter((f) => kev.has(f.vulnerabilityId ?? '')).every((f) => f.fixAvailable === 'NO')).to.equal(true);
    expect(mine.filter((f) => f.fixAvailable === 'NO').length).to.be.at.least(2);
  });

  it('spreads firstObservedAt over the past ~90 days, so some KEV findings are overdue', () => {
    const ages = findings.map((f) => (CAPTURED - f.firstObservedAt) / DAY);
    const kev = kevListed();

    expect(Math.max(...ages)).to.be.within(60, 95);
    expect(Math.min(...ages)).to.be.at.least(0);
    expect(findings.filter((f) => kev.has(f.vulnerabilityId ?? '') && CAPTURED - f.firstObservedAt > 14 * DAY).length).to.be.at.least(10);
    expect(findings.every((f) => f.lastObservedAt >= f.firstObservedAt && f.lastObservedAt <= CAPTURED)).to.equal(true);
  });

  it('uses the catalog facts: CVSS vectors, and exploitation evidence only on KEV-listed CVEs', () => {
    const byId = new Map(ALL_DEMO_CVES.map((c) => [c.id, c]));
    const kev = kevListed();

    for (const f of findings.filter((x) => x.type === 'PACKAGE_VULNERABILITY')) {
      const c = byId.get(f.vulnerabilityId ?? '');
      expect(c, f.vulnerabilityId ?? '').to.not.equal(undefined);
      expect(f.cvss[0]?.scoringVector).to.equal(c?.vector);
      expect(f.lastKnownExploitAt !== null).to.equal(kev.has(f.vulnerabilityId ?? ''));
      expect(f.epss).to.be.within(0, 1);
    }
  });

  it('has a KEV subset consistent with the findings, with the true dateAdded', async () => {
    const loaded = await new FileKevCatalog(join(demoFleet(), 'kev.json')).load();
    const inFindings = new Set((await snapshot.findings()).map((f) => f.vulnerabilityId));
    const facts = kevListed();

    const expected = [...facts.keys()].filter((id) => inFindings.has(id)).sort();
    expect([...loaded.catalog.entries.keys()].sort()).to.deep.equal(expected);
    for (const [id, e] of loaded.catalog.entries) expect(e.dateAdded).to.equal(facts.get(id)?.dateAdded);
    expect(loaded.catalog.entries.get('CVE-2021-44228')?.dateAdded).to.equal('2021-12-10');
    expect(loaded.catalog.entries.get('CVE-2023-4911')?.dateAdded).to.equal('2023-11-21');
    expect(loaded.catalog.entries.get('CVE-2024-1086')?.dateAdded).to.equal('2024-05-30');
    expect(loaded.catalog.entries.has('CVE-2024-6387')).to.equal(false);
    expect(loaded.catalog.entries.has('CVE-2023-38545')).to.equal(false);
  });

  it('has 14 days of hourly CPU per running instance, quietest on Sunday 02:00-05:00 UTC', async () => {
    const running = assets.filter((a) => a.state === 'running');
    const m = await new SnapshotMetricsSource(snapshot).getInstanceMetrics({ instanceIds: running.map((a) => a.instanceId), start: CAPTURED - 14 * DAY, end: CAPTURED, periodSeconds: 3600 });

    for (const a of running) {
      const series = m.get(a.instanceId);
      expect(series?.cpu?.length, a.name ?? '').to.equal(336);
      expect(series?.networkIn?.length).to.equal(336);
      expect(series?.networkOut?.length).to.equal(336);
      expect(series?.statusCheckFailed?.length).to.equal(336);
    }
    const web1 = m.get(running.find((a) => a.name === 'web-1')?.instanceId ?? '')?.cpu ?? [];
    const byHourOfWeek = new Map<number, number[]>();
    for (const p of web1) {
      const d = new Date(p.t);
      const k = d.getUTCDay() * 24 + d.getUTCHours();
      byHourOfWeek.set(k, [...(byHourOfWeek.get(k) ?? []), p.v]);
    }
    const means = [...byHourOfWeek].map(([k, v]) => [k, v.reduce((s, x) => s + x, 0) / v.length] as const).sort((x, y) => x[1] - y[1]);
    expect(means.slice(0, 3).map(([k]) => k).sort()).to.deep.equal([2, 3, 4]);
  });

  it('has a CPU anomaly on api-2 and failing status checks on api-staging-1', async () => {
    const api2 = assets.find((a) => a.name === 'api-2')?.instanceId ?? '';
    const staging = assets.find((a) => a.name === 'api-staging-1')?.instanceId ?? '';
    const m = await new SnapshotMetricsSource(snapshot).getInstanceMetrics({ instanceIds: [api2, staging], start: CAPTURED - 14 * DAY, end: CAPTURED, periodSeconds: 3600 });
    const cpu = (m.get(api2)?.cpu ?? []).map((p) => p.v).sort((x, y) => x - y);
    const median = cpu[Math.floor(cpu.length / 2)] ?? 0;

    expect(cpu[cpu.length - 1]).to.be.greaterThan(2 * median).and.greaterThan(90);
    expect(m.get(staging)?.statusCheckFailed?.some((p) => p.v > 0)).to.equal(true);
  });

  it('has CloudTrail events per instance, a few of which deserve a flag', async () => {
    const log = new SnapshotActivityLog(snapshot);
    const events: ChangeEvent[] = [];
    for (const a of assets) {
      const mine = await log.lookupInstanceEvents(a.instanceId, CAPTURED - 14 * DAY, CAPTURED);
      expect(mine.map((e) => e.eventTime)).to.deep.equal([...mine.map((e) => e.eventTime)].sort((x, y) => y - x));
      events.push(...mine);
    }

    expect(events.length).to.be.at.least(50);
    expect(events.some((e) => e.userIdentityType === 'Root')).to.equal(true);
    for (const name of ['ModifyInstanceAttribute', 'AuthorizeSecurityGroupIngress', 'StopInstances']) expect(events.map((e) => e.eventName)).to.include(name);
    expect(events.some((e) => e.errorCode === 'AccessDenied')).to.equal(true);
    expect(events.some((e) => e.sourceIpAddress === '198.51.100.77')).to.equal(true);
    expect(events.filter((e) => e.errorCode === null && e.userIdentityType !== 'Root').length).to.be.greaterThan(events.length / 2);
  });
});

describe('the demo fleet generator', () => {
  async function files(dir: string): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const path = join(e.parentPath, e.name);
      out.set(relative(dir, path), await readFile(path));
    }
    return out;
  }

  it('is deterministic: two runs write identical bytes, identical to the checked-in folder', async () => {
    const a = await mkdtemp(join(tmpdir(), 'demo-a-'));
    const b = await mkdtemp(join(tmpdir(), 'demo-b-'));
    try {
      await generateDemoFleet(a);
      await generateDemoFleet(b);
      const [fa, fb, checkedIn] = await Promise.all([files(a), files(b), files(demoFleet())]);

      expect([...fa.keys()].sort()).to.deep.equal([...fb.keys()].sort());
      for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name) ?? Buffer.alloc(0)), name).to.equal(true);
      expect([...checkedIn.keys()].sort(), 'checked-in file list').to.deep.equal([...fa.keys()].sort());
      for (const [name, bytes] of fa) expect(bytes.equals(checkedIn.get(name) ?? Buffer.alloc(0)), `${name} differs from examples/demo-fleet: run the generator`).to.equal(true);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });

  it('writes a synthetic snapshot of any size in the same format, deterministically', async () => {
    const a = await mkdtemp(join(tmpdir(), 'synthetic-a-'));
    const b = await mkdtemp(join(tmpdir(), 'synthetic-b-'));
    try {
      const summary = await generateSyntheticSnapshot(a, { instances: 40, findings: 2500, withMetrics: 2 });
      await generateSyntheticSnapshot(b, { instances: 40, findings: 2500, withMetrics: 2 });
      const [fa, fb] = await Promise.all([files(a), files(b)]);
      const dir = new SnapshotDirectory(a);

      expect(summary).to.include({ instances: 40, findings: 2500 });
      for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name) ?? Buffer.alloc(0)), name).to.equal(true);
      expect((await dir.findings()).length).to.equal(2500);
      expect((await new SnapshotAssetInventory(dir).listAssets()).length).to.equal(40);
      expect((await collect(new SnapshotFindingsSource(dir))).length).to.be.within(2300, 2500);
      expect(await new SnapshotPatchCompliance(dir).managedInstances()).to.not.equal(null);
      expect((await new FileKevCatalog(join(a, 'kev.json')).load()).catalog.entries.size).to.be.at.least(1);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});
