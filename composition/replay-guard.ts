/**
 * The replay guard a chat entry point uses, from the environment: the state table when
 * SRE_OPS_STATE_TABLE is set (DynamoDB, shared by every Lambda instance); on Lambda without it,
 * none (the bot refuses to start: replays could not be refused across instances); elsewhere, the
 * SQLite state file, or this process's memory where SQLite is not available (the Lambda bundles
 * carry no SQLite; one process then sees every request anyway).
 */
import { ValidationError } from '../domain/errors.js';
import type { ReplayGuard } from '../ports/outbound/replay-guard.port.js';
import { resolveStateStore, stateStoreFromEnv } from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

export async function replayGuardFromEnv(env: Env, log: (line: string) => void): Promise<ReplayGuard> {
  // Never null: stateStoreFromEnv always names a store (the state table, else the SQLite file).
  const spec = resolveStateStore(stateStoreFromEnv(env), env)!;
  if (spec.kind === 'dynamodb') {
    const [{ DynamoDbReplayGuard }, { createDynamoDbClient }] = await Promise.all([
      import('../adapters/outbound/dynamodb/dynamodb-replay-guard.js'),
      import('../adapters/outbound/dynamodb/dynamodb-client.js'),
    ]);
    return new DynamoDbReplayGuard(createDynamoDbClient({ ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}) }), spec.table);
  }
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new ValidationError('SRE_OPS_STATE_TABLE', 'the state table', 'SRE_OPS_STATE_TABLE is not set: on Lambda the bot records request signatures in the state table, shared by every instance, to refuse replays');
  }
  try {
    const { SqliteReplayGuard } = await import('../adapters/outbound/sqlite/sqlite-replay-guard.js');
    return new SqliteReplayGuard(spec.path);
  } catch (err) {
    const { MemoryReplayGuard } = await import('../adapters/outbound/memory/memory-replay-guard.js');
    log(`replayed requests are refused within this process only (${err instanceof Error ? err.message : String(err)})`);
    return new MemoryReplayGuard();
  }
}
