import type { AuditEntry } from '../../domain/access/audit.js';
import type { AuditChainHead, ChainedAuditEntry } from '../../domain/access/audit-chain.js';
import type { AcceptanceRecord } from '../../domain/patch/acceptance.js';
import type { PatchRun, RunStatus } from '../../domain/patch/run.js';
import type { Instant } from '../../domain/time.js';
import type { AcceptanceStore } from './acceptance-store.port.js';
import type { LeaseStore } from './lease-store.port.js';
import type { SimulatedCommandLog } from './patch-runner.port.js';

/** Which runs to list. */
export interface RunFilter {
  /** Only runs in one of these states; all when absent or empty. */
  readonly status?: readonly RunStatus[];
  /** At most this many (newest first); default 50. */
  readonly limit?: number;
}

/** Which audit entries to list. */
export interface AuditFilter {
  /** At most this many (newest first); default 100. */
  readonly limit?: number;
  /** Only entries at or after this instant. */
  readonly since?: Instant;
  /** Only entries about this target (a run id, an acceptance id ...). */
  readonly target?: string;
}

/** An idempotency key claimed by a new run, with what the request looked like. */
export interface IdempotencyClaim {
  readonly key: string;
  readonly fingerprint: string;
}

/** A run stored under an idempotency key, with the fingerprint of the request that made it. */
export interface IdempotentRun {
  readonly run: PatchRun;
  readonly fingerprint: string;
}

/**
 * The durable state of patch operations: runs (each with a version for optimistic concurrency,
 * approvals inside the run they approve), risk acceptances, an append-only audit log and
 * idempotency keys. Every write is atomic, and a write based on a stale version is refused, so
 * concurrent writers (two approvers, an executor and a cancel) never lose an update: the loser
 * reads again and retries or gives up.
 *
 * Also the demo's SimulatedCommandLog (its simulated sends, by token; first write wins), and the core's AcceptanceStore: `listAcceptances` returns every stored acceptance (expired
 * and revoked ones too; the domain ignores those by their `until`), and the executors' leases
 * (LeaseStore: one executor drives a run at a time).
 */
export interface StateStore extends AcceptanceStore, SimulatedCommandLog, LeaseStore {
  /**
   * Stores a new run at version 1. With a claim, the key is taken in the same atomic write; when
   * the key is already taken, nothing is written and the run that holds it is returned with
   * `created` false (the caller compares fingerprints).
   * @throws ConflictError STALE_VERSION when a run with this id already exists.
   */
  createRun(run: PatchRun, claim: IdempotencyClaim | null): Promise<{ readonly run: PatchRun; readonly created: boolean; readonly fingerprint: string | null }>;
  /** The run holding an idempotency key, or null. */
  findRunByIdempotencyKey(key: string): Promise<IdempotentRun | null>;
  getRun(id: string): Promise<PatchRun | null>;
  /**
   * Replaces a run if its stored version is still `run.version`; stores it as version + 1 and
   * returns it so.
   * @throws ConflictError STALE_VERSION when someone else wrote it since; NotFoundError.
   */
  updateRun(run: PatchRun): Promise<PatchRun>;
  /** Runs, newest request first. */
  listRuns(filter?: RunFilter): Promise<readonly PatchRun[]>;

  /** Stores a new acceptance at version 1. @throws ConflictError when the id exists. */
  createAcceptance(acceptance: AcceptanceRecord): Promise<AcceptanceRecord>;
  getAcceptance(id: string): Promise<AcceptanceRecord | null>;
  /** Like updateRun, for an acceptance. @throws ConflictError STALE_VERSION; NotFoundError. */
  updateAcceptance(acceptance: AcceptanceRecord): Promise<AcceptanceRecord>;
  /** Every acceptance, newest first. */
  listAcceptances(): Promise<readonly AcceptanceRecord[]>;

  /**
   * Appends one entry at the end of the hash chain (domain/access/audit-chain.ts): in one atomic
   * write it links the entry to the current head (`chainAuditEntry`), stores it under a condition
   * that its id does not exist, and moves the head; a concurrent append makes it re-link and
   * retry. Entries are never changed or removed.
   * @returns the entry as stored, with its link. @throws ConflictError when the id exists.
   */
  appendAudit(entry: AuditEntry): Promise<ChainedAuditEntry>;
  /** Entries, newest first. */
  listAudit(filter?: AuditFilter): Promise<readonly AuditEntry[]>;
  /**
   * Every audit record in chain order (by seq), as stored and unvalidated (a forged or damaged
   * row comes back as it is, for `verifyAuditChain` to name), and the head recorded beside them.
   */
  readAuditChain(): Promise<{ readonly records: readonly unknown[]; readonly head: AuditChainHead | null }>;

  /** Releases the connection (file handle, sockets). */
  close(): Promise<void>;
}
