/**
 * Verifying a wave before the next one goes: per instance, the command's status, a fresh patch
 * state, and CloudWatch before and after (CPU, StatusCheckFailed).
 *
 * The regression rule (pinned by tests):
 * - any StatusCheckFailed point above 0 in the after window regresses the instance: the host or
 *   its OS stopped answering health checks after the patch (a bad kernel, a hung boot);
 * - mean CPU after above max(before, min(max(ratio x before, before + points), ceiling)) regresses
 *   it: with the defaults (2, 30, 95), 10% may rise to 40%, 40% to 80%, and anything may rise to
 *   95% but not beyond (a host already above 95% may not rise at all). The ratio catches a quiet
 *   host that doubles; the points stop small absolute jitter on a near-idle host (1% to 3%) from
 *   counting; the ceiling keeps a busy host flaggable when the other two exceed 100%;
 * - fewer than minPoints CPU points on either side gives no CPU verdict (said so in the detail),
 *   never a guess.
 * A Scan changes nothing on the host, so metrics are not compared for one.
 */
import type { InstanceMetrics, MetricPoint, PatchState } from '../fleet-facts.js';
import type { Policy } from '../policy.js';
import { toIso, type Instant } from '../time.js';
import type { InstanceStatus, InstanceVerdict, PatchOperation } from './run.js';

export type VerificationRule = Pick<Policy['verification'], 'cpuRatio' | 'cpuPoints' | 'cpuCeiling' | 'minPoints'>;

function mean(points: readonly MetricPoint[]): number {
  return points.reduce((s, p) => s + p.v, 0) / points.length;
}

function pct(n: number): string {
  return `${n.toFixed(1)}%`;
}

/** The mean CPU after which an instance counts as regressed, given its mean before. */
export function cpuThreshold(before: number, rule: VerificationRule): number {
  // Never below the mean before: a host already above the ceiling regresses only if it rises.
  return Math.max(before, Math.min(Math.max(rule.cpuRatio * before, before + rule.cpuPoints), rule.cpuCeiling));
}

export type CpuVerdict =
  | { readonly kind: 'regressed'; readonly before: number; readonly after: number; readonly threshold: number; readonly text: string }
  | { readonly kind: 'ok'; readonly before: number; readonly after: number; readonly threshold: number; readonly text: string }
  | { readonly kind: 'unknown'; readonly text: string };

/** Compares mean CPU before and after under the rule. */
export function compareCpu(before: readonly MetricPoint[], after: readonly MetricPoint[], rule: VerificationRule): CpuVerdict {
  if (before.length < rule.minPoints || after.length < rule.minPoints) {
    return { kind: 'unknown', text: `CPU not compared (${before.length} points before, ${after.length} after; ${rule.minPoints} needed on each side)` };
  }
  const b = mean(before);
  const a = mean(after);
  const threshold = cpuThreshold(b, rule);
  if (a > threshold) {
    return { kind: 'regressed', before: b, after: a, threshold, text: `mean CPU rose from ${pct(b)} to ${pct(a)} (regression above ${pct(threshold)})` };
  }
  return { kind: 'ok', before: b, after: a, threshold, text: `CPU ${pct(b)} → ${pct(a)}` };
}

/** The first failed status check in the after window, or null. */
export function firstStatusCheckFailure(after: readonly MetricPoint[]): MetricPoint | null {
  return after.find((p) => p.v > 0) ?? null;
}

export interface InstanceVerificationInput {
  readonly instanceId: string;
  readonly operation: PatchOperation;
  /** The instance's status once its command finished. */
  readonly status: InstanceStatus;
  readonly detail: string | null;
  /** When the instance's command was sent: a patch state older than that is stale. */
  readonly sentAt: Instant;
  /** undefined: patch states could not be read; null: none for this instance. */
  readonly patchState: PatchState | null | undefined;
  /** undefined: metrics could not be read; the after window must already be over. */
  readonly before: InstanceMetrics | undefined;
  readonly after: InstanceMetrics | undefined;
  readonly rule: VerificationRule;
  /** A simulated run sent nothing: say so instead of checking what did not happen. */
  readonly simulated?: boolean;
  /** The SSM command that carried this instance (its evidence names it). */
  readonly commandId?: string | null;
}

const FAILED: readonly InstanceStatus[] = ['failed', 'timed-out', 'cancelled'];

/**
 * The verdict on one instance: its command's failure first; then failed patches in a fresh patch
 * state; then the regression rule (status checks, then CPU). What could not be checked is said in
 * the detail of a success; an unreadable source does not halt a run (the command status is the
 * primary signal), a measured regression does.
 */
export function verifyInstance(input: InstanceVerificationInput): InstanceVerdict {
  const verdict = judge(input);
  return { ...verdict, evidence: evidenceOf(input, verdict) };
}

/**
 * What the verdict rests on, one check a line: the command's outcome, the patch compliance read
 * after it (SSM patch state), the status checks and CPU after patching; or what could not be read.
 * The final report of a run shows it on every surface.
 */
function evidenceOf(input: InstanceVerificationInput, verdict: Omit<InstanceVerdict, 'evidence'>): string[] {
  const command = `command ${input.commandId ?? '(unknown id)'}: ${input.status === 'succeeded' ? 'Success' : `${input.status}${input.detail ? ` (${input.detail})` : ''}`}`;
  if (input.simulated) return ['simulated: nothing was sent to AWS'];
  if (input.status !== 'succeeded') return [command];
  const out = [command];
  const state = input.patchState;
  if (state === undefined) out.push('patch compliance: unreadable');
  else if (state === null) out.push('patch compliance: no patch state reported');
  else {
    const at = state.operationEndTime ?? state.operationStartTime;
    const counts = `${state.installedCount} installed, ${state.missingCount} missing, ${state.failedCount} failed, ${state.installedPendingRebootCount} pending reboot`;
    out.push(at === null || at < input.sentAt
      ? `patch compliance: not refreshed since ${toIso(at) ?? 'never'} (${counts})`
      : `patch compliance (${state.operation} at ${toIso(at)}): ${counts}`);
  }
  // A Scan changes nothing to watch; failed patches decided it before CloudWatch was looked at.
  if (input.operation === 'Scan' || verdict.outcome === 'failed') return out;
  if (input.before === undefined || input.after === undefined) {
    out.push('CloudWatch: unreadable, regression not checked');
    return out;
  }
  const checks = input.after.statusCheckFailed ?? [];
  const failure = firstStatusCheckFailure(checks);
  out.push(failure ? `status checks: failed at ${toIso(failure.t)}` : `status checks: none failed (${checks.length} point${checks.length === 1 ? '' : 's'} after patching)`);
  if (!failure) out.push(verdict.outcome === 'regressed' ? (verdict.detail ?? 'CPU regressed') : compareCpu(input.before.cpu ?? [], input.after.cpu ?? [], input.rule).text);
  return out;
}

function judge(input: InstanceVerificationInput): Omit<InstanceVerdict, 'evidence'> {
  const { instanceId } = input;
  if (FAILED.includes(input.status)) {
    return { instanceId, outcome: input.status as 'failed' | 'timed-out' | 'cancelled', detail: input.detail ?? `command ${input.status}` };
  }
  if (input.status !== 'succeeded') {
    return { instanceId, outcome: 'failed', detail: `command did not finish (${input.status})` };
  }
  if (input.simulated) return { instanceId, outcome: 'succeeded', detail: 'simulated: nothing was sent to AWS' };

  const notes: string[] = [];
  const state = input.patchState;
  if (state === undefined) notes.push('patch state unreadable');
  else if (state === null) notes.push('no patch state reported');
  else {
    const at = state.operationEndTime ?? state.operationStartTime;
    if (at === null || at < input.sentAt) notes.push(`patch state not refreshed since ${toIso(at) ?? 'never'}`);
    else if (state.failedCount > 0) {
      return { instanceId, outcome: 'failed', detail: `${state.failedCount} patch${state.failedCount === 1 ? '' : 'es'} failed to install (SSM patch state ${toIso(at)})` };
    } else {
      notes.push(`patch state ${state.operation}: ${state.missingCount} missing, ${state.installedPendingRebootCount} pending reboot`);
    }
  }

  if (input.operation === 'Scan') return { instanceId, outcome: 'succeeded', detail: notes.join('; ') || null };
  if (input.before === undefined || input.after === undefined) {
    notes.push('CloudWatch unreadable: regression not checked');
    return { instanceId, outcome: 'succeeded', detail: notes.join('; ') };
  }
  const failure = firstStatusCheckFailure(input.after.statusCheckFailed ?? []);
  if (failure) return { instanceId, outcome: 'regressed', detail: `status check failed at ${toIso(failure.t)} after patching` };
  const cpu = compareCpu(input.before.cpu ?? [], input.after.cpu ?? [], input.rule);
  if (cpu.kind === 'regressed') return { instanceId, outcome: 'regressed', detail: cpu.text };
  notes.push(cpu.text);
  return { instanceId, outcome: 'succeeded', detail: notes.join('; ') };
}
