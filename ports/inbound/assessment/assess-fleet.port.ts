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
  /** Keep only assets in these AWS accounts (12-digit ids; assets that carry no account are left out). */
  readonly accounts?: readonly string[];
  /** Keep only assets in these regions (assets that carry no region are left out). */
  readonly regions?: readonly string[];
}
