/** What the patch use cases are built from, beside the core's read ports. */
import type { Clock } from '../../outbound/clock.port.js';
import type { MaintenanceWindows } from '../../outbound/maintenance-window.port.js';
import type { PatchRunner, Sleeper } from '../../outbound/patch-runner.port.js';
import type { StateStore } from '../../outbound/state-store.port.js';
import type { RunProgressPoster } from '../../outbound/run-progress-poster.port.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';

export interface PatchDependencies {
  /** Inventory, findings, patch states and metrics: planning and verification read these. */
  readonly core: CoreDependencies;
  readonly store: StateStore;
  /** null when the source cannot execute runs (a snapshot); `unavailable` says why. */
  readonly runner: PatchRunner | null;
  /** null when the source cannot schedule (demo, snapshot); `unavailable` says why. */
  readonly windows: MaintenanceWindows | null;
  /** Why runner or windows is missing, for the error a person reads. */
  readonly unavailable: string;
  /**
   * The real time, for audit entries, approvals and waits. Not the core clock, which a demo or
   * `--now` may have stopped at an instant for reproducible assessments.
   */
  readonly clock: Clock;
  readonly sleep: Sleeper;
  /** A random unique id (a UUID): run, acceptance and audit ids are made from it. */
  readonly newId: () => string;
  /** Where the executor posts progress of runs requested in chat; absent: nowhere. */
  readonly progressPoster?: RunProgressPoster | null;
}
