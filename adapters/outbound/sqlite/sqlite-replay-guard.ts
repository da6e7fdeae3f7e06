/**
 * The replay guard in an SQLite file (the state file of a single server or a local run): a
 * `replay_guard` table keyed by the request's key. A claim is one INSERT that takes the key only
 * when it is absent or expired (an upsert whose update is conditional on the expiry), so two
 * processes sharing the file cannot both take it.
 */
import type Database from 'better-sqlite3';
import type { ReplayGuard } from '../../../ports/outbound/replay-guard.port.js';
import { openDatabase } from './open-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS replay_guard (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS replay_guard_by_expiry ON replay_guard (expires_at);
`;

export class SqliteReplayGuard implements ReplayGuard {
  private readonly db: Database.Database;
  private readonly take: Database.Statement<[string, number, number]>;
  private readonly sweep: Database.Statement<[number]>;

  /** Opens (creating when missing, readable by the owner only) the file at `path`. */
  constructor(path: string, private readonly now: () => number = Date.now) {
    this.db = openDatabase(path);
    this.db.exec(SCHEMA);
    // Inserted when absent; when present, replaced only if expired. `changes` tells which happened.
    this.take = this.db.prepare('INSERT INTO replay_guard (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE replay_guard.expires_at <= ?');
    this.sweep = this.db.prepare('DELETE FROM replay_guard WHERE expires_at <= ?');
  }

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    const taken = this.take.run(key, expiresAt, now).changes === 1;
    if (taken) this.sweep.run(now);
    return taken;
  }

  close(): void {
    this.db.close();
  }
}
