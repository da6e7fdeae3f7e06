import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbHistoryStore } from '../../../adapters/outbound/dynamodb/dynamodb-history-store.js';
import { createStateTable } from '../../../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { historyStoreContract } from '../../contract/history-store.contract.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';

describe('DynamoDbHistoryStore (moto_server)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const client = (): DynamoDBClient => new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 2 });

  // Chunks of 16 KB, so the contract's large assessment spans several items, as 100,000 findings do at 350 KB.
  describe('passes the HistoryStore contract (in the state table)', () => {
    let n = 0;
    historyStoreContract(async () => {
      const table = `sre-ops-history-${++n}`;
      const first = client();
      await createStateTable(first, table);
      const clients = [first];
      return {
        store: new DynamoDbHistoryStore(first, table, { chunkBytes: 16_384 }),
        second: async () => {
          const c = client();
          clients.push(c);
          return new DynamoDbHistoryStore(c, table, { chunkBytes: 16_384 });
        },
        cleanup: async () => {
          for (const c of clients) c.destroy();
        },
      };
    });
  });
});
