/**
 * Patch operations in memory, for the chat bots' tests until (and besides) the real use cases:
 * runs that need approval, the roles of domain/access, no self-approval, progress while executing.
 */
import type { Actor, Role } from '../../domain/access/actor.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { Assistant } from '../../ports/inbound/assistant.port.js';
import type { AcceptanceReport, AcceptRiskRequest } from '../../ports/inbound/acceptances/acceptances.port.js';
import type { PatchOperations } from '../../ports/inbound/patch-operations.port.js';
import type { PatchRunReport, PatchRunRequest, RunProgress, RequestOptions } from '../../ports/inbound/patching/patch-runs.port.js';

type Call = { readonly method: string; readonly actor: Actor; readonly args: readonly unknown[] };

const AT = '2026-11-20T12:00:00.000Z';

function need(actor: Actor, roles: readonly Role[], what: string): void {
  if (!actor.roles.some((r) => roles.includes(r))) {
    throw new ForbiddenError(`${actor.id} (${actor.roles.join(', ') || 'no role'}) may not ${what}: that needs the ${roles.join(' or ')} role`);
  }
}

export class FakePatchOperations implements PatchOperations {
  readonly runs = new Map<string, PatchRunReport>();
  readonly calls: Call[] = [];
  private readonly keys = new Map<string, string>();
  private next = 1;

  constructor(private readonly options: { needsApproval?: boolean } = {}) {}

  private log(method: string, actor: Actor, ...args: unknown[]): void {
    this.calls.push({ method, actor, args });
  }

  called(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  private get(id: string): PatchRunReport {
    const run = this.runs.get(id);
    if (!run) throw new NotFoundError('patch run', id, [...this.runs.keys()].slice(0, 3));
    return run;
  }

  private put(run: PatchRunReport, changes: Partial<PatchRunReport>): PatchRunReport {
    const next = { ...run, ...changes, version: run.version + 1 };
    this.runs.set(run.id, next);
    return next;
  }

  async requestPatchRun(actor: Actor, request: PatchRunRequest, options?: RequestOptions): Promise<PatchRunReport> {
    if (options === undefined) this.log('requestPatchRun', actor, request);
    else this.log('requestPatchRun', actor, request, options);
    need(actor, ['operator', 'admin'], 'request a patch run');
    const existing = request.idempotencyKey ? this.keys.get(request.idempotencyKey) : undefined;
    if (existing) return this.get(existing);
    const id = `run-${this.next++}`;
    const needsApproval = this.options.needsApproval ?? true;
    const instances = request.instances ?? ['web-1', 'web-2'];
    const run: PatchRunReport = {
      id, status: 'requested', operation: request.dryRun ? 'Scan' : 'Install', rebootOption: request.reboot === 'never' ? 'NoReboot' : 'RebootIfNeeded',
      requestedBy: actor.id, requestedAt: AT, reason: request.reason ?? null, needsApproval, approvals: [], approvalExpiresAt: null, currentWave: null,
      waves: [{ number: 1, canary: true, status: 'pending', commandId: null, sentAt: null, verifiedAt: null, instances: instances.map((name, i) => ({ instanceId: `i-00000000000000${i}`, name, production: true, status: 'pending', detail: null })) }],
      haltReason: null, snapshotId: `snap-${id}`, updatedAt: AT, version: 1,
    };
    this.runs.set(id, run);
    if (request.idempotencyKey) this.keys.set(request.idempotencyKey, id);
    return run;
  }

  async threadPatchRun(actor: Actor, runId: string, thread: NonNullable<RequestOptions['progressThread']>): Promise<PatchRunReport> {
    this.log('threadPatchRun', actor, runId, thread);
    return this.get(runId);
  }

  async approvePatchRun(actor: Actor, runId: string, comment?: string): Promise<PatchRunReport> {
    this.log('approvePatchRun', actor, runId, comment);
    need(actor, ['approver', 'admin'], 'approve or reject a patch run');
    const run = this.get(runId);
    if (run.requestedBy === actor.id) throw new ForbiddenError(`${actor.id} requested ${runId} and may not approve it`);
    return this.put(run, { status: 'approved', approvals: [{ by: actor.id, at: AT, decision: 'approved', comment: comment ?? null }] });
  }

  async rejectPatchRun(actor: Actor, runId: string, reason?: string): Promise<PatchRunReport> {
    this.log('rejectPatchRun', actor, runId, reason);
    need(actor, ['approver', 'admin'], 'approve or reject a patch run');
    return this.put(this.get(runId), { status: 'rejected', approvals: [{ by: actor.id, at: AT, decision: 'rejected', comment: reason ?? null }] });
  }

  async cancelPatchRun(actor: Actor, runId: string): Promise<PatchRunReport> {
    this.log('cancelPatchRun', actor, runId);
    return this.put(this.get(runId), { status: 'cancelled' });
  }

  async getPatchRun(actor: Actor, runId: string): Promise<PatchRunReport> {
    this.log('getPatchRun', actor, runId);
    return this.get(runId);
  }

  async listPatchRuns(actor: Actor): Promise<readonly PatchRunReport[]> {
    this.log('listPatchRuns', actor);
    return [...this.runs.values()].reverse();
  }

  async executePatchRun(actor: Actor, runId: string, onProgress?: (p: RunProgress) => void): Promise<PatchRunReport> {
    this.log('executePatchRun', actor, runId);
    need(actor, ['operator', 'admin'], 'execute a patch run');
    let run = this.put(this.get(runId), { status: 'running', currentWave: 1 });
    onProgress?.({ runId, wave: 1, instanceId: null, message: 'wave 1 sent' });
    await new Promise((r) => setTimeout(r, 5));
    onProgress?.({ runId, wave: 1, instanceId: null, message: 'wave 1 verified' });
    const waves = run.waves.map((w) => ({ ...w, status: 'succeeded' as const, instances: w.instances.map((i) => ({ ...i, status: 'succeeded' as const })) }));
    run = this.put(run, { status: 'succeeded', waves, currentWave: null });
    return run;
  }

  async acceptRisk(actor: Actor, request: AcceptRiskRequest): Promise<AcceptanceReport> {
    this.log('acceptRisk', actor, request);
    need(actor, ['approver', 'admin'], 'accept or revoke a risk');
    return { id: 'acc-1', vulnerabilityId: request.vulnerabilityId, instanceId: request.instance ?? null, reason: request.reason, acceptedBy: actor.id, acceptedAt: AT, until: request.until, expired: false };
  }

  async listAcceptances(): Promise<readonly AcceptanceReport[]> {
    return [];
  }
  async revokeAcceptance(): Promise<AcceptanceReport> {
    throw new Error('not used by the chat bots');
  }
  async listAudit(): Promise<never[]> {
    return [];
  }
  async schedulePatching(): Promise<never> {
    throw new Error('not used by the chat bots');
  }
  async listSchedules(): Promise<never[]> {
    return [];
  }
  async cancelSchedule(): Promise<never> {
    throw new Error('not used by the chat bots');
  }
}

/** An Assistant whose patch operations are the fake (the rest inherited, whatever its shape). */
export function withFakePatchOperations(assistant: Assistant, ops: FakePatchOperations): Assistant & PatchOperations {
  const names = ['requestPatchRun', 'threadPatchRun', 'approvePatchRun', 'rejectPatchRun', 'cancelPatchRun', 'getPatchRun', 'listPatchRuns', 'executePatchRun', 'acceptRisk', 'listAcceptances', 'revokeAcceptance', 'listAudit', 'schedulePatching', 'listSchedules', 'cancelSchedule'] as const;
  const bound = Object.fromEntries(names.map((n) => [n, (ops[n] as (...a: unknown[]) => unknown).bind(ops)]));
  return Object.assign(Object.create(assistant) as object, bound) as unknown as Assistant & PatchOperations;
}
