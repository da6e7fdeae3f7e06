import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStateStore, SCHEMA_VERSION } from '../../../adapters/outbound/sqlite/sqlite-state-store.js';
import { verifyAuditChain } from '../../../domain/access/audit-chain.js';
import { stateStoreContract } from '../../contract/state-store.contract.js';
import { anAuditEntry } from '../../patch-builders.js';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('SqliteStateStore (temporary files)', () => {
  describe('passes the StateStore contract', () => {
    stateStoreContract(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sre-ops-sqlite-'));
      const path = join(dir, 'nested', 'state.db');
      const store = new SqliteStateStore(path);
      const others: SqliteStateStore[] = [];
      // Another connection with the append-only triggers dropped: someone editing the file.
      const raw = (): Database.Database => {
        const db = new Database(path);
        for (const t of ['audit_no_update', 'audit_no_delete', 'audit_no_overwrite']) db.exec(`DROP TRIGGER IF EXISTS ${t}`);
        return db;
      };
      const withRaw = (fn: (db: Database.Database) => void): void => {
        const db = raw();
        try {
          fn(db);
        } finally {
          db.close();
        }
      };
      return {
        store,
        tamper: {
          rewrite: async (id, change) => withRaw((db) => {
            const row = db.prepare('SELECT body FROM audit WHERE id = ?').get(id) as { body: string };
            db.prepare('UPDATE audit SET body = ? WHERE id = ?').run(JSON.stringify({ ...(JSON.parse(row.body) as object), ...change }), id);
          }),
          remove: async (id) => withRaw((db) => {
            db.prepare('DELETE FROM audit WHERE id = ?').run(id);
          }),
          forge: async (record) => withRaw((db) => {
            db.prepare('INSERT INTO audit (id, at, target, body) VALUES (?, ?, ?, ?)').run(record.id, record.at, record.target, JSON.stringify(record));
          }),
        },
        // A second connection to the same file: a second process, as far as SQLite can tell.
        second: async () => {
          const s = new SqliteStateStore(path);
          others.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of [store, ...others]) await s.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    });
  });

  describe('the file', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sre-ops-sqlite-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('is created with its folder, readable by its owner only, in WAL mode', async () => {
      const path = join(dir, 'a', 'b', 'state.db');

      const store = new SqliteStateStore(path);
      await store.close();

      expect(statSync(path).mode & 0o777).to.equal(0o600);
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
      expect(db.pragma('user_version', { simple: true })).to.equal(SCHEMA_VERSION);
      db.close();
    });

    it('refuses UPDATE and DELETE on the audit table, even from outside the store', async () => {
      const path = join(dir, 'state.db');
      const store = new SqliteStateStore(path);
      await store.appendAudit(anAuditEntry({ id: 'a-1' }));
      await store.close();

      const db = new Database(path);
      expect(() => db.prepare("UPDATE audit SET target = 'x'").run()).to.throw(/append-only/);
      expect(() => db.prepare('DELETE FROM audit').run()).to.throw(/append-only/);
      db.close();
    });

    it('refuses REPLACE, UPSERT and a second entry at a taken seq over an existing entry, and moves the head only forward', async () => {
      const path = join(dir, 'state.db');
      const store = new SqliteStateStore(path);
      await store.appendAudit(anAuditEntry({ id: 'a-1', result: 'denied', detail: 'bob may not approve' }));
      await store.close();

      const db = new Database(path);
      const forged = JSON.stringify(anAuditEntry({ id: 'a-1', result: 'ok' }));
      // REPLACE deletes the old row without firing the DELETE trigger (recursive_triggers is off).
      expect(() => db.prepare('REPLACE INTO audit (id, at, target, body) VALUES (?, ?, ?, ?)').run('a-1', 0, 'r-1', forged)).to.throw(/append-only/);
      expect(() => db.prepare('INSERT OR REPLACE INTO audit (seq, id, at, target, body) VALUES (1, ?, 0, ?, ?)').run('a-other', 'r-1', forged)).to.throw(/append-only/);
      expect(() => db.prepare('INSERT INTO audit (id, at, target, body) VALUES (?, 0, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body').run('a-1', 'r-1', forged)).to.throw(/append-only/);
      expect(() => db.prepare('UPDATE audit_head SET seq = 0').run()).to.throw(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_head').run()).to.throw(/append-only/);
      db.close();
      const again = new SqliteStateStore(path);
      const entries = await again.listAudit();
      const chain = await again.readAuditChain();
      await again.close();
      expect(entries.map((e) => [e.id, e.result])).to.deep.equal([['a-1', 'denied']]);
      expect(verifyAuditChain(chain.records, chain.head).ok).to.equal(true);
    });

    it('a REPLACE on a copy with the triggers dropped is caught by the chain', async () => {
      const path = join(dir, 'state.db');
      const store = new SqliteStateStore(path);
      await store.appendAudit(anAuditEntry({ id: 'a-1', result: 'denied' }));
      await store.appendAudit(anAuditEntry({ id: 'a-2' }));
      await store.close();

      const db = new Database(path);
      db.exec('DROP TRIGGER audit_no_overwrite; DROP TRIGGER audit_no_delete');
      const row = db.prepare("SELECT seq, body FROM audit WHERE id = 'a-1'").get() as { seq: number; body: string };
      db.prepare('REPLACE INTO audit (seq, id, at, target, body) VALUES (?, ?, ?, ?, ?)').run(row.seq, 'a-1', 0, 'r-1', JSON.stringify({ ...(JSON.parse(row.body) as object), result: 'ok' }));
      db.close();
      const again = new SqliteStateStore(path);
      const chain = await again.readAuditChain();
      await again.close();

      expect(verifyAuditChain(chain.records, chain.head).firstBreak).to.deep.include({ id: 'a-1', seq: 1 });
    });

    it('seals the entries of a schema-1 file into the chain, in the order they were written, when it is opened', async () => {
      const path = join(dir, 'state.db');
      const v1 = new Database(path);
      v1.exec(`CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL, target TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`);
      for (const id of ['a-old-1', 'a-old-2']) v1.prepare('INSERT INTO audit (id, at, target, body) VALUES (?, 0, ?, ?)').run(id, 'r-1', JSON.stringify(anAuditEntry({ id })));
      v1.pragma('user_version = 1');
      v1.close();

      const store = new SqliteStateStore(path);
      await store.appendAudit(anAuditEntry({ id: 'a-new' }));
      const chain = await store.readAuditChain();
      await store.close();

      expect(chain.records.map((r) => (r as { id: string }).id)).to.deep.equal(['a-old-1', 'a-old-2', 'a-new']);
      expect(verifyAuditChain(chain.records, chain.head)).to.deep.include({ ok: true, entries: 3 });
    });

    it('refuses a file written by a newer schema instead of corrupting it', async () => {
      const path = join(dir, 'state.db');
      const db = new Database(path);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();

      expect(() => new SqliteStateStore(path)).to.throw(/newer than this version/);
    });

    it('keeps what was written across a reopen (durable state for resume)', async () => {
      const path = join(dir, 'state.db');
      const first = new SqliteStateStore(path);
      await first.appendAudit(anAuditEntry({ id: 'a-kept' }));
      await first.close();

      const again = new SqliteStateStore(path);
      const entries = await again.listAudit();
      await again.close();

      expect(entries.map((e) => e.id)).to.deep.equal(['a-kept']);
    });
  });
});
