import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { progressBetween } from '../../../../../adapters/inbound/cli/commands/patch-render.js';
import { exitCodeFor, messageFor } from '../../../../../adapters/inbound/cli/errors.js';
import { SimulatedPatchRunner } from '../../../../../adapters/outbound/simulated/simulated-patch-runner.js';
import { createAssistant } from '../../../../../composition/index.js';
import { ConflictError, ForbiddenError } from '../../../../../domain/errors.js';
import type { PatchRunReport } from '../../../../../ports/inbound/patching/patch-runs.port.js';
import type { PatchRunner } from '../../../../../ports/outbound/patch-runner.port.js';
import { FakePatchRunner } from '../../../../fakes/fake-patch-runner.js';
import { runCliInProcess, type CliRun } from '../../../../support/cli-in-process.js';
import { DEMO_FLEET } from '../../../../support/paths.js';

describe('CLI patch commands (in process, over the real composition and a temporary state file)', function () {
  this.timeout(20_000);
  let dir: string;
  let runner: PatchRunner;
  /** The OS user of the next command (another person on the same machine and state file). */
  let osUser: string;
  /** The policy's autopilot section of the next command. */
  let autopilot: Record<string, unknown> | null = null;
  beforeEach(() => {
    autopilot = null;
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-cli-patch-'));
    runner = new SimulatedPatchRunner();
    osUser = 'carol';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The OS user pinned, a policy naming an approver, and a runner that reaches no AWS account.
  const cli = (...argv: string[]): Promise<CliRun> =>
    runCliInProcess(['--state', join(dir, 'state.db'), '--source', `snapshot:${DEMO_FLEET}`, ...argv], {
      // The demo fleet's capture time: the decisions this spec relies on (ci-runner next-window,
      // worker-staging mitigate) hold then, not at whatever the wall clock says.
      now: '2026-11-20T12:00:00Z',
      localUser: osUser,
      policy: { access: { actors: { bob: ['approver'], olga: ['operator'], dave: ['approver'] } }, ...(autopilot ? { autopilot } : {}) },
      patchAdapters: { patchRunner: runner, sleep: async () => {} },
    });

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

  it('nobody approves their own run (exit 1, "not allowed"), nor through a claimed name; another person does', async () => {
    const run = await requested('web-1');

    const own = await cli('approve', run.id, '--yes');
    const viewer = await cli('approve', run.id, '--yes', '--actor', 'mallory');
    const claimed = await cli('approve', run.id, '--yes', '--actor', 'bob', '--comment', 'ok');
    osUser = 'dave';
    const dave = await cli('approve', run.id, '--yes', '--comment', 'ok');
    const audit = JSON.parse((await cli('audit', '--json', '--target', run.id)).stdout) as { entries: { action: string; actor: string; result: string }[] };

    expect([own.code, own.stderr]).to.deep.equal([1, `error: not allowed: carol requested run ${run.id} and cannot approve it: nobody approves their own run; ask another approver\n`]);
    expect(viewer.stderr).to.match(/not allowed: mallory \(viewer\)/);
    expect([claimed.code, claimed.stderr]).to.deep.equal([1, 'error: not allowed: bob, claimed by carol: a claimed identity (--actor) never counts as the second person outside the demo source; approve as an authenticated identity (carol without --actor, an API key, a chat user)\n']);
    expect(dave.code, dave.stderr).to.equal(0);
    expect(dave.stdout).to.match(/approved by dave at/);
    expect(audit.entries.filter((e) => e.action === 'patch-run.approve').map((e) => [e.actor, e.result])).to.deep.equal([
      ['dave', 'ok'], ['bob, claimed by carol', 'denied'], ['mallory, claimed by carol', 'denied'], ['carol', 'denied'],
    ]);
  });

  it('autopilot status: off by default; on, the windows it will turn into runs, who approves them, by when', async () => {
    const off = await cli('autopilot', 'status');
    autopilot = { enabled: true, decisions: ['routine', 'next-window', 'patch-now'], standingApproval: { allowed: false } };
    const on = await cli('autopilot', 'status');
    const json = JSON.parse((await cli('autopilot', 'status', '--json')).stdout) as { enabled: boolean; now: string; due: { runId: string; standing: boolean; instances: { name: string }[] }[]; runs: unknown[] };

    expect([off.code, off.stdout]).to.deep.equal([0, 'autopilot is off (policy autopilot.enabled is false)\n']);
    expect(on.code, on.stderr).to.equal(0);
    expect(on.stdout).to.match(/^due \(as of .*\)\nRUN \(TO BE MADE\) +WINDOW +MADE AT +APPROVAL +INSTANCES\n/);
    expect(on.stdout).to.contain('no runs made by the autopilot');
    expect(json.enabled).to.equal(true);
    // As of the command's fixed now (the demo's capture time), not the wall clock.
    expect(json.now).to.equal('2026-11-20T12:00:00.000Z');
    expect(on.stdout).to.match(/^due \(as of 2026-11-20[ T]12:00/);
    expect(json.due.length).to.be.greaterThan(0);
    for (const d of json.due) expect(d.runId).to.match(/^r-\d{8}-\d{6}-[0-9a-f]{6}$/);
    // Production is left out: no environments are named, so only non-production ones.
    expect(json.due.flatMap((d) => d.instances.map((i) => i.name))).not.to.include.members(['web-1']);
  });

  it('--actor with an empty value or a name that is not plain is a usage error (exit 2), never a fall back to the OS user', async () => {
    const empty = await cli('runs', '--actor', '');
    const bad = await cli('runs', '--actor', 'bad name!');

    expect([empty.code, empty.stderr]).to.deep.equal([2, 'error: --actor: expected a name of 1 to 128 letters, digits and . _ @ : + = , / - (starting with a letter or digit), got an empty value (leave --actor out to act as yourself)\n']);
    expect([bad.code, bad.stderr]).to.deep.equal([2, 'error: --actor: expected a name of 1 to 128 letters, digits and . _ @ : + = , / - (starting with a letter or digit), got "bad name!"\n']);
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
    // The final report: each instance's result, and under it the evidence it rests on.
    // (This runner is simulated: its evidence says so; the moto executor spec shows a real one's.)
    expect(r.stdout, r.stdout).to.match(/\nverification evidence\nwave 1: ci-runner \(i-[0-9a-f]+\) succeeded\n {2}simulated: nothing was sent to AWS\nwave 2: worker-staging \(i-[0-9a-f]+\) succeeded\n/);
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

  it('run --watch (or run) without RUN: one line naming RUN, exit 2', async () => {
    for (const [args, line] of [
      [['run', '--watch'], 'error: run --watch: missing RUN, the id of the run to follow (`sre-ops runs` lists them)'],
      [['run', '--yes'], 'error: run: missing RUN, the id of the run to execute (`sre-ops runs` lists them)'],
    ] as const) {
      const r = await cli(...args);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('run "sre-ops --help"'))).to.deep.equal([line]);
    }
  });

  it('run --watch on a finished run prints it and exits by its outcome', async () => {
    const run = await requested('ci-runner');
    await cli('run', run.id, '--yes');

    const r = await cli('run', run.id, '--watch', '--interval', '0.01');

    expect(r.code).to.equal(0);
    expect(r.stderr).to.include(`[${run.id}] run succeeded`);
  });

  it('run --watch --json follows the run the service\'s executor drives, one JSON object a line, the final report last', async () => {
    const run = await requested('ci-runner', 'worker-staging');
    const service = await createAssistant({
      source: `snapshot:${DEMO_FLEET}`, stateStore: { kind: 'sqlite', path: join(dir, 'state.db') }, via: 'http', now: '2026-11-20T12:00:00Z',
      patchAdapters: { patchRunner: runner, sleep: () => new Promise((resolve) => setTimeout(resolve, 5)) },
    });
    const executor = service.patchExecutor?.({ holder: 'task-a' });

    const watching = cli('run', run.id, '--watch', '--json', '--interval', '0.01');
    expect(await executor?.tick()).to.deep.equal([run.id]);
    await executor?.idle();
    const r = await watching;
    await service.close();

    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const final = lines.at(-1) as unknown as PatchRunReport;
    expect(final).to.deep.include({ id: run.id, status: 'succeeded' });
    expect(lines.slice(0, -1).every((l) => l.runId === run.id && typeof l.message === 'string')).to.equal(true);
    expect(lines.slice(0, -1).map((l) => l.message)).to.include('run succeeded (wave 2/2)');
    const audit = JSON.parse((await cli('audit', '--json', '--target', run.id)).stdout) as { entries: { action: string; actor: string }[] };
    expect(audit.entries.find((e) => e.action === 'patch-run.start')?.actor).to.equal('sre-ops-executor');
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
    expect(audit.entries.map((e) => [e.action, e.actor, e.result])).to.deep.equal([['risk.revoke', 'bob, claimed by carol', 'ok'], ['risk.accept', 'bob, claimed by carol', 'ok']]);
  });

  it('audit verify: an intact log says so with its head; after a denial is rewritten as ok behind the triggers, exit 1 naming the entry', async () => {
    const run = await requested('web-1');
    await cli('approve', run.id, '--yes');
    const intact = await cli('audit', 'verify', '--json');
    const human = await cli('audit', 'verify');

    expect(intact.code, intact.stderr).to.equal(0);
    const v = JSON.parse(intact.stdout) as { ok: boolean; entries: number; head: { seq: number; hash: string } };
    expect(v).to.deep.include({ ok: true, entries: 2, firstBreak: null });
    expect(human.stdout).to.include(`audit log intact: 2 entries chained\nhead: seq 2, hash ${v.head.hash}`);

    const db = new Database(join(dir, 'state.db'));
    db.exec('DROP TRIGGER audit_no_update');
    const denied = db.prepare("SELECT id, body FROM audit WHERE body LIKE '%denied%'").get() as { id: string; body: string };
    db.prepare('UPDATE audit SET body = ? WHERE id = ?').run(denied.body.replace('"denied"', '"ok"'), denied.id);
    db.close();
    const broken = await cli('audit', 'verify', '--json');

    expect(broken.code).to.equal(1);
    expect(JSON.parse(broken.stdout)).to.deep.include({ ok: false, entries: 2, firstBreak: { position: 2, id: denied.id, seq: 2, problem: 'its content does not match its hash: it was changed after it was written' } });
    expect(broken.stderr).to.equal(`error: the audit log is broken at entry 2 (${denied.id}): its content does not match its hash: it was changed after it was written\n`);
    expect((await cli('audit', 'verify', '--target', run.id)).code).to.equal(2);
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
