/**
 * Where the console records logouts (SessionRevocations), from the server's state store: the
 * state table when it is DynamoDB (every Fargate task shares it), else the SQLite state file
 * (every `serve` process on the machine that uses the same file), else, where SQLite cannot be
 * opened, this process's memory (a logout then holds in this process only, and says so).
 */
import type { SessionRevocations } from '../ports/outbound/session-revocations.port.js';
import { resolveStateStore, type StateStoreOption } from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

export async function sessionRevocationsFor(option: StateStoreOption | undefined, env: Env, notice: (line: string) => void): Promise<SessionRevocations> {
  const spec = resolveStateStore(option, env);
  if (spec?.kind === 'dynamodb') {
    const [{ DynamoDbSessionRevocations }, { createDynamoDbClient }] = await Promise.all([
      import('../adapters/outbound/dynamodb/dynamodb-session-revocations.js'),
      import('../adapters/outbound/dynamodb/dynamodb-client.js'),
    ]);
    return new DynamoDbSessionRevocations(createDynamoDbClient({
      ...(spec.region ?? env.AWS_REGION ? { region: spec.region ?? env.AWS_REGION } : {}),
      ...(spec.endpointUrl ? { endpointUrl: spec.endpointUrl } : {}),
    }), spec.table);
  }
  if (spec?.kind === 'sqlite') {
    try {
      const { SqliteSessionRevocations } = await import('../adapters/outbound/sqlite/sqlite-session-revocations.js');
      return new SqliteSessionRevocations(spec.path);
    } catch (err) {
      notice(`console logouts are recorded in this process only (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  const { MemorySessionRevocations } = await import('../adapters/outbound/memory/memory-session-revocations.js');
  return new MemorySessionRevocations();
}
