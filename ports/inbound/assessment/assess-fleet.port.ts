/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { Mission } from '../../../domain/policy.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';

export interface AssessFleetRequest {
  /** Only this instance (id or Name tag). */
  readonly instance?: string;
  /** Keep only assets with one of these decisions. */
  readonly decisions?: readonly DecisionKind[];
  readonly missions?: readonly Mission[];
  readonly exposed?: boolean;
}
