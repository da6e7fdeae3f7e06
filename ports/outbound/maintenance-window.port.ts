import type { ScheduleSpec } from '../../domain/patch/schedule.js';

/** A patch schedule as it stands at the service. */
export interface PatchSchedule {
  readonly windowId: string;
  readonly name: string;
  readonly schedule: string;
  readonly durationHours: number;
  readonly cutoffHours: number;
  /** "i-0abc", or "tag:Patch Group=web" for a patch group. */
  readonly targets: readonly string[];
  readonly enabled: boolean;
}

/**
 * Scheduled patching through SSM maintenance windows: a window, its targets and a RUN_COMMAND task
 * running AWS-RunPatchBaseline. Only windows this tool created (named with SCHEDULE_PREFIX) are
 * listed or deleted.
 */
export interface MaintenanceWindows {
  /**
   * Creates the window, registers the targets and the task; on a failure part-way, deletes the
   * window again so nothing half-made is left.
   * @param clientToken makes a retried create return the same window instead of a second one.
   * @throws SourceError
   */
  create(spec: ScheduleSpec, clientToken: string): Promise<PatchSchedule>;
  list(): Promise<readonly PatchSchedule[]>;
  /** The schedule, or null when no window of this tool has that id. */
  get(windowId: string): Promise<PatchSchedule | null>;
  /** Deletes the window with its targets and task. @throws SourceError */
  remove(windowId: string): Promise<void>;
}
