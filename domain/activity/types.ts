/** The review of CloudTrail events (docs/decision-model.md "Activity"). */
import type { ChangeEvent } from '../inputs.js';

/** Why an event is worth a look: root user, sensitive call, an error code, an unknown network. */
export type FlagKind = 'root' | 'sensitive-call' | 'error' | 'unknown-network';

/** One reason to look at an event, as a sentence a person reads. */
export interface ActivityFlag {
  readonly kind: FlagKind;
  readonly reason: string;
}

/** An event with its flags; no flags: nothing to look at. */
export interface ReviewedEvent {
  readonly event: ChangeEvent;
  readonly flags: readonly ActivityFlag[];
}

/** Every event reviewed, newest first. */
export interface ActivitySummary {
  readonly events: readonly ReviewedEvent[];
  /** Events reviewed. */
  readonly total: number;
  /** Events with at least one flag. */
  readonly flagged: number;
}
