/**
 * The built `sre-ops` binary, end to end, on the inputs a person names: explicit files fail
 * loudly, partial captures say so, a snapshot is assessed as of its capture, instants carry a
 * zone, and snapshot files are read safely (issue 12 items 6-9, issue 13 item 9).
 */
import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_FLEET, REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'snapshots');
const snapshot = (name: string): string => `snapshot:${join(FIXTURES, name)}`;

interface Fleet {
  generatedAt: string;
  asOf: string;
  warnings: string[];
  summary: { findings: number };
  assets: { instanceId: string; findings: { vulnerabilityId: string; timeline: string; dueBy: string }[] }[];
}

describe('sre-ops CLI: the inputs a person names', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-inputs-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('--kev FILE fails loudly (exit 1, naming the file and what is wrong)', () => {
    it('a missing, empty, directory or non-KEV file stops the report instead of changing due dates', async () => {
      const empty = join(tmp, 'empty.json');
      writeFileSync(empty, '');
      const notKev = join(tmp, 'not-kev.json');
      writeFileSync(notKev, JSON.stringify({ name: 'a package.json, say' }));
      const dir = join(tmp, 'a-folder');
      mkdirSync(dir);
      const cases: [string, string][] = [
        [join(tmp, 'nope.json'), `cannot read the KEV catalog ${join(tmp, 'nope.json')}: the file does not exist`],
        [empty, `cannot read the KEV catalog ${empty}: the file is empty`],
        [dir, `cannot read the KEV catalog ${dir}: it is a directory, not a file`],
        [notKev, `${notKev} is not a CISA KEV catalog: expected an object with a "vulnerabilities" array`],
      ];
      for (const [file, message] of cases) {
        for (const command of ['assess', 'plan']) {
          const r = await runCli([command, '--json', '--kev', file, '--now', '2026-11-20T12:00:00Z']);

          expect(r.code, `${command} --kev ${file}: ${r.stderr}`).to.equal(1);
          expect(r.stderr).to.contain(message);
          expect(r.stdout).to.equal('');
        }
      }
    });

    it('serve and mcp read a named --kev FILE on start and refuse to start without it', async () => {
      const file = join(tmp, 'absent-kev.json');
      for (const args of [['serve', '--insecure-no-auth', '--host', '127.0.0.1', '--port', '0'], ['mcp']]) {
        const r = await runCli([...args, '--kev', file]);

        expect(r.code, `${args[0]}: ${r.stderr}`).to.equal(1);
        expect(r.stderr).to.contain(`cannot read the KEV catalog ${file}: the file does not exist`);
      }
    });

    it('a good --kev FILE is used (the demo fleet\'s own catalog gives the same answer as the default)', async () => {
      const args = ['assess', '--json', '--now', '2026-11-20T12:00:00Z'];
      const byDefault = await runCli(args);
      const named = await runCli([...args, '--kev', join(DEMO_FLEET, 'kev.json')]);

      expect(named.code, named.stderr).to.equal(0);
      expect(JSON.parse(named.stdout).assets).to.deep.equal(JSON.parse(byDefault.stdout).assets);
    });
  });

  describe('a capture cut short (a next token left in the file)', () => {
    it('every report that reads it warns, naming the file and saying the answer is partial', async () => {
      const instances = join(FIXTURES, 'truncated', 'ec2-describe-instances.json');
      const findings = join(FIXTURES, 'truncated', 'inspector2-list-findings.json');
      const warned = (text: string, file: string): boolean => text.includes(`${file} still carries a next token`) && text.includes('the answer is partial');

      const assess = await runCli(['assess', '--json', '--source', snapshot('truncated')]);
      expect(assess.code, assess.stderr).to.equal(0);
      const fleet = JSON.parse(assess.stdout) as Fleet;
      expect(fleet.warnings.some((w) => warned(w, instances)), fleet.warnings.join('\n')).to.equal(true);
      expect(fleet.warnings.some((w) => warned(w, findings)), fleet.warnings.join('\n')).to.equal(true);

      for (const args of [['plan'], ['findings', 'web-1'], ['compliance'], ['metrics', 'web-1'], ['activity', 'web-1'], ['assess', '--instance', 'web-1']]) {
        const r = await runCli([...args, '--source', snapshot('truncated')]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(0);
        expect(warned(r.stderr, instances), `${args.join(' ')}: ${r.stderr}`).to.equal(true);
      }
      const plan = await runCli(['plan', '--source', snapshot('truncated')]);
      expect(warned(plan.stderr, findings), plan.stderr).to.equal(true);
    });

    it('--strict makes it exit 1, naming the file', async () => {
      const r = await runCli(['assess', '--strict', '--source', snapshot('truncated')]);

      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/truncated\/(ec2-describe-instances|inspector2-list-findings)\.json still carries a next token/);
      expect(r.stdout).to.equal('');
    });

    it('a complete capture passes --strict', async () => {
      const r = await runCli(['assess', '--strict', '--json', '--source', snapshot('minimal')]);

      expect(r.code, r.stderr).to.equal(0);
      expect((JSON.parse(r.stdout) as Fleet).warnings.join('\n')).not.to.contain('next token');
    });
  });

  it('takes a bare array of findings (what `aws inspector2 list-findings --query findings` writes)', async () => {
    const bare = await runCli(['assess', '--json', '--source', snapshot('bare-findings')]);
    const wrapped = await runCli(['assess', '--json', '--source', snapshot('minimal')]);

    expect(bare.code, bare.stderr).to.equal(0);
    const b = JSON.parse(bare.stdout) as Fleet;
    expect(b.summary.findings).to.be.greaterThan(0);
    expect(b.assets).to.deep.equal((JSON.parse(wrapped.stdout) as Fleet).assets);
  });

  describe('a snapshot is assessed as of its capture', () => {
    it('metrics of a snapshot find the captured points, counting back from capturedAt, and say so', async () => {
      const r = await runCli(['metrics', 'web-1', '--json', '--source', `snapshot:${DEMO_FLEET}`]);
      const human = await runCli(['metrics', 'web-1', '--source', `snapshot:${DEMO_FLEET}`]);

      expect(r.code, r.stderr).to.equal(0);
      const m = JSON.parse(r.stdout) as { generatedAt: string; asOf: string; end: string; metrics: { cpu: { count: number } } };
      const captured = (JSON.parse(readFileSync(join(DEMO_FLEET, 'snapshot.json'), 'utf8')) as { capturedAt: string }).capturedAt;
      expect(Date.parse(m.generatedAt)).to.equal(Date.parse(captured));
      expect(m.end).to.equal(m.generatedAt);
      expect(m.asOf).to.equal('capturedAt');
      expect(m.metrics.cpu.count).to.be.greaterThan(0);
      expect(human.stdout.split('\n')[0]).to.contain('as of 2026-11-20 12:00 UTC (capture time)');
    });

    it('a snapshot gives the same due dates and overdue counts as the demo fleet it copies', async () => {
      const demo = JSON.parse((await runCli(['assess', '--json'])).stdout) as Fleet;
      const snap = JSON.parse((await runCli(['assess', '--json', '--source', `snapshot:${DEMO_FLEET}`])).stdout) as Fleet;

      expect(snap.generatedAt).to.equal(demo.generatedAt);
      expect(snap.assets).to.deep.equal(demo.assets);
    });

    it('without snapshot.json, as of the newest lastObservedAt in it; --now still overrides', async () => {
      const r = await runCli(['assess', '--json', '--source', snapshot('no-manifest')]);
      const human = await runCli(['assess', '--source', snapshot('no-manifest')]);
      const now = await runCli(['assess', '--json', '--source', snapshot('no-manifest'), '--now', '2026-12-01']);

      expect(r.code, r.stderr).to.equal(0);
      const fleet = JSON.parse(r.stdout) as Fleet;
      // The fixture's newest lastObservedAt: 1795167000.5 epoch seconds (finding 0002).
      expect(fleet.generatedAt).to.equal(new Date(1795167000500).toISOString());
      expect(fleet.asOf).to.equal('lastObservedAt');
      expect(human.stdout.split('\n')[0]).to.contain('(newest finding observation in the snapshot)');
      const n = JSON.parse(now.stdout) as Fleet;
      expect(n.generatedAt).to.equal('2026-12-01T00:00:00.000Z');
      expect(n.asOf).to.equal('option');
    });

    it('every JSON report carries asOf', async () => {
      for (const args of [['assess'], ['plan'], ['findings', 'web-1'], ['compliance'], ['metrics', 'web-1'], ['activity', 'web-1']]) {
        const r = await runCli([...args, '--json', '--source', snapshot('minimal')]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(0);
        const report = JSON.parse(r.stdout) as { generatedAt: string; asOf: string };
        expect(report, args.join(' ')).to.include({ asOf: 'capturedAt', generatedAt: '2026-11-20T12:00:00.000Z' });
      }
    });
  });

  describe('instants and dates', () => {
    it('--now without a zone is refused (exit 2), saying to add Z or an offset', async () => {
      const r = await runCli(['assess', '--now', '2026-11-20T12:00:00'], { TZ: 'America/New_York' });

      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('now: "2026-11-20T12:00:00" has no time zone; add Z for UTC or an offset such as +02:00');
    });

    it('impossible dates are refused by name, in --now, --until and --since alike', async () => {
      const state = join(tmp, 'state.db');
      const now = await runCli(['assess', '--now', '2026-02-30']);
      const until = await runCli(['accept', 'CVE-2024-6387', '--fleet', '--until', '2026-11-31', '--reason', 'test', '--yes', '--state', state]);
      const since = await runCli(['audit', '--since', '2026-13-01', '--state', state]);

      expect(now.code).to.equal(2);
      expect(now.stderr).to.contain('now: 2026-02-30 is not a date (February 2026 has 28 days)');
      expect(until.code, until.stderr).to.equal(2);
      expect(until.stderr).to.contain('until: 2026-11-31 is not a date (November 2026 has 30 days)');
      expect(since.code, since.stderr).to.equal(2);
      expect(since.stderr).to.contain('since: 2026-13-01 is not a date (there is no month 13)');
    });

    it('a plain date is UTC midnight and an offset is honoured', async () => {
      const date = JSON.parse((await runCli(['assess', '--json', '--now', '2026-11-20'])).stdout) as Fleet;
      const offset = JSON.parse((await runCli(['assess', '--json', '--now', '2026-11-20T02:00:00+02:00'])).stdout) as Fleet;

      expect(date.generatedAt).to.equal('2026-11-20T00:00:00.000Z');
      expect(offset.generatedAt).to.equal('2026-11-20T00:00:00.000Z');
      expect(offset.asOf).to.equal('option');
    });
  });

  describe('snapshot files are read safely', () => {
    it('a symlink leading outside the snapshot folder is refused by name, its target never quoted', async () => {
      const dir = join(tmp, 'linked');
      cpSync(join(FIXTURES, 'minimal'), dir, { recursive: true });
      rmSync(join(dir, 'ec2-describe-instances.json'));
      symlinkSync('/etc/passwd', join(dir, 'ec2-describe-instances.json'));

      const r = await runCli(['assess', '--source', `snapshot:${dir}`]);

      expect(r.code).to.equal(1);
      expect(r.stderr).to.contain(`ec2-describe-instances.json in the snapshot directory ${dir} is a symbolic link to a file outside that folder`);
      expect(r.stderr).not.to.contain('root:');
    });

    it('a symlink to a file inside the folder is read', async () => {
      const dir = join(tmp, 'linked-inside');
      cpSync(join(FIXTURES, 'minimal'), dir, { recursive: true });
      mkdirSync(join(dir, 'raw'));
      cpSync(join(dir, 'ec2-describe-instances.json'), join(dir, 'raw', 'instances.json'));
      rmSync(join(dir, 'ec2-describe-instances.json'));
      symlinkSync(join('raw', 'instances.json'), join(dir, 'ec2-describe-instances.json'));

      const r = await runCli(['assess', '--json', '--source', `snapshot:${dir}`]);

      expect(r.code, r.stderr).to.equal(0);
    });

    it('a file that is not JSON is refused without quoting its content', async () => {
      const dir = join(tmp, 'not-json');
      cpSync(join(FIXTURES, 'minimal'), dir, { recursive: true });
      writeFileSync(join(dir, 'ec2-describe-instances.json'), 'root:*:20242:0:99999:7:::\ndaemon:*:20242:0:99999:7:::\n');

      const r = await runCli(['assess', '--source', `snapshot:${dir}`]);

      expect(r.code).to.equal(1);
      expect(r.stderr).to.contain(`${join(dir, 'ec2-describe-instances.json')} is not valid JSON: line 1, column 1: expected a value, found a letter`);
      expect(r.stderr).not.to.match(/root:|daemon|20242/);
    });

    it('a JSON syntax error is located at its true line and column, deep in a long findings file', async () => {
      const file = join(FIXTURES, 'bad-json-line-12', 'inspector2-list-findings.json');
      const r = await runCli(['assess', '--source', snapshot('bad-json-line-12')]);

      expect(r.code).to.equal(1);
      expect(r.stderr).to.contain(`${file} is not valid JSON: line 12, column 33: expected a value, found a letter`);
      expect(r.stderr).not.to.contain('NotAvailab');
    });
  });
});
