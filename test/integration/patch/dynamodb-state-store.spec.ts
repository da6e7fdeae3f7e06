import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { createStateTable, DynamoDbStateStore } from '../../../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { SourceError } from '../../../domain/errors.js';
import { stateStoreContract } from '../../contract/state-store.contract.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { startSerialProxy, type SerialProxy } from '../../support/serial-proxy.js';

describe('DynamoDbStateStore (moto_server)', function () {
  this.timeout(30_000);
  const moto = useMoto();
  const client = (): DynamoDBClient => new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 2 });
  // The contract's clients reach moto one request at a time, as DynamoDB applies them (see
  // test/support/serial-proxy.ts: moto's threads do not isolate a conditional write).
  let proxy: SerialProxy | undefined;
  before(async () => {
    proxy = await startSerialProxy(moto.endpoint);
  });
  after(async () => {
    await proxy?.close();
  });
  const serialClient = (): DynamoDBClient => new DynamoDBClient({ endpoint: proxy?.endpoint ?? moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 2 });

  describe('passes the StateStore contract', () => {
    let n = 0;
    stateStoreContract(async () => {
      // moto is reset before each test; a fresh table each time keeps tests independent anyway.
      const table = `sre-ops-state-${++n}`;
      const first = serialClient();
      await createStateTable(first, table);
      const clients = [first];
      const itemKey = (id: string) => ({ pk: { S: `AUDIT#${id}` }, sk: { S: 'AUDIT' } });
      return {
        store: new DynamoDbStateStore(first, table),
        // Plain SDK writes without the store's conditions: anyone with write access to the table.
        tamper: {
          rewrite: async (id, change) => {
            const { Item } = await first.send(new GetItemCommand({ TableName: table, Key: itemKey(id), ConsistentRead: true }));
            const body = { ...(JSON.parse(Item?.body?.S ?? '{}') as object), ...change };
            await first.send(new PutItemCommand({ TableName: table, Item: { ...Item, body: { S: JSON.stringify(body) } } }));
          },
          remove: async (id) => {
            await first.send(new DeleteItemCommand({ TableName: table, Key: itemKey(id) }));
          },
          forge: async (record) => {
            const id = String(record.id);
            await first.send(new PutItemCommand({
              TableName: table,
              Item: { ...itemKey(id), target: { S: String(record.target) }, body: { S: JSON.stringify(record) }, gsi1pk: { S: 'AUDIT' }, gsi1sk: { S: `${new Date(Number(record.at)).toISOString()}#${id}` } },
            }));
          },
        },
        // A second client: its own connection pool, as a second Lambda would have.
        second: async () => {
          const c = serialClient();
          clients.push(c);
          return new DynamoDbStateStore(c, table);
        },
        cleanup: async () => {
          for (const c of clients) c.destroy();
        },
      };
    });
  });

  it('names the table and the operation when the table does not exist', async () => {
    const c = client();
    const store = new DynamoDbStateStore(c, 'no-such-table');

    const err = await store.getRun('r-1').catch((e: unknown) => e);
    c.destroy();

    expect(err).to.be.instanceOf(SourceError);
    expect((err as SourceError).message).to.match(/dynamodb:GetItem failed \(ResourceNotFoundException\)/);
  });
});
