import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { verifyAuditChain } from '../../../../../domain/access/audit-chain.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../../domain/policy.js';
import type { StateStore } from '../../../../../ports/outbound/state-store.port.js';
import { ExecutePatchRun } from '../../../../../ports/use-cases/patching/execute-patch-run.use-case.js';
import { RunPatchExecutor } from '../../../../../ports/use-cases/patching/patch-executor.use-case.js';
import type { RunProgress } from '../../../../../ports/inbound/patching/patch-runs.port.js';
import { ALICE, BOB } from '../../../../patch-builders.js';
import { harness, IDS, NOW, TEST_POLICY, type Harness } from './harness.js';

chai.use(chaiAsPromised);
const { expect } = chai;
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Polls every 5 minutes (lease: 4 polls, 20 minutes): fewer renewals, so a crash at each seam runs fast. */
const SLOW_POLL = { world: { policy: resolvePolicy({ verification: { pollSeconds: 300, settleMinutes: 5, observeMinutes: 10, waveTimeoutMinutes: 30 } }, DEFAULT_POLICY) } };

const WRITES = new Set(['updateRun', 'appendAudit', 'acquireLease', 'releaseLease', 'createRun', 'recordSimulatedCommand']);

/**
 * The store as one service task sees it, killed after its k-th write (run record, audit entry,
 * lease): that write is kept, and every call after it fails, as if the task had died there.
 */
function dyingAfter(base: StateStore, k: number): { store: StateStore; writes: () => number; log: string[] } {
  let writes = 0;
  const log: string[] = [];
  let dead = false;
  const store = new Proxy(base, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        if (dead) throw new Error('task is dead');
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (WRITES.has(String(name)) && (log.push(`${String(name)} ${what(out)}`), ++writes === k)) {
          dead = true;
          throw new Error(`task killed after write ${k}`);
        }
        return out;
      };
    },
  });
  return { store, writes: () => writes, log };
}

/** What a write wrote, enough to tell one step from the next (a poll renews the same record). */
function what(out: unknown): string {
  if (out === null || typeof out !== 'object') return '';
  const o = out as { status?: string; action?: string; currentWave?: number | null; waves?: { status: string; sends: { commandId: string | null }[] }[] };
  if (o.action) return o.action;
  if (o.waves) return `${o.status} ${o.currentWave} ${o.waves.map((w) => `${w.status}:${w.sends.map((x) => x.commandId ?? '-').join('/')}`).join(',')}`;
  return '';
}

function executor(h: Harness, holder: string, store?: StateStore, progress: RunProgress[] = [], errors: unknown[] = []): RunPatchExecutor {
  const d = h.deps(store);
  return new RunPatchExecutor(d, new ExecutePatchRun(d), { holder, onProgress: (p) => progress.push(p), onError: (_id, err) => errors.push(err) });
}

async function twoWaveRun(h: Harness): Promise<string> {
  const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-staging-1', 'dev-1'] });
  expect(r.waves).to.have.length(2);
  return r.id;
}

describe('patch executor in the service (leases in the state store)', () => {
  it('an approval only changes state: the executor takes the approved run up and drives it to the end, audited as itself', async () => {
    const h = harness();
    const r0 = await h.ops.requestPatchRun(ALICE, { instances: [IDS.prod1, IDS.prod2] });
    const ex = executor(h, 'task-a');

    expect(await ex.tick()).to.deep.equal([]);
    await h.ops.approvePatchRun(BOB, r0.id);
    expect(h.runner.sent).to.have.length(0);
    expect(await ex.tick()).to.deep.equal([r0.id]);
    await ex.idle();

    expect((await h.ops.getPatchRun(ALICE, r0.id)).status).to.equal('succeeded');
    expect(h.store.audit.find((e) => e.action === 'patch-run.start')).to.deep.include({ actor: 'sre-ops-executor', via: 'executor', result: 'ok' });
    expect(await h.store.heldLease(`patch-run:${r0.id}`, h.clock.t)).to.equal(null);
  });

  it('runs of several waves with hours of settle and observe finish in moments (time is injected)', async () => {
    const policy = resolvePolicy({ verification: { pollSeconds: 60, settleMinutes: 60, observeMinutes: 120, waveTimeoutMinutes: 240 } }, DEFAULT_POLICY);
    const h = harness({ world: { policy } });
    const r0 = await h.ops.requestPatchRun(ALICE, { instances: ['web-staging-1', 'dev-1', IDS.prod1, IDS.prod2] });
    await h.ops.approvePatchRun(BOB, r0.id);
    const progress: RunProgress[] = [];
    const ex = executor(h, 'task-a', undefined, progress);

    await ex.tick();
    await ex.idle();

    const r = await h.ops.getPatchRun(ALICE, r0.id);
    expect(r.status).to.equal('succeeded');
    expect(r.waves.length).to.be.at.least(3);
    expect(h.clock.t - NOW).to.be.at.least(r.waves.length * 3 * HOUR);
    expect(progress.filter((p) => /^wave \d+ succeeded$/.test(p.message)).map((p) => p.wave)).to.deep.equal(r.waves.map((w) => w.number));
  });

  it('two tasks never drive one run: the second sees the first one\'s lease and leaves it', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    const a = executor(h, 'task-a');
    const b = executor(h, 'task-b');

    const [takenA, takenB] = await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.idle(), b.idle()]);

    expect([...takenA, ...takenB]).to.include(id);
    expect(h.runner.sent.map((c) => c.token)).to.deep.equal([`sre-ops ${id} wave 1`, `sre-ops ${id} wave 2`]);
    expect(h.store.audit.filter((e) => e.action === 'patch-run.start').map((e) => e.result)).to.deep.equal(['ok']);
  });

  it('a task killed after each of its writes: another task takes the run up once the lease lapses and resumes it without resending', async () => {
    const full = harness(SLOW_POLL);
    const fullId = await twoWaveRun(full);
    const counting = dyingAfter(full.store, Number.POSITIVE_INFINITY);
    const first = executor(full, 'task-a', counting.store);
    await first.tick();
    await first.idle();
    expect((await full.store.getRun(fullId))?.status).to.equal('succeeded');
    // Every write where the record changes (start, intent, send, command id, each instance's end,
    // verification, finish, every audit entry), not the renewals while it waits (the same again).
    // (The last write, the release of the lease, fails quietly: the lease lapses on its own.)
    const seams = counting.log.flatMap((w, i) => (w !== counting.log[i - 1] && !w.startsWith('acquireLease') && i + 1 < counting.writes() ? [i + 1] : []));
    expect(seams.length).to.be.greaterThan(12);

    for (const k of [...seams, ...seams.map((x) => x - 1).filter((x) => x > 0 && !seams.includes(x))]) {
      const at = `task killed after write ${k}`;
      const h = harness(SLOW_POLL);
      const id = await twoWaveRun(h);
      const errors: unknown[] = [];
      const a = executor(h, 'task-a', dyingAfter(h.store, k).store, [], errors);
      await a.tick().catch((err: unknown) => errors.push(err));
      await a.idle();
      expect(errors.map(String).join(), at).to.match(/task killed after write|task is dead/);

      const b = executor(h, 'task-b');
      const stillHeld = (await h.store.heldLease(`patch-run:${id}`, h.clock.t)) !== null;
      if (stillHeld) expect(await b.tick(), `${at}: the dead task's lease still holds`).to.deep.equal([]);
      h.clock.t += 20 * MIN;
      await b.tick();
      await b.idle();

      const r = await h.ops.getPatchRun(ALICE, id);
      expect(r.status, at).to.equal('succeeded');
      expect(h.runner.sent.map((c) => c.token), at).to.deep.equal([`sre-ops ${id} wave 1`, `sre-ops ${id} wave 2`]);
      const ok = (action: string) => h.store.audit.filter((e) => e.action === action && e.result === 'ok');
      expect(ok('ssm.send-command').map((e) => /command (\S+) /.exec(e.detail ?? '')?.[1]), at).to.deep.equal(r.waves.flatMap((w) => w.commandIds));
      expect(ok('patch-run.verify-wave').map((e) => e.detail?.slice(0, 16)), at).to.deep.equal(['wave 1 succeeded', 'wave 2 succeeded']);
      expect([ok('patch-run.start').length, ok('patch-run.finish').length], at).to.deep.equal([1, 1]);
      expect(verifyAuditChain((await h.store.readAuditChain()).records, h.store.head).ok, at).to.equal(true);
    }
  });

  it('leaves alone a run a person is executing with `sre-ops run` (its lease), and runs whose approval expired', async () => {
    const h = harness();
    const id = await twoWaveRun(h);
    let taken: readonly string[] | null = null;
    h.onSleep = async () => {
      taken ??= await executor(h, 'task-a').tick();
    };
    await h.ops.executePatchRun(ALICE, id);
    expect(taken).to.deep.equal([]);

    const r0 = await h.ops.requestPatchRun(ALICE, { instances: [IDS.prod1] });
    await h.ops.approvePatchRun(BOB, r0.id);
    h.clock.t += (TEST_POLICY.approval.expiresAfterHours + 1) * HOUR;
    expect(await executor(h, 'task-a').tick()).to.deep.equal([]);
    expect((await h.ops.getPatchRun(ALICE, r0.id)).status).to.equal('approved');
  });

  it('start() looks every everyMs until stop()', async () => {
    const h = harness();
    // A sleeper that yields to the event loop, as a real wait does (the harness's returns at once).
    const d = { ...h.deps(), sleep: async (ms: number) => {
      h.sleeps.push(ms);
      h.clock.t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    } };
    const ex = new RunPatchExecutor(d, new ExecutePatchRun(d), { holder: 'task-a', everyMs: 30_000 });
    ex.start();
    const id = await twoWaveRun(h);
    while ((await h.store.getRun(id))?.status !== 'succeeded') await new Promise((resolve) => setImmediate(resolve));
    await ex.stop();
    await ex.idle();

    expect(h.runner.sent).to.have.length(2);
    expect(h.sleeps).to.include(30_000);
  });
});
