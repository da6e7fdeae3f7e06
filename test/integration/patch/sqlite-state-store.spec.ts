import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStateStore, SCHEMA_VERSION } from '../../../adapters/outbound/sqlite/sqlite-state-store.js';
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
      return {
        store,
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
