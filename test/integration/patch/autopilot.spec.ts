/**
 * The autopilot over a real SQLite state file: plan windows become runs at their time (injected,
 * so hours pass in moments), the standing approval is audited as the policy's, a task killed after
 * any write leaves no duplicate to the next, and a missed window is reported with the next one.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStateStore } from '../../../adapters/outbound/sqlite/sqlite-state-store.js';
import { verifyAuditChain } from '../../../domain/access/audit-chain.js';
import type { ProgressThread } from '../../../domain/patch/run.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../domain/policy.js';
import type { StateStore } from '../../../ports/outbound/state-store.port.js';
import { RunAutopilot } from '../../../ports/use-cases/patching/autopilot.use-case.js';
import { ExecutePatchRun } from '../../../ports/use-cases/patching/execute-patch-run.use-case.js';
import { EXECUTOR_ACTOR, RunPatchExecutor } from '../../../ports/use-cases/patching/patch-executor.use-case.js';
import { BOB } from '../../patch-builders.js';
import { busyWeekWith, cpuWeeks, slot } from '../../unit/domain/patch/plan-builders.js';
import { harness, IDS, NOW, world as aWorld, type Harness } from '../../unit/ports/use-cases/patching/harness.js';

chai.use(chaiAsPromised);
const { expect } = chai;
const MIN = 60_000;
const HOUR = 60 * MIN;

// NOW is Wednesday 2026-11-11 00:00 UTC. CPU history makes web-staging-1 quietest on Wednesdays
// 06:00-09:00 and dev-1 on Wednesdays 14:00-17:00: two windows eight hours apart, today.
const STAGING_START = NOW + 6 * HOUR;
const DEV_START = NOW + 14 * HOUR;

function policy(autopilot: Record<string, unknown>): ReturnType<typeof resolvePolicy> {
  return resolvePolicy({
    verification: { pollSeconds: 60, settleMinutes: 30, observeMinutes: 60, waveTimeoutMinutes: 120 },
    autopilot: { enabled: true, approvalLeadTimeHours: 4, approvalDeadlineMinutes: 30, chat: { platform: 'slack', channel: 'C-OPS' }, ...autopilot },
  }, DEFAULT_POLICY);
}

interface Posted { readonly thread: ProgressThread; readonly text: string }

interface World {
  readonly h: Harness;
  readonly posts: Posted[];
  readonly path: string;
  /** A service task over its own connection to the state file: the autopilot inside its executor. */
  task(holder: string, store?: StateStore): { executor: RunPatchExecutor; autopilot: RunAutopilot; store: StateStore };
}

let dir = '';
const opened: SqliteStateStore[] = [];

function world(autopilot: Record<string, unknown>, over: { assets?: ReturnType<typeof aWorld>['assets'] } = {}): World {
  const h = harness({ world: { policy: policy(autopilot), ...over } });
  const quiet = (from: number): Record<number, number> => ({ [from]: 2, [from + 1]: 2, [from + 2]: 2 });
  h.metrics[IDS.stg] = { cpu: cpuWeeks(NOW, 14, busyWeekWith(quiet(slot(3, 6)))) };
  h.metrics[IDS.dev] = { cpu: cpuWeeks(NOW, 14, busyWeekWith(quiet(slot(3, 14)))) };
  const posts: Posted[] = [];
  const path = join(dir, `state-${opened.length}.db`);
  return {
    h,
    posts,
    path,
    task(holder, store) {
      const s = store ?? open(path);
      const base = h.deps(s);
      // One injected clock for the assessment and the writes, as the composition root does with a caller's clock.
      const core = { ...base.core, clock: { now: () => h.clock.t } };
      const d = { ...base, core, progressPoster: { post: async (thread: ProgressThread, text: string) => { posts.push({ thread, text }); } } };
      const autopilot = new RunAutopilot(d, holder);
      return { autopilot, store: s, executor: new RunPatchExecutor(d, new ExecutePatchRun(d), { holder }, EXECUTOR_ACTOR, autopilot) };
    },
  };
}

function open(path: string): SqliteStateStore {
  const s = new SqliteStateStore(path);
  opened.push(s);
  return s;
}

/** Ticks the executor (autopilot first) every `step` until `until`, letting each tick's runs finish. */
async function runUntil(w: World, executor: RunPatchExecutor, until: number, step = 15 * MIN): Promise<void> {
  while (w.h.clock.t < until) {
    await executor.tick();
    await executor.idle();
    w.h.clock.t += step;
  }
}

describe('autopilot: plan windows become runs (SQLite state file, injected time)', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-autopilot-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two windows eight hours apart become runs, approved by the standing approval (audited as the policy), executed in their windows, in moments', async () => {
    const w = world({ standingApproval: { allowed: true, actor: 'ops-standing-approval' } });
    const { executor, store } = w.task('task-a');

    await runUntil(w, executor, NOW + 20 * HOUR);

    const runs = (await store.listRuns({ limit: 10 })).filter((r) => r.autopilot);
    expect(runs.map((r) => [r.window?.start, r.status, r.waves.flatMap((x) => x.instances.map((i) => i.name))])).to.deep.equal([
      [DEV_START, 'succeeded', ['dev-1']],
      [STAGING_START, 'succeeded', ['web-staging-1']],
    ]);
    for (const r of runs) {
      // Made ahead by the lead time, approved at its start by the policy, started within the window.
      expect(r.requestedAt).to.be.within((r.window?.start ?? 0) - 4 * HOUR, (r.window?.start ?? 0) - 4 * HOUR + 15 * MIN);
      expect(r.approvals.map((a) => [a.by, a.at >= (r.window?.start ?? 0)])).to.deep.equal([['ops-standing-approval', true]]);
      expect(r.waves[0]?.startedAt).to.be.within(r.window?.start ?? 0, r.window?.end ?? 0);
    }
    const audit = await store.listAudit({ limit: 200 });
    const approvals = audit.filter((e) => e.action === 'patch-run.approve');
    expect(approvals.map((e) => [e.actor, e.via, e.result])).to.deep.equal([['ops-standing-approval', 'policy', 'ok'], ['ops-standing-approval', 'policy', 'ok']]);
    expect(approvals[0]?.detail).to.match(/^standing approval by policy \(autopilot\.standingApproval\), not a person: approved until /);
    expect(audit.filter((e) => e.action === 'patch-run.request').map((e) => [e.actor, e.via])).to.deep.equal([['sre-ops-autopilot', 'autopilot'], ['sre-ops-autopilot', 'autopilot']]);
    const chain = await store.readAuditChain();
    expect(verifyAuditChain(chain.records, chain.head).ok).to.equal(true);
    // Posted to the policy's channel: made (with the standing approval to come), approved, then the executor's progress.
    const texts = w.posts.filter((p) => p.thread.channel === 'C-OPS').map((p) => p.text);
    expect(texts.filter((t) => t.startsWith('Autopilot made run'))).to.have.length(2);
    expect(texts.filter((t) => /approved by the policy's standing approval/.test(t))).to.have.length(2);
    expect(texts.filter((t) => / succeeded\n/.test(t))).to.have.length(2);
  });

  it('an organization read where account B holds web-staging-1\'s id on a production instance: the autopilot leaves that id out (a run cannot send to it) and never targets B\'s instance', async () => {
    const [A, B, R] = ['111111111111', '222222222222', 'us-east-1'];
    const inA = (aWorld().assets ?? []).map((a) => ({ ...a, accountId: A, region: R }));
    const stg = inA.find((a) => a.instanceId === IDS.stg) as (typeof inA)[number];
    const twin = { ...stg, accountId: B, name: 'payments-1', tags: { Name: 'payments-1', Environment: 'prod' } };
    const w = world({ standingApproval: { allowed: true, actor: 'ops-standing-approval' } }, { assets: [...inA, twin] });
    const { executor, store } = w.task('task-a');

    await runUntil(w, executor, NOW + 20 * HOUR);

    const runs = (await store.listRuns({ limit: 10 })).filter((r) => r.autopilot);
    expect(runs.map((r) => r.waves.flatMap((x) => x.instances.map((i) => [i.name, i.accountId, i.production])))).to.deep.equal([[['dev-1', A, false]]]);
  });

  it('a task killed after each of its writes: the next task on the same file makes no second run and writes each event once', async () => {
    const full = world({ standingApproval: { allowed: true } });
    // Looks at: the window's lead time (the run is made), 15 minutes on, its start (the standing approval), 15 and 30 minutes on.
    const looks = [STAGING_START - 4 * HOUR, STAGING_START - 4 * HOUR + 15 * MIN, STAGING_START, STAGING_START + 15 * MIN, STAGING_START + 30 * MIN];
    const counting = counted(open(full.path));
    const only = full.task('task-a', counting.store).autopilot;
    for (const t of looks) {
      full.h.clock.t = t;
      await only.tick();
    }
    const total = counting.writes();
    expect(total).to.be.at.least(4);

    for (let k = 1; k <= total; k++) {
      const w = world({ standingApproval: { allowed: true } });
      const dying = counted(open(w.path), k);
      const a = w.task('task-a', dying.store).autopilot;
      const b = w.task('task-b').autopilot;
      // Task a looks until it dies; task b looks after that (a's lease has lapsed by its next look).
      for (const t of looks) {
        w.h.clock.t = t;
        await (dying.dead() ? b : a).tick().catch(() => undefined);
      }
      const s = open(w.path);
      const runs = (await s.listRuns({ limit: 10 })).filter((r) => r.autopilot);
      expect(runs.map((r) => [r.window?.start, r.status]), `killed after write ${k}`).to.deep.equal([[STAGING_START, 'approved']]);
      const audit = await s.listAudit({ limit: 100 });
      expect(audit.filter((e) => e.action === 'patch-run.request').length, `requests, killed after write ${k}`).to.equal(1);
      expect(audit.filter((e) => e.action === 'patch-run.approve').length, `approvals, killed after write ${k}`).to.equal(1);
      expect(w.posts.filter((p) => p.text.startsWith('Autopilot made run')).length, `posts, killed after write ${k}`).to.be.at.most(1);
    }
  });

  it('two tasks looking at the same moment, each over its own connection to the file, make one run', async () => {
    const w = world({});
    const [a, b] = [w.task('task-a').autopilot, w.task('task-b').autopilot];
    w.h.clock.t = STAGING_START - 3 * HOUR;

    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);

    expect([...ra.created, ...rb.created]).to.have.length(1);
    const s = open(w.path);
    expect((await s.listRuns({ limit: 10 })).filter((r) => r.autopilot).map((r) => r.window?.start)).to.deep.equal([STAGING_START]);
    expect((await s.listAudit({ limit: 50 })).filter((e) => e.action === 'patch-run.request')).to.have.length(1);
  });

  it('without a standing approval, the request is posted ahead; nobody approves: the window is missed, audited, posted with the next quiet window, which gets its own run', async () => {
    const w = world({});
    const { executor, store } = w.task('task-a');

    await runUntil(w, executor, STAGING_START);
    const [run] = (await store.listRuns({ limit: 10 })).filter((r) => r.autopilot);
    expect(run?.status).to.equal('requested');
    // Every surface's run report (HTTP, CLI --json) says it is the autopilot's and when it may start.
    expect(await w.h.another(store).getPatchRun(BOB, run?.id ?? '')).to.deep.include({ autopilot: true, window: { start: '2026-11-11T06:00:00.000Z', end: '2026-11-11T09:00:00.000Z' } });
    expect(w.posts.map((p) => p.text).find((t) => t.includes(run?.id ?? '-'))).to.match(/^Autopilot made run r-20261111-060000-\w+: web-staging-1 \(i-\w+\) in the window 2026-11-11T06:00:00.000Z to 2026-11-11T09:00:00.000Z\. Approval needed by 2026-11-11T06:30:00.000Z .*sre-ops approve/);

    await runUntil(w, executor, STAGING_START + 45 * MIN);
    const missed = await store.getRun(run?.id ?? '');
    expect(missed).to.deep.include({ status: 'cancelled', haltReason: 'missed its window 2026-11-11T06:00:00.000Z to 2026-11-11T09:00:00.000Z: no approval by 2026-11-11T06:30:00.000Z' });
    expect(w.h.runner.sent).to.deep.equal([]);
    const entry = (await store.listAudit({ target: run?.id ?? '' })).find((e) => e.action === 'autopilot.missed');
    expect(entry).to.deep.include({ actor: 'sre-ops-autopilot', via: 'autopilot', result: 'ok' });
    const post = w.posts.map((p) => p.text).find((t) => t.includes('missed its window')) ?? '';
    // The next quiet window: the same slot a week later.
    expect(post).to.contain('Next quiet window: 2026-11-18T06:00:00.000Z to 2026-11-18T09:00:00.000Z for web-staging-1');
    expect(entry?.detail).to.contain('2026-11-18T06:00:00.000Z');
    // `autopilot status` shows the miss and the proposed window to come.
    const st = await w.task('task-status', store).autopilot.status(BOB);
    expect(st.runs.map((r) => [r.runId, r.status, r.haltReason])).to.deep.equal([[run?.id, 'cancelled', missed?.haltReason]]);
    expect(st.due.find((d) => d.instances.some((i) => i.name === 'web-staging-1'))).to.deep.include({ start: '2026-11-18T06:00:00.000Z', createAt: '2026-11-18T02:00:00.000Z', standing: false });

    // A week later, the proposed window gets its own run.
    w.h.clock.t = NOW + 7 * 24 * HOUR + 3 * HOUR;
    await executor.tick();
    const next = (await store.listRuns({ limit: 10 })).filter((r) => r.autopilot && r.window?.start === STAGING_START + 7 * 24 * HOUR);
    expect(next.map((r) => r.status)).to.deep.equal(['requested']);
  });

  it('an approved run whose window ended while the executor was down is reported missed, not started late', async () => {
    const w = world({});
    const { executor, store } = w.task('task-a');
    await runUntil(w, executor, STAGING_START - 30 * MIN);
    const [run] = (await store.listRuns({ limit: 10 })).filter((r) => r.autopilot);
    await w.h.another(store).approvePatchRun(BOB, run?.id ?? '');

    // Down from before the window until after it ended.
    w.h.clock.t = STAGING_START + 3 * HOUR + 5 * MIN;
    await executor.tick();
    await executor.idle();

    expect(await store.getRun(run?.id ?? '')).to.deep.include({ status: 'cancelled' });
    expect((await store.getRun(run?.id ?? ''))?.haltReason).to.match(/no executor started it before the window ended/);
    expect(w.h.runner.sent).to.deep.equal([]);
    expect(w.posts.some((p) => p.text.includes('Next quiet window: 2026-11-18T06:00:00.000Z'))).to.equal(true);
  });

  it('a window that passed while no executor ran at all (no run was made) is reported missed once, with the next quiet window, even after a restart', async () => {
    const w = world({});
    const { executor, store } = w.task('task-a');
    // Up until before the staging window's run is due (4 hours ahead of it): nothing made yet.
    await runUntil(w, executor, STAGING_START - 5 * HOUR);
    expect((await store.listRuns({ limit: 10 })).filter((r) => r.autopilot)).to.deep.equal([]);

    // Down across the whole window's approval span; up again an hour after it started.
    w.h.clock.t = STAGING_START + HOUR;
    const report = await executor.tick().then(async () => { await executor.idle(); return store.listRuns({ limit: 10 }); });
    const missed = report.filter((r) => r.autopilot && r.window?.start === STAGING_START);
    expect(missed.map((r) => [r.status, r.waves.flatMap((x) => x.instances.map((i) => i.name))])).to.deep.equal([['cancelled', ['web-staging-1']]]);
    expect(missed[0]?.haltReason).to.equal('missed its window 2026-11-11T06:00:00.000Z to 2026-11-11T09:00:00.000Z: no look of the autopilot between 2026-11-11T00:45:00.000Z and 2026-11-11T07:00:00.000Z, so no run was made for it (was the executor down?)');
    // The dev window later today is not missed: it is still to come.
    expect(report.filter((r) => r.autopilot && r.window?.start === DEV_START)).to.deep.equal([]);

    // A restart: another task over its own connection looks twice more.
    const { executor: again } = w.task('task-b');
    for (const t of [STAGING_START + HOUR + 15 * MIN, STAGING_START + 2 * HOUR]) {
      w.h.clock.t = t;
      await again.tick();
      await again.idle();
    }
    const s = open(w.path);
    const entries = (await s.listAudit({ limit: 100 })).filter((e) => e.action === 'autopilot.missed');
    expect(entries.map((e) => [e.target, e.actor, e.via])).to.deep.equal([[missed[0]?.id, 'sre-ops-autopilot', 'autopilot']]);
    expect(entries[0]?.detail).to.contain('Next quiet window: 2026-11-18T06:00:00.000Z to 2026-11-18T09:00:00.000Z for web-staging-1');
    const posts = w.posts.map((p) => p.text).filter((t) => t.includes(missed[0]?.id ?? '-'));
    // Posted once, as missed; no approval request for a window already gone.
    expect(posts).to.have.length(1);
    expect(posts[0]).to.match(/^Autopilot: run r-20261111-060000-\w+ missed its window .*Next quiet window: 2026-11-18T06:00:00.000Z/);
    expect(w.h.runner.sent).to.deep.equal([]);
    expect((await s.listRuns({ limit: 10 })).filter((r) => r.autopilot && r.window?.start === STAGING_START)).to.have.length(1);
  });

  it('production under autopilot waits for a person: the run is made and requested, never approved by the policy', async () => {
    const w = world({ environments: ['prod', 'staging'] });
    w.h.metrics[IDS.prod1] = w.h.metrics[IDS.stg] ?? {};
    const { executor, store } = w.task('task-a');
    await runUntil(w, executor, STAGING_START + 10 * MIN);
    const runs = (await store.listRuns({ limit: 10 })).filter((r) => r.autopilot);
    const prod = runs.filter((r) => r.waves.some((x) => x.instances.some((i) => i.production)));
    expect(prod.length).to.be.at.least(1);
    for (const r of prod) {
      expect(r.approvals).to.deep.equal([]);
      expect(r.approvalWhy).to.match(/^production: /);
    }
  });
});

/** The store as one task sees it: counts its writes, and dies after the k-th (kept; every later call fails). */
function counted(base: StateStore, k = Number.POSITIVE_INFINITY): { store: StateStore; writes: () => number; dead: () => boolean } {
  const WRITES = new Set(['updateRun', 'appendAudit', 'acquireLease', 'releaseLease', 'createRun']);
  let writes = 0;
  let dead = false;
  const store = new Proxy(base, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        if (dead) throw new Error('task is dead');
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (WRITES.has(String(name)) && ++writes === k) {
          dead = true;
          throw new Error(`task killed after write ${k}`);
        }
        return out;
      };
    },
  });
  return { store, writes: () => writes, dead: () => dead };
}
