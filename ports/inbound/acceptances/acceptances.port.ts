/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
export interface AcceptRiskRequest {
  readonly vulnerabilityId: string;
  /**
   * An instance id or Name tag, or ACCOUNT/REGION/ID on an organization read (an id two accounts
   * hold is refused as ambiguous); absent or null for the whole fleet.
   */
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
  /**
   * The instance's account and region, when the acceptance records them: it then applies to that
   * instance only, not to the same id in another account. Absent: it applies by id.
   */
  readonly accountId?: string;
  readonly region?: string;
  readonly reason: string;
  readonly acceptedBy: string;
  readonly acceptedAt: string;
  readonly until: string;
  readonly expired: boolean;
  /** Set when the acceptance was revoked (until is then the moment of revocation). */
  readonly revokedBy?: string | null;
  readonly revokedAt?: string | null;
}
