import type { Actor } from '../../domain/access/actor.js';
import { rejectRun } from '../../domain/patch/run.js';
import { checkReason } from '../../domain/patch/run-request.js';
import type { PatchRunReport } from './patch-operations.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audited, mutateRun, toRunReport } from './patch-support.js';

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
