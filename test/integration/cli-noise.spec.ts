import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-20T12:00:00Z';

// Issue 15, item 8: output a person reads says what is meant, in the right number, and no more.
describe('sre-ops CLI output without noise (issue 15)', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-cli-noise-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('counts agree with their nouns (no "1 instances", "1 active findings")', async () => {
    const fleet = await runCli(['assess', '--now', NOW]);
    const one = await runCli(['assess', '--now', NOW, '--decision', 'mitigate']);

    for (const r of [fleet, one]) {
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).not.to.match(/\b1 (instances|active findings|risk-accepted findings)\b/);
    }
    const detail = JSON.parse((await runCli(['assess', '--json', '--now', NOW])).stdout) as { assets: { name: string; findings: unknown[] }[] };
    const single = detail.assets.find((a) => a.findings.length === 1);
    if (single) {
      const r = await runCli(['findings', single.name, '--now', NOW]);
      expect(r.stdout).to.match(/^1 active finding$/m);
    }
  });

  it('activity with no events says so, without an empty table header', async () => {
    const r = await runCli(['activity', 'web-1', '--hours', '1', '--now', '2030-01-01T00:00:00Z']);

    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^0 events, 0 flagged$/m);
    expect(r.stdout).not.to.contain('TIME (UTC)');
  });

  it('a dry run reads as a scan that installs nothing and never reboots (not "Scan RebootIfNeeded")', async () => {
    const r = await runCli(['patch', 'web-1', '--dry-run', '--yes', '--state', join(tmp, 'state.db'), '--now', NOW]);

    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('Scan (dry run: nothing installed, no reboot)');
    expect(r.stdout).not.to.contain('RebootIfNeeded');
    const audit = JSON.parse((await runCli(['audit', '--json', '--state', join(tmp, 'state.db')])).stdout) as { entries: { detail: string | null }[] };
    expect(audit.entries.map((e) => e.detail ?? '').join('\n')).to.match(/Scan of 1 instance in 1 wave;/);
  });

  it('metrics --json gives the period of the points it has and each metric\'s unit', async () => {
    const r = await runCli(['metrics', 'web-1', '--json', '--now', NOW]);
    const report = JSON.parse(r.stdout) as { periodSeconds: number; metrics: Record<string, { unit: string; count: number }> };

    // The demo fleet holds hourly points: a report saying 300 would misstate them.
    expect(report.metrics.cpu?.count).to.be.above(1);
    expect(report.periodSeconds).to.equal(3600);
    expect(Object.fromEntries(Object.entries(report.metrics).map(([k, v]) => [k, v.unit]))).to.deep.equal({ cpu: 'Percent', networkIn: 'Bytes', networkOut: 'Bytes', statusCheckFailed: 'Count' });
  });
});
