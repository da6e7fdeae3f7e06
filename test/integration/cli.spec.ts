import { expect } from 'chai';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-20T12:00:00Z';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DECISIONS = ['patch-now', 'next-window', 'routine', 'none', 'blocked', 'mitigate'];

describe('sre-ops CLI (the built binary, end to end on the demo fleet)', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-cli-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('assess --json follows the documented contract, sorted by risk', async () => {
    const r = await runCli(['assess', '--json', '--now', NOW]);

    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(report.generatedAt).to.equal('2026-11-20T12:00:00.000Z');
    expect(report.asOf).to.equal('option');
    expect(report.source).to.equal('demo');
    expect(report.assets.length).to.be.at.least(12);
    const scores = report.assets.map((a: { riskScore: number }) => a.riskScore);
    expect(scores).to.deep.equal([...scores].sort((x: number, y: number) => y - x));
    for (const a of report.assets) {
      expect(a.instanceId).to.match(/^i-[0-9a-f]+$/);
      expect(['low', 'medium', 'high']).to.include(a.mission);
      expect(a.exposed).to.be.a('boolean');
      expect(a.managed === null || typeof a.managed === 'boolean').to.equal(true);
      expect(a.riskScore).to.be.within(0, 100);
      expect(DECISIONS).to.include(a.decision);
      expect(a.dueBy === null || ISO.test(a.dueBy)).to.equal(true);
      expect(a.rebootExpected).to.be.a('boolean');
      expect(a.forensicTriage).to.be.a('boolean');
      const fs = a.findings.map((f: { riskScore: number }) => f.riskScore);
      expect(fs).to.deep.equal([...fs].sort((x: number, y: number) => y - x));
      for (const f of a.findings) {
        expect(f).to.have.keys(
          'findingArn', 'vulnerabilityId', 'title', 'type', 'severity', 'riskScore', 'exploitation', 'automatable', 'technicalImpact', 'inKev',
          'cvssScore', 'cvssVector', 'epss', 'ssvc', 'timeline', 'dueBy', 'overdue', 'fixAvailable', 'packages', 'firstObservedAt', 'reasons',
          'relatedVulnerabilities', 'due',
        );
        expect(['none', 'public poc', 'active']).to.include(f.exploitation);
        expect(['track', 'track*', 'attend', 'act']).to.include(f.ssvc);
        expect(['3 days and forensic investigation', '3 days', '14 days', '60 days', 'fix on system upgrade']).to.include(f.timeline);
        expect(['YES', 'NO', 'PARTIAL']).to.include(f.fixAvailable);
      }
    }
    const s = report.summary;
    expect(s.assets).to.equal(report.assets.length);
    expect(s.findings).to.equal(report.assets.reduce((n: number, a: { findings: unknown[] }) => n + a.findings.length, 0));
    expect(Object.values(s.byDecision).reduce((x, y) => (x as number) + (y as number), 0)).to.equal(s.assets);
    expect(report.warnings).to.be.an('array');
  });

  it('the demo fleet shows every kind of decision a reader should see', async () => {
    const r = await runCli(['assess', '--json', '--now', NOW]);
    const report = JSON.parse(r.stdout);
    const decisions = new Set(report.assets.map((a: { decision: string }) => a.decision));

    for (const d of ['patch-now', 'next-window', 'blocked', 'mitigate']) expect(decisions, d).to.include(d);
  });

  it('without --source it uses the demo fleet and says so on stderr', async () => {
    const r = await runCli(['assess', '--now', NOW]);

    expect(r.code).to.equal(0);
    expect(r.stderr).to.contain('using the bundled demo fleet');
    expect(r.stdout).to.match(/^RISK\s+INSTANCE\s+NAME/m);
    expect(r.stdout).not.to.contain('\u001b[');
  });

  it('colours only when asked to (FORCE_COLOR) since stdout is not a TTY', async () => {
    const r = await runCli(['assess', '--now', NOW], { FORCE_COLOR: '1' });

    expect(r.stdout).to.contain('\u001b[');
  });

  it('assess --instance takes a Name tag and shows that instance in detail', async () => {
    const all = JSON.parse((await runCli(['assess', '--json', '--now', NOW])).stdout);
    const top = all.assets[0];

    const r = await runCli(['assess', '--instance', top.name ?? top.instanceId, '--json', '--now', NOW]);

    expect(r.code, r.stderr).to.equal(0);
    const one = JSON.parse(r.stdout);
    expect(one.assets).to.have.length(1);
    expect(one.assets[0].instanceId).to.equal(top.instanceId);
    expect(one.assets[0].riskScore).to.equal(top.riskScore);
  });

  it('plan --json lists every decision with windows, waves and due dates', async () => {
    const r = await runCli(['plan', '--json', '--now', NOW]);

    expect(r.code, r.stderr).to.equal(0);
    const plan = JSON.parse(r.stdout);
    expect(Object.keys(plan.byDecision)).to.have.members(DECISIONS);
    const patched = [...plan.byDecision['patch-now'], ...plan.byDecision['next-window'], ...plan.byDecision.routine];
    expect(patched.length).to.be.greaterThan(0);
    for (const p of patched) {
      expect(p.window.start).to.match(ISO);
      expect(p.window.why).to.be.a('string').and.not.empty;
      expect(p.wave).to.be.a('number');
      expect(p.canary).to.be.a('boolean');
    }
    expect(plan.waves.length).to.be.greaterThan(0);
  });

  it('npm start\'s command (plan) prints a readable plan', async () => {
    const r = await runCli(['plan', '--now', NOW]);

    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('Patch plan');
    expect(r.stdout).to.match(/patch-now \(\d+\)/);
  });

  it('findings, compliance, metrics and activity answer on the demo fleet', async () => {
    const assess = JSON.parse((await runCli(['assess', '--json', '--now', NOW])).stdout);
    const name = assess.assets[0].name as string;

    const findings = await runCli(['findings', name, '--min-severity', 'high', '--json', '--now', NOW]);
    const compliance = await runCli(['compliance', '--json', '--now', NOW]);
    const metrics = await runCli(['metrics', name, '--hours', '72', '--json', '--now', NOW]);
    const activity = await runCli(['activity', name, '--hours', '336', '--json', '--now', NOW]);

    for (const r of [findings, compliance, metrics, activity]) expect(r.code, r.stderr).to.equal(0);
    const f = JSON.parse(findings.stdout);
    expect(f.findings.every((x: { severity: string }) => ['HIGH', 'CRITICAL'].includes(x.severity))).to.equal(true);
    expect(JSON.parse(compliance.stdout).instances).to.equal(assess.assets.length);
    expect(JSON.parse(metrics.stdout).metrics.cpu.count).to.be.greaterThan(0);
    expect(JSON.parse(activity.stdout).total).to.be.greaterThan(0);
  });

  it('an unknown instance is an error listing near matches (exit 1)', async () => {
    const assess = JSON.parse((await runCli(['assess', '--json', '--now', NOW])).stdout);
    const name = assess.assets[0].name as string;

    const r = await runCli(['findings', `${name}x`, '--now', NOW]);

    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`no instance matches "${name}x"; did you mean`);
    expect(r.stderr).to.contain(name);
    expect(r.stderr).not.to.match(/\n\s+at /);
  });

  it('usage errors exit 2 with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['assess', '--bogus'], /Unknown argument: bogus/],
      [['frobnicate'], /Unknown argument: frobnicate|Unknown command/],
      [[], /name a command/],
      [['assess', '--now', 'yesterday'], /now: expected an ISO 8601 date/],
      [['findings', 'web-1', '--min-severity', 'urgent'], /min-severity: expected one of informational/],
      [['metrics', 'web-1', '--hours', '0'], /hours: expected a whole number from 1 to 2160/],
      [['assess', '--source', 'ftp://x'], /source: expected demo, snapshot:DIR or aws/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(message);
    }
  });

  it('a bad policy file is refused with the offending key named', async () => {
    const file = join(tmp, 'policy.json');
    writeFileSync(file, JSON.stringify({ rollout: { maxErrors: 'lots' } }));
    const typo = join(tmp, 'typo.json');
    writeFileSync(typo, JSON.stringify({ timelineDays: { threeDay: 7 } }));

    const bad = await runCli(['assess', '--policy', file]);
    const unknown = await runCli(['assess', '--policy', typo]);
    const missing = await runCli(['assess', '--policy', join(tmp, 'nope.json')]);

    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain(`policy file ${file}: rollout.maxErrors: expected a count such as "1"`);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain('timelineDays.threeDay: unknown key');
    expect(missing.stderr).to.contain('no such file');
  });

  it('an autopilot policy whose standing approval would let production patch without a second person is refused by name (exit 2, one line)', async () => {
    const file = join(tmp, 'autopilot.json');
    writeFileSync(file, JSON.stringify({ autopilot: { enabled: true, environments: ['staging', 'prod'], standingApproval: { allowed: true } } }));

    const r = await runCli(['autopilot', 'status', '--policy', file]);

    expect(r.code).to.equal(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).to.deep.equal([`error: policy file ${file}: autopilot.environments[1]: "prod" is a production environment (productionEnvironments): the standing approval would let production patch without a second person; production and patch-now need a second person, so autopilot.standingApproval.allowed must be false with it`]);
  });

  it('a policy file changes the answer (7 / 30 / 90 day timelines)', async () => {
    const file = join(tmp, 'fast.json');
    writeFileSync(file, JSON.stringify({ timelineDays: { threeDays: 1, fourteenDays: 7 } }));

    const base = JSON.parse((await runCli(['assess', '--json', '--now', NOW])).stdout);
    const fast = JSON.parse((await runCli(['assess', '--json', '--now', NOW, '--policy', file])).stdout);

    const firstDue = (r: { assets: { findings: { timeline: string; dueBy: string }[] }[] }) =>
      r.assets.flatMap((a) => a.findings).find((f) => f.timeline === '14 days');
    const b = firstDue(base)!;
    const f = fast.assets.flatMap((a: { findings: { findingArn: string; dueBy: string }[] }) => a.findings).find((x: { findingArn: string }) => x.findingArn === (b as unknown as { findingArn: string }).findingArn);
    expect(Date.parse(b.dueBy) - Date.parse(f.dueBy)).to.equal(7 * 86_400_000);
  });

  it('a snapshot folder without the required files says which file is missing (exit 1)', async () => {
    const r = await runCli(['assess', '--source', `snapshot:${tmp}`]);

    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/ec2-describe-instances\.json|inspector2-list-findings\.json/);
    expect(r.stderr).to.contain(tmp);
  });

  it('--help lists every command', async () => {
    const r = await runCli(['--help']);

    expect(r.code).to.equal(0);
    for (const c of ['assess', 'findings <instance>', 'plan', 'compliance', 'metrics <instance>', 'activity <instance>']) expect(r.stdout).to.contain(c);
  });
});
