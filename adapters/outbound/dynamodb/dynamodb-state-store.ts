/**
 * The state store in one DynamoDB table, for the Lambdas and the Fargate service.
 *
 * Items (pk, sk): a run `RUN#<id>`/`RUN`, an idempotency key `IDEMPOTENCY#<key>`/`IDEMPOTENCY`,
 * an acceptance `ACCEPTANCE#<id>`/`ACCEPTANCE`, an audit entry `AUDIT#<id>`/`AUDIT`, the audit
 * chain's head `AUDITHEAD`/`AUDITHEAD` (seq and hash of the last entry), a demo's simulated
 * command `SIMULATED#<token>`/`SIMULATED`, an executor's lease `LEASE#<key>`/`LEASE` (holder,
 * expiresAt; taken and released by conditional PutItem, so no other permission). Each carries
 * its JSON in `body`, a `version` (runs, acceptances), and `gsi1pk` (its kind) / `gsi1sk` (time,
 * then id) so the `gsi1` index lists a kind newest first. Gets are strongly consistent; lists read
 * the index, which may lag a write by a moment (DynamoDB indexes are eventually consistent).
 *
 * Every write is conditional: a new item must not exist; a changed one must still have the
 * version it was read at. A new run and its idempotency key go in one TransactWriteItems, so a key
 * never points at a run that was not written, nor a run exist whose key was lost. An audit entry
 * and the move of the chain's head go in one TransactWriteItems: the entry on condition that its
 * key does not exist, the head on condition that it is still the one the entry was linked to.
 */
import {
  CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand,
  type TransactionCanceledException, type AttributeValue, type DynamoDBClient, type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { AuditEntry } from '../../../domain/access/audit.js';
import { chainAuditEntry, plainAuditEntry, type AuditChainHead, type ChainedAuditEntry } from '../../../domain/access/audit-chain.js';
import { ConflictError, NotFoundError, SourceError } from '../../../domain/errors.js';
import type { AcceptanceRecord } from '../../../domain/patch/acceptance.js';
import type { PatchRun } from '../../../domain/patch/run.js';
import type { Lease } from '../../../ports/outbound/lease-store.port.js';
import type { SentCommand } from '../../../ports/outbound/patch-runner.port.js';
import type { AuditFilter, IdempotencyClaim, IdempotentRun, RunFilter, StateStore } from '../../../ports/outbound/state-store.port.js';
import { call, conditionFailed, transactionCancelled } from './dynamodb-calls.js';

type Item = Record<string, AttributeValue>;

export const GSI = 'gsi1';

const RUN = 'RUN';
const KEY = 'IDEMPOTENCY';
const ACCEPTANCE = 'ACCEPTANCE';
const AUDIT = 'AUDIT';
const AUDIT_HEAD = 'AUDITHEAD';
const SIMULATED = 'SIMULATED';
const LEASE = 'LEASE';
/** Appends that lose the race for the head this many times in a row give up with a conflict. */
const AUDIT_RETRIES = 20;

function iso(t: number): string {
  return new Date(t).toISOString();
}

function s(v: string): AttributeValue {
  return { S: v };
}

function n(v: number): AttributeValue {
  return { N: String(v) };
}

function str(item: Item, name: string): string {
  const v = item[name]?.S;
  if (v === undefined) throw new SourceError('dynamodb', null, `state table item ${item.pk?.S ?? '?'} lacks ${name}`);
  return v;
}

function num(item: Item, name: string): number {
  const v = item[name]?.N;
  if (v === undefined) throw new SourceError('dynamodb', null, `state table item ${item.pk?.S ?? '?'} lacks ${name}`);
  return Number(v);
}

function key(kind: string, id: string): Item {
  return { pk: s(`${kind}#${id}`), sk: s(kind) };
}

/** Which items of a cancelled transaction failed their condition (by position). */
function failedConditions(err: TransactionCanceledException): boolean[] {
  return (err.CancellationReasons ?? []).map((r) => r.Code === 'ConditionalCheckFailed');
}

/**
 * Audit records in chain order: by the seq each carries (one without sorts last, where
 * verification names it); the index's time order is not the chain's.
 */
function chainOrder(items: readonly Item[]): unknown[] {
  const records = items.map((i): unknown => {
    try {
      return JSON.parse(i.body?.S ?? 'null') as unknown;
    } catch {
      return null;
    }
  });
  const seqOf = (r: unknown): number => {
    const v = typeof r === 'object' && r !== null ? (r as { seq?: unknown }).seq : undefined;
    return typeof v === 'number' && Number.isInteger(v) ? v : Number.POSITIVE_INFINITY;
  };
  return records.map((r, i) => ({ r, i })).sort((a, b) => seqOf(a.r) - seqOf(b.r) || a.i - b.i).map(({ r }) => r);
}

export class DynamoDbStateStore implements StateStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
  ) {}

  async createRun(run: PatchRun, claim: IdempotencyClaim | null): Promise<{ run: PatchRun; created: boolean; fingerprint: string | null }> {
    const stored = { ...run, version: 1 };
    const runItem: Item = {
      ...key(RUN, run.id), version: n(1), status: s(run.status), body: s(JSON.stringify(stored)),
      gsi1pk: s(RUN), gsi1sk: s(`${iso(run.requestedAt)}#${run.id}`),
    };
    const putRun = { TableName: this.table, Item: runItem, ConditionExpression: 'attribute_not_exists(pk)' };
    if (!claim) {
      try {
        await call('PutItem', () => this.client.send(new PutItemCommand(putRun)));
      } catch (err) {
        if (conditionFailed(err)) throw new ConflictError('STALE_VERSION', `a run with id ${run.id} already exists`, { cause: err });
        throw err;
      }
      return { run: stored, created: true, fingerprint: null };
    }
    try {
      await call('TransactWriteItems', () =>
        this.client.send(new TransactWriteItemsCommand({
          TransactItems: [
            { Put: putRun },
            {
              Put: {
                TableName: this.table,
                Item: { ...key(KEY, claim.key), runId: s(run.id), fingerprint: s(claim.fingerprint) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        })),
      );
      return { run: stored, created: true, fingerprint: claim.fingerprint };
    } catch (err) {
      if (!transactionCancelled(err)) throw err;
      // Cancelled: the key is taken (the usual case) or, far less likely, the run id is.
      const held = await this.findRunByIdempotencyKey(claim.key);
      if (held) return { run: held.run, created: false, fingerprint: held.fingerprint };
      throw new ConflictError('STALE_VERSION', `run ${run.id} could not be created (a concurrent write); retry`, { cause: err });
    }
  }

  async findRunByIdempotencyKey(k: string): Promise<IdempotentRun | null> {
    const item = await this.get(key(KEY, k));
    if (!item) return null;
    const run = await this.getRun(str(item, 'runId'));
    return run ? { run, fingerprint: str(item, 'fingerprint') } : null;
  }

  private async get(k: Item): Promise<Item | null> {
    const out = await call('GetItem', () => this.client.send(new GetItemCommand({ TableName: this.table, Key: k, ConsistentRead: true })));
    return out.Item ?? null;
  }

  async getRun(id: string): Promise<PatchRun | null> {
    const item = await this.get(key(RUN, id));
    return item ? this.runOf(item) : null;
  }

  private runOf(item: Item): PatchRun {
    return { ...(JSON.parse(str(item, 'body')) as PatchRun), version: num(item, 'version') };
  }

  async updateRun(run: PatchRun): Promise<PatchRun> {
    const next = { ...run, version: run.version + 1 };
    try {
      await call('PutItem', () =>
        this.client.send(new PutItemCommand({
          TableName: this.table,
          Item: {
            ...key(RUN, run.id), version: n(next.version), status: s(next.status), body: s(JSON.stringify(next)),
            gsi1pk: s(RUN), gsi1sk: s(`${iso(run.requestedAt)}#${run.id}`),
          },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': n(run.version) },
        })),
      );
      return next;
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      const current = await this.get(key(RUN, run.id));
      if (!current) throw new NotFoundError('patch run', run.id);
      throw new ConflictError('STALE_VERSION', `run ${run.id} was changed by someone else (version ${num(current, 'version')}, not ${run.version}); read it again and retry`, { cause: err });
    }
  }

  /** Pages through the index, newest first, until `limit` items pass `keep`. */
  private async query(kind: string, limit: number, keep: (item: Item) => boolean, since?: number, filter?: Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeValues' | 'ExpressionAttributeNames'>): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    const values: Item = { ':kind': s(kind), ...(since !== undefined ? { ':since': s(iso(since)) } : {}), ...(filter?.ExpressionAttributeValues ?? {}) };
    do {
      const page = await call('Query', () =>
        this.client.send(new QueryCommand({
          TableName: this.table,
          IndexName: GSI,
          KeyConditionExpression: since !== undefined ? 'gsi1pk = :kind AND gsi1sk >= :since' : 'gsi1pk = :kind',
          ExpressionAttributeValues: values,
          ...(filter?.FilterExpression ? { FilterExpression: filter.FilterExpression } : {}),
          ...(filter?.ExpressionAttributeNames ? { ExpressionAttributeNames: filter.ExpressionAttributeNames } : {}),
          ScanIndexForward: false,
          // Without a filter, read no more than is asked for; with one, pages of that size.
          ...(Number.isFinite(limit) ? { Limit: Math.min(Math.max(limit - out.length, 25), 1000) } : {}),
          ExclusiveStartKey: start,
        })),
      );
      for (const item of page.Items ?? []) {
        if (keep(item)) out.push(item);
        if (out.length >= limit) return out;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async listRuns(filter: RunFilter = {}): Promise<readonly PatchRun[]> {
    const status = new Set<string>(filter.status ?? []);
    const items = await this.query(RUN, filter.limit ?? 50, (item) => status.size === 0 || status.has(str(item, 'status')));
    return items.map((i) => this.runOf(i));
  }

  async createAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    const stored = { ...a, version: 1 };
    try {
      await call('PutItem', () =>
        this.client.send(new PutItemCommand({
          TableName: this.table,
          Item: { ...key(ACCEPTANCE, a.id), version: n(1), body: s(JSON.stringify(stored)), gsi1pk: s(ACCEPTANCE), gsi1sk: s(`${iso(a.acceptedAt)}#${a.id}`) },
          ConditionExpression: 'attribute_not_exists(pk)',
        })),
      );
    } catch (err) {
      if (conditionFailed(err)) throw new ConflictError('STALE_VERSION', `an acceptance with id ${a.id} already exists`, { cause: err });
      throw err;
    }
    return stored;
  }

  private acceptanceOf(item: Item): AcceptanceRecord {
    return { ...(JSON.parse(str(item, 'body')) as AcceptanceRecord), version: num(item, 'version') };
  }

  async getAcceptance(id: string): Promise<AcceptanceRecord | null> {
    const item = await this.get(key(ACCEPTANCE, id));
    return item ? this.acceptanceOf(item) : null;
  }

  async updateAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    const next = { ...a, version: a.version + 1 };
    try {
      await call('PutItem', () =>
        this.client.send(new PutItemCommand({
          TableName: this.table,
          Item: { ...key(ACCEPTANCE, a.id), version: n(next.version), body: s(JSON.stringify(next)), gsi1pk: s(ACCEPTANCE), gsi1sk: s(`${iso(a.acceptedAt)}#${a.id}`) },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': n(a.version) },
        })),
      );
      return next;
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      if (!(await this.get(key(ACCEPTANCE, a.id)))) throw new NotFoundError('risk acceptance', a.id);
      throw new ConflictError('STALE_VERSION', `acceptance ${a.id} was changed by someone else; read it again and retry`, { cause: err });
    }
  }

  async listAcceptances(): Promise<readonly AcceptanceRecord[]> {
    return (await this.query(ACCEPTANCE, Number.POSITIVE_INFINITY, () => true)).map((i) => this.acceptanceOf(i));
  }

  private async auditHead(): Promise<AuditChainHead | null> {
    const item = await this.get({ pk: s(AUDIT_HEAD), sk: s(AUDIT_HEAD) });
    return item ? { seq: num(item, 'seq'), hash: str(item, 'hash') } : null;
  }

  async appendAudit(entry: AuditEntry): Promise<ChainedAuditEntry> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.auditHead();
      const chained = chainAuditEntry(entry, head);
      try {
        await call('TransactWriteItems', () =>
          this.client.send(new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...key(AUDIT, entry.id), seq: n(chained.seq), target: s(entry.target), body: s(JSON.stringify(chained)),
                    gsi1pk: s(AUDIT), gsi1sk: s(`${iso(entry.at)}#${entry.id}`),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { pk: s(AUDIT_HEAD), sk: s(AUDIT_HEAD), seq: n(chained.seq), hash: s(chained.hash) },
                  ...(head
                    ? { ConditionExpression: '#seq = :seq AND #hash = :hash', ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' }, ExpressionAttributeValues: { ':seq': n(head.seq), ':hash': s(head.hash) } }
                    : { ConditionExpression: 'attribute_not_exists(pk)' }),
                },
              },
            ],
          })),
        );
        return chained;
      } catch (err) {
        if (!transactionCancelled(err)) throw err;
        const [entryTaken] = failedConditions(err);
        if (entryTaken || (await this.get(key(AUDIT, entry.id)))) throw new ConflictError('STALE_VERSION', `an audit entry with id ${entry.id} already exists`, { cause: err });
        // Another writer moved the head first: link to the new head and try again.
        if (attempt >= AUDIT_RETRIES) throw new ConflictError('STALE_VERSION', `audit entry ${entry.id} could not be appended: the log's head kept moving (${AUDIT_RETRIES} tries); retry`, { cause: err });
      }
    }
  }

  /**
   * Reads the head, every entry (through the index), and the head again, until both heads agree,
   * so an append while reading does not look like a removal. The index may lag a write by a
   * moment: an entry appended just before may be missing, and shows as removed until it arrives.
   */
  async readAuditChain(): Promise<{ records: readonly unknown[]; head: AuditChainHead | null }> {
    for (let attempt = 0; ; attempt++) {
      const before = await this.auditHead();
      const items = await this.query(AUDIT, Number.POSITIVE_INFINITY, () => true);
      const after = await this.auditHead();
      if (attempt < 5 && (before?.seq !== after?.seq || before?.hash !== after?.hash)) continue;
      return { records: chainOrder(items), head: after };
    }
  }

  async listAudit(filter: AuditFilter = {}): Promise<readonly AuditEntry[]> {
    const items = await this.query(
      AUDIT,
      filter.limit ?? 100,
      () => true,
      filter.since,
      filter.target !== undefined ? { FilterExpression: '#target = :target', ExpressionAttributeNames: { '#target': 'target' }, ExpressionAttributeValues: { ':target': s(filter.target) } } : undefined,
    );
    return items.map((i) => plainAuditEntry(JSON.parse(str(i, 'body')) as AuditEntry));
  }

  async recordSimulatedCommand(token: string, command: SentCommand): Promise<SentCommand> {
    try {
      await call('PutItem', () =>
        this.client.send(new PutItemCommand({
          TableName: this.table,
          Item: { ...key(SIMULATED, token), commandId: s(command.commandId), requestedAt: n(command.requestedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        })),
      );
      return command;
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      return (await this.findSimulatedCommand(token)) as SentCommand;
    }
  }

  async findSimulatedCommand(token: string): Promise<SentCommand | null> {
    const item = await this.get(key(SIMULATED, token));
    return item ? { commandId: str(item, 'commandId'), requestedAt: num(item, 'requestedAt') } : null;
  }

  async acquireLease(k: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    const expiresAt = now + ttlMs;
    try {
      await call('PutItem', () => this.client.send(new PutItemCommand({
        TableName: this.table,
        Item: { ...key(LEASE, k), holder: s(holder), expiresAt: n(expiresAt) },
        // Free, ours (a renewal), or lapsed.
        ConditionExpression: 'attribute_not_exists(pk) OR holder = :holder OR expiresAt <= :now',
        ExpressionAttributeValues: { ':holder': s(holder), ':now': n(now) },
      })));
    } catch (err) {
      if (conditionFailed(err)) return null;
      throw err;
    }
    return { key: k, holder, expiresAt };
  }

  async releaseLease(k: string, holder: string): Promise<void> {
    try {
      // A put of a lapsed lease rather than a delete: the store needs no dynamodb:DeleteItem.
      await call('PutItem', () => this.client.send(new PutItemCommand({
        TableName: this.table,
        Item: { ...key(LEASE, k), holder: s(holder), expiresAt: n(0) },
        ConditionExpression: 'holder = :holder',
        ExpressionAttributeValues: { ':holder': s(holder) },
      })));
    } catch (err) {
      if (!conditionFailed(err)) throw err;
    }
  }

  async heldLease(k: string, now: number): Promise<Lease | null> {
    const item = await this.get(key(LEASE, k));
    if (!item) return null;
    const expiresAt = num(item, 'expiresAt');
    return expiresAt > now ? { key: k, holder: str(item, 'holder'), expiresAt } : null;
  }

  async close(): Promise<void> {
    // The client belongs to the caller, who may share it.
  }
}

/**
 * Creates the table as the store expects it (on-demand billing). For tests, moto and a first
 * setup by hand; the CDK stack declares the same keys and index.
 */
export async function createStateTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: GSI,
      KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  }));
}
