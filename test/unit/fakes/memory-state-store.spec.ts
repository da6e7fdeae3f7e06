import type { ChainedAuditEntry } from '../../../domain/access/audit-chain.js';
import { MemoryStateStore } from '../../fakes/memory-state-store.js';
import { stateStoreContract } from '../../contract/state-store.contract.js';

// The use-case tests run over this fake; holding it to the contract keeps them honest.
describe('MemoryStateStore (test fake) passes the StateStore contract', () => {
  stateStoreContract(async () => {
    const store = new MemoryStateStore();
    const at = (id: string): number => store.audit.findIndex((e) => e.id === id);
    return {
      store,
      second: async () => store,
      tamper: {
        rewrite: async (id, change) => {
          store.audit[at(id)] = { ...(store.audit[at(id)] as ChainedAuditEntry), ...change } as ChainedAuditEntry;
        },
        remove: async (id) => {
          store.audit.splice(at(id), 1);
        },
        forge: async (record) => {
          store.audit.push(record as unknown as ChainedAuditEntry);
        },
      },
      cleanup: async () => {},
    };
  });
});
