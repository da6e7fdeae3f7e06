/**
 * Opens an SQLite file the way every SQLite adapter here does: created when missing, with its
 * folder, readable by the owner only (the audit log, approvals and history are nobody else's
 * business on a shared machine); write-ahead log, so readers never wait for a writer; a busy
 * timeout, so processes sharing the file wait their turn instead of failing. ":memory:" gives a
 * throwaway database.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export function openDatabase(path: string, options: { readonly busyTimeoutMs?: number } = {}): Database.Database {
  const fresh = path !== ':memory:' && !existsSync(path);
  if (fresh) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  if (fresh) chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  return db;
}
