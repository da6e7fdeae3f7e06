import {
  approveByStandingApproval,
  autopilotDue,
  AUTOPILOT_ACTOR,
  madeMissed,
  missedText,
  missedWhy,
  missWindow,
  newAutopilotRun,
  nextWindows,
  requestText,
  standingApprovalCovers,
  standingApprover,
  STANDING_APPROVAL_COMMENT,
  unseenWindows,
  type AutopilotCandidate,
  type DueWindow,
} from '../../../domain/patch/autopilot.js';
import { identityKey } from '../../../domain/fleet-facts.js';
import { sharedIds } from '../../../domain/instance-lookup.js';
import type { PlannedInstance } from '../../../domain/patch/plan-model.js';
import { threadRun, type PatchRun, type ProgressThread } from '../../../domain/patch/run.js';
import type { ApprovalRequestPost } from '../../outbound/run-progress-poster.port.js';
import { autoScalingGroupSizes, environmentOf } from '../../../domain/patch/waves.js';
import { HOUR_MS, toIso, type Instant } from '../../../domain/time.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { computePlan } from './plan-patches.use-case.js';
import { runTarget, sourceScope } from './request-patch-run.use-case.js';
import { isStale, mutateRun } from './run-records.js';
import { audit } from '../shared/audited.js';
import { authorize } from '../../../domain/access/authorize.js';
import type { AutopilotRunReport, AutopilotStatus, AutopilotWindowReport } from '../../inbound/patching/autopilot.port.js';
import type { Actor } from '../../../domain/access/actor.js';

/** The lease that lets one task at a time act for the autopilot (ids keep it safe even without). */
export const AUTOPILOT_LEASE_KEY = 'autopilot';
/**
 * The instant of the last look that finished, kept in the state store as a lapsed lease (its
 * `expiresAt` is that instant; `heldLease(key, -1)` reads it), so that a restarted service knows
 * which windows passed while nobody looked.
 */
export const AUTOPILOT_LOOK_KEY = 'autopilot-last-look';
const LEASE_MS = 2 * 60_000;
/**
 * Events a record shows (made, approved by standing approval, missed) are audited and posted
 * from the record, once; a task that died between the record and its entry leaves the entry to
 * the next look within this long.
 */
const CATCH_UP_MS = 15 * 60_000;
const UNFINISHED = ['requested', 'approved', 'running', 'verifying'] as const;

/** What one look did. */
export interface AutopilotTickReport {
  /** Runs made for due windows. */
  readonly created: readonly string[];
  /** Runs the standing approval approved. */
  readonly approved: readonly string[];
  /** Runs whose window was missed (cancelled as missed, reported, next window proposed). */
  readonly missed: readonly string[];
}

const NOTHING: AutopilotTickReport = { created: [], approved: [], missed: [] };

/**
 * The autopilot (policy.autopilot, domain/patch/autopilot.ts) as one look at the plan and the
 * store, called by the service's executor before it looks for runs to drive. Under a lease in
 * the state store (one task at a time), it cancels as missed the autopilot runs whose window was
 * missed, gives the standing approval to those whose window started, and makes the runs of due
 * windows (their ids derived from window and instances: a second look or a second task makes the
 * same id, and the store refuses it). Every such event is written to the run first, then audited
 * and posted to the policy's chat channel once, from the record: a task that dies between the
 * two leaves the entry and the post to the next look.
 */
export class RunAutopilot {
  private lastLook: Instant | null = null;

  /** `everyMs`: at most one look this often (default 5 minutes): a look assesses the fleet and plans it. */
  constructor(
    private readonly d: PatchDependencies,
    private readonly holder: string,
    private readonly onError: (what: string, err: unknown) => void = () => {},
    private readonly everyMs = 5 * 60_000,
  ) {}

  async tick(): Promise<AutopilotTickReport> {
    const policy = this.d.core.policy;
    if (!policy.autopilot.enabled || !this.d.runner) return NOTHING;
    const now = this.d.clock.now();
    if (this.lastLook !== null && now >= this.lastLook && now - this.lastLook < this.everyMs) return NOTHING;
    this.lastLook = now;
    if (!(await this.d.store.acquireLease(AUTOPILOT_LEASE_KEY, this.holder, now, LEASE_MS))) return NOTHING;
    try {
      const lastLook = (await this.d.store.heldLease(AUTOPILOT_LOOK_KEY, -1))?.expiresAt ?? null;
      const { fleet, plan, candidates } = await this.plan(now);
      const runs = await this.d.store.listRuns({ status: [...UNFINISHED], limit: 1000 });
      const due = autopilotDue({ now, policy, candidates, runs });

      const missed: string[] = [];
      for (const m of due.missed) {
        if (await this.change(m.run.id, (r, t) => { const why = missedWhy(r, t, policy); return why === null ? null : missWindow(r, why, t); })) missed.push(m.run.id);
      }
      const approved: string[] = [];
      for (const run of due.approve) {
        if (await this.change(run.id, (r, t) => (r.status === 'requested' ? approveByStandingApproval(r, t, policy) : null))) approved.push(run.id);
      }
      // Windows that passed while nobody looked (the executor was down): the plan of the last look
      // gave them, no run was made, their approval deadline is gone. Each is recorded as a missed
      // run under the id its run would have had (so once, whatever restarts), then reported.
      // Only after a gap longer than the lead time can a window's whole approval span fit in it.
      if (lastLook !== null && now - lastLook > Math.max(policy.autopilot.approvalLeadTimeHours * HOUR_MS, this.everyMs)) {
        const before = await this.plan(lastLook);
        const previous = autopilotDue({ now: lastLook, policy, candidates: before.candidates, runs });
        for (const u of unseenWindows(previous, lastLook, now)) {
          if (await this.make(u.due, fleet, now, (run) => missWindow(run, u.why, now))) missed.push(u.due.runId);
        }
      }
      const created: string[] = [];
      for (const w of due.create) {
        if (await this.make(w, fleet, now, (run) => run)) created.push(w.runId);
      }
      await this.report(now, plan.instances);
      // The instant of this look, for the next one (a lease that lapses at once; see AUTOPILOT_LOOK_KEY).
      await this.d.store.acquireLease(AUTOPILOT_LOOK_KEY, this.holder, now, 0);
      return { created, approved, missed };
    } finally {
      await this.d.store.releaseLease(AUTOPILOT_LEASE_KEY, this.holder).catch((err: unknown) => this.onError('(autopilot lease)', err));
    }
  }

  /**
   * What is due, and what the autopilot made; changes nothing. As of the assessment's clock, as
   * `plan` is: a fixed `now` (`--now`, the library's option, a snapshot's capture time) gives the
   * windows the plan shows then; the executor's look runs on the real time.
   * @throws ForbiddenError without the read role.
   */
  async status(actor: Actor): Promise<AutopilotStatus> {
    authorize(actor, 'view');
    const policy = this.d.core.policy;
    const now = this.d.core.clock.now();
    const made = (await this.d.store.listRuns({ limit: 1000 })).filter((r) => r.autopilot);
    if (!policy.autopilot.enabled) return { enabled: false, now: toIso(now) as string, due: [], runs: made.slice(0, 50).map(runReport) };
    const { candidates } = await this.plan(now);
    const unfinished = made.filter((r) => (UNFINISHED as readonly string[]).includes(r.status));
    const others = await this.d.store.listRuns({ status: [...UNFINISHED], limit: 1000 });
    const due = autopilotDue({ now, policy, candidates, runs: [...others, ...unfinished.filter((r) => !others.some((o) => o.id === r.id))] });
    return {
      enabled: true,
      now: toIso(now) as string,
      due: [...due.create, ...due.upcoming].map(windowReport),
      runs: made.slice(0, 50).map(runReport),
    };
  }

  private async plan(now: Instant): Promise<{ fleet: Awaited<ReturnType<typeof computePlan>>['fleet']; plan: Awaited<ReturnType<typeof computePlan>>['plan']; candidates: AutopilotCandidate[] }> {
    const policy = this.d.core.policy;
    const { fleet, plan } = await computePlan(this.d.core, now);
    // By identity: on an organization read another account may hold the same id.
    const byKey = new Map(fleet.assets.map((a) => [identityKey(a.asset), a]));
    const shared = sharedIds(fleet.assets.map((a) => a.asset));
    const candidates = plan.instances.flatMap((p): AutopilotCandidate[] => {
      const a = byKey.get(identityKey(p));
      // Only instances Systems Manager manages can be patched (unknown: left to the run's checks).
      if (!a || a.managed === false) return [];
      // A run sends to instances by id: one whose id another account or region of the read holds
      // cannot be sent to (RequestPatchRun refuses it too), so the autopilot leaves it out.
      if (a.asset.accountId !== undefined && shared.has(a.asset.instanceId)) return [];
      return [{ planned: p, environment: environmentOf(a.asset, policy), mission: a.mission }];
    });
    return { fleet, plan, candidates };
  }

  /** Makes the run of a window (as `shape` has it); false when it exists already (another task, or before a restart). */
  private async make(w: DueWindow, fleet: Awaited<ReturnType<typeof computePlan>>['fleet'], now: Instant, shape: (run: PatchRun) => PatchRun): Promise<boolean> {
    const policy = this.d.core.policy;
    const runner = this.d.runner;
    if (!runner) return false;
    const scope = await sourceScope(this.d);
    const byKey = new Map(fleet.assets.map((a) => [identityKey(a.asset), a]));
    const targets = w.instances.flatMap((i) => { const a = byKey.get(identityKey(i)); return a ? [runTarget(a, this.d, scope)] : []; });
    if (targets.length === 0) return false;
    const run = shape(newAutopilotRun(w, {
      source: this.d.core.source.label,
      simulated: runner.simulated ?? false,
      now,
      snapshotId: this.d.newId(),
      targets,
      groupSizes: autoScalingGroupSizes(fleet.assets.map((a) => a.asset), policy),
      policy,
      progressThread: this.thread(),
    }));
    try {
      return (await this.d.store.createRun(run, null)).created;
    } catch (err) {
      if (!isStale(err)) throw err;
      return false;
    }
  }

  private thread(): ProgressThread | null {
    const chat = this.d.core.policy.autopilot.chat;
    return chat.channel ? { platform: chat.platform, channel: chat.channel, thread: null } : null;
  }

  /** Read, change, write; false when `change` finds nothing to do on the fresh record. */
  private async change(id: string, change: (run: PatchRun, now: Instant) => PatchRun | null): Promise<boolean> {
    let changed = false;
    try {
      await mutateRun(this.d, id, (run, now) => {
        const next = change(run, now);
        changed = next !== null;
        if (next === null) throw new NothingToDo();
        return next;
      });
    } catch (err) {
      if (!(err instanceof NothingToDo)) throw err;
    }
    return changed;
  }

  /**
   * Audits and posts, once each, the events the records of recent autopilot runs show: made (with
   * the approval request, or the notice of the standing approval to come), approved by the
   * standing approval, missed (with the next quiet window proposed).
   */
  private async report(now: Instant, planned: readonly PlannedInstance[]): Promise<void> {
    const policy = this.d.core.policy;
    const since = now - CATCH_UP_MS;
    const recent = (await this.d.store.listRuns({ limit: 200 })).filter((r) => r.autopilot && r.updatedAt >= since);
    for (const run of recent) {
      const w = run.window;
      if (!w) continue;
      const instances = run.waves.flatMap((x) => x.instances);
      if (run.requestedAt >= since && !madeMissed(run)) {
        const text = requestText(run, policy);
        const detail = `autopilot: Install of ${instances.length} instance(s) in ${run.waves.length} wave(s) for the window ${toIso(w.start)} to ${toIso(w.end)}; ${run.approvalWhy ?? ''}`;
        // A run a person must approve is asked for with the chat bot's Approve / Reject buttons.
        const asks = run.status === 'requested' && !standingApprovalCovers(policy, instances);
        await this.event(run, AUTOPILOT_ACTOR, 'patch-run.request', detail, `${run.id}|autopilot|request`, text, asks ? { runId: run.id, title: `Autopilot: run ${run.id} needs approval`, text, instances: instances.length } : undefined);
      }
      const standing = run.approvals.find((a) => a.by === policy.autopilot.standingApproval.actor && a.comment === STANDING_APPROVAL_COMMENT && a.at >= since);
      if (standing) {
        const detail = `${STANDING_APPROVAL_COMMENT}: approved until ${toIso(run.approvalExpiresAt)}`;
        await this.event(run, standingApprover(policy), 'patch-run.approve', detail, `${run.id}|autopilot|standing-approval`, `Autopilot: run ${run.id} approved by the policy's standing approval (${standing.by}); the executor starts it in its window.`);
      }
      if (run.status === 'cancelled' && run.haltReason?.startsWith('missed its window')) {
        const text = missedText(run, nextWindows(run, planned, now, policy));
        await this.event(run, AUTOPILOT_ACTOR, 'autopilot.missed', text.replace(/^Autopilot: /, ''), `${run.id}|autopilot|missed`, text);
      }
    }
  }

  /**
   * One audit entry per event (its id derived from `once`); posted only when this call wrote it.
   * An approval request (`ask`) is posted with the platform's Approve / Reject interaction where it
   * has one; the posted message then becomes the run's thread (its later posts and the executor's
   * progress go under it), recorded on the run and audited as `patch-run.thread` by the autopilot.
   */
  private async event(run: PatchRun, actor: typeof AUTOPILOT_ACTOR, action: string, detail: string, once: string, text: string, ask?: ApprovalRequestPost): Promise<void> {
    if (!(await audit(this.d, actor, action, run.id, 'ok', detail, once))) return;
    const thread = run.progressThread;
    const poster = this.d.progressPoster;
    if (!thread || !poster) return;
    let posted: string | null = null;
    try {
      if (ask && poster.postApprovalRequest) posted = await poster.postApprovalRequest(thread, ask);
      else await poster.post(thread, text);
    } catch (err) {
      this.onError(run.id, err);
      return;
    }
    if (posted === null || thread.thread) return;
    const under = { ...thread, thread: posted };
    try {
      await mutateRun(this.d, run.id, (r, now) => threadRun(r, AUTOPILOT_ACTOR, under, now));
      await audit(this.d, AUTOPILOT_ACTOR, 'patch-run.thread', run.id, 'ok', `progress to ${under.platform} ${under.channel} thread ${posted} (the approval request)`, `${run.id}|autopilot|thread`);
    } catch (err) {
      // The request is out; the run's later posts go to the channel instead of its thread.
      this.onError(run.id, err);
    }
  }
}

class NothingToDo extends Error {}

function windowReport(w: DueWindow): AutopilotWindowReport {
  return {
    runId: w.runId,
    start: toIso(w.window.start) as string,
    end: toIso(w.window.end) as string,
    instances: w.instances.map((i) => ({ instanceId: i.instanceId, name: i.name, decision: i.decision })),
    standing: w.standing,
    createAt: toIso(w.createAt) as string,
    approveBy: toIso(w.approveBy) as string,
  };
}

function runReport(r: PatchRun): AutopilotRunReport {
  const approval = r.approvals.find((a) => a.decision === 'approved');
  return {
    runId: r.id,
    status: r.status,
    start: toIso(r.window?.start),
    end: toIso(r.window?.end),
    instances: r.waves.reduce((n, w) => n + w.instances.length, 0),
    approvedBy: approval ? approval.by : null,
    haltReason: r.haltReason,
  };
}
