import { MemoryHistoryStore } from '../../../../../adapters/outbound/memory/memory-history-store.js';
import { historyStoreContract } from '../../../../contract/history-store.contract.js';

describe('MemoryHistoryStore passes the HistoryStore contract', () => {
  historyStoreContract(async () => {
    const store = new MemoryHistoryStore();
    return { store, second: async () => store, cleanup: async () => {} };
  });
});
