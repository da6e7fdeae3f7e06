import type { Actor } from '../../../domain/access/actor.js';
import { approvalMissing, outsideWindow, type PatchRun } from '../../../domain/patch/run.js';
import type { PatchExecutor, PatchExecutorOptions } from '../../inbound/patching/patch-executor.port.js';
import type { PatchRunReport, RunProgress } from '../../inbound/patching/patch-runs.port.js';
import { executionLeaseKey, executionLeaseMs, type ExecutePatchRun } from './execute-patch-run.use-case.js';
import type { PatchDependencies } from './patch-dependencies.js';

/** The identity the service's executor acts (and is audited) as: it may execute, nothing else. */
export const EXECUTOR_ACTOR: Actor = { id: 'sre-ops-executor', roles: ['operator'], via: 'executor' };

/** The last word of a run in its chat thread: the outcome, and each instance's result and evidence. */
export function finalReport(r: PatchRunReport): string {
  const lines = [`${r.id} ${r.status}${r.haltReason ? `: ${r.haltReason}` : ''}`];
  for (const w of r.waves) {
    for (const i of w.instances) {
      lines.push(`wave ${w.number}: ${i.name ? `${i.name} (${i.instanceId})` : i.instanceId} ${i.status}${i.detail ? `: ${i.detail}` : ''}`);
      // The evidence the result rests on (the command's outcome, the patch compliance, status checks, CPU).
      for (const e of i.evidence ?? []) lines.push(`  · ${e}`);
    }
  }
  return lines.join('\n');
}

/** Runs an executor may have to drive: approved ones, and ones a dead executor left unfinished. */
const DRIVABLE = ['approved', 'running', 'verifying'] as const;
/** Runs that ended: one that ended just before its executor died may lack its last audit entries. */
const ENDED = ['succeeded', 'halted', 'failed', 'cancelled'] as const;

/**
 * The executor in the service process (one per task): every `everyMs` it lists the runs that are
 * approved or unfinished, skips those another executor holds (the lease in the store, or the
 * run's own lease of a person's `sre-ops run`), those whose approval expired (a person must
 * approve again) and those this source cannot execute, and drives the rest with ExecutePatchRun,
 * which takes the run's lease, renews it on every write and resumes a run where its record stops
 * (no command is sent twice). A task that dies stops renewing: its lease lapses and another task
 * takes the run up at its next look. Time and waits come from the dependencies (Clock, Sleeper),
 * so tests drive hours of settle and observe in moments.
 */
export class RunPatchExecutor implements PatchExecutor {
  private readonly inFlight = new Map<string, Promise<void>>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly d: PatchDependencies,
    private readonly executeRun: ExecutePatchRun,
    private readonly o: PatchExecutorOptions,
    private readonly actor: Actor = EXECUTOR_ACTOR,
    /** The autopilot (autopilot.use-case.ts), looked at first in every tick: the runs it makes and approves are driven in the same look. */
    private readonly autopilot: { tick(): Promise<unknown> } | null = null,
  ) {}

  driving(): readonly string[] {
    return [...this.inFlight.keys()];
  }

  async tick(): Promise<readonly string[]> {
    if (!this.d.runner) return [];
    if (this.autopilot) await this.autopilot.tick().catch((err: unknown) => this.o.onError?.('(autopilot)', err));
    const runs = await this.d.store.listRuns({ status: [...DRIVABLE], limit: 500 });
    const taken: string[] = [];
    for (const run of runs) {
      if (this.inFlight.has(run.id) || !(await this.mayTake(run))) continue;
      taken.push(run.id);
      const post = this.poster(run);
      const drive = this.executeRun
        .driveAs(this.actor, run.id, this.o.holder, (p: RunProgress) => {
          this.o.onProgress?.(p);
          // The thread gets the run's and the waves' steps; the instances come in the final report.
          if (p.instanceId === null) post(`${run.id}: ${p.message}`);
        })
        .then((report) => {
          if (report) post(finalReport(report));
        }, (err: unknown) => this.o.onError?.(run.id, err))
        .finally(() => this.inFlight.delete(run.id));
      this.inFlight.set(run.id, drive);
    }
    await this.catchUpRecent();
    return taken;
  }

  /**
   * Runs that ended within the last two lease periods, nobody driving them: ExecutePatchRun on
   * an ended run writes the audit entries its record shows and the log lacks (an executor that
   * died between the run's last write and its entry), and nothing else.
   */
  private async catchUpRecent(): Promise<void> {
    const now = this.d.clock.now();
    const since = now - 2 * executionLeaseMs(this.d.core.policy.verification.pollSeconds);
    const ended = await this.d.store.listRuns({ status: [...ENDED], limit: 50 });
    for (const run of ended) {
      if (run.updatedAt < since || this.inFlight.has(run.id) || run.source !== this.d.core.source.label) continue;
      if (await this.d.store.heldLease(executionLeaseKey(run.id), now)) continue;
      try {
        await this.executeRun.driveAs(this.actor, run.id, this.o.holder);
      } catch (err) {
        this.o.onError?.(run.id, err);
      }
    }
  }

  /** Posts to the chat thread the run was requested in, in order, never failing the run. */
  private poster(run: PatchRun): (text: string) => void {
    const thread = run.progressThread;
    const poster = this.d.progressPoster;
    if (!thread || !poster) return () => {};
    let chain = Promise.resolve();
    return (text) => {
      chain = chain.then(() => poster.post(thread, text)).catch((err: unknown) => this.o.onError?.(run.id, err));
    };
  }

  /** Whether this executor should try the run now (driveAs checks again, atomically). */
  private async mayTake(run: PatchRun): Promise<boolean> {
    const now = this.d.clock.now();
    if (run.status === 'approved' && approvalMissing(run, now)) return false;
    // An autopilot run waits for its window (and one whose window ended is the autopilot's to report missed).
    if (run.status === 'approved' && outsideWindow(run, now) !== null) return false;
    if (run.source !== this.d.core.source.label && (await this.executeRun.runnerProblem(run)) !== null) return false;
    if (run.lease && run.lease.holder !== this.o.holder && run.lease.until > now) return false;
    const held = await this.d.store.heldLease(executionLeaseKey(run.id), now);
    return held === null || held.holder === this.o.holder;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await this.tick();
        } catch (err) {
          this.o.onError?.('(executor)', err);
        }
        if (this.stopping) break;
        await Promise.race([this.d.sleep(this.o.everyMs ?? 30_000), new Promise<void>((resolve) => { this.wake = resolve; })]);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }
}
