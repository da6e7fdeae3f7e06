/**
 * Who is asking. Every use case that changes anything takes an Actor and checks its roles itself
 * (not only the adapters), so no surface can forget a check.
 *
 * An actor is either an authenticated principal (an API key's name, a verified Slack or Teams
 * user, the AWS principal of STS GetCallerIdentity, the OS user on a local store) or a claim: a
 * name someone asserted (`--actor bob`), recorded with the principal that asserted it
 * ("bob, claimed by root"). A claim never counts as a second person outside the demo source
 * (domain/patch/run.ts, approveRun).
 */
export type Role = 'viewer' | 'operator' | 'approver' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'approver', 'admin'];

export interface Actor {
  /** Stable identity: an OS user, an API key's name, "slack:U123", "teams:29:abc". */
  readonly id: string;
  /** A name for people, if different from the id. */
  readonly displayName?: string;
  readonly roles: readonly Role[];
  /**
   * The surface the request came through, for the audit log; `executor` for the service's own
   * patch executor, `autopilot` for runs the plan's windows made, `policy` for the policy's
   * standing approval (never a person).
   */
  readonly via: 'cli' | 'http' | 'slack' | 'teams' | 'mcp' | 'library' | 'executor' | 'autopilot' | 'policy';
  /** Set when `id` is a claim: the authenticated principal that asserted it. */
  readonly claimedBy?: string;
}

/** The source on which a claimed identity counts as a person (the synthetic demo fleet). */
export const CLAIMS_COUNT_ON = 'demo';

/** The authenticated principal behind an actor: the claimer of a claim, else the actor itself. */
export function principalOf(actor: Actor): string {
  return actor.claimedBy ?? actor.id;
}

/** How an actor is recorded: "bob", or "bob, claimed by root" for a claim. */
export function actorLabel(actor: Actor): string {
  return actor.claimedBy !== undefined ? `${actor.id}, claimed by ${actor.claimedBy}` : actor.id;
}

/** What an asserted name may look like: no spaces or shell punctuation, at most 128 characters. */
export const CLAIM_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:+=,/-]{0,127}$/;
export const CLAIM_NAME_RULE = 'a name of 1 to 128 letters, digits and . _ @ : + = , / - (starting with a letter or digit)';
