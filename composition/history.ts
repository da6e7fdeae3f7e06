/**
 * Wiring of the history (docs/history.md): the HistoryStore beside the configured state store
 * (the same SQLite file, the same DynamoDB table), opened only when first needed; an Assistant
 * without a state store (the library's default) keeps its history in memory.
 */
import { existsSync } from 'node:fs';
import { MemoryHistoryStore } from '../adapters/outbound/memory/memory-history-store.js';
import type { AssessmentHeader, AssessmentRecord } from '../domain/history/assessment-record.js';
import type { HistoryFilter, HistoryStore } from '../ports/outbound/history-store.port.js';
import type { AwsOptions, StateStoreSpec } from './config.js';
import { checkStateFile, dynamoDbClientFor } from './patching.js';

async function openHistory(spec: StateStoreSpec, aws: AwsOptions): Promise<{ store: HistoryStore; close: () => Promise<void> }> {
  if (spec.kind === 'sqlite') {
    checkStateFile(spec.path);
    const { SqliteHistoryStore } = await import('../adapters/outbound/sqlite/sqlite-history-store.js');
    const store = new SqliteHistoryStore(spec.path);
    return { store, close: () => store.close() };
  }
  const [{ DynamoDbHistoryStore }, client] = await Promise.all([import('../adapters/outbound/dynamodb/dynamodb-history-store.js'), dynamoDbClientFor(spec, aws)]);
  return { store: new DynamoDbHistoryStore(client, spec.table), close: async () => client.destroy() };
}

/**
 * The configured history, opened on first use. Reads from an SQLite file that does not exist yet
 * answer empty without creating it (as the state store's do); the first recording creates it.
 */
export class LazyHistoryStore implements HistoryStore {
  private opened: Promise<{ store: HistoryStore; close: () => Promise<void> }> | null = null;

  constructor(
    private readonly spec: StateStoreSpec,
    private readonly aws: AwsOptions,
  ) {}

  private absent(): boolean {
    return this.opened === null && this.spec.kind === 'sqlite' && !existsSync(this.spec.path);
  }

  private async store(): Promise<HistoryStore> {
    this.opened ??= openHistory(this.spec, this.aws).catch((err: unknown) => {
      this.opened = null;
      throw err;
    });
    return (await this.opened).store;
  }

  async recordAssessment(record: AssessmentRecord): Promise<AssessmentHeader> {
    return (await this.store()).recordAssessment(record);
  }
  async listAssessments(filter?: HistoryFilter): Promise<readonly AssessmentHeader[]> {
    return this.absent() ? [] : (await this.store()).listAssessments(filter);
  }
  async getAssessment(id: string): Promise<AssessmentRecord | null> {
    return this.absent() ? null : (await this.store()).getAssessment(id);
  }
  async pruneHistory(before: number): Promise<number> {
    return this.absent() ? 0 : (await this.store()).pruneHistory(before);
  }
  async claimAlert(key: string, at: number): Promise<boolean> {
    return (await this.store()).claimAlert(key, at);
  }
  async releaseAlert(key: string): Promise<void> {
    if (!this.absent()) await (await this.store()).releaseAlert(key);
  }
  async close(): Promise<void> {
    if (this.opened) await (await this.opened.catch(() => ({ close: async () => {} }))).close();
  }
}

/** The history of an Assistant: beside its state store, else in memory. */
export function historyStoreFor(spec: StateStoreSpec | null, aws: AwsOptions): HistoryStore {
  return spec ? new LazyHistoryStore(spec, aws) : new MemoryHistoryStore();
}
