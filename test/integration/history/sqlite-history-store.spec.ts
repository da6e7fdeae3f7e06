import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SqliteHistoryStore } from '../../../adapters/outbound/sqlite/sqlite-history-store.js';
import { SqliteStateStore } from '../../../adapters/outbound/sqlite/sqlite-state-store.js';
import { historyStoreContract } from '../../contract/history-store.contract.js';
import { aRecord } from '../../history-builders.js';
import { anAcceptanceRecord } from '../../patch-builders.js';

describe('SqliteHistoryStore (temporary files)', () => {
  describe('passes the HistoryStore contract', () => {
    historyStoreContract(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sre-ops-history-'));
      const path = join(dir, 'nested', 'state.db');
      const stores = [new SqliteHistoryStore(path)];
      return {
        store: stores[0] as SqliteHistoryStore,
        second: async () => {
          const s = new SqliteHistoryStore(path);
          stores.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of stores) await s.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    });
  });

  it('lives in the state file beside the state store, each keeping its own tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-ops-history-'));
    const path = join(dir, 'state.db');
    try {
      const state = new SqliteStateStore(path);
      const history = new SqliteHistoryStore(path);
      await state.createAcceptance(anAcceptanceRecord());
      await history.recordAssessment(aRecord());
      await state.close();
      await history.close();

      const again = new SqliteStateStore(path);
      const historyAgain = new SqliteHistoryStore(path);
      expect(await again.listAcceptances()).to.have.length(1);
      expect(await historyAgain.listAssessments()).to.have.length(1);
      await again.close();
      await historyAgain.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
