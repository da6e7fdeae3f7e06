import { actorLabel, type Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import { ConflictError, ValidationError } from '../../../domain/errors.js';
import type { Asset } from '../../../domain/fleet-facts.js';
import { findInstance, holdersOfId, sharedIds } from '../../../domain/instance-lookup.js';
import { newPatchRun, threadRun, type PatchRun, type ProgressThread, type RunTarget } from '../../../domain/patch/run.js';
import { checkRunRequest, requestFingerprint, type CheckedRunRequest } from '../../../domain/patch/run-request.js';
import { autoScalingGroupOf, autoScalingGroupSizes, isProduction } from '../../../domain/patch/waves.js';
import type { AssetAssessment } from '../../../domain/asset-assessment.js';
import { assessFleet } from '../assessment/fleet-reader.js';
import type { PatchRunReport, PatchRunRequest, RequestOptions } from '../../inbound/patching/patch-runs.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import type { SourceScope } from '../../outbound/source-info.port.js';
import { audited } from '../shared/audited.js';
import { mutateRun, newRunId } from './run-records.js';
import { toRunReport } from '../shared/operation-reports.mapper.js';

/** One instance of a request as a run target: assessed, with its account and region. */
export function runTarget(a: AssetAssessment, d: PatchDependencies, scope: SourceScope | null): RunTarget {
  const policy = d.core.policy;
  // An asset that knows its own account and region (an organization-wide source) wins over the source's.
  const own = a.asset as { accountId?: string | null; region?: string | null };
  return {
    ...(scope || own.accountId ? { accountId: own.accountId ?? scope?.accountId ?? null, region: own.region ?? scope?.region ?? null } : {}),
    instanceId: a.asset.instanceId,
    name: a.asset.name,
    production: isProduction(a.asset, a.mission, policy),
    decision: a.decision.kind,
    riskScore: a.riskScore,
    autoScalingGroup: autoScalingGroupOf(a.asset, policy),
  };
}

function name(a: Asset): string {
  return a.name ? `${a.name} (${a.instanceId})` : a.instanceId;
}

/**
 * Turns a request into a stored run: from named instances (ids or Name tags) or from the plan
 * (everything it patches now or in the next window). Waves follow the plan's rules; a run that
 * touches production or carries patch-now waits for an approver other than the requester. The
 * same idempotency key twice returns the first run.
 */
export class RequestPatchRun {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, ValidationError, NotFoundError / AmbiguousError (an instance), ConflictError (key reused). */
  async execute(actor: Actor, request: PatchRunRequest, options: RequestOptions = {}): Promise<PatchRunReport> {
    const what = request.fromPlan ? 'plan' : (request.instances ?? []).join(', ') || 'no instances';
    return audited(this.d, actor, 'patch-run.request', what, async () => {
      authorize(actor, 'request');
      const checked = checkRunRequest(request);
      const fingerprint = requestFingerprint(actorLabel(actor), checked);
      if (checked.idempotencyKey !== null) {
        const replay = await this.replay(checked.idempotencyKey, fingerprint);
        if (replay) return replay;
      }
      const run = await this.build(actor, checked, options.progressThread ?? null);
      const stored = await this.d.store.createRun(run, checked.idempotencyKey === null ? null : { key: checked.idempotencyKey, fingerprint });
      if (!stored.created) {
        // Another request with the same key won the race: answer as a replay of it.
        const replay = await this.replay(checked.idempotencyKey as string, fingerprint);
        if (replay) return replay;
      }
      const r = stored.run;
      const approval = r.needsApproval ? `needs approval by someone other than ${r.requestedBy} (${r.approvalWhy})` : 'needs no approval';
      return {
        value: toRunReport(r, this.d.clock.now()),
        target: r.id,
        detail: `${r.operation} of ${plural(r.waves.reduce((n, w) => n + w.instances.length, 0), 'instance')} in ${plural(r.waves.length, 'wave')}${r.operation === 'Scan' ? '' : `, ${r.rebootOption}`}; ${approval}${r.simulated ? '; simulated' : ''}`,
      };
    });
  }

  /**
   * Records the chat thread a run's progress goes to once the surface knows it (Slack posts the
   * run's message after the run is stored; its ts is the thread). The requester only, the
   * channel the run was requested in only.
   * @throws ForbiddenError, NotFoundError, ConflictError.
   */
  async thread(actor: Actor, runId: string, thread: ProgressThread): Promise<PatchRunReport> {
    return audited(this.d, actor, 'patch-run.thread', runId, async () => {
      const { after } = await mutateRun(this.d, runId, (run, now) => threadRun(run, actor, thread, now));
      return { value: toRunReport(after, this.d.clock.now()), detail: `progress to ${thread.platform} ${thread.channel}${thread.thread ? ` thread ${thread.thread}` : ''}` };
    });
  }

  /** The run `execute` would store, storing and auditing nothing. */
  async preview(actor: Actor, request: PatchRunRequest): Promise<PatchRunReport> {
    authorize(actor, 'request');
    return toRunReport(await this.build(actor, checkRunRequest(request)), this.d.clock.now());
  }

  private async replay(key: string, fingerprint: string): Promise<{ value: PatchRunReport; target: string; detail: string } | null> {
    const held = await this.d.store.findRunByIdempotencyKey(key);
    if (!held) return null;
    if (held.fingerprint !== fingerprint) {
      throw new ConflictError('IDEMPOTENCY_MISMATCH', `idempotency key "${key}" already made run ${held.run.id} from a different request; use a new key for a new request`);
    }
    return { value: toRunReport(held.run, this.d.clock.now()), target: held.run.id, detail: `replay of idempotency key "${key}": no new run` };
  }

  private async build(actor: Actor, r: CheckedRunRequest, progressThread: ProgressThread | null = null): Promise<PatchRun> {
    const core = this.d.core;
    const assets = await core.assets.listAssets();
    let chosen: readonly AssetAssessment[];
    if (r.fromPlan) {
      const fleet = await assessFleet(core);
      chosen = fleet.assets.filter((a) => a.decision.kind === 'patch-now' || a.decision.kind === 'next-window');
      if (!chosen.length) throw new ValidationError('fromPlan', 'a plan with something to patch', 'fromPlan: the plan has nothing to patch now or in the next window');
    } else {
      const resolved = new Map<string, Asset>();
      for (const q of r.instances) {
        const a = findInstance(assets, q);
        resolved.set(a.instanceId, a);
      }
      chosen = (await assessFleet(core, [...resolved.values()])).assets;
      const unmanaged = chosen.filter((a) => a.managed === false).map((a) => name(a.asset));
      if (unmanaged.length) {
        throw new ValidationError('instances', 'instances Systems Manager manages', `instances: Systems Manager does not manage ${unmanaged.join(', ')} (no PingStatus Online), so it cannot patch them; leave them out`);
      }
    }
    // Sent from here (a live organization read's runner): an id two accounts hold cannot be sent to.
    if (this.d.runner && !this.d.runner.simulated) refuseSharedIds(chosen, assets, r.fromPlan);
    const now = this.d.clock.now();
    const id = this.d.newId();
    const scope = await sourceScope(this.d);
    return newPatchRun({
      id: newRunId(now, id),
      source: core.source.label,
      simulated: this.d.runner?.simulated ?? false,
      actor,
      now,
      snapshotId: this.d.newId(),
      targets: chosen.map((a) => runTarget(a, this.d, scope)),
      groupSizes: autoScalingGroupSizes(assets, core.policy),
      dryRun: r.dryRun,
      reboot: r.reboot,
      reason: r.reason,
      idempotencyKey: r.idempotencyKey,
      policy: core.policy,
      progressThread,
    });
  }
}

/**
 * A run of a live organization read sends to its instances by id (SSM SendCommand, through the
 * patch role of the partition holding the id): an instance whose id another account or region of
 * the read holds too cannot be told apart there, so the run is refused when requested, not at its
 * first send. (A run requested on a capture records each instance's account and region and
 * executes with a live source of that one account, where the id is unique.)
 * @throws ValidationError naming instances (or fromPlan), the accounts and regions, and what to do.
 */
function refuseSharedIds(chosen: readonly AssetAssessment[], inventory: readonly Asset[], fromPlan: boolean): void {
  const shared = sharedIds(inventory);
  for (const a of chosen) {
    if (a.asset.accountId === undefined || !shared.has(a.asset.instanceId)) continue;
    const held = holdersOfId(a.asset, inventory);
    const account = a.asset.accountId ?? '';
    const region = a.asset.region ?? '';
    const field = fromPlan ? 'fromPlan' : 'instances';
    const who = `${account}/${region}/${a.asset.instanceId}${a.asset.name ? ` (${a.asset.name})` : ''}`;
    throw new ValidationError(field, 'instances whose id no other account or region of the read holds',
      `${field}: ${fromPlan ? 'the plan patches ' : ''}${who}, whose id ${held.length} accounts and regions of this read hold (${held.join(', ')}); a run sends to instances by id, so it cannot tell which to patch and nothing was requested: request it on a read of that account and region alone (CLI: --accounts ${account} --regions ${region})`);
  }
}

/** The source's account and region, or null when it does not say (or cannot be asked now). */
export async function sourceScope(d: PatchDependencies): Promise<SourceScope | null> {
  try {
    return (await d.core.source.scope?.()) ?? null;
  } catch {
    return null;
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
