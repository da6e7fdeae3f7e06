/**
 * Revoked console sessions in this process's memory: right for one process (a local `serve`
 * without a state file, the tests), not for several tasks (use the SQLite file or the state
 * table there). Bounded: expired records are dropped as new ones arrive, and past MAX the oldest.
 */
import type { SessionRevocations } from '../../../ports/outbound/session-revocations.port.js';

const MAX = 10_000;

export class MemorySessionRevocations implements SessionRevocations {
  private readonly revoked = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async revoke(id: string, expiresAt: number): Promise<void> {
    const now = this.now();
    for (const [k, until] of this.revoked) if (until <= now) this.revoked.delete(k);
    if (this.revoked.size >= MAX) this.revoked.delete(this.revoked.keys().next().value as string);
    this.revoked.set(id, expiresAt);
  }

  async isRevoked(id: string): Promise<boolean> {
    const until = this.revoked.get(id);
    return until !== undefined && until > this.now();
  }
}
