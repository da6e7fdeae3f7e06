/**
 * A patch run: what it patches (waves of instances), who asked and who approved, and how far it
 * got. A run is a state machine; every change is a pure function here returning the next run,
 * and every guard (who may, in which state, whether an approval still holds) lives here too, so
 * the use cases only load, call, and store.
 *
 *   requested ──approve──▶ approved ──start──▶ running ⇄ verifying ──▶ succeeded
 *       │                    │   ▲                │          │
 *       │                    │   └─re-approve     │          ├──▶ halted  (an instance regressed or failed)
 *       └──reject / cancel───┴──▶ rejected        │          └──▶ failed  (every instance of a wave failed)
 *                                 cancelled ◀─────┴──────────┘
 *
 * A run that needs no approval (no production instance, no patch-now, or a dry run) starts life
 * approved. A wave goes pending → running (intent recorded, then commands sent) → verifying →
 * succeeded, or halted / failed; the run moves to the next wave only after a wave succeeded.
 */
import { actorLabel, CLAIMS_COUNT_ON, principalOf, type Actor } from '../access/actor.js';
import { authorize } from '../access/authorize.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import type { Policy } from '../policy.js';
import type { DecisionKind } from './decision.js';
import { HOUR_MS, toIso, type Instant } from '../time.js';
import type { PatchedDecision } from './decision.js';
import { planWaves, type WaveCandidate } from './waves.js';

export type RunStatus = 'requested' | 'approved' | 'rejected' | 'running' | 'verifying' | 'succeeded' | 'halted' | 'failed' | 'cancelled';
export type WaveStatus = 'pending' | 'running' | 'verifying' | 'succeeded' | 'halted' | 'failed' | 'cancelled';
export type InstanceStatus = 'pending' | 'sent' | 'in-progress' | 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'regressed' | 'skipped';
export type PatchOperation = 'Scan' | 'Install';
export type RebootOption = 'RebootIfNeeded' | 'NoReboot';

/** States a run never leaves. */
export const TERMINAL_STATUSES: readonly RunStatus[] = ['rejected', 'succeeded', 'halted', 'failed', 'cancelled'];

/** Every allowed move of the state machine; the transition functions below check it. */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  requested: ['approved', 'rejected', 'cancelled'],
  // approved → approved: a fresh approval after the previous one expired.
  // approved / running → halted: its instances are gone or changed identity since it was planned.
  approved: ['approved', 'running', 'rejected', 'cancelled', 'halted'],
  running: ['verifying', 'cancelled', 'halted'],
  verifying: ['running', 'succeeded', 'halted', 'failed', 'cancelled'],
  rejected: [],
  succeeded: [],
  halted: [],
  failed: [],
  cancelled: [],
};

/** The states an instance's command invocation ends in. */
const DONE_INSTANCE: readonly InstanceStatus[] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'regressed', 'skipped'];

export interface RunInstance {
  readonly instanceId: string;
  readonly name: string | null;
  readonly production: boolean;
  /** The assessment's decision when the run was requested (null for a dry run of unassessed ids). */
  readonly decision: DecisionKind | null;
  readonly status: InstanceStatus;
  /** Why it failed, regressed or was skipped; or what verification noted. */
  readonly detail: string | null;
  /**
   * The verification evidence once the instance's wave is verified, one check a line: the
   * command's outcome, the patch compliance read after it, status checks and CPU after patching.
   */
  readonly evidence?: readonly string[];
  /**
   * The AWS account and region the instance was in when the run was requested (from the source's
   * identity, or the asset's own once assets carry them): the run executes with a live source
   * there, whatever source it was planned on. Absent on runs stored before they were recorded.
   */
  readonly accountId?: string | null;
  readonly region?: string | null;
}

/**
 * One SendCommand of a wave (a wave of more instances than one command takes is split).
 * The intent (token, instances) is recorded before the command is sent; the command id after.
 * A run resumed between the two looks the command up by its token before sending again.
 */
export interface WaveSend {
  /** Deterministic per run, wave and part; written into the command so it can be found again. */
  readonly token: string;
  readonly instanceIds: readonly string[];
  readonly intentAt: Instant;
  readonly commandId: string | null;
  readonly sentAt: Instant | null;
}

export interface RunWave {
  readonly number: number;
  readonly canary: boolean;
  readonly stage: 'non-production' | 'production';
  readonly status: WaveStatus;
  readonly sends: readonly WaveSend[];
  /** When the first command intent was recorded. */
  readonly startedAt: Instant | null;
  /** When every invocation had finished (or timed out): the start of the settle period. */
  readonly completedAt: Instant | null;
  readonly verifiedAt: Instant | null;
  readonly instances: readonly RunInstance[];
}

export interface Approval {
  readonly by: string;
  readonly at: Instant;
  readonly decision: 'approved' | 'rejected';
  readonly comment: string | null;
}

/** Which process executes the run, until when: a second executor is refused while it holds. */
export interface ExecutionLease {
  readonly holder: string;
  readonly until: Instant;
}

/** Where a run was requested in chat: its progress is posted back there, wave by wave. */
export interface ProgressThread {
  /** "slack", "teams". */
  readonly platform: string;
  /** The channel or conversation. */
  readonly channel: string;
  /** The thread (Slack: the ts of the message to answer under; Teams: the activity to reply to); null: the channel itself. */
  readonly thread: string | null;
  /** Teams: the Bot Connector service URL of the conversation (from the authenticated activity). */
  readonly serviceUrl?: string;
  /** Teams: the conversation's tenant. */
  readonly tenantId?: string;
}

/** The window a run may start in (autopilot runs: the plan's window it was made for). */
export interface RunWindow {
  readonly start: Instant;
  readonly end: Instant;
}

export interface PatchRun {
  readonly id: string;
  /** Set on runs the autopilot made from a plan window: it starts within this window, not before, not after. */
  readonly window?: RunWindow;
  /** True on runs the autopilot made (domain/patch/autopilot.ts). */
  readonly autopilot?: boolean;
  /** Where the run was requested in chat, for its progress; absent when not requested in chat. */
  readonly progressThread?: ProgressThread;
  /** The data source the run was planned on ("demo", "aws:eu-west-1"); it executes only there. */
  readonly source: string;
  /** Planned where no patch can be sent (the demo): executing it sends nothing to AWS. */
  readonly simulated: boolean;
  readonly status: RunStatus;
  readonly operation: PatchOperation;
  readonly rebootOption: RebootOption;
  /** Who requested it, as recorded: "alice", or "bob, claimed by root" for a claim. */
  readonly requestedBy: string;
  /** The requester's id and authenticated principal (the claimer of a claim); absent on runs stored before they were kept. */
  readonly requestedById?: string;
  readonly requestedByPrincipal?: string;
  readonly requestedVia: Actor['via'];
  readonly requestedAt: Instant;
  readonly reason: string | null;
  readonly needsApproval: boolean;
  /** Why approval is needed ("production: web-1; patch-now: db-1"), or null. */
  readonly approvalWhy: string | null;
  readonly approvals: readonly Approval[];
  readonly approvalExpiresAt: Instant | null;
  /** 1-based; null before the run starts. */
  readonly currentWave: number | null;
  readonly waves: readonly RunWave[];
  readonly haltReason: string | null;
  /** AWS-RunPatchBaseline SnapshotId: every wave installs the same patch snapshot. */
  readonly snapshotId: string;
  readonly idempotencyKey: string | null;
  readonly lease: ExecutionLease | null;
  readonly cancelledBy: string | null;
  readonly updatedAt: Instant;
  /** Optimistic concurrency: the store refuses a write based on an older version. */
  readonly version: number;
}

/** One instance to patch, as the request resolved and assessed it. */
export interface RunTarget {
  readonly instanceId: string;
  readonly name: string | null;
  readonly production: boolean;
  readonly decision: DecisionKind | null;
  readonly riskScore: number;
  readonly autoScalingGroup: string | null;
  /** Where the instance is (see RunInstance); absent when the source does not know. */
  readonly accountId?: string | null;
  readonly region?: string | null;
}

export interface NewRunInput {
  readonly id: string;
  readonly source: string;
  readonly simulated: boolean;
  readonly actor: Actor;
  readonly now: Instant;
  readonly snapshotId: string;
  readonly targets: readonly RunTarget[];
  /** Members of each Auto Scaling group in the whole fleet, so waves keep capacity. */
  readonly groupSizes: ReadonlyMap<string, number>;
  readonly dryRun: boolean;
  readonly reboot: 'if-needed' | 'never';
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
  readonly policy: Policy;
  readonly progressThread?: ProgressThread | null;
}

function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isRunTerminal(run: Pick<PatchRun, 'status'>): boolean {
  return isTerminal(run.status);
}

export function isInstanceDone(status: InstanceStatus): boolean {
  return DONE_INSTANCE.includes(status);
}

function moveTo(run: PatchRun, to: RunStatus, action: string): void {
  if (!RUN_TRANSITIONS[run.status].includes(to)) {
    throw new ConflictError('INVALID_STATE', `run ${run.id} is ${run.status}: it cannot ${action}`);
  }
}

function patchedDecision(decision: DecisionKind | null): PatchedDecision {
  return decision === 'patch-now' || decision === 'next-window' ? decision : 'routine';
}

function label(t: { instanceId: string; name: string | null }): string {
  return t.name ? `${t.name} (${t.instanceId})` : t.instanceId;
}

function listed(items: readonly string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(', ')} and ${items.length - 5} more` : items.join(', ');
}

/**
 * Why a request needs an approver other than the requester, or null: an install that touches a
 * production instance or carries a patch-now decision. A dry run (Scan) changes nothing.
 */
export function approvalNeed(targets: readonly RunTarget[], dryRun: boolean): string | null {
  if (dryRun) return null;
  const prod = targets.filter((t) => t.production).map(label);
  const now = targets.filter((t) => t.decision === 'patch-now').map(label);
  const parts = [...(prod.length ? [`production: ${listed(prod)}`] : []), ...(now.length ? [`patch-now: ${listed(now)}`] : [])];
  return parts.length ? parts.join('; ') : null;
}

/**
 * A new run in waves (see planWaves, stage-first: every non-production wave before any production
 * wave, urgency within a stage, canaries, Auto Scaling groups at capacity). A dry run scans everything in one wave: a Scan changes nothing, so nothing is
 * gained by staging it. Starts `requested` when it needs approval, else `approved`.
 * @throws ForbiddenError when the actor may not request runs.
 */
export function newPatchRun(input: NewRunInput): PatchRun {
  authorize(input.actor, 'request');
  const byId = new Map(input.targets.map((t) => [t.instanceId, t]));
  const instance = (id: string): RunInstance => {
    const t = byId.get(id) as RunTarget;
    return {
      instanceId: t.instanceId, name: t.name, production: t.production, decision: t.decision, status: 'pending', detail: null,
      ...(t.accountId !== undefined ? { accountId: t.accountId } : {}),
      ...(t.region !== undefined ? { region: t.region } : {}),
    };
  };
  let waves: RunWave[];
  const empty = { status: 'pending' as const, sends: [], startedAt: null, completedAt: null, verifiedAt: null };
  if (input.dryRun) {
    waves = [{ number: 1, canary: false, stage: input.targets.some((t) => t.production) ? 'production' : 'non-production', ...empty, instances: input.targets.map((t) => instance(t.instanceId)) }];
  } else {
    const candidates: WaveCandidate[] = input.targets.map((t) => ({
      instanceId: t.instanceId, decision: patchedDecision(t.decision), riskScore: t.riskScore, production: t.production, autoScalingGroup: t.autoScalingGroup,
    }));
    waves = planWaves(candidates, input.groupSizes, input.policy, 'stage-first').map((w) => ({
      number: w.number, canary: w.canary, stage: w.stage, ...empty, instances: w.instanceIds.map(instance),
    }));
  }
  const why = approvalNeed(input.targets, input.dryRun);
  return {
    id: input.id,
    ...(input.progressThread ? { progressThread: input.progressThread } : {}),
    source: input.source,
    simulated: input.simulated,
    status: why ? 'requested' : 'approved',
    operation: input.dryRun ? 'Scan' : 'Install',
    rebootOption: input.reboot === 'never' ? 'NoReboot' : 'RebootIfNeeded',
    requestedBy: actorLabel(input.actor),
    requestedById: input.actor.id,
    requestedByPrincipal: principalOf(input.actor),
    requestedVia: input.actor.via,
    requestedAt: input.now,
    reason: input.reason,
    needsApproval: why !== null,
    approvalWhy: why,
    approvals: [],
    approvalExpiresAt: null,
    currentWave: null,
    waves,
    haltReason: null,
    snapshotId: input.snapshotId,
    idempotencyKey: input.idempotencyKey,
    lease: null,
    cancelledBy: null,
    updatedAt: input.now,
    version: 0,
  };
}

/**
 * Why a run with a window may not start at `now` (before its window, or after it ended), or
 * null when it may (or has no window).
 */
export function outsideWindow(run: Pick<PatchRun, 'window'>, now: Instant): string | null {
  const w = run.window;
  if (!w) return null;
  if (now < w.start) return `is for the window ${toIso(w.start)} to ${toIso(w.end)}: it starts then, not before`;
  if (now >= w.end) return `missed its window ${toIso(w.start)} to ${toIso(w.end)}: it no longer starts`;
  return null;
}

/** True when the run needs an approval and has none that holds at `now`. */
export function approvalMissing(run: PatchRun, now: Instant): boolean {
  return run.needsApproval && (run.approvalExpiresAt === null || run.approvalExpiresAt <= now);
}

/**
 * Approves the run: approver or admin, never the requester; valid for policy.approval hours.
 * An approved run whose approval expired may be approved again.
 * @throws ForbiddenError (role, or own run), ConflictError (state, or needs no approval).
 */
export function approveRun(run: PatchRun, actor: Actor, now: Instant, policy: Policy, comment: string | null = null): PatchRun {
  authorize(actor, 'approve');
  // The two-person rule holds between authenticated principals. On the demo source a claimed
  // name counts as a person (to show the flow); anywhere else a claim is never the second person,
  // and a requester who claimed a name is still the principal behind it.
  const demo = run.source === CLAIMS_COUNT_ON;
  if (!demo && actor.claimedBy !== undefined) {
    throw new ForbiddenError(`${actorLabel(actor)}: a claimed identity (--actor) never counts as the second person outside the ${CLAIMS_COUNT_ON} source; approve as an authenticated identity (${actor.claimedBy} without --actor, an API key, a chat user)`);
  }
  const requesterId = run.requestedById ?? run.requestedBy;
  if (actor.id === requesterId || (!demo && principalOf(actor) === (run.requestedByPrincipal ?? requesterId))) {
    throw new ForbiddenError(`${actorLabel(actor)} requested run ${run.id} and cannot approve it: nobody approves their own run; ask another approver`);
  }
  if (run.status === 'approved' && !approvalMissing(run, now)) {
    const why = run.needsApproval ? `its approval holds until ${toIso(run.approvalExpiresAt)}` : 'it needs no approval';
    throw new ConflictError('INVALID_STATE', `run ${run.id} is already approved: ${why}`);
  }
  moveTo(run, 'approved', 'be approved');
  if (run.autopilot && run.window) {
    // The autopilot's approval deadline (domain/patch/autopilot.ts): later, the window is missed.
    const deadline = Math.min(run.window.start + policy.autopilot.approvalDeadlineMinutes * 60_000, run.window.end);
    if (now >= deadline) throw new ConflictError('INVALID_STATE', `run ${run.id} missed its window's approval deadline ${toIso(deadline)}; the autopilot proposes the next window`);
  }
  return {
    ...run,
    status: 'approved',
    approvals: [...run.approvals, { by: actorLabel(actor), at: now, decision: 'approved', comment }],
    approvalExpiresAt: now + policy.approval.expiresAfterHours * HOUR_MS,
    updatedAt: now,
  };
}

/**
 * Rejects a run that has not started: approver or admin (the requester withdraws with cancel).
 * @throws ForbiddenError, ConflictError.
 */
export function rejectRun(run: PatchRun, actor: Actor, now: Instant, reason: string | null = null): PatchRun {
  authorize(actor, 'approve');
  moveTo(run, 'rejected', 'be rejected');
  return {
    ...run,
    status: 'rejected',
    approvals: [...run.approvals, { by: actorLabel(actor), at: now, decision: 'rejected', comment: reason }],
    approvalExpiresAt: null,
    lease: null,
    updatedAt: now,
  };
}

/**
 * Records the thread a run's progress goes to, once the surface knows it (Slack: the ts of the
 * message that announced the run, posted after the run was stored). Only the requester, and only
 * to fill in the thread of the channel the run was requested in: a run's progress never moves to
 * another channel.
 * @throws ForbiddenError, ConflictError (another channel, or a thread already recorded).
 */
export function threadRun(run: PatchRun, actor: Actor, thread: ProgressThread, now: Instant): PatchRun {
  authorize(actor, 'request');
  if (run.requestedById !== undefined && run.requestedById !== actor.id) {
    throw new ForbiddenError(`${actorLabel(actor)} may not set where run ${run.id}'s progress goes: only its requester, ${run.requestedBy}, may`);
  }
  const had = run.progressThread;
  if (had && (had.platform !== thread.platform || had.channel !== thread.channel)) {
    throw new ConflictError('INVALID_STATE', `run ${run.id} posts its progress to ${had.platform} ${had.channel}, not ${thread.platform} ${thread.channel}`);
  }
  if (had?.thread) {
    if (had.thread === thread.thread) return run;
    throw new ConflictError('INVALID_STATE', `run ${run.id} already posts its progress to thread ${had.thread}`);
  }
  return { ...run, progressThread: { ...had, ...thread }, updatedAt: now };
}

/**
 * Cancels a run before or during execution: the current wave and every instance not finished are
 * cancelled, the lease dropped (the executor sees it on its next write and stops). Commands
 * already sent are listed by `commandsInFlight` for the caller to cancel at SSM.
 * @throws ForbiddenError, ConflictError (already finished).
 */
export function cancelRun(run: PatchRun, actor: Actor, now: Instant): PatchRun {
  authorize(actor, 'cancel');
  moveTo(run, 'cancelled', 'be cancelled');
  const waves = run.waves.map((w): RunWave =>
    w.status === 'running' || w.status === 'verifying'
      ? { ...w, status: 'cancelled', instances: w.instances.map((i) => (isInstanceDone(i.status) ? i : { ...i, status: 'cancelled', detail: `cancelled by ${actorLabel(actor)}` })) }
      : w,
  );
  return { ...run, status: 'cancelled', waves, lease: null, cancelledBy: actorLabel(actor), haltReason: `cancelled by ${actorLabel(actor)}`, updatedAt: now };
}

/**
 * Halts a run before or between its sends because what it was planned on no longer holds (an
 * instance gone, replaced, or moved to another account): nothing more is sent; `reason` says which.
 */
export function haltRun(run: PatchRun, reason: string, now: Instant): PatchRun {
  moveTo(run, 'halted', 'be halted');
  const waves = run.waves.map((w): RunWave => (w.status === 'pending' || w.status === 'running' ? { ...w, status: 'halted', instances: w.instances.map((i) => (isInstanceDone(i.status) ? i : { ...i, status: 'skipped', detail: reason })) } : w));
  return { ...run, status: 'halted', waves, haltReason: reason, lease: null, updatedAt: now };
}

/** An instance of a run as a live source sees it now (null: not there). */
export interface InstanceNow {
  readonly instanceId: string;
  readonly name: string | null;
  readonly accountId?: string | null;
}

/**
 * What changed since the run was planned, for each of its unfinished instances, or [] when
 * nothing did: gone (no instance with its id), replaced (gone, and its Name now on another id),
 * renamed (its id now carries another Name), moved (another account than recorded).
 */
export function instancesChanged(run: PatchRun, now: readonly InstanceNow[]): string[] {
  const byId = new Map(now.map((a) => [a.instanceId, a]));
  const problems: string[] = [];
  for (const w of run.waves) {
    for (const i of w.instances) {
      if (isInstanceDone(i.status)) continue;
      const a = byId.get(i.instanceId);
      if (!a) {
        const successor = i.name ? now.find((x) => x.name === i.name) : undefined;
        problems.push(successor ? `${label(i)} was replaced: ${i.name} is now ${successor.instanceId}` : `${label(i)} is no longer there`);
      } else if (i.name !== null && a.name !== i.name) {
        problems.push(`${label(i)} changed identity: it is now named ${a.name ?? '(no Name tag)'}`);
      } else if (i.accountId && a.accountId && a.accountId !== i.accountId) {
        problems.push(`${label(i)} moved from account ${i.accountId} to ${a.accountId}`);
      }
    }
  }
  return problems;
}

/** Command ids of the current wave that are (or may be) still running at SSM. */
export function commandsInFlight(run: PatchRun): string[] {
  const wave = run.currentWave === null ? undefined : run.waves[run.currentWave - 1];
  if (!wave || wave.status !== 'running') return [];
  return wave.sends.flatMap((s) => (s.commandId ? [s.commandId] : []));
}

/**
 * Takes (or renews) the right to execute the run until now + ttl.
 * @throws ConflictError IN_PROGRESS while another holder's lease has not expired.
 */
export function takeLease(run: PatchRun, holder: string, now: Instant, ttlMs: number): PatchRun {
  if (run.lease && run.lease.holder !== holder && run.lease.until > now) {
    throw new ConflictError('IN_PROGRESS', `run ${run.id} is being executed by another process until at least ${toIso(run.lease.until)}; follow it with "run ${run.id} --watch", or retry after then if that process died`);
  }
  return { ...run, lease: { holder, until: now + ttlMs }, updatedAt: now };
}

/**
 * Starts an approved run at wave 1, taking the lease.
 * @throws ForbiddenError (role), ConflictError (not approved, approval expired, lease held).
 */
export function startRun(run: PatchRun, actor: Actor, holder: string, now: Instant, leaseMs: number): PatchRun {
  authorize(actor, 'execute');
  if (run.status === 'requested') {
    throw new ConflictError('INVALID_STATE', `run ${run.id} needs approval first (${run.approvalWhy ?? 'policy'}) by someone other than ${run.requestedBy}`);
  }
  moveTo(run, 'running', 'start');
  if (approvalMissing(run, now)) {
    throw new ConflictError('INVALID_STATE', `the approval of run ${run.id} expired at ${toIso(run.approvalExpiresAt)}; it must be approved again before it starts`);
  }
  const outside = outsideWindow(run, now);
  if (outside) throw new ConflictError('INVALID_STATE', `run ${run.id} ${outside}`);
  if (run.waves.length === 0) throw new ConflictError('INVALID_STATE', `run ${run.id} has no instances to patch`);
  return takeLease({ ...run, status: 'running', currentWave: 1 }, holder, now, leaseMs);
}

function currentWave(run: PatchRun): RunWave {
  const wave = run.currentWave === null ? undefined : run.waves[run.currentWave - 1];
  if (!wave) throw new ConflictError('INVALID_STATE', `run ${run.id} has no current wave`);
  return wave;
}

function withWave(run: PatchRun, wave: RunWave, now: Instant, over: Partial<PatchRun> = {}): PatchRun {
  return { ...run, waves: run.waves.map((w) => (w.number === wave.number ? wave : w)), updatedAt: now, ...over };
}

/** The current wave of a running or verifying run. */
export function activeWave(run: PatchRun): RunWave {
  return currentWave(run);
}

/**
 * The token a command of a run carries, so a resumed run finds what it already sent. At most 100
 * characters (the SSM Comment limit).
 */
export function sendToken(runId: string, wave: number, part: number, parts: number): string {
  return `sre-ops ${runId} wave ${wave}${parts > 1 ? ` part ${part}/${parts}` : ''}`.slice(0, 100);
}

/**
 * Records the intent to send the current wave (before anything is sent), in parts of at most
 * `maxPerCommand` instances. The wave becomes running.
 */
export function recordSendIntent(run: PatchRun, maxPerCommand: number, now: Instant): PatchRun {
  const wave = currentWave(run);
  if (wave.status !== 'pending' || run.status !== 'running') throw new ConflictError('INVALID_STATE', `wave ${wave.number} of run ${run.id} is ${wave.status}: it cannot be sent`);
  const ids = wave.instances.map((i) => i.instanceId);
  const parts = Math.max(1, Math.ceil(ids.length / maxPerCommand));
  const sends: WaveSend[] = Array.from({ length: parts }, (_, k) => ({
    token: sendToken(run.id, wave.number, k + 1, parts),
    instanceIds: ids.slice(k * maxPerCommand, (k + 1) * maxPerCommand),
    intentAt: now,
    commandId: null,
    sentAt: null,
  }));
  return withWave(run, { ...wave, status: 'running', sends, startedAt: now }, now);
}

/** Records the command id of one send of the current wave; its instances become sent. */
export function recordSent(run: PatchRun, token: string, commandId: string, now: Instant): PatchRun {
  const wave = currentWave(run);
  const send = wave.sends.find((s) => s.token === token);
  if (!send) throw new ConflictError('INVALID_STATE', `wave ${wave.number} of run ${run.id} has no command "${token}"`);
  const ids = new Set(send.instanceIds);
  return withWave(run, {
    ...wave,
    sends: wave.sends.map((s) => (s.token === token ? { ...s, commandId, sentAt: now } : s)),
    instances: wave.instances.map((i) => (ids.has(i.instanceId) && i.status === 'pending' ? { ...i, status: 'sent' } : i)),
  }, now);
}

/** An invocation's state as the runner reports it. */
export interface InvocationState {
  readonly instanceId: string;
  readonly status: 'pending' | 'in-progress' | 'succeeded' | 'failed' | 'timed-out' | 'cancelled';
  readonly detail: string | null;
}

const FROM_INVOCATION: Readonly<Record<InvocationState['status'], InstanceStatus>> = {
  pending: 'sent', 'in-progress': 'in-progress', succeeded: 'succeeded', failed: 'failed', 'timed-out': 'timed-out', cancelled: 'cancelled',
};

/** Applies invocation states to the current wave's instances; returns the same run when nothing changed. */
export function recordInvocations(run: PatchRun, states: readonly InvocationState[], now: Instant): PatchRun {
  const wave = currentWave(run);
  const by = new Map(states.map((s) => [s.instanceId, s]));
  let changed = false;
  const instances = wave.instances.map((i) => {
    const s = by.get(i.instanceId);
    if (!s || isInstanceDone(i.status)) return i;
    const status = FROM_INVOCATION[s.status];
    if (status === i.status && s.detail === i.detail) return i;
    changed = true;
    return { ...i, status, detail: s.detail };
  });
  return changed ? withWave(run, { ...wave, instances }, now) : run;
}

/** True when every instance of the current wave has finished its command. */
export function waveCommandsDone(run: PatchRun): boolean {
  return currentWave(run).instances.every((i) => isInstanceDone(i.status));
}

/** Instances still unfinished after the wave timeout become timed-out. */
export function timeOutWave(run: PatchRun, now: Instant, minutes: number): PatchRun {
  const wave = currentWave(run);
  return withWave(run, {
    ...wave,
    instances: wave.instances.map((i) => (isInstanceDone(i.status) ? i : { ...i, status: 'timed-out', detail: `no result within ${minutes} minutes of sending` })),
  }, now);
}

/** Every command of the current wave has finished: the wave and the run are verifying. */
export function beginVerification(run: PatchRun, now: Instant): PatchRun {
  const wave = currentWave(run);
  moveTo(run, 'verifying', 'be verified');
  return withWave(run, { ...wave, status: 'verifying', completedAt: now }, now, { status: 'verifying' });
}

/** What verification concluded about one instance (see run-verification.ts). */
export interface InstanceVerdict {
  readonly instanceId: string;
  readonly outcome: 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'regressed';
  /** Why it failed or regressed; for a success, what was checked or could not be. */
  readonly detail: string | null;
  /** What the verdict rests on, one check a line (run-verification.ts, evidenceOf). */
  readonly evidence?: readonly string[];
}

/**
 * Closes the current wave with its verdicts. Any regressed instance halts the run (wave halted);
 * any failed, timed-out or cancelled one halts it too (wave failed), and when every instance of
 * the wave failed the run has failed (nothing got patched: a systemic problem, not one host).
 * Otherwise the next wave is up, or the run has succeeded after the last one.
 */
export function completeWave(run: PatchRun, verdicts: readonly InstanceVerdict[], now: Instant): PatchRun {
  const wave = currentWave(run);
  if (run.status !== 'verifying') throw new ConflictError('INVALID_STATE', `run ${run.id} is ${run.status}: wave ${wave.number} cannot be completed`);
  const by = new Map(verdicts.map((v) => [v.instanceId, v]));
  const instances = wave.instances.map((i): RunInstance => {
    const v = by.get(i.instanceId);
    if (!v) return { ...i, status: isInstanceDone(i.status) ? i.status : 'failed', detail: i.detail ?? 'not verified' };
    return { ...i, status: v.outcome, detail: v.detail, ...(v.evidence ? { evidence: v.evidence } : {}) };
  });
  const bad = instances.filter((i) => i.status !== 'succeeded');
  if (bad.length === 0) {
    const last = wave.number === run.waves.length;
    return withWave(run, { ...wave, status: 'succeeded', instances, verifiedAt: now }, now, {
      status: last ? 'succeeded' : 'running',
      currentWave: last ? wave.number : wave.number + 1,
      lease: last ? null : run.lease,
    });
  }
  const regressed = bad.some((i) => i.status === 'regressed');
  const all = bad.length === instances.length && !regressed;
  const why = bad.map((i) => `${label(i)} ${i.status}${i.detail ? `: ${i.detail}` : ''}`);
  const haltReason = `wave ${wave.number}: ${listed(why)}`;
  return withWave(run, { ...wave, status: regressed ? 'halted' : 'failed', instances, verifiedAt: now }, now, {
    status: all ? 'failed' : 'halted',
    haltReason,
    lease: null,
  });
}
