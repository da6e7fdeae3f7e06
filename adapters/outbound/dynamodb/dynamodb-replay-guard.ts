/**
 * The replay guard in the state table (see DynamoDbStateStore): one item per key,
 * `REPLAY#<key>` / `REPLAY`, written with a condition that no unexpired item holds the key, and
 * an `expiresAt` attribute (epoch seconds) that the table's TTL uses to delete it later. TTL
 * deletes lazily (up to days late), so the condition also treats an expired item as absent.
 * Every Lambda instance writes to the same table: a replay sent to another instance is refused.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ReplayGuard } from '../../../ports/outbound/replay-guard.port.js';
import { conditionFailed, dynamoDbFailure } from './dynamodb-calls.js';

/** The table's TTL attribute (infra/lib/data-stack.ts turns TTL on for it). */
export const TTL_ATTRIBUTE = 'expiresAt';
const KIND = 'REPLAY';

export class DynamoDbReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, expiresAt: number): Promise<boolean> {
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.table,
        Item: { pk: { S: `${KIND}#${key}` }, sk: { S: KIND }, [TTL_ATTRIBUTE]: { N: String(Math.ceil(expiresAt / 1000)) } },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':now': { N: String(Math.floor(this.now() / 1000)) } },
      }));
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw dynamoDbFailure('PutItem', err, 'replay guard');
    }
  }
}
