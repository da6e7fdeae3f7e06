import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import { ValidationError } from '../../../domain/errors.js';
import { RUN_TRANSITIONS, type RunStatus } from '../../../domain/patch/run.js';
import type { PatchRunReport, PatchRunStatus } from '../../inbound/patching/patch-runs.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { checkLimit } from '../shared/request-checks.js';
import { loadRun } from './run-records.js';
import { toRunReport } from '../shared/operation-reports.mapper.js';

const STATUSES = Object.keys(RUN_TRANSITIONS) as RunStatus[];

/** Reads runs: one by id, or a list newest first (any role that may view). */
export class ViewPatchRuns {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, NotFoundError. */
  async get(actor: Actor, runId: string): Promise<PatchRunReport> {
    authorize(actor, 'view');
    return toRunReport(await loadRun(this.d, runId), this.d.clock.now());
  }

  /** @throws ForbiddenError, ValidationError (status, limit). */
  async list(actor: Actor, filter: { status?: readonly PatchRunStatus[]; limit?: number } = {}): Promise<readonly PatchRunReport[]> {
    authorize(actor, 'view');
    const status = filter.status ?? [];
    const bad = status.find((s) => !STATUSES.includes(s));
    if (bad !== undefined) throw new ValidationError('status', `one of ${STATUSES.join(', ')}`, `status: expected one of ${STATUSES.join(', ')}, got ${JSON.stringify(bad)}`);
    const limit = checkLimit(filter.limit, 50, 1000);
    const now = this.d.clock.now();
    return (await this.d.store.listRuns({ status, limit })).map((r) => toRunReport(r, now));
  }
}
