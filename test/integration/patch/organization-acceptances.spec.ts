/**
 * Risk acceptances on an organization read, through the CLI over the real composition (in
 * process: runCliInProcess), a capture of two accounts and a SQLite state file. Instance ids are
 * unique within an account and region only: both accounts here hold the same instances (the same
 * capture in each partition), with the same findings.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import type { AcceptanceReport } from '../../../ports/inbound/acceptances/acceptances.port.js';
import { runCliInProcess } from '../../support/cli-in-process.js';
import { ORG, twoAccountCapture } from '../../support/org-capture.js';

const { A, B, REGION: R, WEB, DB, NOW } = ORG;
// Acceptances are made at the real clock's time (the assessments are as of NOW, the capture time).
const UNTIL = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

describe('risk acceptances on an organization read: one instance of an id two accounts hold', function () {
  this.timeout(60_000);
  let home: string;
  let common: string[];

  before(() => {
    home = mkdtempSync(join(tmpdir(), 'sre-ops-org-accept-'));
    common = ['--source', `snapshot:${twoAccountCapture(home)}`, '--state', join(home, 'state.db'), '--now', NOW];
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  async function assess(): Promise<FleetReport> {
    const r = await runCliInProcess(['assess', '--json', ...common]);
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as FleetReport;
  }

  function counted(report: FleetReport, accountId: string, instanceId: string): string[] {
    const asset = report.assets.find((x) => x.accountId === accountId && x.instanceId === instanceId);
    if (!asset) throw new Error(`no asset ${accountId}/${instanceId}`);
    return asset.findings.map((f) => f.vulnerabilityId ?? f.type);
  }

  async function acceptances(): Promise<AcceptanceReport[]> {
    const r = await runCliInProcess(['acceptances', '--json', ...common]);
    expect(r.code, r.stderr).to.equal(0);
    return (JSON.parse(r.stdout) as { acceptances: AcceptanceReport[] }).acceptances;
  }

  it('accepting a bare id two accounts hold is refused in one line naming ACCOUNT/REGION/ID for each; nothing is stored', async () => {
    const r = await runCliInProcess(['accept', 'CVE-2024-6387', '--instance', WEB, '--until', UNTIL, '--reason', 'behind the WAF', '--yes', ...common]);

    expect(r.code).to.not.equal(0);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.contain(`"${WEB}" names 2 instances: ${A}/${R}/${WEB}, ${B}/${R}/${WEB}; use ACCOUNT/REGION/ID`);
    expect(await acceptances()).to.deep.equal([]);
  });

  it('accepting ACCOUNT/REGION/ID hides that account\'s finding only: the other account\'s finding of the same id stays counted', async () => {
    const before = await assess();
    expect(counted(before, A, WEB)).to.include('CVE-2024-6387');
    expect(counted(before, B, WEB)).to.include('CVE-2024-6387');

    const r = await runCliInProcess(['accept', 'CVE-2024-6387', '--instance', `${A}/${R}/${WEB}`, '--until', UNTIL, '--reason', 'behind the WAF', '--yes', ...common]);
    expect(r.code, r.stderr).to.equal(0);

    const after = await assess();
    expect(counted(after, A, WEB)).to.not.include('CVE-2024-6387');
    expect(counted(after, B, WEB)).to.include('CVE-2024-6387');
    expect(r.stdout).to.contain(`accepted on ${A}/${R}/${WEB}`);
    expect(after.summary.accepted).to.equal(before.summary.accepted + 1);
    const b = after.assets.find((x) => x.accountId === B && x.instanceId === WEB);
    expect(b?.riskScore).to.equal(before.assets.find((x) => x.accountId === B && x.instanceId === WEB)?.riskScore);
  });

  it('a bare id one account holds is accepted, recording that account and region; listings show them', async () => {
    const r = await runCliInProcess(['accept', 'CVE-2021-44228', '--instance', DB, '--until', UNTIL, '--reason', 'isolated subnet', '--yes', '--json', ...common]);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.include({ instanceId: DB, accountId: A, region: R });

    const list = await acceptances();
    expect(list.map((a) => ({ vulnerabilityId: a.vulnerabilityId, instanceId: a.instanceId, accountId: a.accountId, region: a.region }))).to.have.deep.members([
      { vulnerabilityId: 'CVE-2024-6387', instanceId: WEB, accountId: A, region: R },
      { vulnerabilityId: 'CVE-2021-44228', instanceId: DB, accountId: A, region: R },
    ]);
    const human = await runCliInProcess(['acceptances', ...common]);
    expect(human.code, human.stderr).to.equal(0);
    expect(human.stdout).to.contain(`${A}/${R}/${WEB}`).and.to.contain(`${A}/${R}/${DB}`);
  });

  it('read alone, one account\'s partition (no snapshot.json: its account unknown) counts the findings those acceptances cover, and says so in a warning', async () => {
    // Fail-safe: an acceptance hides risk, so one the read cannot place does not hide it, and not silently.
    const partition = ['--source', `snapshot:${join(home, 'capture', A, R)}`, '--state', join(home, 'state.db'), '--now', NOW];
    const r = await runCliInProcess(['assess', '--json', ...partition]);
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout) as FleetReport;
    const db = report.assets.find((x) => x.instanceId === DB);
    expect(db?.findings.map((f) => f.vulnerabilityId)).to.include('CVE-2021-44228');
    expect(report.warnings).to.include("2 risk acceptances name an account and region, but this source's own account and region are unknown: not applied, their findings are counted");
  });
});
