import type { Actor } from '../../../domain/access/actor.js';
import { approveRun } from '../../../domain/patch/run.js';
import { checkReason } from '../../../domain/patch/run-request.js';
import { toIso } from '../../../domain/time.js';
import type { PatchRunReport } from '../../inbound/patching/patch-runs.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audited } from '../shared/audited.js';
import { mutateRun } from './run-records.js';
import { toRunReport } from '../shared/operation-reports.mapper.js';

/** Approves a run: an approver other than the requester; the approval holds for policy hours. */
export class ApprovePatchRun {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError (role, own run), NotFoundError, ConflictError (state), ValidationError (comment). */
  async execute(actor: Actor, runId: string, comment?: string): Promise<PatchRunReport> {
    return audited(this.d, actor, 'patch-run.approve', runId, async () => {
      const text = checkReason(comment, 'comment');
      const { after } = await mutateRun(this.d, runId, (run, now) => approveRun(run, actor, now, this.d.core.policy, text));
      return { value: toRunReport(after, this.d.clock.now()), detail: `approved until ${toIso(after.approvalExpiresAt)}${text ? `: ${text}` : ''}` };
    });
  }
}
