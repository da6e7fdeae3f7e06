/**
 * What `autopilot status` answers: the windows the autopilot will turn into runs, and the runs it
 * made (implementation: ports/use-cases/patching/autopilot.use-case.ts; rules: domain/patch/autopilot.ts).
 */

/** A window of the plan that gets a run, not made yet. */
export interface AutopilotWindowReport {
  /** The id its run will have (derived from the window and its instances). */
  readonly runId: string;
  readonly start: string;
  readonly end: string;
  readonly instances: readonly { readonly instanceId: string; readonly name: string | null; readonly decision: string }[];
  /** The policy's standing approval approves it at its start (else a person must, by approveBy). */
  readonly standing: boolean;
  /** When the run (and its approval request) is made: approvalLeadTimeHours before the start. */
  readonly createAt: string;
  readonly approveBy: string;
}

/** A run the autopilot made. */
export interface AutopilotRunReport {
  readonly runId: string;
  readonly status: string;
  readonly start: string | null;
  readonly end: string | null;
  readonly instances: number;
  /** Who approved it: the standing approval's actor, or a person; null when nobody yet. */
  readonly approvedBy: string | null;
  /** For a missed window: which, and why. */
  readonly haltReason: string | null;
}

export interface AutopilotStatus {
  readonly enabled: boolean;
  readonly now: string;
  /** Windows whose run is due now or later, not made yet (a window whose run exists is under runs). */
  readonly due: readonly AutopilotWindowReport[];
  /** Runs the autopilot made, newest first (missed ones are cancelled, haltReason saying so). */
  readonly runs: readonly AutopilotRunReport[];
}
