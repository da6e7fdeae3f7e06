import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConflictError, ForbiddenError, SourceError, ValidationError } from '../../../../../domain/errors.js';
import type { MetricPoint } from '../../../../../domain/fleet-facts.js';
import type { PatchRun } from '../../../../../domain/patch/run.js';
import type { RunProgress } from '../../../../../ports/inbound/patching/patch-runs.port.js';
import type { StateStore } from '../../../../../ports/outbound/state-store.port.js';
import { MemoryStateStore } from '../../../../fakes/memory-state-store.js';
import { SimulatedPatchRunner } from '../../../../../adapters/outbound/simulated/simulated-patch-runner.js';
import { verifyAuditChain } from '../../../../../domain/access/audit-chain.js';
import { ALICE, BOB, VIEWER } from '../../../../patch-builders.js';
import { harness, IDS, NOW, type Harness } from './harness.js';

chai.use(chaiAsPromised);
const { expect } = chai;
const MIN = 60_000;
/** The executor's lease with the test policy (poll 10 s): max(2 min, 4 polls). */
const LEASE = 2 * MIN;

/**
 * A store that dies at a seam: the first updateRun for which `killAt` holds throws, as if the
 * process had been killed just before that write, and every call after it fails too.
 */
class DyingStore extends MemoryStateStore {
  dead = false;
  constructor(private readonly base: MemoryStateStore, private readonly killAt: (run: PatchRun) => boolean) {
    super();
  }
  private check(): void {
    if (this.dead) throw new Error('process is dead');
  }
  override async updateRun(run: PatchRun): Promise<PatchRun> {
    this.check();
    if (this.killAt(run)) {
      this.dead = true;
      throw new Error('killed at the seam');
    }
    return this.base.updateRun(run);
  }
  override async getRun(id: string): Promise<PatchRun | null> {
    this.check();
    return this.base.getRun(id);
  }
  override async appendAudit(...a: Parameters<StateStore['appendAudit']>): ReturnType<StateStore['appendAudit']> {
    this.check();
    return this.base.appendAudit(...a);
  }
}

/**
 * A store whose process dies right after its k-th write (run record or audit entry): that write
 * is kept, its caller sees the process die, and every call after it fails.
 */
class CrashAfterWrite extends MemoryStateStore {
  writes = 0;
  dead = false;
  constructor(private readonly base: MemoryStateStore, private readonly k: number) {
    super();
  }
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dead) throw new Error('process is dead');
    const out = await fn();
    if (++this.writes === this.k) {
      this.dead = true;
      throw new Error(`killed after write ${this.k}`);
    }
    return out;
  }
  override async updateRun(run: PatchRun): Promise<PatchRun> {
    return this.write(() => this.base.updateRun(run));
  }
  override async appendAudit(...a: Parameters<StateStore['appendAudit']>): ReturnType<StateStore['appendAudit']> {
    return this.write(() => this.base.appendAudit(...a));
  }
  override async getRun(id: string): Promise<PatchRun | null> {
    if (this.dead) throw new Error('process is dead');
    return this.base.getRun(id);
  }
  override async listAudit(...a: Parameters<StateStore['listAudit']>): ReturnType<StateStore['listAudit']> {
    if (this.dead) throw new Error('process is dead');
    return this.base.listAudit(...a);
  }
}

function flat(n: number, v: number, from: number, stepMs = 5 * MIN): MetricPoint[] {
  return Array.from({ length: n }, (_, k) => ({ t: from + k * stepMs, v }));
}

/** A staging and a dev instance: a canary wave, then one more; no approval needed. */
async function twoWaveRun(h: Harness): Promise<string> {
  const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-staging-1', 'dev-1'] });
  expect(r.status).to.equal('approved');
  expect(r.waves).to.have.length(2);
  return r.id;
}

describe('patch use cases: executing a run', () => {
  it('sends, tracks and verifies wave after wave, with the rollout settings of the policy', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    const progress: RunProgress[] = [];

    const r = await h.ops.executePatchRun(ALICE, id, (p) => progress.push(p));

    expect(r.status).to.equal('succeeded');
    expect(r.waves.map((w) => w.status)).to.deep.equal(['succeeded', 'succeeded']);
    expect(h.runner.sent.map((c) => c.instanceIds)).to.deep.equal(r.waves.map((w) => w.instances.map((i) => i.instanceId)));
    const [first, second] = h.runner.sent;
    expect(first).to.deep.include({ token: `sre-ops ${id} wave 1`, operation: 'Install', rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '1', alarmName: 'web-5xx' });
    expect(first?.snapshotId).to.equal(r.snapshotId).and.equal(second?.snapshotId);
    expect(progress.filter((p) => p.instanceId !== null).map((p) => p.wave)).to.include.members([1, 2]);
    expect(progress.map((p) => p.message)).to.include(`wave 1: command cmd-1 sent to ${r.waves[0]?.instances[0]?.instanceId}`);
    expect(h.store.audit.map((e) => e.action)).to.deep.equal([
      'patch-run.request', 'patch-run.start', 'ssm.send-command', 'patch-run.verify-wave', 'ssm.send-command', 'patch-run.verify-wave', 'patch-run.finish',
    ]);
    expect((await h.store.getRun(id))?.lease).to.equal(null);
  });

  it('waits out settle and observe, then compares CloudWatch before the send with after the settle', async () => {
    const h = harness();
    const id = await twoWaveRun(h);

    await h.ops.executePatchRun(ALICE, id);

    const [before, after] = h.metricQueries;
    expect(before).to.deep.include({ start: NOW - 60 * MIN, end: NOW, periodSeconds: 60 });
    expect(after?.start).to.be.at.least(NOW + 5 * MIN);
    expect((after?.end ?? 0) - (after?.start ?? 0)).to.equal(10 * MIN);
    // The executor slept (the fake clock moved) at least the settle and observe of both waves.
    expect(h.sleeps.reduce((a, b) => a + b, 0)).to.be.at.least(2 * 15 * MIN);
  });

  it('a regressed canary halts the run, naming the instance and why; the next wave is never sent', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    const canary = (await h.ops.getPatchRun(ALICE, id)).waves[0]?.instances[0]?.instanceId as string;
    h.metrics[canary] = { cpu: [...flat(12, 10, NOW - 60 * MIN), ...flat(6, 75, NOW + 5 * MIN, MIN)], statusCheckFailed: flat(6, 0, NOW + 5 * MIN, MIN) };

    const r = await h.ops.executePatchRun(ALICE, id);

    expect(r.status).to.equal('halted');
    expect(r.haltReason).to.match(new RegExp(`^wave 1: \\S+ \\(${canary}\\) regressed: mean CPU rose from 10.0% to 75.0% \\(regression above 40.0%\\)$`));
    expect(r.waves.map((w) => w.status)).to.deep.equal(['halted', 'pending']);
    expect(h.runner.sent).to.have.length(1);
    expect(h.store.audit.at(-1)).to.deep.include({ action: 'patch-run.finish', result: 'failed' });
  });

  it('a failed status check after patching halts the run', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    const canary = (await h.ops.getPatchRun(ALICE, id)).waves[0]?.instances[0]?.instanceId as string;
    h.metrics[canary] = { statusCheckFailed: [...flat(3, 0, NOW + 5 * MIN, MIN), { t: NOW + 9 * MIN, v: 1 }] };

    const r = await h.ops.executePatchRun(ALICE, id);

    expect(r.status).to.equal('halted');
    expect(r.haltReason).to.match(/status check failed at .* after patching/);
  });

  it('a failed command halts the run with SSM\'s reason; every instance failing fails it', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    h.runner.outcome = () => 'failed';

    const r = await h.ops.executePatchRun(ALICE, id);

    expect(r.status).to.equal('failed');
    expect(r.haltReason).to.match(/failed: AWS-RunPatchBaseline failed with exit code 1$/);
  });

  it('commands that never finish time out after the policy\'s minutes and halt the run', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    h.runner.outcome = () => 'in-progress';

    const r = await h.ops.executePatchRun(ALICE, id);

    expect(r.status).to.equal('failed');
    expect(r.waves[0]?.instances[0]?.status).to.equal('timed-out');
    expect(h.clock.t - NOW).to.be.within(30 * MIN, 31 * MIN);
  });

  it('a dry run sends Scan and does not wait for CloudWatch', async () => {
    const h = harness();
    const r0 = await h.ops.requestPatchRun(ALICE, { instances: ['web-1', 'dev-1'], dryRun: true });

    const r = await h.ops.executePatchRun(ALICE, r0.id);

    expect(r.status).to.equal('succeeded');
    expect(h.runner.sent.map((c) => c.operation)).to.deep.equal(['Scan']);
    expect(h.metricQueries).to.have.length(0);
  });

  describe('resume', () => {
    it('a crash after each write of a run (start, intent, send, command id, verification, finish) resumes without sending twice; the audit log agrees with the run record', async () => {
      const full = harness();
      const counting = new CrashAfterWrite(full.store, Number.POSITIVE_INFINITY);
      await full.another(counting).executePatchRun(ALICE, await twoWaveRun(full));
      const writes = counting.writes;
      expect(writes).to.be.greaterThan(10);

      for (let k = 1; k < writes; k++) {
        const h = harness();
        const id = await twoWaveRun(h);
        await expect(h.another(new CrashAfterWrite(h.store, k)).executePatchRun(ALICE, id), `crash after write ${k}`).to.be.rejectedWith(/killed after write|process is dead/);
        h.clock.t += LEASE;
        const r = await h.ops.executePatchRun(ALICE, id);
        await h.ops.executePatchRun(ALICE, id);

        const at = `crash after write ${k}`;
        expect(r.status, at).to.equal('succeeded');
        expect(h.runner.sent.map((c) => c.token), at).to.deep.equal([`sre-ops ${id} wave 1`, `sre-ops ${id} wave 2`]);
        const ok = (action: string) => h.store.audit.filter((e) => e.action === action && e.result === 'ok');
        expect(ok('ssm.send-command').map((e) => /command (\S+) /.exec(e.detail ?? '')?.[1]), at).to.deep.equal(r.waves.flatMap((w) => w.commandIds));
        expect(ok('patch-run.verify-wave').map((e) => e.detail?.slice(0, 16)), at).to.deep.equal(['wave 1 succeeded', 'wave 2 succeeded']);
        expect([ok('patch-run.start').length, ok('patch-run.finish').length], at).to.deep.equal([1, 1]);
        expect(verifyAuditChain((await h.store.readAuditChain()).records, h.store.head).ok, at).to.equal(true);
      }
    });

    it('the simulated runner (demo) keeps its sends in the state store: another process finds the command instead of sending it again', async () => {
      const store = new MemoryStateStore();
      const first = new SimulatedPatchRunner(store, () => NOW);
      const sent = await first.send({ token: 'sre-ops r-1 wave 1', instanceIds: ['i-1'], operation: 'Install', rebootOption: 'RebootIfNeeded', snapshotId: 's', maxConcurrency: '1', maxErrors: '0', alarmName: null });

      const second = new SimulatedPatchRunner(store, () => NOW + MIN);

      expect(await second.findSent('sre-ops r-1 wave 1')).to.deep.equal(sent);
      expect(await new SimulatedPatchRunner().findSent('sre-ops r-1 wave 1')).to.equal(null);
    });

    it('a crash after SendCommand but before the record does not send again: the command is found by its token', async () => {
      const h = harness();
      const id = await twoWaveRun(h);
      const dying = new DyingStore(h.store, (run) => (run.waves[0]?.sends[0]?.commandId ?? null) !== null);

      await expect(h.another(dying).executePatchRun(ALICE, id)).to.be.rejectedWith('killed at the seam');
      expect(h.runner.sent).to.have.length(1);
      const stuck = await h.store.getRun(id);
      expect(stuck?.waves[0]?.sends[0]).to.deep.include({ commandId: null, token: `sre-ops ${id} wave 1` });

      // The dead process still holds the lease: a resume waits for it to expire.
      await expect(h.ops.executePatchRun(ALICE, id)).to.be.rejectedWith(ConflictError, /being executed by another process/);
      h.clock.t += LEASE;
      const r = await h.ops.executePatchRun(ALICE, id);

      expect(r.status).to.equal('succeeded');
      expect(h.runner.lookups).to.deep.equal([`sre-ops ${id} wave 1`]);
      expect(h.runner.sent.map((c) => c.token)).to.deep.equal([`sre-ops ${id} wave 1`, `sre-ops ${id} wave 2`]);
      expect(r.waves[0]?.commandId).to.equal('cmd-1');
      expect(h.store.audit.map((e) => e.action)).to.include('patch-run.resume');
      expect(h.store.audit.find((e) => e.detail?.includes('found at SSM after an interruption'))).to.not.equal(undefined);
    });

    it('a crash after the intent but before SendCommand sends once on resume', async () => {
      const h = harness();
      const id = await twoWaveRun(h);
      h.runner.failSend = new Error('killed before the call');

      await expect(h.ops.executePatchRun(ALICE, id)).to.be.rejectedWith('killed before the call');
      h.runner.failSend = null;
      const r = await h.ops.executePatchRun(ALICE, id);

      expect(r.status).to.equal('succeeded');
      expect(h.runner.lookups).to.deep.equal([`sre-ops ${id} wave 1`]);
      expect(h.runner.sent.filter((c) => c.token.endsWith('wave 1'))).to.have.length(1);
    });

    it('a crash between waves resumes at the next wave; the first is not sent again', async () => {
      const h = harness();
      const id = await twoWaveRun(h);
      const dying = new DyingStore(h.store, (run) => run.currentWave === 2 && (run.waves[1]?.sends.length ?? 0) > 0);

      await expect(h.another(dying).executePatchRun(ALICE, id)).to.be.rejectedWith('killed at the seam');
      const between = await h.store.getRun(id);
      expect([between?.status, between?.currentWave, between?.waves[0]?.status, between?.waves[1]?.status]).to.deep.equal(['running', 2, 'succeeded', 'pending']);
      h.clock.t += LEASE;
      const progress: string[] = [];
      const r = await h.ops.executePatchRun(ALICE, id, (p) => progress.push(p.message));

      expect(r.status).to.equal('succeeded');
      expect(h.runner.sent.map((c) => c.token)).to.deep.equal([`sre-ops ${id} wave 1`, `sre-ops ${id} wave 2`]);
      expect(progress).to.include(`resuming run ${id} at wave 2 of 2`);
    });

    it('a crash while verifying resumes the verification, without sending again', async () => {
      const h = harness();
      const id = await twoWaveRun(h);
      const dying = new DyingStore(h.store, (run) => run.waves[0]?.status === 'succeeded');

      await expect(h.another(dying).executePatchRun(ALICE, id)).to.be.rejectedWith('killed at the seam');
      expect((await h.store.getRun(id))?.status).to.equal('verifying');
      h.clock.t += LEASE;
      const r = await h.ops.executePatchRun(ALICE, id);

      expect(r.status).to.equal('succeeded');
      expect(h.runner.sent).to.have.length(2);
    });

    it('SSM refusing a send leaves the run resumable, the lease released and the failure audited', async () => {
      const h = harness();
      const id = await twoWaveRun(h);
      h.runner.failSend = new SourceError('ssm', 'SendCommand', 'access denied: the caller lacks IAM permission "ssm:SendCommand"', { code: 'AccessDeniedException' });

      await expect(h.ops.executePatchRun(ALICE, id)).to.be.rejectedWith(SourceError);
      const stuck = await h.store.getRun(id);

      expect([stuck?.status, stuck?.lease]).to.deep.equal(['running', null]);
      expect(h.store.audit.find((e) => e.action === 'ssm.send-command')).to.deep.include({ result: 'failed' });
      h.runner.failSend = null;
      expect((await h.ops.executePatchRun(ALICE, id)).status).to.equal('succeeded');
    });
  });

  it('a cancel while a wave runs stops the executor and cancels the command at SSM', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    h.runner.outcome = () => 'in-progress';
    let cancelled = false;
    h.onSleep = async () => {
      if (cancelled) return;
      cancelled = true;
      await h.another().cancelPatchRun(BOB, id);
    };

    const r = await h.ops.executePatchRun(ALICE, id);

    expect(r.status).to.equal('cancelled');
    expect(r.haltReason).to.equal('cancelled by bob');
    expect(h.runner.cancelled).to.deep.equal(['cmd-1']);
    expect(h.runner.sent).to.have.length(1);
  });

  it('a finished run is returned as it is, nothing sent', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    await h.ops.executePatchRun(ALICE, id);

    const again = await h.ops.executePatchRun(ALICE, id);

    expect(again.status).to.equal('succeeded');
    expect(h.runner.sent).to.have.length(2);
  });

  it('viewers may not execute (denial audited); approvers alone may not either', async () => {
    const h = harness();
    const id = await twoWaveRun(h);

    await expect(h.ops.executePatchRun(VIEWER, id)).to.be.rejectedWith(ForbiddenError);
    await expect(h.ops.executePatchRun(BOB, id)).to.be.rejectedWith(ForbiddenError);
    expect(h.store.audit.filter((e) => e.result === 'denied').map((e) => e.actor)).to.deep.equal(['vic', 'bob']);
  });

  it('a source that cannot send (a snapshot) refuses to execute, saying why', async () => {
    const h = harness({ runner: null });
    const id = await twoWaveRun(h);

    await expect(h.ops.executePatchRun(ALICE, id)).to.be.rejectedWith(ValidationError, 'this source cannot execute patch runs (test)');
    expect(h.store.audit.at(-1)).to.deep.include({ action: 'patch-run.execute', result: 'failed' });
  });

  it('a run planned on another source is refused (a demo run never reaches AWS)', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    const run = (await h.store.getRun(id)) as PatchRun;
    await h.store.updateRun({ ...run, source: 'demo' });

    await expect(h.ops.executePatchRun(ALICE, id)).to.be.rejectedWith(ValidationError, /was planned on source demo; it executes only there \(this is test\)/);
    expect(h.runner.sent).to.have.length(0);
  });

  it('a production run is refused until approved, then runs with the approval', async () => {
    const h = harness();
    const r0 = await h.ops.requestPatchRun(ALICE, { instances: [IDS.prod1, IDS.prod2] });

    await expect(h.ops.executePatchRun(ALICE, r0.id)).to.be.rejectedWith(ConflictError, /needs approval first/);
    await h.ops.approvePatchRun(BOB, r0.id);

    expect((await h.ops.executePatchRun(ALICE, r0.id)).status).to.equal('succeeded');
  });
});
