import { MemoryStateStore } from '../../fakes/memory-state-store.js';
import { stateStoreContract } from '../../contract/state-store.contract.js';

// The use-case tests run over this fake; holding it to the contract keeps them honest.
describe('MemoryStateStore (test fake) passes the StateStore contract', () => {
  stateStoreContract(async () => {
    const store = new MemoryStateStore();
    return { store, second: async () => store, cleanup: async () => {} };
  });
});
