/**
 * The state store in one SQLite file (better-sqlite3): the default for the CLI and a single
 * server. WAL journal so readers never block the writer; a busy timeout so a second process
 * waits for the lock instead of failing; every write one transaction; versions checked in the
 * UPDATE itself (`WHERE version = ?`), so a stale write changes no row and is refused.
 * The audit table is a hash chain (domain/access/audit-chain.ts) with its head in `audit_head`,
 * both moved in one transaction. Triggers refuse UPDATE and DELETE of an entry, and an INSERT
 * whose id or seq already exists (REPLACE and UPSERT delete or update the old row only after the
 * INSERT trigger has run, so they are refused too; the DELETE trigger alone would not see REPLACE,
 * which deletes without firing it unless recursive_triggers is on): append-only even to a careless
 * script. Anyone who drops the triggers can still write the file; `verifyAuditChain` shows it.
 */
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../domain/access/audit.js';
import { chainAuditEntry, plainAuditEntry, type AuditChainHead, type ChainedAuditEntry } from '../../../domain/access/audit-chain.js';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import type { AcceptanceRecord } from '../../../domain/patch/acceptance.js';
import type { PatchRun } from '../../../domain/patch/run.js';
import type { Lease } from '../../../ports/outbound/lease-store.port.js';
import type { SentCommand } from '../../../ports/outbound/patch-runner.port.js';
import type { AuditFilter, IdempotencyClaim, IdempotentRun, RunFilter, StateStore } from '../../../ports/outbound/state-store.port.js';
import { whereClause } from './where-clause.js';
import { openDatabase } from './open-database.js';

/** Bumped when the schema changes; `migrate` brings older files forward. */
export const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_time ON runs (requested_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (id),
  fingerprint TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS acceptances (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  accepted_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  target TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at DESC, seq DESC);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit (target, at DESC, seq DESC);
CREATE TABLE IF NOT EXISTS simulated_commands (
  token TEXT PRIMARY KEY,
  command_id TEXT NOT NULL,
  requested_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS leases (
  key TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_head (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
`;

/** Created after a migration has sealed older entries into the chain (it must update them once). */
const AUDIT_TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_overwrite BEFORE INSERT ON audit
  WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id OR seq = NEW.seq)
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: an entry with this id or seq exists'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_forward BEFORE UPDATE ON audit_head
  WHEN NEW.seq <> OLD.seq + 1
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its head only moves forward by one'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

export interface SqliteStateStoreOptions {
  /** How long a write waits for another process's lock before failing; default 5,000 ms. */
  readonly busyTimeoutMs?: number;
}

interface Row {
  readonly body: string;
  readonly version: number;
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function runOf(row: Row): PatchRun {
  return { ...(JSON.parse(row.body) as PatchRun), version: row.version };
}

function acceptanceOf(row: Row): AcceptanceRecord {
  return { ...(JSON.parse(row.body) as AcceptanceRecord), version: row.version };
}

export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;

  /**
   * Opens (creating when missing, with its folder, readable by the owner only) the file at
   * `path`; ":memory:" for a throwaway store.
   */
  constructor(readonly path: string, options: SqliteStateStoreOptions = {}) {
    this.db = openDatabase(path, options);
    // WAL with synchronous NORMAL is durable across a process crash (what resume relies on);
    // only a power loss may drop the last transactions.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`state file ${this.path} has schema ${version}, newer than this version of sre-ops understands (${SCHEMA_VERSION}); upgrade sre-ops`);
    }
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      if (version === 1) this.sealLegacyAudit();
      this.db.exec(AUDIT_TRIGGERS);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  }

  /**
   * Schema 1 kept entries without a chain: link them once, in the order they were written, so the
   * chain starts at the first entry ever written (the file's owner upgrading; said in docs/patching.md).
   */
  private sealLegacyAudit(): void {
    this.db.exec('DROP TRIGGER IF EXISTS audit_no_update');
    let head: AuditChainHead | null = null;
    const rows = this.db.prepare('SELECT seq, body FROM audit ORDER BY seq').all() as { seq: number; body: string }[];
    const update = this.db.prepare('UPDATE audit SET body = ? WHERE seq = ?');
    for (const row of rows) {
      const chained = chainAuditEntry(JSON.parse(row.body) as AuditEntry, head);
      update.run(JSON.stringify(chained), row.seq);
      head = { seq: chained.seq, hash: chained.hash };
    }
    if (head) this.db.prepare('INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?)').run(head.seq, head.hash);
  }

  private auditHead(): AuditChainHead | null {
    return (this.db.prepare('SELECT seq, hash FROM audit_head WHERE one = 1').get() as AuditChainHead | undefined) ?? null;
  }

  async createRun(run: PatchRun, claim: IdempotencyClaim | null): Promise<{ run: PatchRun; created: boolean; fingerprint: string | null }> {
    const stored = { ...run, version: 1 };
    return this.db.transaction(() => {
      if (claim) {
        const held = this.db.prepare('SELECT run_id, fingerprint FROM idempotency WHERE key = ?').get(claim.key) as { run_id: string; fingerprint: string } | undefined;
        if (held) return { run: this.runById(held.run_id) as PatchRun, created: false, fingerprint: held.fingerprint };
      }
      try {
        this.db.prepare('INSERT INTO runs (id, version, status, requested_at, body) VALUES (?, 1, ?, ?, ?)').run(run.id, run.status, run.requestedAt, JSON.stringify(stored));
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('STALE_VERSION', `a run with id ${run.id} already exists`, { cause: err });
        throw err;
      }
      if (claim) this.db.prepare('INSERT INTO idempotency (key, run_id, fingerprint) VALUES (?, ?, ?)').run(claim.key, run.id, claim.fingerprint);
      return { run: stored, created: true, fingerprint: claim?.fingerprint ?? null };
    }).immediate();
  }

  async findRunByIdempotencyKey(key: string): Promise<IdempotentRun | null> {
    const held = this.db.prepare('SELECT run_id, fingerprint FROM idempotency WHERE key = ?').get(key) as { run_id: string; fingerprint: string } | undefined;
    if (!held) return null;
    const run = this.runById(held.run_id);
    return run ? { run, fingerprint: held.fingerprint } : null;
  }

  private runById(id: string): PatchRun | null {
    const row = this.db.prepare('SELECT body, version FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row ? runOf(row) : null;
  }

  async getRun(id: string): Promise<PatchRun | null> {
    return this.runById(id);
  }

  async updateRun(run: PatchRun): Promise<PatchRun> {
    const next = { ...run, version: run.version + 1 };
    const changed = this.db
      .prepare('UPDATE runs SET version = ?, status = ?, body = ? WHERE id = ? AND version = ?')
      .run(next.version, next.status, JSON.stringify(next), run.id, run.version).changes;
    if (changed === 1) return next;
    const current = this.db.prepare('SELECT version FROM runs WHERE id = ?').get(run.id) as { version: number } | undefined;
    if (!current) throw new NotFoundError('patch run', run.id);
    throw new ConflictError('STALE_VERSION', `run ${run.id} was changed by someone else (version ${current.version}, not ${run.version}); read it again and retry`);
  }

  async listRuns(filter: RunFilter = {}): Promise<readonly PatchRun[]> {
    const status = filter.status ?? [];
    const limit = filter.limit ?? 50;
    const where = status.length ? `WHERE status IN (${status.map(() => '?').join(', ')})` : '';
    const rows = this.db.prepare(`SELECT body, version FROM runs ${where} ORDER BY requested_at DESC, id DESC LIMIT ?`).all(...status, limit) as Row[];
    return rows.map(runOf);
  }

  async createAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    const stored = { ...a, version: 1 };
    try {
      this.db.prepare('INSERT INTO acceptances (id, version, accepted_at, body) VALUES (?, 1, ?, ?)').run(a.id, a.acceptedAt, JSON.stringify(stored));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('STALE_VERSION', `an acceptance with id ${a.id} already exists`, { cause: err });
      throw err;
    }
    return stored;
  }

  async getAcceptance(id: string): Promise<AcceptanceRecord | null> {
    const row = this.db.prepare('SELECT body, version FROM acceptances WHERE id = ?').get(id) as Row | undefined;
    return row ? acceptanceOf(row) : null;
  }

  async updateAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    const next = { ...a, version: a.version + 1 };
    const changed = this.db.prepare('UPDATE acceptances SET version = ?, body = ? WHERE id = ? AND version = ?').run(next.version, JSON.stringify(next), a.id, a.version).changes;
    if (changed === 1) return next;
    if (!(await this.getAcceptance(a.id))) throw new NotFoundError('risk acceptance', a.id);
    throw new ConflictError('STALE_VERSION', `acceptance ${a.id} was changed by someone else; read it again and retry`);
  }

  async listAcceptances(): Promise<readonly AcceptanceRecord[]> {
    return (this.db.prepare('SELECT body, version FROM acceptances ORDER BY accepted_at DESC, id DESC').all() as Row[]).map(acceptanceOf);
  }

  async appendAudit(entry: AuditEntry): Promise<ChainedAuditEntry> {
    // IMMEDIATE: the write lock is taken before the head is read, so two processes never link
    // two entries to the same head.
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM audit WHERE id = ?').get(entry.id)) throw new ConflictError('STALE_VERSION', `an audit entry with id ${entry.id} already exists`);
      const head = this.auditHead();
      const chained = chainAuditEntry(entry, head);
      try {
        this.db.prepare('INSERT INTO audit (id, at, target, body) VALUES (?, ?, ?, ?)').run(entry.id, entry.at, entry.target, JSON.stringify(chained));
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('STALE_VERSION', `an audit entry with id ${entry.id} already exists`, { cause: err });
        throw err;
      }
      if (head) this.db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE one = 1').run(chained.seq, chained.hash);
      else this.db.prepare('INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?)').run(chained.seq, chained.hash);
      return chained;
    }).immediate();
  }

  async readAuditChain(): Promise<{ records: readonly unknown[]; head: AuditChainHead | null }> {
    const read = this.db.transaction(() => {
      const rows = this.db.prepare('SELECT seq, body FROM audit ORDER BY seq').all() as { seq: number; body: string }[];
      const records = rows.map((r): unknown => {
        try {
          return JSON.parse(r.body) as unknown;
        } catch {
          return null;
        }
      });
      return { records, head: this.auditHead() };
    });
    return read.deferred();
  }

  async listAudit(filter: AuditFilter = {}): Promise<readonly AuditEntry[]> {
    const { where, params } = whereClause([['at >= ?', filter.since], ['target = ?', filter.target]]);
    const rows = this.db.prepare(`SELECT body FROM audit ${where} ORDER BY at DESC, seq DESC LIMIT ?`).all(...params, filter.limit ?? 100) as { body: string }[];
    return rows.map((r) => plainAuditEntry(JSON.parse(r.body) as AuditEntry));
  }

  async recordSimulatedCommand(token: string, command: SentCommand): Promise<SentCommand> {
    this.db.prepare('INSERT INTO simulated_commands (token, command_id, requested_at) VALUES (?, ?, ?) ON CONFLICT (token) DO NOTHING').run(token, command.commandId, command.requestedAt);
    return (await this.findSimulatedCommand(token)) as SentCommand;
  }

  async findSimulatedCommand(token: string): Promise<SentCommand | null> {
    const row = this.db.prepare('SELECT command_id, requested_at FROM simulated_commands WHERE token = ?').get(token) as { command_id: string; requested_at: number } | undefined;
    return row ? { commandId: row.command_id, requestedAt: row.requested_at } : null;
  }

  async acquireLease(key: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    // One statement, so atomic: a new row, or the old one taken over when it is ours or lapsed.
    const changed = this.db.prepare(`INSERT INTO leases (key, holder, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`).run(key, holder, now + ttlMs, now).changes;
    return changed === 1 ? { key, holder, expiresAt: now + ttlMs } : null;
  }

  async releaseLease(key: string, holder: string): Promise<void> {
    this.db.prepare('DELETE FROM leases WHERE key = ? AND holder = ?').run(key, holder);
  }

  async heldLease(key: string, now: number): Promise<Lease | null> {
    const row = this.db.prepare('SELECT holder, expires_at FROM leases WHERE key = ? AND expires_at > ?').get(key, now) as { holder: string; expires_at: number } | undefined;
    return row ? { key, holder: row.holder, expiresAt: row.expires_at } : null;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
