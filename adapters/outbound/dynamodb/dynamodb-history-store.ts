/**
 * The history in the state table (DynamoDB), in items of its own beside the state store's:
 *
 * - an assessment's header `ASSESSMENT#<id>`/`ASSESSMENT` (counts as JSON in `header`, the number
 *   of body chunks, `gsi1pk` ASSESSMENT and `gsi1sk` time#id so the index lists them newest first);
 * - its body, the compact encoding of domain/history/record-codec.ts compressed with Brotli, cut
 *   into chunks under DynamoDB's 400 KB item limit: `ASSESSMENT#<id>`/`CHUNK#00000` ... (binary);
 * - an alert claim `ALERT#<key>`/`ALERT`, written on condition that it does not exist, so of two
 *   collectors only one posts.
 *
 * The chunks are written before the header and the header on condition that it does not exist:
 * an assessment is listed only when all of it is there, and recording it twice changes nothing.
 */
import {
  BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SourceError } from '../../../domain/errors.js';
import { headerOf, type AssessmentHeader, type AssessmentRecord } from '../../../domain/history/assessment-record.js';
import { decodeRecord, encodeRecord } from '../../../domain/history/record-codec.js';
import type { HistoryFilter, HistoryStore } from '../../../ports/outbound/history-store.port.js';
import { compressRecord, decompressRecord } from '../shared/record-compression.js';
import { call, conditionFailed } from './dynamodb-calls.js';

type Item = Record<string, AttributeValue>;

const ASSESSMENT = 'ASSESSMENT';
const ALERT = 'ALERT';
const GSI = 'gsi1';
/** Under the 400 KB item limit with room for the keys. */
export const CHUNK_BYTES = 350_000;

const iso = (t: number): string => new Date(t).toISOString();
const s = (v: string): AttributeValue => ({ S: v });
const n = (v: number): AttributeValue => ({ N: String(v) });

export class DynamoDbHistoryStore implements HistoryStore {
  private readonly chunkBytes: number;

  /** `chunkBytes`: the size of a body chunk (default CHUNK_BYTES; tests make it small). */
  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
    options: { readonly chunkBytes?: number } = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  }

  async recordAssessment(record: AssessmentRecord): Promise<AssessmentHeader> {
    const pk = s(`${ASSESSMENT}#${record.id}`);
    const existing = await this.header(record.id);
    if (existing) return existing;
    const header = headerOf(record);
    const body = compressRecord(encodeRecord(record));
    const chunks = Math.max(1, Math.ceil(body.length / this.chunkBytes));
    for (let k = 0; k < chunks; k++) {
      const part = body.subarray(k * this.chunkBytes, (k + 1) * this.chunkBytes);
      await call('PutItem', () => this.client.send(new PutItemCommand({ TableName: this.table, Item: { pk, sk: s(`CHUNK#${String(k).padStart(5, '0')}`), body: { B: part } } })));
    }
    try {
      await call('PutItem', () =>
        this.client.send(new PutItemCommand({
          TableName: this.table,
          Item: { pk, sk: s(ASSESSMENT), at: n(record.at), chunks: n(chunks), bytes: n(body.length), header: s(JSON.stringify(header)), gsi1pk: s(ASSESSMENT), gsi1sk: s(`${iso(record.at)}#${record.id}`) },
          ConditionExpression: 'attribute_not_exists(pk)',
        })),
      );
      return header;
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      return (await this.header(record.id)) ?? header;
    }
  }

  private async items(id: string): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await call('Query', () =>
        this.client.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': s(`${ASSESSMENT}#${id}`) }, ConsistentRead: true, ExclusiveStartKey: start })),
      );
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private async header(id: string): Promise<AssessmentHeader | null> {
    const page = await call('Query', () =>
      this.client.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': s(`${ASSESSMENT}#${id}`), ':sk': s(ASSESSMENT) }, ConsistentRead: true,
      })),
    );
    const text = page.Items?.[0]?.header?.S;
    return text ? (JSON.parse(text) as AssessmentHeader) : null;
  }

  private async index(kind: string, filter: HistoryFilter): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    const lo = filter.since !== undefined ? iso(filter.since) : null;
    // "#" sorts after the ISO instant, "~" after any id: the whole of `until`'s millisecond.
    const hi = filter.until !== undefined ? `${iso(filter.until)}#~` : null;
    const key = lo !== null && hi !== null ? 'gsi1pk = :k AND gsi1sk BETWEEN :lo AND :hi' : lo !== null ? 'gsi1pk = :k AND gsi1sk >= :lo' : hi !== null ? 'gsi1pk = :k AND gsi1sk <= :hi' : 'gsi1pk = :k';
    const values: Item = { ':k': s(kind), ...(lo !== null ? { ':lo': s(lo) } : {}), ...(hi !== null ? { ':hi': s(hi) } : {}) };
    do {
      const page = await call('Query', () =>
        this.client.send(new QueryCommand({
          TableName: this.table, IndexName: GSI, KeyConditionExpression: key, ExpressionAttributeValues: values, ScanIndexForward: false, ExclusiveStartKey: start,
          ...(filter.limit !== undefined ? { Limit: Math.max(1, filter.limit - out.length) } : {}),
        })),
      );
      out.push(...(page.Items ?? []));
      if (filter.limit !== undefined && out.length >= filter.limit) return out.slice(0, filter.limit);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async listAssessments(filter: HistoryFilter = {}): Promise<readonly AssessmentHeader[]> {
    if (filter.limit === 0) return [];
    return (await this.index(ASSESSMENT, filter)).map((i) => JSON.parse(i.header?.S ?? 'null') as AssessmentHeader).filter((h) => h !== null);
  }

  async getAssessment(id: string): Promise<AssessmentRecord | null> {
    const items = await this.items(id);
    const head = items.find((i) => i.sk?.S === ASSESSMENT);
    if (!head) return null;
    const chunks = items
      .filter((i) => i.sk?.S?.startsWith('CHUNK#'))
      .sort((a, b) => ((a.sk?.S ?? '') < (b.sk?.S ?? '') ? -1 : 1))
      .map((i) => i.body?.B ?? new Uint8Array());
    if (chunks.length !== Number(head.chunks?.N ?? 0)) throw new SourceError('dynamodb', 'Query', `recorded assessment ${id} has ${chunks.length} of its ${head.chunks?.N ?? '?'} chunks`);
    return decodeRecord(decompressRecord(Buffer.concat(chunks)));
  }

  private async deleteAll(keys: Item[]): Promise<void> {
    for (let k = 0; k < keys.length; k += 25) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteItemCommand>[0]['RequestItems']> = { [this.table]: keys.slice(k, k + 25).map((Key) => ({ DeleteRequest: { Key } })) };
      for (let attempt = 0; Object.keys(requests).length && attempt < 10; attempt++) {
        const out = await call('BatchWriteItem', () => this.client.send(new BatchWriteItemCommand({ RequestItems: requests })));
        requests = out.UnprocessedItems ?? {};
      }
    }
  }

  async pruneHistory(before: number): Promise<number> {
    const old = await this.index(ASSESSMENT, { until: before - 1 });
    for (const head of old) {
      const id = (head.pk?.S ?? '').slice(ASSESSMENT.length + 1);
      // The header first: a half-deleted assessment is no longer listed.
      await call('DeleteItem', () => this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: head.pk as AttributeValue, sk: s(ASSESSMENT) } })));
      await this.deleteAll((await this.items(id)).map((i) => ({ pk: i.pk as AttributeValue, sk: i.sk as AttributeValue })));
    }
    const claims = await this.index(ALERT, { until: before - 1 });
    await this.deleteAll(claims.map((i) => ({ pk: i.pk as AttributeValue, sk: i.sk as AttributeValue })));
    return old.length;
  }

  async claimAlert(key: string, at: number): Promise<boolean> {
    try {
      await call('PutItem', () =>
        this.client.send(new PutItemCommand({
          TableName: this.table,
          Item: { pk: s(`${ALERT}#${key}`), sk: s(ALERT), at: n(at), gsi1pk: s(ALERT), gsi1sk: s(`${iso(at)}#${key}`) },
          ConditionExpression: 'attribute_not_exists(pk)',
        })),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async releaseAlert(key: string): Promise<void> {
    await call('DeleteItem', () => this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: s(`${ALERT}#${key}`), sk: s(ALERT) } })));
  }

  async close(): Promise<void> {
    // The client belongs to the caller.
  }
}
