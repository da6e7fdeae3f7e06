/** The patch use cases behind the PatchOperations contract. */
import { AcceptRisk } from '../acceptances/accept-risk.use-case.js';
import { ApprovePatchRun } from './approve-patch-run.use-case.js';
import { CancelPatchRun } from './cancel-patch-run.use-case.js';
import { CancelSchedule } from './cancel-schedule.use-case.js';
import { ExecutePatchRun } from './execute-patch-run.use-case.js';
import { ListAcceptances } from '../acceptances/list-acceptances.use-case.js';
import { ListAudit, VerifyAudit } from '../audit/list-audit.use-case.js';
import { ListSchedules } from './list-schedules.use-case.js';
import type { PatchOperations } from '../../inbound/patch-operations.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { RejectPatchRun } from './reject-patch-run.use-case.js';
import { RequestPatchRun } from './request-patch-run.use-case.js';
import { RevokeAcceptance } from '../acceptances/revoke-acceptance.use-case.js';
import { SchedulePatching } from './schedule-patching.use-case.js';
import { ViewPatchRuns } from './view-patch-runs.use-case.js';
import { EXECUTOR_ACTOR, RunPatchExecutor } from './patch-executor.use-case.js';
import { RunAutopilot } from './autopilot.use-case.js';
import type { PatchExecutor, PatchExecutorOptions } from '../../inbound/patching/patch-executor.port.js';

/** PatchOperations with every optional method present. */
export type PatchOperationsImpl = Required<PatchOperations>;

/** The thirteen patch use cases, as the container builds them (composition/container.ts). */
export interface PatchUseCases {
  readonly request: RequestPatchRun;
  readonly approve: ApprovePatchRun;
  readonly reject: RejectPatchRun;
  readonly cancel: CancelPatchRun;
  readonly view: ViewPatchRuns;
  readonly run: ExecutePatchRun;
  readonly accept: AcceptRisk;
  readonly acceptances: ListAcceptances;
  readonly revoke: RevokeAcceptance;
  readonly auditLog: ListAudit;
  readonly auditChain: VerifyAudit;
  readonly schedule: SchedulePatching;
  readonly schedules: ListSchedules;
  readonly unschedule: CancelSchedule;
  /** The autopilot, for its status (the executor builds its own, with its holder). */
  readonly autopilot: RunAutopilot;
  /** Builds the service's executor (not started). */
  readonly executor: (options: PatchExecutorOptions) => PatchExecutor;
}

/** The PatchOperations facade over the patch use cases. */
export function patchOperationsFrom(u: PatchUseCases): PatchOperationsImpl {
  return {
    requestPatchRun: (a, r, o) => u.request.execute(a, r, o),
    previewPatchRun: (a, r) => u.request.preview(a, r),
    threadPatchRun: (a, id, t) => u.request.thread(a, id, t),
    approvePatchRun: (a, id, c) => u.approve.execute(a, id, c),
    rejectPatchRun: (a, id, r) => u.reject.execute(a, id, r),
    cancelPatchRun: (a, id) => u.cancel.execute(a, id),
    getPatchRun: (a, id) => u.view.get(a, id),
    listPatchRuns: (a, f) => u.view.list(a, f),
    executePatchRun: (a, id, p) => u.run.execute(a, id, p),
    acceptRisk: (a, r) => u.accept.execute(a, r),
    listAcceptances: (a, f) => u.acceptances.execute(a, f),
    revokeAcceptance: (a, id) => u.revoke.execute(a, id),
    listAudit: (a, f) => u.auditLog.execute(a, f),
    verifyAudit: (a) => u.auditChain.execute(a),
    schedulePatching: (a, r) => u.schedule.execute(a, r),
    listSchedules: (a) => u.schedules.execute(a),
    cancelSchedule: (a, id) => u.unschedule.execute(a, id),
    autopilotStatus: (a) => u.autopilot.status(a),
    patchExecutor: (o) => u.executor(o),
  };
}

/** Every patch use case over one set of dependencies, without a container (tests). */
export function createPatchOperations(d: PatchDependencies): PatchOperationsImpl {
  return patchOperationsFrom({
    request: new RequestPatchRun(d), approve: new ApprovePatchRun(d), reject: new RejectPatchRun(d), cancel: new CancelPatchRun(d),
    view: new ViewPatchRuns(d), run: new ExecutePatchRun(d), accept: new AcceptRisk(d), acceptances: new ListAcceptances(d),
    revoke: new RevokeAcceptance(d), auditLog: new ListAudit(d), auditChain: new VerifyAudit(d), schedule: new SchedulePatching(d), schedules: new ListSchedules(d),
    unschedule: new CancelSchedule(d), autopilot: new RunAutopilot(d, 'status'),
    executor: (o) => new RunPatchExecutor(d, new ExecutePatchRun(d), o, EXECUTOR_ACTOR, new RunAutopilot(d, o.holder, o.onError)),
  });
}
