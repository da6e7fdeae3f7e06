import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  SnapshotActivityLog, SnapshotAssetInventory, SnapshotDirectory, SnapshotFindingsSource, SnapshotMetricsSource, SnapshotPatchCompliance,
} from '../../../../../adapters/outbound/snapshot/index.js';
import type { Finding } from '../../../../../domain/fleet-facts.js';
import type { FindingsFilter } from '../../../../../ports/outbound/findings-source.port.js';
import { fixture } from './fixtures.js';

const t = (iso: string): number => Date.parse(iso);

async function collect(source: SnapshotFindingsSource, filter?: FindingsFilter): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of source.listActiveFindings(filter)) out.push(f);
  return out;
}

describe('snapshot adapters (hand-written fixture)', () => {
  const snapshot = new SnapshotDirectory(fixture('minimal'));

  describe('SnapshotFindingsSource', () => {
    it('yields only ACTIVE findings on EC2 instances, skipping ECR and Azure resources', async () => {
      const findings = await collect(new SnapshotFindingsSource(snapshot));

      expect(findings.map((f) => f.findingArn.split('/').pop())).to.deep.equal(['0001', '0002', '0007']);
    });

    it('filters by instance ids', async () => {
      const source = new SnapshotFindingsSource(snapshot);

      expect((await collect(source, { instanceIds: ['i-0aaa000000000003'] })).map((f) => f.vulnerabilityId)).to.deep.equal(['CVE-2021-44228']);
      expect(await collect(source, { instanceIds: [] })).to.deep.equal([]);
    });

    it('reads epoch-second timestamps as the API returns them, and ISO ones as the CLI prints them', async () => {
      const [iso, epoch] = await collect(new SnapshotFindingsSource(snapshot));

      expect(iso?.firstObservedAt).to.equal(t('2026-09-01T10:00:00Z'));
      expect(epoch?.firstObservedAt).to.equal(1790000000_000);
      expect(epoch?.lastObservedAt).to.equal(1795167000_500);
      expect(epoch?.lastKnownExploitAt).to.equal(t('2026-11-15T00:00:00Z'));
    });

    it('carries unknown types, severities and fixAvailable values instead of failing', async () => {
      const odd = (await collect(new SnapshotFindingsSource(snapshot))).find((f) => f.findingArn.endsWith('/0007'));

      expect(odd).to.include({ type: 'SOME_FUTURE_TYPE', severity: 'SEVERE_BUT_NEW', fixAvailable: 'PARTIAL', vulnerabilityId: null });
    });
  });

  describe('SnapshotAssetInventory', () => {
    it('lists instances of every reservation except terminated ones, keeping unknown states', async () => {
      const assets = await new SnapshotAssetInventory(snapshot).listAssets();

      expect(assets.map((a) => [a.name, a.state])).to.deep.equal([['web-1', 'running'], ['db-1', 'hibernating-someday']]);
      expect(assets[0]).to.include({ autoScalingGroup: 'web-asg', publicIpv4: '192.0.2.10' });
      expect(assets[1]?.ipv6).to.deep.equal(['2001:db8::3', '2001:db8::4']);
      expect(assets[1]?.tags).to.deep.equal({ Name: 'db-1', env: 'dev', empty: '' });
    });
  });

  describe('SnapshotPatchCompliance', () => {
    it('says managed state is unknown (null) and has no patch states when the SSM files are absent', async () => {
      const compliance = new SnapshotPatchCompliance(snapshot);

      expect(await compliance.managedInstances()).to.equal(null);
      expect((await compliance.patchStates(['i-0aaa000000000001'])).size).to.equal(0);
    });
  });

  describe('SnapshotMetricsSource', () => {
    const metrics = new SnapshotMetricsSource(snapshot);

    it('cuts the series to [start, end) and sorts them ascending', async () => {
      const m = await metrics.getInstanceMetrics({ instanceIds: ['i-0aaa000000000001'], start: t('2026-11-20T09:00:00Z'), end: t('2026-11-20T11:00:00Z'), periodSeconds: 3600 });

      expect(m.get('i-0aaa000000000001')).to.deep.equal({
        cpu: [{ t: t('2026-11-20T09:00:00Z'), v: 20 }, { t: t('2026-11-20T10:00:00Z'), v: 30.25 }],
        statusCheckFailed: [{ t: t('2026-11-20T10:00:00Z'), v: 1 }],
      });
    });

    it('gives no data for an instance without a cloudwatch file', async () => {
      const m = await metrics.getInstanceMetrics({ instanceIds: ['i-0aaa000000000003'], start: 0, end: t('2026-12-01T00:00:00Z'), periodSeconds: 3600 });

      expect(m.get('i-0aaa000000000003')).to.deep.equal({});
    });
  });

  describe('SnapshotActivityLog', () => {
    const activity = new SnapshotActivityLog(snapshot);

    it('returns the events between start and end, newest first', async () => {
      const events = await activity.lookupInstanceEvents('i-0aaa000000000001', t('2026-11-18T00:00:00Z'), t('2026-11-20T00:00:00Z'));

      expect(events.map((e) => e.eventId)).to.deep.equal(['e-2', 'e-1']);
      expect(events[0]).to.include({ userIdentityType: 'Root', sourceIpAddress: '198.51.100.77', readOnly: false });
      expect(events[1]).to.include({ errorCode: 'Client.UnauthorizedOperation', eventTime: t('2026-11-18T10:00:00Z'), readOnly: true });
    });

    it('gives no events for an instance without a cloudtrail file', async () => {
      expect(await activity.lookupInstanceEvents('i-0aaa000000000003', 0, t('2026-12-01T00:00:00Z'))).to.deep.equal([]);
    });
  });

  describe('SnapshotDirectory', () => {
    it('exposes the optional manifest', async () => {
      expect(await snapshot.manifest()).to.deep.equal({ capturedAt: t('2026-11-20T12:00:00Z'), region: 'us-east-1', accountId: '123456789012', description: 'hand-written test fixture' });
      expect(await new SnapshotDirectory(fixture('bad-json')).manifest()).to.equal(null);
    });

    it('reads each file once: later calls do not touch the disk', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'snapshot-'));
      try {
        await cp(fixture('minimal'), dir, { recursive: true });
        const once = new SnapshotDirectory(dir);
        const first = await once.findings();
        await rm(join(dir, 'inspector2-list-findings.json'));

        expect(await once.findings()).to.equal(first);
        expect(await once.has('inspector2-list-findings.json')).to.equal(false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
