/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
export interface AcceptRiskRequest {
  readonly vulnerabilityId: string;
  /** An instance id or Name tag; absent or null for the whole fleet. */
  readonly instance?: string | null;
  /** ISO date or date-time; must be in the future. */
  readonly until: string;
  readonly reason: string;
  /** Accept even when no finding on the instance (or in the fleet) is known by this id now. */
  readonly force?: boolean;
}

export interface AcceptanceReport {
  readonly id: string;
  readonly vulnerabilityId: string;
  readonly instanceId: string | null;
  readonly reason: string;
  readonly acceptedBy: string;
  readonly acceptedAt: string;
  readonly until: string;
  readonly expired: boolean;
  /** Set when the acceptance was revoked (until is then the moment of revocation). */
  readonly revokedBy?: string | null;
  readonly revokedAt?: string | null;
}
