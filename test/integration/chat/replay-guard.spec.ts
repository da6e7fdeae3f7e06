import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbReplayGuard, TTL_ATTRIBUTE } from '../../../adapters/outbound/dynamodb/dynamodb-replay-guard.js';
import { createStateTable } from '../../../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { MemoryReplayGuard } from '../../../adapters/outbound/memory/memory-replay-guard.js';
import { SqliteReplayGuard } from '../../../adapters/outbound/sqlite/sqlite-replay-guard.js';
import type { ReplayGuard } from '../../../ports/outbound/replay-guard.port.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';

const T0 = Date.parse('2026-11-20T12:00:00Z');

/** A clock the test moves by hand. */
class Clock {
  t = T0;
  readonly now = (): number => this.t;
}

interface Subject {
  readonly guard: ReplayGuard;
  /** Another guard over the same store (another process, another Lambda instance). */
  readonly other: () => Promise<ReplayGuard>;
  readonly cleanup: () => Promise<void>;
}

/** What every ReplayGuard promises, run against each adapter. */
function replayGuardContract(make: (clock: Clock) => Promise<Subject>): void {
  let clock: Clock;
  let s: Subject;
  beforeEach(async () => {
    clock = new Clock();
    s = await make(clock);
  });
  afterEach(() => s.cleanup());

  it('takes a new key once: the same key again is a replay, another key is new', async () => {
    expect(await s.guard.claim('sig-a', T0 + 360_000)).to.equal(true);
    expect(await s.guard.claim('sig-a', T0 + 360_000)).to.equal(false);
    expect(await s.guard.claim('sig-b', T0 + 360_000)).to.equal(true);
  });

  it('refuses the key through another guard over the same store', async () => {
    expect(await s.guard.claim('sig-a', T0 + 360_000)).to.equal(true);
    const other = await s.other();
    expect(await other.claim('sig-a', T0 + 360_000)).to.equal(false);
  });

  it('lets a key be taken again once it has expired', async () => {
    expect(await s.guard.claim('sig-a', T0 + 360_000)).to.equal(true);
    clock.t = T0 + 359_000;
    expect(await s.guard.claim('sig-a', T0 + 720_000)).to.equal(false);
    clock.t = T0 + 361_000;
    expect(await s.guard.claim('sig-a', T0 + 720_000)).to.equal(true);
    expect(await s.guard.claim('sig-a', T0 + 720_000)).to.equal(false);
  });

  it('gives a key to exactly one of many concurrent claims', async () => {
    const guards = [s.guard, await s.other()];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => guards[i % 2]!.claim('sig-race', T0 + 360_000)));
    expect(results.filter(Boolean)).to.have.length(1);
  });
}

describe('ReplayGuard adapters', function () {
  this.timeout(30_000);

  describe('MemoryReplayGuard', () => {
    replayGuardContract(async (clock) => {
      const guard = new MemoryReplayGuard(clock.now);
      // One process: "another guard over the same store" is the same memory.
      return { guard, other: async () => guard, cleanup: async () => {} };
    });
  });

  describe('SqliteReplayGuard (a real file)', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sre-ops-replay-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    replayGuardContract(async (clock) => {
      const path = join(dir, 'state', 'state.db');
      const opened: SqliteReplayGuard[] = [new SqliteReplayGuard(path, clock.now)];
      return {
        guard: opened[0]!,
        other: async () => {
          const g = new SqliteReplayGuard(path, clock.now);
          opened.push(g);
          return g;
        },
        cleanup: async () => opened.forEach((g) => g.close()),
      };
    });

    it('creates the file readable by its owner only', () => {
      const path = join(dir, 'new', 'state.db');
      new SqliteReplayGuard(path).close();
      expect(statSync(path).mode & 0o777).to.equal(0o600);
    });
  });

  describe('DynamoDbReplayGuard (moto_server)', () => {
    const moto = useMoto();
    const client = (): DynamoDBClient => new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 2 });
    let n = 0;

    replayGuardContract(async (clock) => {
      const table = `sre-ops-replay-${++n}`;
      const clients = [client()];
      await createStateTable(clients[0]!, table);
      return {
        guard: new DynamoDbReplayGuard(clients[0]!, table, clock.now),
        other: async () => {
          const c = client();
          clients.push(c);
          return new DynamoDbReplayGuard(c, table, clock.now);
        },
        cleanup: async () => clients.forEach((c) => c.destroy()),
      };
    });

    it('writes the key with the TTL attribute in epoch seconds, in the state table', async () => {
      const c = client();
      await createStateTable(c, 'sre-ops-replay-ttl');
      await new DynamoDbReplayGuard(c, 'sre-ops-replay-ttl').claim('slack:v0=abc', T0 + 360_500);

      const item = await c.send(new GetItemCommand({ TableName: 'sre-ops-replay-ttl', Key: { pk: { S: 'REPLAY#slack:v0=abc' }, sk: { S: 'REPLAY' } } }));
      c.destroy();

      expect(item.Item?.[TTL_ATTRIBUTE]).to.deep.equal({ N: String(Math.ceil((T0 + 360_500) / 1000)) });
    });

    it('fails with a SourceError naming the operation when the table is missing', async () => {
      const c = client();
      const err = await new DynamoDbReplayGuard(c, 'no-such-table').claim('k', T0).then(() => null, (e: Error) => e);
      c.destroy();
      expect(err?.message).to.match(/^dynamodb:PutItem \(replay guard\) failed \(ResourceNotFoundException\)/);
    });
  });
});
