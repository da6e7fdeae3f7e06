import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/run-cli.js';

/** One line on stderr (after the demo-fleet notice), no stack, no "internal error". */
function oneLine(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('using the bundled demo fleet') && !l.startsWith('run "sre-ops --help"'));
  expect(r.stderr).not.to.contain('internal error');
  expect(r.stderr).not.to.match(/\n\s+at /);
  expect(lines, r.stderr).to.have.length(1);
  return lines[0] as string;
}

describe('sre-ops CLI: every error a user can cause names the option typed (issue 15)', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-cli-errors-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('1. serve and --state', () => {
    let taken: Server;
    let port: number;
    before(async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      port = (taken.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    it('serve --port that is taken: exit 1, names --port', async () => {
      const r = await runCli(['serve', '--port', String(port), '--host', '127.0.0.1', '--insecure-no-auth']);

      expect(r.code).to.equal(1);
      expect(oneLine(r)).to.equal(`error: --port ${port}: address already in use on 127.0.0.1 (another process is listening there); choose another --port (0: any free port) or stop that process`);
    });

    it('serve --host that does not resolve: exit 2, names --host', async () => {
      const r = await runCli(['serve', '--port', '0', '--host', '999.1.1.1', '--insecure-no-auth']);

      expect(r.code).to.equal(2);
      expect(oneLine(r)).to.match(/^error: --host: cannot resolve "999\.1\.1\.1"/);
    });

    it('--state naming a folder, a JSON file, or an empty file: exit 2, names --state and what is wrong', async () => {
      const folder = join(tmp, 'state-folder');
      mkdirSync(folder);
      const json = join(tmp, 'x.json');
      writeFileSync(json, '{"not": "a database"}\n');
      const empty = join(tmp, 'empty.db');
      writeFileSync(empty, '');

      const cases: [string, RegExp][] = [
        [folder, /is a folder; expected a state file/],
        [json, /is not a state file \(not an SQLite database\)/],
        [empty, /is an empty file, not a state file/],
      ];
      for (const [path, what] of cases) {
        const r = await runCli(['runs', '--state', path]);
        expect(r.code, path).to.equal(2);
        const line = oneLine(r);
        expect(line.startsWith(`error: --state: ${path} `), line).to.equal(true);
        expect(line).to.match(what);
      }
      // The empty file was not silently turned into a database, nor the JSON file overwritten.
      expect(statSync(empty).size).to.equal(0);
      expect(readFileSync(json, 'utf8')).to.equal('{"not": "a database"}\n');
    });

    it('--state naming a new path is fine (the first change creates it)', async () => {
      const r = await runCli(['runs', '--state', join(tmp, 'new', 'state.db'), '--json']);

      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.equal({ runs: [] });
    });
  });

  it('2. whole-number options quote the value and name the flag, not an internal field', async () => {
    const cases: [string[], string][] = [
      [['runs', '--limit', 'abc'], 'error: --limit: expected a whole number from 1 to 1000, got "abc"'],
      [['audit', '--limit', 'abc'], 'error: --limit: expected a whole number from 1 to 10000, got "abc"'],
      [['schedule', 'web-1', '--cron', 'cron(0 3 ? * SUN *)', '--duration', 'abc', '--yes'], 'error: --duration: expected a whole number from 1 to 24, got "abc"'],
      [['schedule', 'web-1', '--cron', 'cron(0 3 ? * SUN *)', '--cutoff', 'x', '--yes'], 'error: --cutoff: expected a whole number from 0 to 23, got "x"'],
      // A rule that needs the policy (cutoff below the duration) is the core's, named as the flag.
      [['schedule', 'web-1', '--cron', 'cron(0 3 ? * SUN *)', '--duration', '3', '--cutoff', '5', '--yes'], 'error: --cutoff: expected a whole number from 0 to 2 (below the duration), got 5'],
      [['schedule', 'web-1', '--patch-group', 'web', '--cron', 'cron(0 3 ? * SUN *)', '--yes'], 'error: --patch-group: give either instances or a patch group, not both'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(oneLine(r), args.join(' ')).to.equal(message);
    }
  });

  it('3. assess --instance or --decision with no value is a usage error (exit 2), not a search for "" or no filter', async () => {
    const instance = await runCli(['assess', '--instance']);
    const decision = await runCli(['assess', '--decision']);

    expect(instance.code).to.equal(2);
    expect(oneLine(instance)).to.equal('error: --instance: expected an instance id or Name tag, got nothing');
    expect(decision.code).to.equal(2);
    expect(oneLine(decision)).to.match(/^error: --decision: expected one or more of patch-now, .*, got nothing$/);
    expect(decision.stdout).to.equal('');
  });

  describe('4. AWS options', () => {
    it('--endpoint-url that is not a URL: exit 2 naming the option', async () => {
      const r = await runCli(['assess', '--source', 'aws', '--region', 'us-east-1', '--endpoint-url', 'not-a-url'], { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });

      expect(r.code).to.equal(2);
      expect(oneLine(r)).to.equal('error: --endpoint-url: expected an http:// or https:// URL such as http://127.0.0.1:5000, got "not-a-url"');
    });

    it('--profile that does not exist: one line naming that profile, no SDK warning, no advice to pass --profile', async () => {
      const config = join(tmp, 'aws-config');
      writeFileSync(config, '[default]\nregion = us-east-1\n');
      const r = await runCli(
        ['assess', '--source', 'aws', '--region', 'us-east-1', '--profile', 'nosuchprofile', '--endpoint-url', 'http://127.0.0.1:9'],
        { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'no-credentials'), AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true' },
      );

      expect(r.code).to.equal(1);
      const line = oneLine(r);
      expect(line).to.match(/^error: --profile nosuchprofile: no credentials from that AWS profile/);
      expect(line).not.to.contain('pass --profile');
      expect(r.stderr).not.to.contain('WARNING');
    });
  });

  it('5. schedule --cron is checked locally by the rules of SSM cron, rate and at expressions', async () => {
    const cases: [string, string][] = [
      ['cron(99 99 ? * FOO *)', 'error: --cron: "cron(99 99 ? * FOO *)": minutes "99": 99 is outside 0-59'],
      ['cron(0 3 ? * FOO *)', 'error: --cron: "cron(0 3 ? * FOO *)": day-of-week "FOO": "FOO" is not a value of day-of-week (1-7 or SUN-SAT)'],
      ['cron(0 3 * * SUN *)', 'error: --cron: "cron(0 3 * * SUN *)": day-of-month "*" and day-of-week "SUN" cannot both be set: put "?" in one of them'],
      ['rate(1 days)', 'error: --cron: "rate(1 days)": rate(1 days) takes the singular: rate(1 day)'],
    ];
    for (const [cron, message] of cases) {
      const r = await runCli(['schedule', 'web-1', '--cron', cron, '--yes']);
      expect(r.code, cron).to.equal(2);
      expect(oneLine(r), cron).to.equal(message);
    }
    // A valid expression passes the check and meets the demo's own limit (no maintenance windows).
    const ok = await runCli(['schedule', 'web-1', '--cron', 'cron(30 23 ? * TUE#3 *)', '--yes']);
    expect(oneLine(ok)).to.contain('the demo source simulates patch runs but cannot schedule');
  });

  it('6. mcp with a snapshot folder that does not exist fails at start (exit 1), as assess does', async () => {
    const missing = join(tmp, 'no-such-capture');
    const mcp = await runCli(['mcp', '--source', `snapshot:${missing}`]);
    const assess = await runCli(['assess', '--source', `snapshot:${missing}`]);

    expect(mcp.code).to.equal(1);
    expect(oneLine(mcp)).to.equal(`error: snapshot directory ${missing} does not exist or is not a directory`);
    expect(oneLine(assess)).to.equal(oneLine(mcp));
  });
});
