import type { ChangeEvent } from '../inputs.js';

export type FlagKind = 'root' | 'sensitive-call' | 'error' | 'unknown-network';

export interface ActivityFlag {
  readonly kind: FlagKind;
  readonly reason: string;
}

export interface ReviewedEvent {
  readonly event: ChangeEvent;
  readonly flags: readonly ActivityFlag[];
}

export interface ActivitySummary {
  readonly events: readonly ReviewedEvent[];
  readonly total: number;
  readonly flagged: number;
}
