/**
 * Who is asking. Every use case that changes anything takes an Actor and checks its roles itself
 * (not only the adapters), so no surface can forget a check.
 */
export type Role = 'viewer' | 'operator' | 'approver' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'approver', 'admin'];

export interface Actor {
  /** Stable identity: an OS user, an API key's name, "slack:U123", "teams:29:abc". */
  readonly id: string;
  /** A name for people, if different from the id. */
  readonly displayName?: string;
  readonly roles: readonly Role[];
  /** The surface the request came through, for the audit log. */
  readonly via: 'cli' | 'http' | 'slack' | 'teams' | 'mcp' | 'library';
}
