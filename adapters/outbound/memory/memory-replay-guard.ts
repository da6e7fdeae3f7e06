/**
 * The replay guard in this process's memory: right for one process that sees every request (a
 * local run, the tests), not for several Lambda instances (use the DynamoDB guard there).
 * Expired keys are dropped as new ones arrive, so memory stays bounded by the traffic of the window.
 */
import type { ReplayGuard } from '../../../ports/outbound/replay-guard.port.js';

export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    if (this.seen.has(key)) return false;
    this.seen.set(key, expiresAt);
    return true;
  }
}
