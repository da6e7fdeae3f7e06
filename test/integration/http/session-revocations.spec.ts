import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStateTable } from '../../../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { DynamoDbSessionRevocations } from '../../../adapters/outbound/dynamodb/dynamodb-session-revocations.js';
import { MemorySessionRevocations } from '../../../adapters/outbound/memory/memory-session-revocations.js';
import { SqliteSessionRevocations } from '../../../adapters/outbound/sqlite/sqlite-session-revocations.js';
import type { SessionRevocations } from '../../../ports/outbound/session-revocations.port.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

class Clock {
  t = T0;
  readonly now = (): number => this.t;
}

interface Subject {
  readonly store: SessionRevocations;
  /** Another store over the same state (another task). */
  readonly other: () => SessionRevocations;
  readonly cleanup: () => void;
}

/** What every SessionRevocations promises (the console's logout across tasks), run against each adapter. */
function revocationsContract(make: (clock: Clock) => Promise<Subject>): void {
  let clock: Clock;
  let s: Subject;
  beforeEach(async () => {
    clock = new Clock();
    s = await make(clock);
  });
  afterEach(() => s.cleanup());

  it('a revoked session is revoked for every store over the same state; others are not', async () => {
    expect(await s.store.isRevoked('n-1')).to.equal(false);
    await s.store.revoke('n-1', T0 + 8 * HOUR);
    expect(await s.store.isRevoked('n-1')).to.equal(true);
    expect(await s.other().isRevoked('n-1'), 'another task').to.equal(true);
    expect(await s.other().isRevoked('n-2')).to.equal(false);
  });

  it('the record ends when the session would have expired; revoking twice keeps the later expiry', async () => {
    await s.store.revoke('n-1', T0 + HOUR);
    await s.other().revoke('n-1', T0 + 2 * HOUR);
    clock.t = T0 + HOUR + 1_000;
    expect(await s.store.isRevoked('n-1')).to.equal(true);
    clock.t = T0 + 2 * HOUR;
    expect(await s.store.isRevoked('n-1')).to.equal(false);
  });
}

describe('SessionRevocations adapters', function () {
  this.timeout(30_000);

  describe('MemorySessionRevocations', () => {
    revocationsContract(async (clock) => {
      const store = new MemorySessionRevocations(clock.now);
      return { store, other: () => store, cleanup: () => {} };
    });
  });

  describe('SqliteSessionRevocations (a real file, two connections)', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sre-ops-sessions-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    revocationsContract(async (clock) => {
      const path = join(dir, 'state', 'state.db');
      const opened = [new SqliteSessionRevocations(path, clock.now)];
      return {
        store: opened[0] as SqliteSessionRevocations,
        other: () => {
          const o = new SqliteSessionRevocations(path, clock.now);
          opened.push(o);
          return o;
        },
        cleanup: () => opened.forEach((o) => o.close()),
      };
    });
  });

  describe('DynamoDbSessionRevocations (moto_server)', () => {
    const moto = useMoto();
    const client = (): DynamoDBClient => new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 2 });
    let n = 0;
    revocationsContract(async (clock) => {
      const table = `sre-ops-sessions-${++n}`;
      const clients = [client()];
      await createStateTable(clients[0] as DynamoDBClient, table);
      return {
        store: new DynamoDbSessionRevocations(clients[0] as DynamoDBClient, table, clock.now),
        other: () => {
          const c = client();
          clients.push(c);
          return new DynamoDbSessionRevocations(c, table, clock.now);
        },
        cleanup: () => clients.forEach((c) => c.destroy()),
      };
    });

    it('a store it cannot reach is an error naming the operation (the console then refuses the session)', async () => {
      const c = client();
      const err = await new DynamoDbSessionRevocations(c, 'no-such-table').isRevoked('n-1').then(() => null, (e: Error) => e);
      c.destroy();
      expect(err?.message).to.match(/^dynamodb:GetItem \(console sessions\) failed \(ResourceNotFoundException\)/);
    });
  });
});
