/** Every patch use case over one set of dependencies, behind the PatchOperations contract. */
import { AcceptRisk } from './accept-risk.use-case.js';
import { ApprovePatchRun } from './approve-patch-run.use-case.js';
import { CancelPatchRun } from './cancel-patch-run.use-case.js';
import { CancelSchedule } from './cancel-schedule.use-case.js';
import { ExecutePatchRun } from './execute-patch-run.use-case.js';
import { ListAcceptances } from './list-acceptances.use-case.js';
import { ListAudit } from './list-audit.use-case.js';
import { ListSchedules } from './list-schedules.use-case.js';
import type { PatchOperations } from './patch-operations.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { RejectPatchRun } from './reject-patch-run.use-case.js';
import { RequestPatchRun } from './request-patch-run.use-case.js';
import { RevokeAcceptance } from './revoke-acceptance.use-case.js';
import { SchedulePatching } from './schedule-patching.use-case.js';
import { ViewPatchRuns } from './view-patch-runs.use-case.js';

/** PatchOperations with every optional method present. */
export type PatchOperationsImpl = Required<PatchOperations>;

export function createPatchOperations(d: PatchDependencies): PatchOperationsImpl {
  const request = new RequestPatchRun(d);
  const approve = new ApprovePatchRun(d);
  const reject = new RejectPatchRun(d);
  const cancel = new CancelPatchRun(d);
  const view = new ViewPatchRuns(d);
  const run = new ExecutePatchRun(d);
  const accept = new AcceptRisk(d);
  const acceptances = new ListAcceptances(d);
  const revoke = new RevokeAcceptance(d);
  const auditLog = new ListAudit(d);
  const schedule = new SchedulePatching(d);
  const schedules = new ListSchedules(d);
  const unschedule = new CancelSchedule(d);
  return {
    requestPatchRun: (a, r) => request.execute(a, r),
    previewPatchRun: (a, r) => request.preview(a, r),
    approvePatchRun: (a, id, c) => approve.execute(a, id, c),
    rejectPatchRun: (a, id, r) => reject.execute(a, id, r),
    cancelPatchRun: (a, id) => cancel.execute(a, id),
    getPatchRun: (a, id) => view.get(a, id),
    listPatchRuns: (a, f) => view.list(a, f),
    executePatchRun: (a, id, p) => run.execute(a, id, p),
    acceptRisk: (a, r) => accept.execute(a, r),
    listAcceptances: (a, f) => acceptances.execute(a, f),
    revokeAcceptance: (a, id) => revoke.execute(a, id),
    listAudit: (a, f) => auditLog.execute(a, f),
    schedulePatching: (a, r) => schedule.execute(a, r),
    listSchedules: (a) => schedules.execute(a),
    cancelSchedule: (a, id) => unschedule.execute(a, id),
  };
}
