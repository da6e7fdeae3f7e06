import type { Actor } from '../../../domain/access/actor.js';
import { rejectRun } from '../../../domain/patch/run.js';
import { checkReason } from '../../../domain/patch/run-request.js';
import type { PatchRunReport } from '../../inbound/patching/patch-runs.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audited } from '../shared/audited.js';
import { mutateRun } from './run-records.js';
import { toRunReport } from '../shared/operation-reports.mapper.js';

/** Rejects a run that has not started (approver or admin). */
export class RejectPatchRun {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, NotFoundError, ConflictError (already started or finished), ValidationError. */
  async execute(actor: Actor, runId: string, reason?: string): Promise<PatchRunReport> {
    return audited(this.d, actor, 'patch-run.reject', runId, async () => {
      const text = checkReason(reason, 'reason');
      const { after } = await mutateRun(this.d, runId, (run, now) => rejectRun(run, actor, now, text));
      return { value: toRunReport(after, this.d.clock.now()), detail: text };
    });
  }
}
