import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import type { ScheduleReport } from '../../inbound/patching/schedules.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { toScheduleReport } from '../shared/operation-reports.mapper.js';
import { windowsOf } from './schedule-patching.use-case.js';

/** The patch schedules this tool created, as SSM has them now. */
export class ListSchedules {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, ValidationError (source), SourceError. */
  async execute(actor: Actor): Promise<readonly ScheduleReport[]> {
    authorize(actor, 'view');
    return (await windowsOf(this.d).list()).map(toScheduleReport);
  }
}
