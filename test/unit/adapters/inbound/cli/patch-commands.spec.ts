import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../../adapters/inbound/cli/cli-app.js';
import { progressBetween } from '../../../../../adapters/inbound/cli/commands/patch-render.js';
import { exitCodeFor, messageFor } from '../../../../../adapters/inbound/cli/errors.js';
import { SimulatedPatchRunner } from '../../../../../adapters/outbound/simulated/simulated-patch-runner.js';
import { createAssistant } from '../../../../../composition/index.js';
import { ConflictError, ForbiddenError } from '../../../../../domain/errors.js';
import type { PatchRunReport } from '../../../../../ports/inbound/patch-operations.js';
import type { PatchRunner } from '../../../../../ports/outbound/patch-runner.port.js';
import { FakePatchRunner } from '../../../../fakes/fake-patch-runner.js';
import { DEMO_FLEET } from '../../../../support/paths.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('CLI patch commands (in process, over the real composition and a temporary state file)', function () {
  this.timeout(20_000);
  let dir: string;
  let runner: PatchRunner;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-cli-patch-'));
    runner = new SimulatedPatchRunner();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(...argv: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--state', join(dir, 'state.db'), '--source', `snapshot:${DEMO_FLEET}`, ...argv], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { NO_COLOR: '1' },
      version: 'test',
      // What composition/cli.ts does, with the OS user pinned, a policy naming an approver, and a
      // runner that reaches no AWS account.
      createAssistant: (o) =>
        createAssistant({
          ...(o.source !== undefined ? { source: o.source } : {}),
          ...(o.actor !== undefined ? { actor: o.actor } : {}),
          ...(o.state !== undefined ? { stateStore: { kind: 'sqlite', path: o.state } } : {}),
          via: 'cli',
          // The demo fleet's capture time: the decisions this spec relies on (ci-runner next-window,
          // worker-staging mitigate) hold then, not at whatever the wall clock says.
          now: '2026-11-20T12:00:00Z',
          localUser: 'carol',
          policy: { access: { actors: { bob: ['approver'], olga: ['operator'] } } },
          patchAdapters: { patchRunner: runner, sleep: async () => {} },
        }),
    });
    return { code, stdout, stderr };
  }

  async function requested(...instances: string[]): Promise<PatchRunReport> {
    const r = await cli('patch', ...instances, '--yes', '--json', '--reason', 'KEV');
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as PatchRunReport;
  }

  it('patch --json requests a run as the OS user and prints the report', async () => {
    const r = await requested('web-1', 'dev-sandbox');

    expect(r).to.deep.include({ status: 'requested', requestedBy: 'carol', operation: 'Install', needsApproval: true, reason: 'KEV' });
    expect(r.waves.flatMap((w) => w.instances.map((i) => i.name)).sort()).to.deep.equal(['dev-sandbox', 'web-1']);
  });

  it('a mutating command without --yes and without a terminal refuses (exit 2) and changes nothing', async () => {
    const r = await cli('patch', 'web-1');
    const runs = await cli('runs', '--json');

    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/refusing to change anything without confirmation; pass --yes/);
    expect(JSON.parse(runs.stdout)).to.deep.equal({ runs: [] });
  });

  it('nobody approves their own run (exit 1, "not allowed"); another approver does, via --actor', async () => {
    const run = await requested('web-1');

    const own = await cli('approve', run.id, '--yes');
    const viewer = await cli('approve', run.id, '--yes', '--actor', 'mallory');
    const bob = await cli('approve', run.id, '--yes', '--actor', 'bob', '--comment', 'ok');

    expect([own.code, own.stderr]).to.deep.equal([1, `error: not allowed: carol requested run ${run.id} and cannot approve it: nobody approves their own run; ask another approver\n`]);
    expect(viewer.stderr).to.match(/not allowed: mallory \(viewer\)/);
    expect(bob.code, bob.stderr).to.equal(0);
    expect(bob.stdout).to.match(/approved by bob at/);
  });

  it('run executes wave by wave with progress per wave and instance on stderr; the report on stdout', async () => {
    // Neither production nor patch-now in the demo fleet: no approval needed.
    const run = await requested('ci-runner', 'worker-staging');
    expect(run.status).to.equal('approved');

    const r = await cli('run', run.id, '--yes');

    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(new RegExp(`\\[${run.id} w1\\] wave 1/2 \\(non-production\\): AWS-RunPatchBaseline Install RebootIfNeeded on 1 instance`));
    expect(r.stderr).to.match(new RegExp(`\\[${run.id} w1\\] wave 1: ci-runner \\(i-[0-9a-f]+\\) succeeded`));
    expect(r.stderr).to.match(new RegExp(`\\[${run.id} w2\\] wave 2: worker-staging \\(i-[0-9a-f]+\\) succeeded`));
    expect(r.stdout).to.match(new RegExp(`^run ${run.id}  succeeded`));
  });

  it('a halted or failed run ends the command with exit 1 and says why, after printing the report', async () => {
    const failing = new FakePatchRunner();
    failing.outcome = () => 'failed';
    runner = failing;
    const run = await requested('ci-runner');

    const r = await cli('run', run.id, '--yes', '--json');

    expect(r.code).to.equal(1);
    expect(JSON.parse(r.stdout)).to.deep.include({ id: run.id, status: 'failed' });
    expect(r.stderr).to.match(new RegExp(`error: run ${run.id} failed: wave 1: ci-runner .* failed: AWS-RunPatchBaseline failed with exit code 1`));
  });

  it('run --watch on a finished run prints it and exits by its outcome', async () => {
    const run = await requested('ci-runner');
    await cli('run', run.id, '--yes');

    const r = await cli('run', run.id, '--watch', '--interval', '0.01');

    expect(r.code).to.equal(0);
    expect(r.stderr).to.include(`[${run.id}] run succeeded`);
  });

  it('accept, acceptances, revoke and audit, as JSON', async () => {
    const accepted = await cli('accept', 'CVE-2024-6387', '--fleet', '--until', new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), '--reason', 'sshd not exposed', '--yes', '--json', '--actor', 'bob');
    const a = JSON.parse(accepted.stdout) as { id: string };
    const list = JSON.parse((await cli('acceptances', '--json')).stdout) as { acceptances: { id: string }[] };
    const revoked = await cli('revoke', a.id, '--yes', '--actor', 'bob');
    const audit = JSON.parse((await cli('audit', '--json', '--target', a.id)).stdout) as { entries: { action: string; actor: string; result: string }[] };

    expect(accepted.code, accepted.stderr).to.equal(0);
    expect(list.acceptances.map((x) => x.id)).to.deep.equal([a.id]);
    expect(revoked.code).to.equal(0);
    expect(audit.entries.map((e) => [e.action, e.actor, e.result])).to.deep.equal([['risk.revoke', 'bob', 'ok'], ['risk.accept', 'bob', 'ok']]);
  });

  it('accept needs exactly one of --instance or --fleet (exit 2)', async () => {
    const r = await cli('accept', 'CVE-2024-6387', '--until', '2026-12-31', '--reason', 'x', '--yes');

    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/exactly one of --instance I or --fleet/);
  });

  it('schedules on a snapshot source say to use --source aws (exit 2)', async () => {
    const r = await cli('schedules');

    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/execute and schedule only with --source aws/);
  });

  it('maps a stale write and a denial to exit 1 with a clear message', () => {
    const stale = new ConflictError('STALE_VERSION', 'run r-1 was changed by someone else (version 3, not 2); read it again and retry');

    expect([exitCodeFor(stale), messageFor(stale)]).to.deep.equal([1, 'error: changed by someone else, retry (run r-1 was changed by someone else (version 3, not 2); read it again and retry)']);
    expect([exitCodeFor(new ForbiddenError('x')), messageFor(new ForbiddenError('x'))]).to.deep.equal([1, 'error: not allowed: x']);
  });

  it('--watch reports what changed between two reads', () => {
    const base = { id: 'r', status: 'running', currentWave: 1, haltReason: null, waves: [{ number: 1, status: 'running', commandId: 'c', instances: [{ instanceId: 'i-1', name: 'web-1', status: 'sent', detail: null }] }] };
    const next = { ...base, status: 'halted', haltReason: 'wave 1: web-1 regressed', waves: [{ ...base.waves[0], status: 'halted', instances: [{ instanceId: 'i-1', name: 'web-1', status: 'regressed', detail: 'cpu' }] }] };

    expect(progressBetween(base as never, next as never)).to.deep.equal(['run halted (wave 1/1)', 'wave 1 halted (command c)', 'wave 1: web-1 regressed: cpu', 'stopped: wave 1: web-1 regressed']);
  });
});
