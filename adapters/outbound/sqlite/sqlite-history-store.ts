/**
 * The history in the state file (SQLite), in tables of its own beside the state store's:
 * `assessments` (one row an assessment: its header as JSON, its findings as the compact
 * encoding of domain/history/record-codec.ts compressed with Brotli) and `alert_claims` (the
 * alerts already posted; the primary key makes a claim atomic across processes). Its own
 * connection to the file (WAL: readers never block the state store's writer).
 */
import type Database from 'better-sqlite3';
import { headerOf, type AssessmentHeader, type AssessmentRecord } from '../../../domain/history/assessment-record.js';
import { decodeRecord, encodeRecord } from '../../../domain/history/record-codec.js';
import type { HistoryFilter, HistoryStore } from '../../../ports/outbound/history-store.port.js';
import { compressRecord, decompressRecord } from '../shared/record-compression.js';
import { whereClause } from './where-clause.js';
import { openDatabase } from './open-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS assessments (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  header TEXT NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS assessments_by_time ON assessments (at DESC, id DESC);
CREATE TABLE IF NOT EXISTS alert_claims (
  key TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_claims_by_time ON alert_claims (at);
`;

export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Database.Database;

  constructor(readonly path: string, options: { readonly busyTimeoutMs?: number } = {}) {
    this.db = openDatabase(path, options);
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  async recordAssessment(record: AssessmentRecord): Promise<AssessmentHeader> {
    const header = headerOf(record);
    const body = compressRecord(encodeRecord(record));
    this.db.prepare('INSERT INTO assessments (id, at, header, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING').run(record.id, record.at, JSON.stringify(header), body);
    const held = this.db.prepare('SELECT header FROM assessments WHERE id = ?').get(record.id) as { header: string };
    return JSON.parse(held.header) as AssessmentHeader;
  }

  async listAssessments(filter: HistoryFilter = {}): Promise<readonly AssessmentHeader[]> {
    const { where, params } = whereClause([['at >= ?', filter.since], ['at <= ?', filter.until]]);
    const limit = filter.limit === undefined ? '' : `LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    const rows = this.db.prepare(`SELECT header FROM assessments ${where} ORDER BY at DESC, id DESC ${limit}`).all(...params) as { header: string }[];
    return rows.map((r) => JSON.parse(r.header) as AssessmentHeader);
  }

  async getAssessment(id: string): Promise<AssessmentRecord | null> {
    const row = this.db.prepare('SELECT body FROM assessments WHERE id = ?').get(id) as { body: Buffer } | undefined;
    return row ? decodeRecord(decompressRecord(row.body)) : null;
  }

  /** Stored bytes of one assessment (the benchmark's measure). */
  storedBytes(id: string): number {
    const row = this.db.prepare('SELECT length(body) + length(header) AS n FROM assessments WHERE id = ?').get(id) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  async pruneHistory(before: number): Promise<number> {
    return this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM assessments WHERE at < ?').run(before).changes;
      this.db.prepare('DELETE FROM alert_claims WHERE at < ?').run(before);
      return n;
    }).immediate();
  }

  async claimAlert(key: string, at: number): Promise<boolean> {
    return this.db.prepare('INSERT INTO alert_claims (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, at).changes === 1;
  }

  async releaseAlert(key: string): Promise<void> {
    this.db.prepare('DELETE FROM alert_claims WHERE key = ?').run(key);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
