import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import { ValidationError } from '../../../domain/errors.js';
import { findInstance } from '../../../domain/instance-lookup.js';
import { scheduleSpec } from '../../../domain/patch/schedule.js';
import type { MaintenanceWindows } from '../../outbound/maintenance-window.port.js';
import type { ScheduleReport, ScheduleRequest } from '../../inbound/patching/schedules.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audited } from '../shared/audited.js';
import { hex } from '../shared/request-checks.js';
import { toScheduleReport } from '../shared/operation-reports.mapper.js';

/** The maintenance windows, or the reason this source has none. */
export function windowsOf(d: PatchDependencies): MaintenanceWindows {
  if (!d.windows) throw new ValidationError('source', 'aws (schedules live in SSM maintenance windows)', d.unavailable);
  return d.windows;
}

/**
 * Schedules recurring patching: an SSM maintenance window with the instances (or a patch group)
 * as targets and a RUN_COMMAND task running AWS-RunPatchBaseline Install, rollout limits and the
 * stop alarm from policy.
 */
export class SchedulePatching {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, ValidationError, NotFoundError / AmbiguousError (instance), SourceError. */
  async execute(actor: Actor, request: ScheduleRequest): Promise<ScheduleReport> {
    return audited(this.d, actor, 'schedule.create', request.name ?? request.patchGroup ?? (request.instances ?? []).join(', '), async () => {
      authorize(actor, 'schedule');
      const assets = request.instances?.length ? await this.d.core.assets.listAssets() : [];
      const instanceIds = (request.instances ?? []).map((q) => findInstance(assets, q).instanceId);
      const token = this.d.newId();
      const spec = scheduleSpec({
        instanceIds,
        ...(request.patchGroup !== undefined ? { patchGroup: request.patchGroup } : {}),
        schedule: request.schedule,
        ...(request.durationHours !== undefined ? { durationHours: request.durationHours } : {}),
        ...(request.cutoffHours !== undefined ? { cutoffHours: request.cutoffHours } : {}),
        ...(request.reboot !== undefined ? { reboot: request.reboot } : {}),
        ...(request.name !== undefined ? { name: request.name } : {}),
        actor,
        policy: this.d.core.policy,
        suffix: hex(token, 8),
      });
      // The spec is checked before the source: a bad schedule is the caller's to fix on any source.
      const created = await windowsOf(this.d).create(spec, token);
      return { value: toScheduleReport(created), target: created.windowId, detail: `${created.name} ${created.schedule} ${created.durationHours} h on ${created.targets.join(', ')}` };
    });
  }
}
