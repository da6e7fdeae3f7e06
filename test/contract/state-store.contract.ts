/**
 * The StateStore contract: one suite every store runs (SQLite on temporary files, DynamoDB on
 * moto_server, the in-memory fake). Call it inside a describe block with a factory that makes a
 * fresh, empty store and a second handle on the same storage (another connection, another
 * client), so concurrent writers are real writers.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { auditEntryHash, GENESIS_HASH, verifyAuditChain, type AuditVerification, type ChainedAuditEntry } from '../../domain/access/audit-chain.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { approveRun, type PatchRun } from '../../domain/patch/run.js';
import type { StateStore } from '../../ports/outbound/state-store.port.js';
import { T0 } from '../builders.js';
import { ALICE, aRun, aTarget, anAcceptanceRecord, anActor, anAuditEntry, targets } from '../patch-builders.js';
import { DEFAULT_POLICY } from '../../domain/policy.js';

chai.use(chaiAsPromised);
const { expect } = chai;

/**
 * Writes to the store's storage behind its back, the way someone with access to the file or the
 * table could (guards such as SQLite's triggers dropped first): what `audit verify` must notice.
 */
export interface AuditTamper {
  /** Rewrites the stored record of entry `id` with these fields changed. */
  rewrite(id: string, change: Record<string, unknown>): Promise<void>;
  /** Removes the stored record of entry `id`. */
  remove(id: string): Promise<void>;
  /** Stores a record the store never wrote. */
  forge(record: Record<string, unknown>): Promise<void>;
}

export interface StoreFixture {
  /** A fresh, empty store. */
  readonly store: StateStore;
  /** Another handle on the same storage. */
  second(): Promise<StateStore>;
  /** Direct access to the storage, to tamper with the audit log. */
  readonly tamper: AuditTamper;
  cleanup(): Promise<void>;
}

const MINUTE = 60_000;

function stale(err: unknown): boolean {
  return err instanceof ConflictError && err.code === 'STALE_VERSION';
}

/** Read, change, write, retrying on a stale version; counts the retries it needed. */
async function retrying(store: StateStore, id: string, change: (r: PatchRun) => PatchRun, retries: { n: number }): Promise<void> {
  for (;;) {
    const run = (await store.getRun(id)) as PatchRun;
    try {
      await store.updateRun(change(run));
      return;
    } catch (err) {
      if (!stale(err)) throw err;
      retries.n++;
    }
  }
}

export function stateStoreContract(make: () => Promise<StoreFixture>): void {
  let f: StoreFixture;
  beforeEach(async () => {
    f = await make();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  describe('runs', () => {
    it('stores a new run at version 1 and reads it back unchanged', async () => {
      const run = aRun({ targets: targets(3) });

      const created = await f.store.createRun(run, null);
      const read = await f.store.getRun(run.id);

      expect(created).to.deep.include({ created: true, fingerprint: null });
      expect(created.run.version).to.equal(1);
      expect(read).to.deep.equal({ ...run, version: 1 });
    });

    it('answers null for a run it does not have', async () => {
      expect(await f.store.getRun('r-nope')).to.equal(null);
    });

    it('refuses a second run with the same id', async () => {
      await f.store.createRun(aRun(), null);

      await expect(f.store.createRun(aRun(), null)).to.be.rejectedWith(ConflictError);
    });

    it('writes an update as the next version and refuses one based on an older version', async () => {
      const { run } = await f.store.createRun(aRun({ targets: [aTarget({ production: true })] }), null);
      const approved = approveRun(run, anActor('bob', 'approver'), T0 + MINUTE, DEFAULT_POLICY);

      const v2 = await f.store.updateRun(approved);

      expect(v2.version).to.equal(2);
      expect((await f.store.getRun(run.id))?.status).to.equal('approved');
      const err = await f.store.updateRun({ ...run, reason: 'stale writer' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ConflictError).with.property('code', 'STALE_VERSION');
      expect((await f.store.getRun(run.id))?.reason).to.equal('monthly patching');
    });

    it('refuses to update a run that does not exist', async () => {
      await expect(f.store.updateRun({ ...aRun(), version: 1 })).to.be.rejectedWith(NotFoundError);
    });

    it('lists runs newest request first, by status, up to a limit', async () => {
      for (let k = 0; k < 5; k++) {
        const { run } = await f.store.createRun(aRun({ id: `r-${k}`, now: T0 + k * MINUTE, targets: [aTarget({ production: true })] }), null);
        if (k % 2 === 0) await f.store.updateRun(approveRun(run, anActor('bob', 'approver'), T0 + k * MINUTE, DEFAULT_POLICY));
      }

      const all = await f.store.listRuns();
      const approved = await f.store.listRuns({ status: ['approved'] });
      const two = await f.store.listRuns({ limit: 2 });

      expect(all.map((r) => r.id)).to.deep.equal(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
      expect(approved.map((r) => r.id)).to.deep.equal(['r-4', 'r-2', 'r-0']);
      expect(two.map((r) => r.id)).to.deep.equal(['r-4', 'r-3']);
    });

    it('keeps a large run intact (300 instances)', async () => {
      const run = aRun({ targets: targets(300) });

      await f.store.createRun(run, null);

      const read = await f.store.getRun(run.id);
      expect(read?.waves.flatMap((w) => w.instances).length).to.equal(300);
      expect(read).to.deep.equal({ ...run, version: 1 });
    });
  });

  describe('idempotency keys', () => {
    it('makes one run for one key: the second create returns the first run and its fingerprint', async () => {
      const first = aRun({ id: 'r-first' });
      await f.store.createRun(first, { key: 'k-1', fingerprint: 'fp-a' });

      const again = await f.store.createRun(aRun({ id: 'r-second' }), { key: 'k-1', fingerprint: 'fp-b' });

      expect(again.created).to.equal(false);
      expect(again.run.id).to.equal('r-first');
      expect(again.fingerprint).to.equal('fp-a');
      expect(await f.store.getRun('r-second')).to.equal(null);
      expect(await f.store.findRunByIdempotencyKey('k-1')).to.deep.include({ fingerprint: 'fp-a' });
      expect(await f.store.findRunByIdempotencyKey('k-2')).to.equal(null);
    });

    it('two writers racing with the same key create exactly one run', async () => {
      const other = await f.second();

      const results = await Promise.all(
        Array.from({ length: 6 }, (_, k) => (k % 2 ? other : f.store).createRun(aRun({ id: `r-race-${k}` }), { key: 'k-race', fingerprint: 'fp' })),
      );

      expect(results.filter((r) => r.created)).to.have.length(1);
      const winner = results.find((r) => r.created)?.run.id;
      expect(results.every((r) => r.run.id === winner)).to.equal(true);
      expect((await f.store.listRuns()).map((r) => r.id)).to.deep.equal([winner]);
    });
  });

  describe('concurrent writers', () => {
    it('never lose an update: every writer\'s change is in the final record', async function () {
      this.timeout(30_000);
      const other = await f.second();
      const { run } = await f.store.createRun(aRun(), null);
      const retries = { n: 0 };
      const writers = 12;

      await Promise.all(
        Array.from({ length: writers }, (_, k) =>
          retrying(k % 2 ? other : f.store, run.id, (r) => ({ ...r, approvals: [...r.approvals, { by: `w${k}`, at: T0, decision: 'approved', comment: null }] }), retries),
        ),
      );

      const final = (await f.store.getRun(run.id)) as PatchRun;
      expect(final.approvals.map((a) => a.by).sort()).to.deep.equal(Array.from({ length: writers }, (_, k) => `w${k}`).sort());
      expect(final.version).to.equal(1 + writers);
      // The writers did collide: the version check, not luck, kept every update.
      expect(retries.n).to.be.greaterThan(0);
    });
  });

  describe('acceptances', () => {
    it('stores, reads, updates with a version check, and lists newest first (revoked ones too)', async () => {
      const a = await f.store.createAcceptance(anAcceptanceRecord({ id: 'acc-1', acceptedAt: T0 }));
      await f.store.createAcceptance(anAcceptanceRecord({ id: 'acc-2', acceptedAt: T0 + MINUTE, instanceId: null }));

      const revoked = await f.store.updateAcceptance({ ...a, until: T0 + 2 * MINUTE, revokedBy: 'bob', revokedAt: T0 + 2 * MINUTE });

      expect(a.version).to.equal(1);
      expect(revoked.version).to.equal(2);
      expect(await f.store.getAcceptance('acc-1')).to.deep.equal(revoked);
      expect(await f.store.getAcceptance('acc-9')).to.equal(null);
      expect((await f.store.listAcceptances()).map((x) => x.id)).to.deep.equal(['acc-2', 'acc-1']);
      await expect(f.store.updateAcceptance({ ...a, reason: 'stale' })).to.be.rejectedWith(ConflictError);
      await expect(f.store.createAcceptance(anAcceptanceRecord({ id: 'acc-2' }))).to.be.rejectedWith(ConflictError);
      await expect(f.store.updateAcceptance(anAcceptanceRecord({ id: 'acc-9', version: 1 }))).to.be.rejectedWith(NotFoundError);
    });

    it('keeps the account and region an acceptance records; one stored without them (as before they were recorded) reads back without them', async () => {
      const located = await f.store.createAcceptance(anAcceptanceRecord({ id: 'acc-1', accountId: '111111111111', region: 'us-east-1' }));
      await f.store.createAcceptance(anAcceptanceRecord({ id: 'acc-2', acceptedAt: T0 + MINUTE }));
      const revoked = await f.store.updateAcceptance({ ...located, until: T0 + 2 * MINUTE, revokedBy: 'bob', revokedAt: T0 + 2 * MINUTE });

      const other = await f.second();
      expect(await other.getAcceptance('acc-1')).to.deep.equal(revoked);
      expect(revoked).to.deep.include({ accountId: '111111111111', region: 'us-east-1' });
      const old = (await other.listAcceptances()).find((a) => a.id === 'acc-2');
      expect(old?.accountId ?? null).to.equal(null);
      expect(old?.region ?? null).to.equal(null);
      expect(old).to.deep.include({ instanceId: 'i-0000000000000a001', version: 1 });
    });

    it('serves the core as its AcceptanceStore: every record with its until', async () => {
      await f.store.createAcceptance(anAcceptanceRecord({ id: 'acc-1', until: T0 + 5 * MINUTE }));

      const list = await f.store.listAcceptances();

      expect(list[0]).to.deep.include({ vulnerabilityId: 'CVE-2024-6387', instanceId: 'i-0000000000000a001', until: T0 + 5 * MINUTE });
    });
  });

  describe('simulated commands (the demo runner\'s sends)', () => {
    it('keeps the first command recorded under a token, for every handle', async () => {
      const first = await f.store.recordSimulatedCommand('sre-ops r-1 wave 1', { commandId: 'simulated-a', requestedAt: T0 });
      const second = await (await f.second()).recordSimulatedCommand('sre-ops r-1 wave 1', { commandId: 'simulated-b', requestedAt: T0 + 1 });

      expect(first).to.deep.equal({ commandId: 'simulated-a', requestedAt: T0 });
      expect(second).to.deep.equal(first);
      expect(await (await f.second()).findSimulatedCommand('sre-ops r-1 wave 1')).to.deep.equal(first);
      expect(await f.store.findSimulatedCommand('sre-ops r-1 wave 2')).to.equal(null);
    });
  });

  describe('leases (one executor drives a run at a time)', () => {
    const KEY = 'patch-run:r-1';

    it('takes a free lease, refuses another holder while it lasts, renews for its holder', async () => {
      const a = await f.store.acquireLease(KEY, 'task-a', T0, 2 * MINUTE);

      expect(a).to.deep.equal({ key: KEY, holder: 'task-a', expiresAt: T0 + 2 * MINUTE });
      expect(await f.store.acquireLease(KEY, 'task-b', T0 + MINUTE, 2 * MINUTE)).to.equal(null);
      expect(await f.store.heldLease(KEY, T0 + MINUTE)).to.deep.equal(a);
      const renewed = await f.store.acquireLease(KEY, 'task-a', T0 + MINUTE, 2 * MINUTE);
      expect(renewed?.expiresAt).to.equal(T0 + 3 * MINUTE);
      // Still held at the first expiry, because it was renewed.
      expect(await f.store.acquireLease(KEY, 'task-b', T0 + 2 * MINUTE, 2 * MINUTE)).to.equal(null);
      expect(await f.store.heldLease('patch-run:other', T0)).to.equal(null);
    });

    it('a lease that lapsed (its holder died) is taken by another holder, and the old one cannot renew it', async () => {
      await f.store.acquireLease(KEY, 'task-a', T0, 2 * MINUTE);

      expect(await f.store.heldLease(KEY, T0 + 2 * MINUTE)).to.equal(null);
      const b = await f.store.acquireLease(KEY, 'task-b', T0 + 2 * MINUTE, 2 * MINUTE);

      expect(b?.holder).to.equal('task-b');
      expect(await f.store.acquireLease(KEY, 'task-a', T0 + 3 * MINUTE, 2 * MINUTE)).to.equal(null);
      expect((await (await f.second()).heldLease(KEY, T0 + 3 * MINUTE))?.holder).to.equal('task-b');
    });

    it('a release by its holder frees it at once; a release by anyone else changes nothing', async () => {
      await f.store.acquireLease(KEY, 'task-a', T0, 2 * MINUTE);

      await f.store.releaseLease(KEY, 'task-b');
      expect((await f.store.heldLease(KEY, T0))?.holder).to.equal('task-a');
      await f.store.releaseLease(KEY, 'task-a');
      expect(await f.store.heldLease(KEY, T0)).to.equal(null);
      expect((await f.store.acquireLease(KEY, 'task-b', T0, 2 * MINUTE))?.holder).to.equal('task-b');
      await f.store.releaseLease('patch-run:never-taken', 'task-a');
    });

    it('two handles racing for a free lease: exactly one gets it', async () => {
      const other = await f.second();
      const results = await Promise.all(Array.from({ length: 6 }, (_, k) => (k % 2 ? other : f.store).acquireLease(KEY, `task-${k}`, T0, 2 * MINUTE)));

      const winners = results.filter((r) => r !== null);
      expect(winners).to.have.length(1);
      expect((await f.store.heldLease(KEY, T0))?.holder).to.equal(winners[0]?.holder);
    });
  });

  describe('audit log', () => {
    it('appends entries and lists them newest first, by target and since an instant, up to a limit', async () => {
      for (let k = 0; k < 6; k++) {
        await f.store.appendAudit(anAuditEntry({ id: `a-${k}`, at: T0 + k * MINUTE, target: k % 2 ? 'r-odd' : 'r-even', actor: ALICE.id }));
      }

      expect((await f.store.listAudit()).map((e) => e.id)).to.deep.equal(['a-5', 'a-4', 'a-3', 'a-2', 'a-1', 'a-0']);
      expect((await f.store.listAudit({ target: 'r-odd' })).map((e) => e.id)).to.deep.equal(['a-5', 'a-3', 'a-1']);
      expect((await f.store.listAudit({ since: T0 + 3 * MINUTE })).map((e) => e.id)).to.deep.equal(['a-5', 'a-4', 'a-3']);
      expect((await f.store.listAudit({ limit: 2, target: 'r-even' })).map((e) => e.id)).to.deep.equal(['a-4', 'a-2']);
      expect((await f.store.listAudit())[0]).to.deep.equal(anAuditEntry({ id: 'a-5', at: T0 + 5 * MINUTE, target: 'r-odd', actor: 'alice' }));
    });

    it('lists every entry of the same instant once', async () => {
      for (const id of ['a-x', 'a-y', 'a-z']) await f.store.appendAudit(anAuditEntry({ id, at: T0 }));

      const ids = (await f.store.listAudit()).map((e) => e.id);

      expect(ids).to.have.members(['a-x', 'a-y', 'a-z']);
    });

    it('refuses to overwrite an entry (append-only)', async () => {
      await f.store.appendAudit(anAuditEntry({ id: 'a-1', detail: 'original' }));

      await expect(f.store.appendAudit(anAuditEntry({ id: 'a-1', detail: 'rewritten' }))).to.be.rejectedWith(ConflictError);
      expect((await f.store.listAudit())[0]?.detail).to.equal('original');
    });

    it('links every entry to the one before (a hash chain from GENESIS_HASH) and keeps the head', async () => {
      const appended: ChainedAuditEntry[] = [];
      for (let k = 1; k <= 3; k++) appended.push(await f.store.appendAudit(anAuditEntry({ id: `a-${k}`, at: T0 + k * MINUTE })));

      expect(appended.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
      expect(appended.map((e) => e.prevHash)).to.deep.equal([GENESIS_HASH, appended[0]?.hash, appended[1]?.hash]);
      for (const e of appended) expect(e.hash).to.equal(auditEntryHash(e, e.seq, e.prevHash));
      const chain = await f.store.readAuditChain();
      expect(chain.records).to.deep.equal(appended);
      expect(chain.head).to.deep.equal({ seq: 3, hash: appended[2]?.hash });
      expect(verifyAuditChain(chain.records, chain.head)).to.deep.equal({ ok: true, entries: 3, head: chain.head, firstBreak: null });
    });

    it('an empty log verifies, with no head', async () => {
      expect(verifyAuditChain((await f.store.readAuditChain()).records, null)).to.deep.include({ ok: true, entries: 0, head: null });
    });

    it('two writers appending at once leave one unbroken chain', async () => {
      const other = await f.second();
      await Promise.all(Array.from({ length: 8 }, (_, k) => (k % 2 ? other : f.store).appendAudit(anAuditEntry({ id: `a-${k}`, at: T0 }))));

      const chain = await f.store.readAuditChain();
      const v = verifyAuditChain(chain.records, chain.head);

      expect(v).to.deep.include({ ok: true, entries: 8 });
      expect(v.head?.seq).to.equal(8);
    });

    describe('shows tampering behind the store\'s back', () => {
      async function fourEntries(): Promise<ChainedAuditEntry[]> {
        const out: ChainedAuditEntry[] = [];
        for (let k = 1; k <= 4; k++) out.push(await f.store.appendAudit(anAuditEntry({ id: `a-${k}`, at: T0 + k * MINUTE, result: k === 2 ? 'denied' : 'ok' })));
        return out;
      }
      async function verify(): Promise<AuditVerification> {
        const chain = await f.store.readAuditChain();
        return verifyAuditChain(chain.records, chain.head);
      }

      it('an entry changed in place (a denial turned into ok) is named', async () => {
        await fourEntries();
        await f.tamper.rewrite('a-2', { result: 'ok' });

        const v = await verify();

        expect(v.ok).to.equal(false);
        expect(v.firstBreak).to.deep.include({ id: 'a-2', seq: 2, position: 2 });
        expect(v.firstBreak?.problem).to.match(/changed after it was written/);
        expect(v.head?.seq).to.equal(1);
      });

      it('an entry changed with its own hash recomputed breaks the link of the next one', async () => {
        const [, second] = await fourEntries();
        const forged = { ...(second as ChainedAuditEntry), result: 'ok' as const };
        await f.tamper.rewrite('a-2', { result: 'ok', hash: auditEntryHash(forged, forged.seq, forged.prevHash) });

        const v = await verify();

        expect(v.firstBreak).to.deep.include({ id: 'a-3', seq: 3 });
        expect(v.firstBreak?.problem).to.match(/prevHash is not the hash of the entry before it/);
      });

      it('an entry removed from the middle is seen at the entry after it', async () => {
        await fourEntries();
        await f.tamper.remove('a-2');

        const v = await verify();

        expect(v.firstBreak).to.deep.include({ id: 'a-3', seq: 3 });
        expect(v.firstBreak?.problem).to.match(/1 entry was removed before it/);
      });

      it('entries removed from the end are seen by the head', async () => {
        await fourEntries();
        await f.tamper.remove('a-4');

        const v = await verify();

        expect(v.ok).to.equal(false);
        expect(v.firstBreak?.problem).to.match(/ends at seq 3 but the head records seq 4: entries at the end were removed/);
      });

      it('a forged entry without a link is named', async () => {
        await fourEntries();
        await f.tamper.forge({ ...anAuditEntry({ id: 'a-forged', at: T0 + 30 * MINUTE, actor: 'mallory', result: 'ok' }) });

        const v1 = await verify();
        expect(v1.firstBreak).to.deep.include({ id: 'a-forged' });
        expect(v1.firstBreak?.problem).to.match(/no place in the chain|no chain hash/);
      });

      it('a forged entry given an existing seq and a made-up hash is named', async () => {
        const [first] = await fourEntries();
        const fake = { ...anAuditEntry({ id: 'a-forged', at: T0 + 90 * 1000, actor: 'mallory' }), seq: 2, prevHash: (first as ChainedAuditEntry).hash, hash: 'f'.repeat(64) };
        await f.tamper.forge(fake);

        const v = await verify();

        expect(v.ok).to.equal(false);
        expect(v.firstBreak?.seq).to.equal(2);
      });
    });
  });
}
