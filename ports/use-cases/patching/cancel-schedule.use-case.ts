import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import { NotFoundError } from '../../../domain/errors.js';
import type { ScheduleReport } from '../../inbound/patching/schedules.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audited } from '../shared/audited.js';
import { toScheduleReport } from '../shared/operation-reports.mapper.js';
import { windowsOf } from './schedule-patching.use-case.js';

/** Deletes a schedule this tool created (the window with its targets and task). */
export class CancelSchedule {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, ValidationError (source), NotFoundError, SourceError. */
  async execute(actor: Actor, windowId: string): Promise<ScheduleReport> {
    return audited(this.d, actor, 'schedule.delete', windowId, async () => {
      authorize(actor, 'schedule');
      const windows = windowsOf(this.d);
      const found = await windows.get(windowId);
      if (!found) throw new NotFoundError('patch schedule', windowId);
      await windows.remove(windowId);
      return { value: toScheduleReport(found), detail: `${found.name} ${found.schedule}` };
    });
  }
}
