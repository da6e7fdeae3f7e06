/**
 * The compact resident form changes no answer: on the demo fleet and every readable fixture, the
 * findings built back from a FindingTable equal the ones read, and every asset's report (the JSON
 * contract of assess --json) is the same whether assessed from them or from the ones read.
 */
import { expect, use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { assessAsset, compareAssessments } from '../../../../../domain/asset-assessment.js';
import { DEFAULT_POLICY } from '../../../../../domain/policy.js';
import { FindingTable } from '../../../../../domain/finding-table.js';
import type { Finding } from '../../../../../domain/fleet-facts.js';
import { SnapshotDirectory } from '../../../../../adapters/outbound/snapshot/snapshot-directory.js';
import { FileKevCatalog } from '../../../../../adapters/outbound/kev/file-kev-catalog.js';
import { toAssetReport } from '../../../../../ports/use-cases/assessment/fleet-report.mapper.js';
import { demoFleet, fixture } from './fixtures.js';

use(chaiAsPromised);

const NOW = Date.parse('2026-11-20T12:00:00Z');

async function reports(dir: SnapshotDirectory, findings: readonly Finding[]): Promise<unknown[]> {
  const kev = (await dir.has('kev.json')) ? (await new FileKevCatalog(dir.pathOf('kev.json')).load()).catalog : null;
  const managed = await dir.managedInstances();
  const states = await dir.patchStates();
  const by = new Map<string, Finding[]>();
  for (const f of findings) (by.get(f.instanceId) ?? by.set(f.instanceId, []).get(f.instanceId)!).push(f);
  const ctx = { catalog: kev, acceptances: [], now: NOW, policy: DEFAULT_POLICY };
  return (await dir.instances())
    .map((asset) => assessAsset({ asset, findings: by.get(asset.instanceId) ?? [], managedInstance: managed === null ? undefined : (managed.get(asset.instanceId) ?? null), patchState: states?.get(asset.instanceId) ?? null }, ctx))
    .sort(compareAssessments)
    .map((a) => toAssetReport(a, NOW, DEFAULT_POLICY.tags.environment));
}

describe('the compact form of findings on the demo fleet and the fixtures', () => {
  for (const [name, path] of [['demo fleet', demoFleet()], ...['minimal', 'bare-findings', 'issue-12', 'no-manifest', 'truncated'].map((f) => [f, fixture(f)])] as const) {
    it(`${name}: same findings back, same asset reports`, async () => {
      const dir = new SnapshotDirectory(path);
      const read = await dir.findings();
      const table = new FindingTable();
      for (const f of read) table.add(f);
      const back = [...table];
      expect(back).to.deep.equal(read);
      expect(await reports(dir, back)).to.deep.equal(await reports(dir, read));
    });
  }
});

describe('the inventory read one reservation at a time', () => {
  it('maps the demo fleet and the fixtures as the whole-document parse does, next token included', async () => {
    const { readFile, mkdtemp, writeFile, copyFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { mapDescribeInstances } = await import('../../../../../adapters/outbound/aws-shapes/index.js');
    for (const path of [demoFleet(), fixture('minimal'), fixture('issue-12')]) {
      const whole = mapDescribeInstances(JSON.parse(await readFile(join(path, 'ec2-describe-instances.json'), 'utf8')), '$');
      expect(await new SnapshotDirectory(path).instances()).to.deep.equal(whole);
    }
    // A next token after the reservations (where the AWS CLI writes it) still marks the file partial.
    const dir = await mkdtemp(join(tmpdir(), 'sre-ops-inventory-'));
    const raw = JSON.parse(await readFile(join(fixture('minimal'), 'ec2-describe-instances.json'), 'utf8')) as object;
    await writeFile(join(dir, 'ec2-describe-instances.json'), JSON.stringify({ ...raw, NextToken: 'more' }));
    await copyFile(join(fixture('minimal'), 'inspector2-list-findings.json'), join(dir, 'inspector2-list-findings.json'));
    const partial = new SnapshotDirectory(dir);
    expect((await partial.instances()).length).to.be.above(0);
    expect(partial.warnings()).to.have.length(1);
    await expect(new SnapshotDirectory(dir, { strict: true }).instances()).to.be.rejectedWith('still carries a next token');
  });
});
