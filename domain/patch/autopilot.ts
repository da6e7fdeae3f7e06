/**
 * Autopilot (opt-in, policy.autopilot): the plan's windows become runs by themselves, within the
 * limits the policy sets. Pure: the caller passes the plan's instances, the runs in the store and
 * the instant; this module says what is due (docs/patching.md#autopilot).
 *
 * - A window of eligible instances (a decision in `decisions`, an environment in `environments`
 *   or, when that is empty, any non-production one, a mission in `missions`) gets one run,
 *   `approvalLeadTimeHours` before its start. The run's id is derived from the window and its
 *   instances, so a restarted service, or a second task, makes the same id and never a second run.
 * - The run always needs an approval (nobody asked for it): the policy's standing approval gives
 *   it at the window's start when the policy allows it (audited as `via: policy`, never a
 *   person), for runs with no production instance and no patch-now decision only; otherwise a
 *   person approves it after the request posted when it was made.
 * - The run starts within its window only (startRun refuses before and after). A window is
 *   missed when no approval came by `approvalDeadlineMinutes` after its start, or when it ended
 *   before any executor started the approved run: the run is cancelled as missed, the miss is
 *   audited and posted, and the instances' next quiet window (the plan's, now) is proposed.
 */
import type { Actor } from '../access/actor.js';
import { sha256Hex } from '../access/sha256.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { AUTOPILOT_ACTOR_ID, type Mission, type Policy } from '../policy.js';
import { HOUR_MS, toIso, type Instant } from '../time.js';
import type { PlannedInstance } from './plan-model.js';
import { approveRun, cancelRun, isRunTerminal, newPatchRun, type NewRunInput, type PatchRun, type RunWindow } from './run.js';

const MINUTE_MS = 60_000;

/** Who the autopilot requests its runs as, in the run and the audit log. */
export const AUTOPILOT_ACTOR: Actor = { id: AUTOPILOT_ACTOR_ID, roles: ['operator'], via: 'autopilot' };

/** The policy's standing approval as an actor: recorded `via: policy`, so never mistaken for a person. */
export function standingApprover(policy: Policy): Actor {
  return { id: policy.autopilot.standingApproval.actor, roles: ['approver'], via: 'policy' };
}

/** The comment of a standing approval, in the run's approvals and the audit detail. */
export const STANDING_APPROVAL_COMMENT = 'standing approval by policy (autopilot.standingApproval), not a person';

/** One instance of the plan, with what autopilot's scope is checked against. */
export interface AutopilotCandidate {
  readonly planned: PlannedInstance;
  /** The environment tag's value, lower case; null when untagged. */
  readonly environment: string | null;
  readonly mission: Mission;
}

/** A window of the plan that gets (or got) a run. */
export interface DueWindow {
  readonly runId: string;
  readonly window: RunWindow;
  readonly instances: readonly PlannedInstance[];
  /** The policy's standing approval will approve it at the window's start. */
  readonly standing: boolean;
  /** When the run (and its approval request) is made. */
  readonly createAt: Instant;
  /** The last moment an approval counts; later, the window is missed. */
  readonly approveBy: Instant;
}

export interface AutopilotDue {
  /** Windows whose run is due to be made now (creating one that exists is a no-op). */
  readonly create: readonly DueWindow[];
  /** Windows further ahead, for `autopilot status`. */
  readonly upcoming: readonly DueWindow[];
  /** Autopilot runs the standing approval approves now. */
  readonly approve: readonly PatchRun[];
  /** Autopilot runs whose window is missed now, and why. */
  readonly missed: readonly { readonly run: PatchRun; readonly why: string }[];
}

/** Whether the policy lets the autopilot act on this instance at all. */
export function autopilotEligible(c: AutopilotCandidate, policy: Policy): boolean {
  const a = policy.autopilot;
  const p = c.planned;
  if (!a.enabled || p.window === null) return false;
  if (!(a.decisions as readonly string[]).includes(p.decision)) return false;
  if (a.missions.length > 0 && !a.missions.includes(c.mission)) return false;
  if (a.environments.length === 0) return !p.production;
  return c.environment !== null && a.environments.some((e) => e.toLowerCase() === c.environment);
}

/** Whether the standing approval may approve a run of these instances (never production, never patch-now). */
export function standingApprovalCovers(policy: Policy, instances: readonly { production: boolean; decision: string | null }[]): boolean {
  return policy.autopilot.standingApproval.allowed && instances.every((i) => !i.production && i.decision !== 'patch-now');
}

/**
 * The window autopilot uses for an instance: the plan's, except patch-now's "at once", which
 * moves with every look; it is pinned to blocks of patchWindow.durationHours (from the epoch, UTC)
 * so that every look within a block finds the same window (and id), and once a block's approval
 * deadline passed, the next block.
 */
export function autopilotWindow(p: PlannedInstance, now: Instant, policy: Policy): RunWindow | null {
  if (!p.window) return null;
  if (p.window.source !== 'immediate') return { start: p.window.start, end: p.window.end };
  const block = policy.patchWindow.durationHours * HOUR_MS;
  const start = Math.floor(now / block) * block;
  const current = { start, end: start + block };
  // A block whose approval deadline passed is over for the autopilot: the next one is proposed.
  return approvalDeadline(current, policy) <= now ? { start: start + block, end: start + 2 * block } : current;
}

/**
 * The id of the run of a window: r-YYYYMMDD-HHMMSS (the window's start, UTC) and six hex digits
 * of a hash of the window and the sorted instance ids. The same window and instances always give
 * the same id.
 */
export function autopilotRunId(window: RunWindow, instanceIds: readonly string[]): string {
  const iso = toIso(window.start) as string;
  const hash = sha256Hex(`autopilot|${window.start}|${window.end}|${[...instanceIds].sort().join(',')}`).slice(0, 6);
  return `r-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${hash}`;
}

/** The last moment an approval counts for a window: approvalDeadlineMinutes after its start, and never after its end. */
export function approvalDeadline(window: RunWindow, policy: Policy): Instant {
  return Math.min(window.start + policy.autopilot.approvalDeadlineMinutes * MINUTE_MS, window.end);
}

/**
 * Why an autopilot run's window is missed at `now`, or null: still requested at its approval
 * deadline, or approved and not started when its window ended.
 */
export function missedWhy(run: PatchRun, now: Instant, policy: Policy): string | null {
  if (!run.autopilot || !run.window || isRunTerminal(run)) return null;
  const deadline = approvalDeadline(run.window, policy);
  if (run.status === 'requested' && now >= deadline) return `no approval by ${toIso(deadline)}`;
  if (run.status === 'approved' && run.currentWave === null && now >= run.window.end) return 'approved, but no executor started it before the window ended (was the executor down?)';
  return null;
}

/** Instances of runs that have not ended: autopilot leaves them to those runs. */
function busyInstances(runs: readonly PatchRun[]): Set<string> {
  const busy = new Set<string>();
  for (const r of runs) if (!isRunTerminal(r)) for (const w of r.waves) for (const i of w.instances) busy.add(i.instanceId);
  return busy;
}

/**
 * What the autopilot does at `now`: runs to make, standing approvals to give, windows missed.
 * `runs` are the runs in the store that may matter (every unfinished run; autopilot ones among them).
 */
export function autopilotDue(input: { readonly now: Instant; readonly policy: Policy; readonly candidates: readonly AutopilotCandidate[]; readonly runs: readonly PatchRun[] }): AutopilotDue {
  const { now, policy } = input;
  const a = policy.autopilot;
  if (!a.enabled) return { create: [], upcoming: [], approve: [], missed: [] };

  const missed: { run: PatchRun; why: string }[] = [];
  const approve: PatchRun[] = [];
  for (const run of input.runs) {
    if (!run.autopilot || !run.window || isRunTerminal(run)) continue;
    const w = run.window;
    const deadline = approvalDeadline(w, policy);
    const why = missedWhy(run, now, policy);
    if (why !== null) missed.push({ run, why });
    else if (run.status === 'requested' && now >= w.start && now < deadline && standingApprovalCovers(policy, run.waves.flatMap((x) => x.instances))) approve.push(run);
  }

  const missedIds = new Set(missed.map((m) => m.run.id));
  const busy = busyInstances(input.runs.filter((r) => !missedIds.has(r.id)));
  const byWindow = new Map<string, { window: RunWindow; instances: PlannedInstance[] }>();
  for (const c of input.candidates) {
    if (busy.has(c.planned.instanceId) || !autopilotEligible(c, policy)) continue;
    const window = autopilotWindow(c.planned, now, policy);
    if (!window || approvalDeadline(window, policy) <= now) continue;
    const key = `${window.start}|${window.end}`;
    const group = byWindow.get(key) ?? { window, instances: [] };
    group.instances.push(c.planned);
    byWindow.set(key, group);
  }
  const create: DueWindow[] = [];
  const upcoming: DueWindow[] = [];
  for (const { window, instances } of [...byWindow.values()].sort((x, y) => x.window.start - y.window.start)) {
    const due: DueWindow = {
      runId: autopilotRunId(window, instances.map((i) => i.instanceId)),
      window,
      instances,
      standing: standingApprovalCovers(policy, instances),
      createAt: window.start - a.approvalLeadTimeHours * HOUR_MS,
      approveBy: approvalDeadline(window, policy),
    };
    (now >= due.createAt ? create : upcoming).push(due);
  }
  return { create, upcoming, approve, missed };
}

/** The end of the reason of a window that passed with no look at all (no run was made for it). */
export const UNSEEN_SUFFIX = 'so no run was made for it (was the executor down?)';

/** Whether an autopilot run is the record of a window that passed unseen (made already missed). */
export function madeMissed(run: PatchRun): boolean {
  return run.status === 'cancelled' && (run.haltReason ?? '').endsWith(UNSEEN_SUFFIX);
}

/**
 * Windows that passed unseen: the ones the plan gave at the previous look (`previous`, the due
 * windows computed at that look's instant) whose run was not made then (made at a later instant)
 * and whose approval deadline has passed by `now`. Nobody looked in between, so no run was made
 * for them: each is reported missed, once (the caller records it under the window's run id).
 */
export function unseenWindows(previous: AutopilotDue, lastLook: Instant, now: Instant): { due: DueWindow; why: string }[] {
  return previous.upcoming
    .filter((w) => w.createAt > lastLook && w.approveBy <= now)
    .map((due) => ({ due, why: `no look of the autopilot between ${toIso(lastLook)} and ${toIso(now)}, ${UNSEEN_SUFFIX}` }));
}

/**
 * The run of a due window: requested by the autopilot, in the plan's waves, for that window
 * only, always needing an approval (a person's, or the standing approval at the window's start).
 */
export function newAutopilotRun(due: DueWindow, input: Omit<NewRunInput, 'id' | 'actor' | 'dryRun' | 'reboot' | 'reason' | 'idempotencyKey' | 'progressThread'> & { readonly progressThread?: NewRunInput['progressThread'] }): PatchRun {
  const decisions = [...new Set(due.instances.map((i) => i.decision))].join(', ');
  const run = newPatchRun({
    ...input,
    id: due.runId,
    actor: AUTOPILOT_ACTOR,
    dryRun: false,
    reboot: 'if-needed',
    reason: `autopilot: the plan's window ${toIso(due.window.start)} to ${toIso(due.window.end)} (${decisions})`,
    idempotencyKey: null,
  });
  const why = run.approvalWhy ?? (due.standing ? 'autopilot: the standing approval approves it at the window\'s start' : 'autopilot: nobody asked for it, so a person approves it');
  return { ...run, status: 'requested', needsApproval: true, approvalWhy: why, window: due.window, autopilot: true };
}

/**
 * The standing approval of an autopilot run at its window's start.
 * @throws ForbiddenError when the policy allows none, the run is not an autopilot run, or it has a
 * production instance or a patch-now decision (those need a second person, whatever the policy says).
 */
export function approveByStandingApproval(run: PatchRun, now: Instant, policy: Policy): PatchRun {
  const instances = run.waves.flatMap((w) => w.instances);
  if (!run.autopilot) throw new ForbiddenError(`run ${run.id} was not made by the autopilot: a standing approval approves only autopilot runs`);
  if (!standingApprovalCovers(policy, instances)) {
    throw new ForbiddenError(`run ${run.id}: the standing approval does not cover it (${policy.autopilot.standingApproval.allowed ? 'a production instance or a patch-now decision needs a second person' : 'autopilot.standingApproval.allowed is false'})`);
  }
  const w = run.window as RunWindow;
  if (now < w.start || now >= approvalDeadline(w, policy)) {
    throw new ConflictError('INVALID_STATE', `run ${run.id}: the standing approval is given between its window's start ${toIso(w.start)} and its approval deadline ${toIso(approvalDeadline(w, policy))}`);
  }
  return approveRun(run, standingApprover(policy), now, policy, STANDING_APPROVAL_COMMENT);
}

/** Cancels an autopilot run whose window was missed; haltReason says which window and why. */
export function missWindow(run: PatchRun, why: string, now: Instant): PatchRun {
  const w = run.window;
  if (!w) throw new ConflictError('INVALID_STATE', `run ${run.id} has no window to miss`);
  const cancelled = cancelRun(run, AUTOPILOT_ACTOR, now);
  return { ...cancelled, haltReason: `missed its window ${toIso(w.start)} to ${toIso(w.end)}: ${why}` };
}

function names(instances: readonly { instanceId: string; name: string | null }[]): string {
  const all = instances.map((i) => (i.name ? `${i.name} (${i.instanceId})` : i.instanceId));
  return all.length > 8 ? `${all.slice(0, 8).join(', ')} and ${all.length - 8} more` : all.join(', ');
}

/** The chat post when a window's run is made: an approval request, or the notice of a standing approval to come. */
export function requestText(run: PatchRun, policy: Policy): string {
  const w = run.window as RunWindow;
  const instances = run.waves.flatMap((x) => x.instances);
  const what = `${names(instances)} in the window ${toIso(w.start)} to ${toIso(w.end)}`;
  if (standingApprovalCovers(policy, instances)) {
    return `Autopilot made run ${run.id}: ${what}. The policy's standing approval (${policy.autopilot.standingApproval.actor}) approves it at the window's start; cancel it before then to stop it.`;
  }
  return `Autopilot made run ${run.id}: ${what}. Approval needed by ${toIso(approvalDeadline(w, policy))} (${run.approvalWhy}): approve run ${run.id} (sre-ops approve ${run.id}), or the window is missed.`;
}

/** The chat post of a missed window, with the next quiet window proposed for its instances. */
export function missedText(run: PatchRun, next: readonly { readonly window: RunWindow | null; readonly instances: readonly { instanceId: string; name: string | null }[] }[]): string {
  const proposals = next.map((n) => (n.window ? `${toIso(n.window.start)} to ${toIso(n.window.end)} for ${names(n.instances)}` : `none in the plan for ${names(n.instances)}`));
  return `Autopilot: run ${run.id} ${run.haltReason ?? 'missed its window'}. Next quiet window: ${proposals.join('; ') || 'none'}.`;
}

/**
 * The next window the plan gives each instance of a missed run (it is computed after the missed
 * window passed, so it is the next one), grouped by window.
 */
export function nextWindows(run: PatchRun, planned: readonly PlannedInstance[], now: Instant, policy: Policy): { window: RunWindow | null; instances: { instanceId: string; name: string | null }[] }[] {
  const byId = new Map(planned.map((p) => [p.instanceId, p]));
  const groups = new Map<string, { window: RunWindow | null; instances: { instanceId: string; name: string | null }[] }>();
  for (const i of run.waves.flatMap((w) => w.instances)) {
    const p = byId.get(i.instanceId);
    const window = p ? autopilotWindow(p, now, policy) : null;
    const key = window ? `${window.start}|${window.end}` : '-';
    const g = groups.get(key) ?? { window, instances: [] };
    g.instances.push({ instanceId: i.instanceId, name: i.name });
    groups.set(key, g);
  }
  return [...groups.values()].sort((x, y) => (x.window?.start ?? Infinity) - (y.window?.start ?? Infinity));
}
