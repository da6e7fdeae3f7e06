import type { Actor } from '../../../domain/access/actor.js';
import { ConflictError, isSourceError, ValidationError } from '../../../domain/errors.js';
import type { InstanceMetrics, PatchState } from '../../../domain/fleet-facts.js';
import {
  activeWave, beginVerification, completeWave, haltRun, instancesChanged, isRunTerminal, recordInvocations, recordSendIntent, recordSent, startRun, takeLease,
  timeOutWave, waveCommandsDone, type PatchRun, type RunWave, type WaveSend,
} from '../../../domain/patch/run.js';
import { verifyInstance } from '../../../domain/patch/run-verification.js';
import { toIso, type Instant } from '../../../domain/time.js';
import type { PatchRunner } from '../../outbound/patch-runner.port.js';
import type { PatchRunReport, RunProgress } from '../../inbound/patching/patch-runs.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audit, authorizeAudited } from '../shared/audited.js';
import { isStale, loadRun } from './run-records.js';
import { toRunReport } from '../shared/operation-reports.mapper.js';
import { sourceScope } from './request-patch-run.use-case.js';

const MINUTE_MS = 60_000;
/** A command may be found at SSM slightly before the intent's timestamp (clock skew between hosts). */
const LOOKUP_SKEW_MS = 5 * MINUTE_MS;

/** The key of a run's executor lease in the store (LeaseStore). */
export function executionLeaseKey(runId: string): string {
  return `patch-run:${runId}`;
}

/** How long an executor's lease holds without renewal: a dead executor's run is taken up after this. */
export function executionLeaseMs(pollSeconds: number): number {
  return Math.max(2 * MINUTE_MS, 4 * pollSeconds * 1000);
}

type Say = (wave: number | null, instanceId: string | null, message: string) => void;

/** One execution: who, as which lease holder, reporting where, and what this process did itself. */
interface Execution {
  readonly actor: Actor;
  readonly holder: string;
  readonly runner: PatchRunner;
  readonly say: Say;
  /** Tokens whose intent this process recorded: they cannot have been sent before, no lookup needed. */
  readonly intended: Set<string>;
  /** Waves whose wait for CloudWatch data was announced. */
  readonly announced: Set<number>;
}

function label(i: { instanceId: string; name: string | null }): string {
  return i.name ? `${i.name} (${i.instanceId})` : i.instanceId;
}

function clock(t: Instant): string {
  return (toIso(t) as string).slice(11, 16);
}

/**
 * Executes a run wave by wave: records the intent to send, sends AWS-RunPatchBaseline, tracks
 * each instance's invocation, waits for CloudWatch to show the after-state, verifies (command
 * status, fresh patch state, the regression rule), and moves to the next wave or halts.
 *
 * Every step is written to the store before the next begins, so a process that dies anywhere
 * resumes where the record stops: between waves it starts the next wave; after recording an
 * intent it looks the command up by its token before sending, so nothing is sent twice. A lease
 * on the run keeps a second executor out while the first is alive; a cancel is noticed at the
 * next write.
 *
 * The audit log agrees with the run record after a crash at any point: each event of a run
 * (start, each command, each verified wave, finish) is written once, under an id derived from the
 * run and the event, after the run record that it reports; a resume first writes any entry the
 * record shows and the log lacks (a crash between the two writes), and never writes one twice.
 */
export class ExecutePatchRun {
  constructor(private readonly d: PatchDependencies) {}

  /** How long a lease holds without renewal: a dead executor's run can be resumed after this. */
  private get leaseMs(): number {
    return executionLeaseMs(this.d.core.policy.verification.pollSeconds);
  }

  /**
   * @throws ForbiddenError (role), NotFoundError, ValidationError (wrong source, or a source that
   *   cannot execute), ConflictError (not approved, approval expired, another executor holds it),
   *   SourceError (SSM refused or unreachable: the run stays resumable).
   */
  async execute(actor: Actor, runId: string, onProgress: (p: RunProgress) => void = () => {}): Promise<PatchRunReport> {
    return (await this.drive(actor, runId, onProgress, null)) as PatchRunReport;
  }

  /**
   * What the service's executor calls: drives the run as `holder` (one per task), like execute,
   * but answers null, writing nothing, when another executor holds the run (its lease in the
   * store, or the run's own lease): that one drives it.
   */
  async driveAs(actor: Actor, runId: string, holder: string, onProgress: (p: RunProgress) => void = () => {}): Promise<PatchRunReport | null> {
    return this.drive(actor, runId, onProgress, holder);
  }

  private async drive(actor: Actor, runId: string, onProgress: (p: RunProgress) => void, workerHolder: string | null): Promise<PatchRunReport | null> {
    const say: Say = (wave, instanceId, message) => onProgress({ runId, wave, instanceId, message });
    await authorizeAudited(this.d, actor, 'execute', 'patch-run.execute', runId);
    let run = await loadRun(this.d, runId);
    if (isRunTerminal(run)) {
      await this.catchUpAudit(actor, run);
      return toRunReport(run, this.d.clock.now());
    }
    const runner = await this.checkRunner(actor, run);
    const x: Execution = { actor, holder: workerHolder ?? `${actor.id}/${this.d.newId()}`, runner, say, intended: new Set(), announced: new Set() };
    if (!(await this.lease(x, run, workerHolder !== null))) return null;
    try {
      run = await this.checkInstances(x, run);
      if (isRunTerminal(run)) {
        await this.d.store.releaseLease(executionLeaseKey(runId), x.holder);
        return toRunReport(run, this.d.clock.now());
      }
      run = await this.begin(x, run);
      while (!isRunTerminal(run)) run = await this.step(x, run);
    } catch (err) {
      await this.release(x, runId);
      throw err;
    }
    await this.d.store.releaseLease(executionLeaseKey(runId), x.holder).catch(() => undefined);
    say(null, null, `run ${run.status}${run.haltReason ? `: ${run.haltReason}` : ''}`);
    return toRunReport(run, this.d.clock.now());
  }

  /**
   * Takes the run's lease in the store (LeaseStore), so two executors never drive one run. When
   * another holds it (or the run's own lease, written by an executor of an older version): the
   * service's executor (quiet) leaves it alone; a person's `run` is refused, saying by whom.
   */
  private async lease(x: Execution, run: PatchRun, quiet: boolean): Promise<boolean> {
    const now = this.d.clock.now();
    const runLeaseHeld = run.lease !== null && run.lease.holder !== x.holder && run.lease.until > now;
    const taken = runLeaseHeld ? null : await this.d.store.acquireLease(executionLeaseKey(run.id), x.holder, now, this.leaseMs);
    if (taken) return true;
    if (quiet) return false;
    const held = runLeaseHeld ? run.lease?.until : (await this.d.store.heldLease(executionLeaseKey(run.id), now))?.expiresAt;
    const err = new ConflictError('IN_PROGRESS', `run ${run.id} is being executed by another process until at least ${toIso(held ?? now)}; follow it with "run ${run.id} --watch", or retry after then if that process died`);
    await audit(this.d, x.actor, run.status === 'approved' ? 'patch-run.start' : 'patch-run.resume', run.id, 'failed', err.message);
    throw err;
  }

  private async checkRunner(actor: Actor, run: PatchRun): Promise<PatchRunner> {
    const problem = await this.runnerProblem(run);
    if (problem) {
      await audit(this.d, actor, 'patch-run.execute', run.id, 'failed', problem.message);
      throw problem;
    }
    return this.d.runner as PatchRunner;
  }

  /**
   * Why this process cannot execute the run, or null. A run executes on the source it was planned
   * on, or, when every instance records its account and region (runs record them from the source's
   * identity), with a live source of that account and region: a run requested and approved on a
   * snapshot executes with `--source aws` (or the service) there.
   */
  async runnerProblem(run: PatchRun): Promise<ValidationError | null> {
    const here = this.d.core.source.label;
    if (!this.d.runner) return new ValidationError('source', 'a source that can send patch commands (aws, or the simulated demo)', this.d.unavailable);
    if (run.source === here) return null;
    const instances = run.waves.flatMap((w) => w.instances);
    const located = !run.simulated && !this.d.runner.simulated && instances.every((i) => i.accountId && i.region);
    if (!located) {
      return new ValidationError('source', run.source, `run ${run.id} was planned on source ${run.source}; it executes only there (this is ${here})`);
    }
    const scope = await sourceScope(this.d);
    const elsewhere = instances.filter((i) => i.accountId !== scope?.accountId || i.region !== scope?.region);
    if (elsewhere.length === 0) return null;
    const where = `account ${scope?.accountId ?? 'unknown'}, region ${scope?.region ?? 'unknown'}`;
    const first = elsewhere[0] as (typeof elsewhere)[number];
    return new ValidationError('source', `account ${first.accountId ?? ''}, region ${first.region ?? ''}`,
      `run ${run.id}: ${label(first)} is in account ${first.accountId ?? '?'}, region ${first.region ?? '?'}${elsewhere.length > 1 ? ` (and ${elsewhere.length - 1} more instance${elsewhere.length > 2 ? 's' : ''} elsewhere)` : ''}; this source (${here}) is ${where}: execute it with a live source there`);
  }

  /**
   * A run executing on another source than it was planned on (a snapshot's run on the live
   * account) first checks that its instances are still the ones planned: one gone, replaced,
   * renamed or moved to another account halts the run, naming which, before anything is sent.
   */
  private async checkInstances(x: Execution, run: PatchRun): Promise<PatchRun> {
    if (run.source === this.d.core.source.label) return run;
    const assets = await this.d.core.assets.listAssets();
    const problems = instancesChanged(run, assets.map((a) => ({ instanceId: a.instanceId, name: a.name, accountId: (a as { accountId?: string | null }).accountId ?? null })));
    if (problems.length === 0) return run;
    const reason = `instances changed since run ${run.id} was planned on ${run.source}: ${problems.join('; ')}`;
    const halted = await this.d.store.updateRun(haltRun(run, reason, this.d.clock.now()));
    await audit(this.d, x.actor, 'patch-run.halt', run.id, 'failed', reason, `${run.id}|halt`);
    x.say(null, null, `run halted: ${reason}`);
    return halted;
  }

  /** Starts an approved run, or takes over a running one whose lease is free. */
  private async begin(x: Execution, loaded: PatchRun): Promise<PatchRun> {
    let run = loaded;
    for (let attempt = 0; ; attempt++) {
      const resuming = run.status === 'running' || run.status === 'verifying';
      const action = resuming ? 'patch-run.resume' : 'patch-run.start';
      try {
        const now = this.d.clock.now();
        const next = resuming ? takeLease(run, x.holder, now, this.leaseMs) : startRun(run, x.actor, x.holder, now, this.leaseMs);
        const stored = await this.d.store.updateRun(next);
        const at = `wave ${stored.currentWave} of ${stored.waves.length}`;
        if (resuming) await this.catchUpAudit(x.actor, stored);
        await audit(this.d, x.actor, action, run.id, 'ok', `${resuming ? 'resumed at' : 'started'} ${at}${stored.simulated ? '; simulated' : ''}`, resuming ? undefined : `${run.id}|start`);
        if (stored.simulated) x.say(null, null, 'SIMULATED run (demo source): nothing is sent to AWS, every command "succeeds" at once');
        x.say(stored.currentWave, null, `${resuming ? 'resuming' : 'starting'} run ${run.id} at ${at}`);
        return stored;
      } catch (err) {
        if (isStale(err) && attempt < 3) {
          run = await loadRun(this.d, run.id);
          if (isRunTerminal(run)) return run;
          continue;
        }
        await audit(this.d, x.actor, action, run.id, 'failed', err instanceof Error ? err.message : String(err));
        throw err;
      }
    }
  }

  private async step(x: Execution, run: PatchRun): Promise<PatchRun> {
    const wave = activeWave(run);
    const now = this.d.clock.now();
    switch (wave.status) {
      case 'pending': {
        const stage = `${wave.stage}${wave.canary ? ', canary' : ''}`;
        x.say(wave.number, null, `wave ${wave.number}/${run.waves.length} (${stage}): AWS-RunPatchBaseline ${run.operation} ${run.rebootOption} on ${wave.instances.length} instance${wave.instances.length === 1 ? '' : 's'}`);
        const next = recordSendIntent(run, x.runner.maxInstancesPerCommand, now);
        for (const s of activeWave(next).sends) x.intended.add(s.token);
        return this.save(x, next);
      }
      case 'running': {
        const unsent = wave.sends.find((s) => s.commandId === null);
        return unsent ? this.send(x, run, wave, unsent) : this.track(x, run, wave);
      }
      case 'verifying':
        return this.verify(x, run, wave);
      default:
        throw new ConflictError('INVALID_STATE', `run ${run.id} is ${run.status} but wave ${wave.number} is ${wave.status}`);
    }
  }

  /**
   * Writes the next state, renewing the lease. When someone else wrote first: a finished run
   * (cancelled) is returned as it is, so the loop ends; a lease taken over is a conflict; anything
   * else is returned fresh and the step runs again on it.
   */
  private async save(x: Execution, next: PatchRun): Promise<PatchRun> {
    const now = this.d.clock.now();
    if (!isRunTerminal(next) && !(await this.d.store.acquireLease(executionLeaseKey(next.id), x.holder, now, this.leaseMs))) {
      throw new ConflictError('IN_PROGRESS', `run ${next.id} was taken over by another executor (this one's lease lapsed); this one stops`);
    }
    const renewed = next.lease?.holder === x.holder ? { ...next, lease: { holder: x.holder, until: now + this.leaseMs } } : next;
    try {
      return await this.d.store.updateRun(renewed);
    } catch (err) {
      if (!isStale(err)) throw err;
      const fresh = await loadRun(this.d, next.id);
      if (isRunTerminal(fresh)) {
        x.say(fresh.currentWave, null, `run ${fresh.status}${fresh.cancelledBy ? ` by ${fresh.cancelledBy}` : ''}: stopping`);
        return fresh;
      }
      if (fresh.lease?.holder !== x.holder) {
        throw new ConflictError('IN_PROGRESS', `run ${fresh.id} was taken over by another executor; this one stops`);
      }
      return fresh;
    }
  }

  private async send(x: Execution, run: PatchRun, wave: RunWave, s: WaveSend): Promise<PatchRun> {
    const runner = x.runner;
    let commandId: string;
    let how: string;
    const found = x.intended.has(s.token) ? null : await runner.findSent(s.token, s.intentAt - LOOKUP_SKEW_MS, s.instanceIds);
    if (found) {
      commandId = found.commandId;
      how = 'found at SSM after an interruption: not sent again';
    } else {
      try {
        commandId = (await runner.send({
          token: s.token,
          instanceIds: s.instanceIds,
          operation: run.operation,
          rebootOption: run.rebootOption,
          snapshotId: run.snapshotId,
          maxConcurrency: this.d.core.policy.rollout.maxConcurrency,
          maxErrors: this.d.core.policy.rollout.maxErrors,
          alarmName: this.d.core.policy.rollout.alarms[0] ?? null,
        })).commandId;
      } catch (err) {
        await audit(this.d, x.actor, 'ssm.send-command', run.id, 'failed', `wave ${wave.number}: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      how = `sent to ${s.instanceIds.join(', ')}`;
    }
    x.intended.delete(s.token);
    // The record first, then its audit entry (written once): a crash between them is caught up on resume.
    const saved = await this.save(x, recordSent(run, s.token, commandId, this.d.clock.now()));
    await audit(this.d, x.actor, 'ssm.send-command', run.id, 'ok', `wave ${wave.number}: command ${commandId} ${how}${runner.simulated ? ' (simulated)' : ''}`, `${run.id}|send|${s.token}`);
    x.say(wave.number, null, `wave ${wave.number}: command ${commandId} ${how}`);
    if (saved.status === 'cancelled') await this.cancelOrphan(x, saved, commandId);
    return saved;
  }

  /** The run was cancelled while this command went out: stop it too. */
  private async cancelOrphan(x: Execution, run: PatchRun, commandId: string): Promise<void> {
    try {
      await x.runner.cancel(commandId);
      await audit(this.d, x.actor, 'ssm.cancel-command', run.id, 'ok', `${commandId}: sent as the run was cancelled`);
    } catch (err) {
      if (!isSourceError(err)) throw err;
      await audit(this.d, x.actor, 'ssm.cancel-command', run.id, 'failed', `${commandId}: ${err.message}`);
    }
  }

  /** Polls the wave's invocations once; records changes; closes the wave when all are done or it timed out. */
  private async track(x: Execution, run: PatchRun, wave: RunWave): Promise<PatchRun> {
    const states = (await Promise.all(wave.sends.map((s) => x.runner.invocations(s.commandId as string, s.instanceIds)))).flat();
    const now = this.d.clock.now();
    let next = recordInvocations(run, states, now);
    if (next !== run) {
      const before = new Map(wave.instances.map((i) => [i.instanceId, i.status]));
      for (const i of activeWave(next).instances) {
        if (before.get(i.instanceId) !== i.status) x.say(wave.number, i.instanceId, `wave ${wave.number}: ${label(i)} ${i.status}${i.detail ? ` (${i.detail})` : ''}`);
      }
    }
    const timeout = this.d.core.policy.verification.waveTimeoutMinutes;
    if (waveCommandsDone(next)) {
      next = beginVerification(next, now);
    } else if (wave.startedAt !== null && now - wave.startedAt >= timeout * MINUTE_MS) {
      x.say(wave.number, null, `wave ${wave.number}: commands not finished after ${timeout} minutes; counting the rest as timed out`);
      next = beginVerification(timeOutWave(next, now, timeout), now);
    }
    if (next !== run) return this.save(x, next);
    await this.d.sleep(this.d.core.policy.verification.pollSeconds * 1000);
    // Writing the unchanged run renews the lease and notices a cancel made meanwhile.
    return this.save(x, run);
  }

  /** Waits for the after window to pass, then verifies every instance of the wave. */
  private async verify(x: Execution, run: PatchRun, wave: RunWave): Promise<PatchRun> {
    const v = this.d.core.policy.verification;
    const completedAt = wave.completedAt ?? this.d.clock.now();
    const observeStart = completedAt + v.settleMinutes * MINUTE_MS;
    const observeEnd = observeStart + v.observeMinutes * MINUTE_MS;
    // Nothing to watch for a Scan, a simulated run, or a wave where no command succeeded.
    const watch = run.operation === 'Install' && !run.simulated && wave.instances.some((i) => i.status === 'succeeded');
    const now = this.d.clock.now();
    if (watch && now < observeEnd) {
      if (!x.announced.has(wave.number)) {
        x.announced.add(wave.number);
        x.say(wave.number, null, `wave ${wave.number}: commands finished; watching CloudWatch ${clock(observeStart)}–${clock(observeEnd)} UTC before verifying`);
      }
      await this.d.sleep(Math.min(v.pollSeconds * 1000, observeEnd - now));
      return this.save(x, run);
    }

    const ids = wave.instances.map((i) => i.instanceId);
    const sentAt = new Map<string, Instant>();
    const commandOf = new Map<string, string | null>();
    for (const s of wave.sends) {
      for (const id of s.instanceIds) {
        sentAt.set(id, s.sentAt ?? s.intentAt);
        commandOf.set(id, s.commandId);
      }
    }
    const firstSent = Math.min(...[...sentAt.values()], completedAt);
    const notes: string[] = [];
    const states = await this.secondary(notes, 'patch states', () => this.d.core.compliance.patchStates(ids));
    let before: ReadonlyMap<string, InstanceMetrics> | undefined;
    let after: ReadonlyMap<string, InstanceMetrics> | undefined;
    if (watch) {
      const metrics = this.d.core.metrics;
      before = await this.secondary(notes, 'CloudWatch before', () => metrics.getInstanceMetrics({ instanceIds: ids, start: firstSent - v.baselineMinutes * MINUTE_MS, end: firstSent, periodSeconds: 60 }));
      after = await this.secondary(notes, 'CloudWatch after', () => metrics.getInstanceMetrics({ instanceIds: ids, start: observeStart, end: observeEnd, periodSeconds: 60 }));
    }
    const verdicts = wave.instances.map((i) =>
      verifyInstance({
        instanceId: i.instanceId,
        operation: run.operation,
        status: i.status,
        detail: i.detail,
        sentAt: sentAt.get(i.instanceId) ?? firstSent,
        patchState: states === undefined ? undefined : (states.get(i.instanceId) ?? null) as PatchState | null,
        before: before === undefined ? undefined : (before.get(i.instanceId) ?? {}),
        after: after === undefined ? undefined : (after.get(i.instanceId) ?? {}),
        rule: v,
        simulated: run.simulated,
        commandId: commandOf.get(i.instanceId) ?? null,
      }),
    );
    const next = completeWave(run, verdicts, this.d.clock.now());
    const closed = next.waves[wave.number - 1] as RunWave;
    for (const i of closed.instances) {
      const was = wave.instances.find((w) => w.instanceId === i.instanceId);
      // Tracking already said how each command ended; say what verification added or changed.
      if (was?.status !== i.status || was.detail !== i.detail) x.say(wave.number, i.instanceId, `wave ${wave.number}: ${label(i)} ${i.status}${i.detail ? `: ${i.detail}` : ''}`);
    }
    x.say(wave.number, null, `wave ${wave.number} ${closed.status}`);
    const saved = await this.save(x, next);
    if (saved.waves[wave.number - 1]?.verifiedAt !== null) await this.auditVerified(x.actor, saved, wave.number, notes);
    return saved;
  }

  /** The verify-wave entry of a verified wave, and the finish entry when that ended the run (each once). */
  private async auditVerified(actor: Actor, run: PatchRun, waveNumber: number, notes: readonly string[] = [], late = false): Promise<void> {
    const closed = run.waves[waveNumber - 1] as RunWave;
    const ok = closed.status === 'succeeded';
    const tail = `${notes.length ? `; ${notes.join('; ')}` : ''}${late ? ' (entry written on resume: the process stopped before writing it)' : ''}`;
    await audit(this.d, actor, 'patch-run.verify-wave', run.id, ok ? 'ok' : 'failed', `wave ${waveNumber} ${closed.status}${run.haltReason && !ok ? `: ${run.haltReason}` : ''}${tail}`, `${run.id}|verify|${waveNumber}`);
    const last = run.waves.every((w) => w.number <= waveNumber || w.verifiedAt === null);
    if (!late && last && isRunTerminal(run) && run.status !== 'cancelled') await this.auditFinish(actor, run, '');
  }

  private async auditFinish(actor: Actor, run: PatchRun, late: string): Promise<void> {
    await audit(this.d, actor, 'patch-run.finish', run.id, run.status === 'succeeded' ? 'ok' : 'failed', `${run.status}${run.haltReason ? `: ${run.haltReason}` : ''}${late}`, `${run.id}|finish`);
  }

  /**
   * Writes the entries the run record shows and the log lacks (a crash between a record and its
   * entry): the start, every recorded command, every verified wave and the finish. What the log
   * already says about the run is read first, so entries written by any version are not repeated.
   */
  private async catchUpAudit(actor: Actor, run: PatchRun): Promise<void> {
    // Never started (requested, approved, rejected, cancelled before the start): nothing to catch up.
    if (run.currentWave === null) return;
    const entries = await this.d.store.listAudit({ target: run.id, limit: 100_000 });
    const said = (action: string, text: string | null): boolean => entries.some((e) => e.action === action && e.result !== 'denied' && (text === null || (e.detail ?? '').includes(text)));
    const late = ' (entry written on resume: the process stopped before writing it)';
    if (!said('patch-run.start', null)) await audit(this.d, actor, 'patch-run.start', run.id, 'ok', `started${late}`, `${run.id}|start`);
    for (const w of run.waves) {
      for (const s of w.sends) {
        if (s.commandId === null || said('ssm.send-command', `command ${s.commandId} `)) continue;
        await audit(this.d, actor, 'ssm.send-command', run.id, 'ok', `wave ${w.number}: command ${s.commandId} sent to ${s.instanceIds.join(', ')}${late}`, `${run.id}|send|${s.token}`);
      }
      if (w.verifiedAt !== null && !said('patch-run.verify-wave', `wave ${w.number} `)) await this.auditVerified(actor, run, w.number, [], true);
    }
    const verifiedEnd = run.waves.some((w) => w.verifiedAt !== null) && run.status !== 'cancelled' && run.status !== 'rejected';
    if (isRunTerminal(run) && verifiedEnd && !said('patch-run.finish', null)) await this.auditFinish(actor, run, late);
  }

  /** A read whose failure verification notes rather than fails on (undefined: unreadable). */
  private async secondary<T>(notes: string[], what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (err) {
      if (!isSourceError(err)) throw err;
      notes.push(`${what} unreadable (${err.code})`);
      return undefined;
    }
  }

  /** Drops this process's lease after a failure, so a retry need not wait for it to expire. */
  private async release(x: Execution, runId: string): Promise<void> {
    try {
      await this.d.store.releaseLease(executionLeaseKey(runId), x.holder);
      const run = await loadRun(this.d, runId);
      if (run.lease?.holder === x.holder) await this.d.store.updateRun({ ...run, lease: null });
    } catch {
      // Best effort: the lease expires on its own; the original error is what the caller needs.
    }
  }
}
