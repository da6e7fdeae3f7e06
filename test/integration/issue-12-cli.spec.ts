/**
 * Issue 12, end to end on the built binary and a snapshot fixture (test/fixtures/snapshots/issue-12):
 * each numbered defect this branch fixes, reproduced as a user meets it.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssetReport, FleetReport } from '../../ports/inbound/assessment/fleet-report.port.js';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const SOURCE = `snapshot:${join(REPO_ROOT, 'test', 'fixtures', 'snapshots', 'issue-12')}`;
const NOW = '2026-11-20T12:00:00Z';

describe('issue 12 on a snapshot (the built binary)', function () {
  this.timeout(120_000);
  let home: string;
  let common: string[];
  let fleet: FleetReport;

  function asset(r: FleetReport, name: string): AssetReport {
    const a = r.assets.find((x) => x.name === name);
    if (!a) throw new Error(`no asset ${name}`);
    return a;
  }

  async function assess(now = NOW): Promise<FleetReport> {
    const r = await runCli(['assess', '--json', '--now', now, ...common]);
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as FleetReport;
  }

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sre-ops-issue-12-'));
    const policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({ access: { actors: { bob: ['approver'] } } }));
    common = ['--source', SOURCE, '--state', join(home, 'state.db'), '--policy', policy, '--actor', 'bob'];
    fleet = await assess();
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('1. a lone strong track finding lifts its asset at least one point above an asset with none', () => {
    const lone = asset(fleet, 'lone-track');

    expect(lone.findings[0]?.ssvc).to.equal('track');
    expect(lone.riskScore).to.be.at.least(1 + (lone.findings[0]?.riskScore ?? 0));
    expect(lone.scoreReasons.some((r) => r.startsWith('1 point for a counted finding'))).to.equal(true);
  });

  it('3. a Windows KB finding whose related CVE is in KEV is act with forensic triage, and its update expects a reboot', () => {
    const win = asset(fleet, 'win-1');
    const kb = win.findings[0];

    expect(kb).to.deep.include({ vulnerabilityId: 'KB5023697', relatedVulnerabilities: ['CVE-2023-21768', 'CVE-2023-23415'], inKev: true, exploitation: 'active', ssvc: 'act' });
    expect(kb?.timeline).to.equal('3 days and forensic investigation');
    expect(win).to.include({ decision: 'patch-now', forensicTriage: true, rebootExpected: true });
    expect(win.decisionReasons).to.include('reboot expected: Windows update KB5023697 among the fixes');
  });

  it('3. the human report shows the related CVEs', async () => {
    const r = await runCli(['findings', 'win-1', '--now', NOW, ...common]);

    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('KB5023697 (CVE-2023-21768, CVE-2023-23415)');
  });

  it('4. network reachability only makes the instance exposed (TCP port 22): no timeline, due date, overdue or patch item', () => {
    const edge = asset(fleet, 'edge-1');

    expect(edge.exposed).to.equal(true);
    expect(edge.findings.map((f) => f.type)).to.deep.equal(['PACKAGE_VULNERABILITY']);
    expect(edge.findings[0]?.reasons.some((r) => r.includes('TCP port 22'))).to.equal(true);
    expect(edge.decision).to.equal('routine');
    expect(fleet.summary.overdue).to.equal(1);
  });

  it('5. an overdue routine finding makes its instance patch-now, naming the finding and how late', async () => {
    const batch = asset(fleet, 'batch-1');
    expect(batch.decision).to.equal('patch-now');
    expect(batch.decisionReasons).to.include('overdue: CVE-2023-22222 was due 2026-09-30, 51 days ago');

    const plan = await runCli(['plan', '--json', '--now', NOW, ...common]);
    expect(plan.code, plan.stderr).to.equal(0);
    const planned = (JSON.parse(plan.stdout) as { byDecision: Record<string, { name: string | null; window: { start: string } | null }[]> }).byDecision['patch-now']?.find((i) => i.name === 'batch-1');
    expect(Date.parse(planned?.window?.start ?? '') - Date.parse(NOW)).to.be.within(0, 72 * 3_600_000);
  });

  it('10. a CVE listed in KEV after the finding was first seen is due from the listing, and says so', () => {
    const f = asset(fleet, 'kev-late').findings[0];

    expect(f?.dueBy).to.equal('2026-11-21T00:00:00.000Z');
    expect(f?.overdue).to.equal(false);
    expect(f?.due).to.equal('due 2026-11-21: 3 days from the CISA KEV listing on 2026-11-18 (later than first observed 2026-10-01)');
  });

  it('3. accept takes a KB id and an ALAS related id; an id nothing is known by is refused with near matches unless --force', async () => {
    const kb = await runCli(['accept', 'KB5023697', '--instance', 'win-1', '--until', '2026-12-31', '--reason', 'isolated VLAN', '--yes', '--now', NOW, '--json', ...common]);
    const typo = await runCli(['accept', 'ALAS-2025-2879', '--fleet', '--until', '2026-12-31', '--reason', 'vendor fix pending', '--yes', '--now', NOW, ...common]);
    const forced = await runCli(['accept', 'ALAS-2025-2879', '--fleet', '--until', '2026-12-31', '--reason', 'vendor fix pending', '--yes', '--force', '--now', NOW, '--json', ...common]);
    const alas = await runCli(['accept', 'alas2023-2025-2879', '--fleet', '--until', '2026-12-31', '--reason', 'vendor fix pending', '--yes', '--now', NOW, '--json', ...common]);

    expect(kb.code, kb.stderr).to.equal(0);
    expect(typo.code).to.not.equal(0);
    expect(typo.stderr.trim().split('\n')).to.have.length(1);
    expect(typo.stderr).to.match(/vulnerabilityId: ALAS-2025-2879 matches no finding in the fleet; near: ALAS2023-2025-2879; to accept it anyway, force it/);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(alas.code, alas.stderr).to.equal(0);

    const after = await assess();
    expect(asset(after, 'win-1').accepted.map((f) => f.vulnerabilityId)).to.deep.equal(['KB5023697']);
    expect(asset(after, 'al2-app').accepted.map((f) => f.acceptance?.id)).to.deep.equal([(JSON.parse(alas.stdout) as { id: string }).id]);

    // Leave no acceptance behind for the tests that follow.
    for (const r of [kb, forced, alas]) {
      const revoked = await runCli(['revoke', (JSON.parse(r.stdout) as { id: string }).id, '--yes', '--now', NOW, ...common]);
      expect(revoked.code, revoked.stderr).to.equal(0);
    }
  });

  it('2. a revoked acceptance never applies again, also to assessments before the revocation; an expired one applies before its end', async () => {
    // accept and revoke run at the wall clock (after the snapshot); assessments look back with --now.
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const accepted = await runCli(['accept', 'CVE-2025-44444', '--instance', 'lone-track', '--until', until, '--reason', 'WAF rule', '--yes', '--json', ...common]);
    expect(accepted.code, accepted.stderr).to.equal(0);
    const id = (JSON.parse(accepted.stdout) as { id: string }).id;

    // Before its until it applies, also before it was created; from its until on it does not
    // (an expiry previewed with --now).
    expect(asset(await assess(NOW), 'lone-track').accepted).to.have.length(1);
    const afterEnd = new Date(Date.parse(`${until}T00:00:00Z`) + 2 * 86_400_000).toISOString();
    expect(asset(await assess(afterEnd), 'lone-track').findings).to.have.length(1);

    const revoked = await runCli(['revoke', id, '--yes', ...common]);
    expect(revoked.code, revoked.stderr).to.equal(0);

    for (const now of ['2026-11-19T00:00:00Z', NOW, new Date().toISOString()]) {
      const lone = asset(await assess(now), 'lone-track');
      expect(lone.accepted, now).to.have.length(0);
      expect(lone.findings, now).to.have.length(1);
    }
    const list = await runCli(['acceptances', '--json', ...common]);
    expect((JSON.parse(list.stdout) as { acceptances: unknown[] }).acceptances).to.have.length(0);
  });
});
