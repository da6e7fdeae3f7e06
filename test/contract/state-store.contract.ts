/**
 * The StateStore contract: one suite every store runs (SQLite on temporary files, DynamoDB on
 * moto_server, the in-memory fake). Call it inside a describe block with a factory that makes a
 * fresh, empty store and a second handle on the same storage (another connection, another
 * client), so concurrent writers are real writers.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { approveRun, type PatchRun } from '../../domain/patch/run.js';
import type { StateStore } from '../../ports/outbound/state-store.port.js';
import { T0 } from '../builders.js';
import { ALICE, aRun, aTarget, anAcceptanceRecord, anActor, anAuditEntry, targets } from '../patch-builders.js';
import { DEFAULT_POLICY } from '../../domain/policy.js';

chai.use(chaiAsPromised);
const { expect } = chai;

export interface StoreFixture {
  /** A fresh, empty store. */
  readonly store: StateStore;
  /** Another handle on the same storage. */
  second(): Promise<StateStore>;
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

    it('serves the core as its AcceptanceStore: every record with its until', async () => {
      await f.store.createAcceptance(anAcceptanceRecord({ id: 'acc-1', until: T0 + 5 * MINUTE }));

      const list = await f.store.listAcceptances();

      expect(list[0]).to.deep.include({ vulnerabilityId: 'CVE-2024-6387', instanceId: 'i-0000000000000a001', until: T0 + 5 * MINUTE });
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
  });
}
