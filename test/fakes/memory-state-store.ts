/**
 * An in-memory StateStore for use-case tests. It passes the same contract suite as the SQLite and
 * DynamoDB stores (test/unit/fakes/memory-state-store.spec.ts), so a use-case test over it says
 * something about the real ones. Records are copied in and out, as a real store serialises them.
 */
import type { AuditEntry } from '../../domain/access/audit.js';
import { chainAuditEntry, plainAuditEntry, type AuditChainHead, type ChainedAuditEntry } from '../../domain/access/audit-chain.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { AcceptanceRecord } from '../../domain/patch/acceptance.js';
import type { PatchRun } from '../../domain/patch/run.js';
import type { Lease } from '../../ports/outbound/lease-store.port.js';
import type { SentCommand } from '../../ports/outbound/patch-runner.port.js';
import type { AuditFilter, IdempotencyClaim, IdempotentRun, RunFilter, StateStore } from '../../ports/outbound/state-store.port.js';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class MemoryStateStore implements StateStore {
  readonly runs = new Map<string, PatchRun>();
  readonly keys = new Map<string, { runId: string; fingerprint: string }>();
  readonly acceptances = new Map<string, AcceptanceRecord>();
  /** The chain in order; tests may tamper with it (the chain's verification must then say so). */
  readonly audit: ChainedAuditEntry[] = [];
  head: AuditChainHead | null = null;

  async createRun(run: PatchRun, claim: IdempotencyClaim | null): Promise<{ run: PatchRun; created: boolean; fingerprint: string | null }> {
    if (claim) {
      const held = this.keys.get(claim.key);
      if (held) return { run: copy(this.runs.get(held.runId) as PatchRun), created: false, fingerprint: held.fingerprint };
    }
    if (this.runs.has(run.id)) throw new ConflictError('STALE_VERSION', `a run with id ${run.id} already exists`);
    const stored = { ...copy(run), version: 1 };
    this.runs.set(run.id, stored);
    if (claim) this.keys.set(claim.key, { runId: run.id, fingerprint: claim.fingerprint });
    return { run: copy(stored), created: true, fingerprint: claim?.fingerprint ?? null };
  }

  async findRunByIdempotencyKey(key: string): Promise<IdempotentRun | null> {
    const held = this.keys.get(key);
    return held ? { run: copy(this.runs.get(held.runId) as PatchRun), fingerprint: held.fingerprint } : null;
  }

  async getRun(id: string): Promise<PatchRun | null> {
    const r = this.runs.get(id);
    return r ? copy(r) : null;
  }

  async updateRun(run: PatchRun): Promise<PatchRun> {
    const current = this.runs.get(run.id);
    if (!current) throw new NotFoundError('patch run', run.id);
    if (current.version !== run.version) throw new ConflictError('STALE_VERSION', `run ${run.id} was changed by someone else`);
    const next = { ...copy(run), version: run.version + 1 };
    this.runs.set(run.id, next);
    return copy(next);
  }

  async listRuns(filter: RunFilter = {}): Promise<readonly PatchRun[]> {
    const status = filter.status ?? [];
    return [...this.runs.values()]
      .filter((r) => status.length === 0 || status.includes(r.status))
      .sort((a, b) => b.requestedAt - a.requestedAt || (a.id < b.id ? 1 : -1))
      .slice(0, filter.limit ?? 50)
      .map(copy);
  }

  async createAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    if (this.acceptances.has(a.id)) throw new ConflictError('STALE_VERSION', `an acceptance with id ${a.id} already exists`);
    const stored = { ...copy(a), version: 1 };
    this.acceptances.set(a.id, stored);
    return copy(stored);
  }

  async getAcceptance(id: string): Promise<AcceptanceRecord | null> {
    const a = this.acceptances.get(id);
    return a ? copy(a) : null;
  }

  async updateAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    const current = this.acceptances.get(a.id);
    if (!current) throw new NotFoundError('risk acceptance', a.id);
    if (current.version !== a.version) throw new ConflictError('STALE_VERSION', `acceptance ${a.id} was changed by someone else`);
    const next = { ...copy(a), version: a.version + 1 };
    this.acceptances.set(a.id, next);
    return copy(next);
  }

  async listAcceptances(): Promise<readonly AcceptanceRecord[]> {
    return [...this.acceptances.values()].sort((a, b) => b.acceptedAt - a.acceptedAt || (a.id < b.id ? 1 : -1)).map(copy);
  }

  async appendAudit(entry: AuditEntry): Promise<ChainedAuditEntry> {
    if (this.audit.some((e) => e.id === entry.id)) throw new ConflictError('STALE_VERSION', `an audit entry with id ${entry.id} already exists`);
    const chained = chainAuditEntry(entry, this.head);
    this.audit.push(copy(chained));
    this.head = { seq: chained.seq, hash: chained.hash };
    return copy(chained);
  }

  async readAuditChain(): Promise<{ records: readonly unknown[]; head: AuditChainHead | null }> {
    return { records: this.audit.map(copy), head: this.head ? { ...this.head } : null };
  }

  async listAudit(filter: AuditFilter = {}): Promise<readonly AuditEntry[]> {
    return this.audit
      .map((e, seq) => ({ e, seq }))
      .filter(({ e }) => (filter.since === undefined || e.at >= filter.since) && (filter.target === undefined || e.target === filter.target))
      .sort((a, b) => b.e.at - a.e.at || b.seq - a.seq)
      .slice(0, filter.limit ?? 100)
      .map(({ e }) => plainAuditEntry(e));
  }

  readonly simulated = new Map<string, SentCommand>();
  async recordSimulatedCommand(token: string, command: SentCommand): Promise<SentCommand> {
    const held = this.simulated.get(token);
    if (held) return copy(held);
    this.simulated.set(token, copy(command));
    return copy(command);
  }
  async findSimulatedCommand(token: string): Promise<SentCommand | null> {
    const held = this.simulated.get(token);
    return held ? copy(held) : null;
  }

  readonly leases = new Map<string, Lease>();
  async acquireLease(key: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    const held = this.leases.get(key);
    if (held && held.holder !== holder && held.expiresAt > now) return null;
    const lease = { key, holder, expiresAt: now + ttlMs };
    this.leases.set(key, lease);
    return { ...lease };
  }
  async releaseLease(key: string, holder: string): Promise<void> {
    if (this.leases.get(key)?.holder === holder) this.leases.delete(key);
  }
  async heldLease(key: string, now: number): Promise<Lease | null> {
    const held = this.leases.get(key);
    return held && held.expiresAt > now ? { ...held } : null;
  }

  async close(): Promise<void> {}
}
