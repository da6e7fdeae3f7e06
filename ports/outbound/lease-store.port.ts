import type { Instant } from '../../domain/time.js';

/** A time-limited right to do something alone (drive one patch run): who holds it, until when. */
export interface Lease {
  readonly key: string;
  readonly holder: string;
  readonly expiresAt: Instant;
}

/**
 * Leases kept beside the records they guard, so that two processes (two service tasks, a task
 * and a person's `sre-ops run`) never drive one run at once, and a process that dies hands its
 * work over when its lease lapses. Every operation is one atomic write (an SQLite statement, a
 * DynamoDB conditional write).
 */
export interface LeaseStore {
  /**
   * Takes the lease on `key` for `holder` until `now + ttlMs` when nobody holds it, its holder's
   * time has passed (`expiresAt <= now`), or `holder` holds it already (a renewal).
   * @returns the lease as stored, or null while another holder's lease lasts.
   */
  acquireLease(key: string, holder: string, now: Instant, ttlMs: number): Promise<Lease | null>;
  /** Ends `holder`'s lease on `key` at once; nothing when someone else holds it (or nobody). */
  releaseLease(key: string, holder: string): Promise<void>;
  /** The lease on `key` that holds at `now`, or null when it is free. */
  heldLease(key: string, now: Instant): Promise<Lease | null>;
}
