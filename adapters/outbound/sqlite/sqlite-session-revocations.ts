/**
 * Revoked console sessions in an SQLite file (the state file several `serve` processes on one
 * machine share): a `console_revoked_sessions` table keyed by the session id, with its expiry.
 * A logout in one process is seen by the next request to any other; expired rows are swept on
 * each revocation.
 */
import type Database from 'better-sqlite3';
import type { SessionRevocations } from '../../../ports/outbound/session-revocations.port.js';
import { openDatabase } from './open-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS console_revoked_sessions (
  id TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS console_revoked_sessions_by_expiry ON console_revoked_sessions (expires_at);
`;

export class SqliteSessionRevocations implements SessionRevocations {
  private readonly db: Database.Database;
  private readonly put: Database.Statement<[string, number]>;
  private readonly get: Database.Statement<[string, number], { one: number }>;
  private readonly sweep: Database.Statement<[number]>;

  /** Opens (creating when missing, readable by the owner only) the file at `path`. */
  constructor(path: string, private readonly now: () => number = Date.now) {
    this.db = openDatabase(path);
    this.db.exec(SCHEMA);
    this.put = this.db.prepare('INSERT INTO console_revoked_sessions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)');
    this.get = this.db.prepare('SELECT 1 AS one FROM console_revoked_sessions WHERE id = ? AND expires_at > ?');
    this.sweep = this.db.prepare('DELETE FROM console_revoked_sessions WHERE expires_at <= ?');
  }

  async revoke(id: string, expiresAt: number): Promise<void> {
    this.sweep.run(this.now());
    this.put.run(id, expiresAt);
  }

  async isRevoked(id: string): Promise<boolean> {
    return this.get.get(id, this.now()) !== undefined;
  }

  close(): void {
    this.db.close();
  }
}
