/**
 * Remembers which signed requests were already taken, so that one captured request cannot be
 * replayed while its signature is still valid (Slack signs a request with a timestamp and honours
 * it for five minutes). Shared by every instance that answers requests (on Lambda, through the
 * state table), so a replay sent to another instance is refused as well.
 */
export interface ReplayGuard {
  /**
   * Records `key` (e.g. a request's signature) until `expiresAt` (epoch ms), in one atomic,
   * conditional write. Resolves true when the key was new, false when it was already recorded
   * and has not expired (a replay). Rejects when the store cannot be reached: the caller then
   * refuses the request, since it cannot tell a first request from a replay.
   */
  claim(key: string, expiresAt: number): Promise<boolean>;
}
