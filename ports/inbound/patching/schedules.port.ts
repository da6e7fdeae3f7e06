/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
export interface ScheduleRequest {
  /** Instance ids or Name tags, or a patch group tag value. */
  readonly instances?: readonly string[];
  readonly patchGroup?: string;
  /** A cron or rate expression as SSM maintenance windows take it, e.g. "cron(0 3 ? * SUN *)". */
  readonly schedule: string;
  readonly durationHours?: number;
  readonly cutoffHours?: number;
  readonly reboot?: 'if-needed' | 'never';
  readonly name?: string;
}

export interface ScheduleReport {
  readonly windowId: string;
  readonly name: string;
  readonly schedule: string;
  readonly durationHours: number;
  readonly cutoffHours: number;
  readonly targets: readonly string[];
  readonly enabled: boolean;
}
