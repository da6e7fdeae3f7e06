import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/run-cli.js';

describe('sre-ops patching on the demo fleet (the built binary, simulated runner)', function () {
  this.timeout(60_000);
  let home: string;
  let env: Record<string, string>;
  let policy: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'sre-ops-demo-patch-'));
    env = { XDG_CONFIG_HOME: join(home, 'config') };
    policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({ access: { actors: { bob: ['approver'] } } }));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('request, a second person approves, run in waves, audit: the README flow, saying it is simulated', async () => {
    const requested = await runCli(['patch', 'web-1', 'ci-runner', '--yes', '--json', '--policy', policy], env);
    expect(requested.code, requested.stderr).to.equal(0);
    const run = JSON.parse(requested.stdout) as { id: string; status: string; simulated: boolean };
    expect(run).to.include({ status: 'requested', simulated: true });
    expect(existsSync(join(home, 'config', 'sre-ops-assistant', 'state.db'))).to.equal(true);

    const approved = await runCli(['approve', run.id, '--actor', 'bob', '--yes', '--policy', policy], env);
    const executed = await runCli(['run', run.id, '--yes', '--policy', policy], env);
    const audit = await runCli(['audit', '--json', '--target', run.id], env);

    expect(approved.code, approved.stderr).to.equal(0);
    expect(executed.code, executed.stderr).to.equal(0);
    expect(executed.stderr).to.include('SIMULATED run (demo source): nothing is sent to AWS');
    expect(executed.stdout).to.match(new RegExp(`^run ${run.id}  succeeded  Install \\(RebootIfNeeded\\)  SIMULATED`));
    const actions = (JSON.parse(audit.stdout) as { entries: { action: string }[] }).entries.map((e) => e.action).reverse();
    expect(actions.slice(0, 3)).to.deep.equal(['patch-run.request', 'patch-run.approve', 'patch-run.start']);
    expect(actions.at(-1)).to.equal('patch-run.finish');
  });
});
