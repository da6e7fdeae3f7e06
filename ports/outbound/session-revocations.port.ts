/**
 * Console sessions that were ended before they expired (logout), shared by every task that
 * serves the console: a session cookie is signed, so any task can check its signature and
 * expiry alone, but only a shared record tells every task that its person logged out. A record
 * is kept until the session would have expired anyway; after that the expiry refuses it.
 */
export interface SessionRevocations {
  /** Records that the session `id` is ended, until `expiresAt` (epoch ms). Idempotent. */
  revoke(id: string, expiresAt: number): Promise<void>;
  /**
   * True when the session `id` was revoked and the record has not expired. Rejects when the store
   * cannot be reached: the caller then refuses the session, since it cannot tell.
   */
  isRevoked(id: string): Promise<boolean>;
}
