/**
 * Revoked console sessions in the state table (see DynamoDbStateStore), shared by every Fargate
 * task: one item per session, `SESSION#<id>` / `REVOKED`, with an `expiresAt` attribute (epoch
 * seconds) that the table's TTL uses to delete it later. TTL deletes lazily, so a read also
 * treats an expired item as absent. Reads are strongly consistent: a logout is seen by the next
 * request to any task.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SessionRevocations } from '../../../ports/outbound/session-revocations.port.js';
import { dynamoDbFailure } from './dynamodb-calls.js';
import { TTL_ATTRIBUTE } from './dynamodb-replay-guard.js';

const KIND = 'REVOKED';

export class DynamoDbSessionRevocations implements SessionRevocations {
  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  private key(id: string): Record<string, { S: string }> {
    return { pk: { S: `SESSION#${id}` }, sk: { S: KIND } };
  }

  async revoke(id: string, expiresAt: number): Promise<void> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.table, Item: { ...this.key(id), [TTL_ATTRIBUTE]: { N: String(Math.ceil(expiresAt / 1000)) } } }));
    } catch (err) {
      throw dynamoDbFailure('PutItem', err, 'console sessions');
    }
  }

  async isRevoked(id: string): Promise<boolean> {
    let item;
    try {
      ({ Item: item } = await this.client.send(new GetItemCommand({ TableName: this.table, Key: this.key(id), ConsistentRead: true })));
    } catch (err) {
      throw dynamoDbFailure('GetItem', err, 'console sessions');
    }
    const until = Number(item?.[TTL_ATTRIBUTE]?.N ?? 0) * 1000;
    return item !== undefined && until > this.now();
  }
}
