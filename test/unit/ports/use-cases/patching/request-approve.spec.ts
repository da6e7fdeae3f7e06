import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { AmbiguousError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../../../domain/errors.js';
import { HOUR_MS } from '../../../../../domain/time.js';
import { ALICE, BOB, anActor, VIEWER } from '../../../../patch-builders.js';
import { harness, IDS, NOW, world } from './harness.js';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('patch use cases: request, approve, reject, cancel, read', () => {
  describe('requestPatchRun', () => {
    it('an operator requests named instances: stored, in waves, and audited with the new run id', async () => {
      const h = harness();

      const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-staging-1', 'dev-1', IDS.prod1], reason: 'openssh' });

      expect(r.id).to.match(/^r-20261111-000000-[0-9a-f]{6}$/);
      expect(r).to.deep.include({ status: 'requested', operation: 'Install', rebootOption: 'RebootIfNeeded', requestedBy: 'alice', needsApproval: true, version: 1, source: 'test' });
      expect(r.approvalWhy).to.equal(`production: web-1 (${IDS.prod1})`);
      // Non-production first, with a canary (a run's instances all go out now, so production is
      // never first to take the patch), then production (web-1, next-window).
      expect(r.waves.map((w) => [w.stage, w.canary, w.instances.map((i) => i.name)])).to.deep.equal([
        ['non-production', true, ['dev-1']],
        ['non-production', false, ['web-staging-1']],
        ['production', false, ['web-1']],
      ]);
      expect((await h.store.getRun(r.id))?.status).to.equal('requested');
      expect(h.store.audit.map((e) => [e.action, e.target, e.result])).to.deep.equal([['patch-run.request', r.id, 'ok']]);
    });

    it('from the plan: everything it patches now or in the next window', async () => {
      const h = harness();

      const r = await h.ops.requestPatchRun(ALICE, { fromPlan: true });

      expect(r.waves.flatMap((w) => w.instances.map((i) => i.instanceId)).sort()).to.deep.equal([IDS.prod1, IDS.prod2]);
    });

    it('a viewer is denied, the denial audited, nothing stored', async () => {
      const h = harness();

      await expect(h.ops.requestPatchRun(VIEWER, { instances: ['dev-1'] })).to.be.rejectedWith(ForbiddenError, /vic \(viewer\) may not request/);

      expect(h.store.runs.size).to.equal(0);
      expect(h.store.audit.map((e) => [e.actor, e.action, e.result])).to.deep.equal([['vic', 'patch-run.request', 'denied']]);
    });

    it('an unknown name fails with near matches, audited as failed', async () => {
      const h = harness();

      const err = await h.ops.requestPatchRun(ALICE, { instances: ['web-l'] }).catch((e: unknown) => e);

      expect(err).to.be.instanceOf(NotFoundError);
      expect((err as NotFoundError).suggestions).to.include(`web-1 (${IDS.prod1})`);
      expect(h.store.audit[0]).to.deep.include({ result: 'failed', target: 'web-l' });
    });

    describe('an organization read where two accounts hold the same instance id', () => {
      const A = '111111111111';
      const B = '222222222222';
      const R = 'us-east-1';
      // web-1's id in both accounts (ids are unique within an account and region only); the others in A only.
      const orgWorld = () => {
        const base = world();
        const inA = (base.assets ?? []).map((a) => ({ ...a, accountId: A, region: R }));
        const twin = { ...(inA.find((a) => a.instanceId === IDS.prod1) as (typeof inA)[number]), accountId: B, name: 'web-1-b', tags: { Name: 'web-1-b', Environment: 'prod' } };
        return { assets: [...inA, twin] };
      };

      it('a run naming ACCOUNT/REGION/ID of the shared id is refused when requested, saying how to pick one; nothing stored', async () => {
        const h = harness({ world: orgWorld() });

        const err = await h.ops.requestPatchRun(ALICE, { instances: [`${A}/${R}/${IDS.prod1}`] }).catch((e: unknown) => e);

        expect(err).to.be.instanceOf(ValidationError);
        expect((err as ValidationError).message).to.equal(`instances: ${A}/${R}/${IDS.prod1} (web-1), whose id 2 accounts and regions of this read hold (${A}/${R}, ${B}/${R}); a run sends to instances by id, so it cannot tell which to patch and nothing was requested: request it on a read of that account and region alone (CLI: --accounts ${A} --regions ${R})`);
        expect(h.store.runs.size).to.equal(0);
        expect(h.runner.sent).to.deep.equal([]);
        expect(h.store.audit.map((e) => e.result)).to.deep.equal(['failed']);
      });

      it('the bare id is ambiguous, naming ACCOUNT/REGION/ID for each', async () => {
        const h = harness({ world: orgWorld() });

        await expect(h.ops.requestPatchRun(ALICE, { instances: [IDS.prod1] })).to.be.rejectedWith(AmbiguousError, `${A}/${R}/${IDS.prod1}, ${B}/${R}/${IDS.prod1}; use ACCOUNT/REGION/ID`);
      });

      it('from the plan: refused naming the shared instance, nothing stored', async () => {
        const h = harness({ world: orgWorld() });

        await expect(h.ops.requestPatchRun(ALICE, { fromPlan: true })).to.be.rejectedWith(ValidationError, /^fromPlan: the plan patches \d{12}\/us-east-1\/i-000000000000000b1 /);
        expect(h.store.runs.size).to.equal(0);
      });

      it('an instance whose id is its own is requested as usual, recording its account and region', async () => {
        const h = harness({ world: orgWorld() });

        const r = await h.ops.requestPatchRun(ALICE, { instances: ['dev-1'] });

        expect(r.waves.flatMap((w) => w.instances)).to.deep.equal([{ ...r.waves[0]?.instances[0], instanceId: IDS.dev, accountId: A, region: R }]);
      });

      it('on a capture (no runner here) the run is requested: it records its account and region and executes with a live source of that account alone', async () => {
        const h = harness({ world: orgWorld(), runner: null });

        const r = await h.ops.requestPatchRun(ALICE, { instances: [`${B}/${R}/${IDS.prod1}`] });

        expect(r.waves.flatMap((w) => w.instances.map((i) => [i.instanceId, i.accountId, i.region]))).to.deep.equal([[IDS.prod1, B, R]]);
      });
    });

    it('refuses instances Systems Manager does not manage, naming them', async () => {
      const h = harness();

      await expect(h.ops.requestPatchRun(ALICE, { instances: ['dev-1', 'legacy-1'] })).to.be.rejectedWith(ValidationError, /does not manage legacy-1/);
    });

    it('the same idempotency key twice makes one run; the replay is audited as such', async () => {
      const h = harness();

      const first = await h.ops.requestPatchRun(ALICE, { instances: ['dev-1', 'web-1'], idempotencyKey: 'ticket-42' });
      const again = await h.ops.requestPatchRun(ALICE, { instances: ['web-1', 'dev-1'], idempotencyKey: 'ticket-42', reason: 'retry' });

      expect(again.id).to.equal(first.id);
      expect(h.store.runs.size).to.equal(1);
      expect(h.store.audit[1]?.detail).to.match(/^replay of idempotency key "ticket-42"/);
    });

    it('the same key with a different request is refused', async () => {
      const h = harness();
      await h.ops.requestPatchRun(ALICE, { instances: ['dev-1'], idempotencyKey: 'k' });

      const err = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'], idempotencyKey: 'k' }).catch((e: unknown) => e);

      expect(err).to.be.instanceOf(ConflictError).with.property('code', 'IDEMPOTENCY_MISMATCH');
      expect(h.store.runs.size).to.equal(1);
    });

    it('two concurrent requests with one key make one run', async () => {
      const h = harness();

      const [a, b] = await Promise.all([
        h.ops.requestPatchRun(ALICE, { instances: ['dev-1'], idempotencyKey: 'double-click' }),
        h.another().requestPatchRun(ALICE, { instances: ['dev-1'], idempotencyKey: 'double-click' }),
      ]);

      expect(a.id).to.equal(b.id);
      expect(h.store.runs.size).to.equal(1);
    });

    it('a preview stores and audits nothing', async () => {
      const h = harness();

      const p = await h.ops.previewPatchRun(ALICE, { instances: ['dev-1'] });

      expect(p.status).to.equal('approved');
      expect(h.store.runs.size).to.equal(0);
      expect(h.store.audit).to.have.length(0);
    });
  });

  describe('approve, reject, cancel', () => {
    it('an approver other than the requester approves; the requester is denied, and both are audited', async () => {
      const h = harness();
      const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'] });

      await expect(h.ops.approvePatchRun(anActor('alice', 'operator', 'approver'), r.id)).to.be.rejectedWith(ForbiddenError, /nobody approves their own run/);
      const approved = await h.ops.approvePatchRun(BOB, r.id, 'ok for tonight');

      expect(approved).to.deep.include({ status: 'approved', approvalExpiresAt: new Date(NOW + 24 * HOUR_MS).toISOString(), approvalExpired: false });
      expect(approved.approvals).to.deep.equal([{ by: 'bob', at: new Date(NOW).toISOString(), decision: 'approved', comment: 'ok for tonight' }]);
      expect(h.store.audit.slice(1).map((e) => [e.actor, e.action, e.result])).to.deep.equal([
        ['alice', 'patch-run.approve', 'denied'],
        ['bob', 'patch-run.approve', 'ok'],
      ]);
    });

    it('an approval expires (fake clock): execution is refused until someone approves again', async () => {
      const h = harness();
      const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'] });
      await h.ops.approvePatchRun(BOB, r.id);
      h.clock.t += 25 * HOUR_MS;

      const read = await h.ops.getPatchRun(VIEWER, r.id);
      const err = await h.ops.executePatchRun(ALICE, r.id).catch((e: unknown) => e);
      await h.ops.approvePatchRun(anActor('carl', 'approver'), r.id);
      const done = await h.ops.executePatchRun(ALICE, r.id);

      expect(read.approvalExpired).to.equal(true);
      expect(err).to.be.instanceOf(ConflictError);
      expect((err as Error).message).to.match(/approval of run .* expired/);
      expect(done.status).to.equal('succeeded');
    });

    it('two approvers at once: one wins, the other is told it is already approved', async () => {
      const h = harness();
      const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'] });

      const results = await Promise.allSettled([h.ops.approvePatchRun(BOB, r.id), h.another().approvePatchRun(anActor('carl', 'approver'), r.id)]);

      expect(results.filter((x) => x.status === 'fulfilled')).to.have.length(1);
      const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).to.be.instanceOf(ConflictError);
      expect((await h.store.getRun(r.id))?.approvals).to.have.length(1);
    });

    it('reject ends a run before it starts; it cannot be approved afterwards', async () => {
      const h = harness();
      const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'] });

      const rejected = await h.ops.rejectPatchRun(BOB, r.id, 'freeze week');

      expect(rejected.status).to.equal('rejected');
      await expect(h.ops.approvePatchRun(anActor('carl', 'approver'), r.id)).to.be.rejectedWith(ConflictError, /is rejected/);
    });

    it('the requester cancels; a viewer may not', async () => {
      const h = harness();
      const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'] });

      await expect(h.ops.cancelPatchRun(VIEWER, r.id)).to.be.rejectedWith(ForbiddenError);
      const c = await h.ops.cancelPatchRun(ALICE, r.id);

      expect(c.status).to.equal('cancelled');
      expect(c.haltReason).to.equal('cancelled by alice');
    });

    it('an unknown run id is NotFound, audited', async () => {
      const h = harness();

      await expect(h.ops.approvePatchRun(BOB, 'r-nope')).to.be.rejectedWith(NotFoundError, /no patch run matches "r-nope"/);
      expect(h.store.audit[0]).to.deep.include({ action: 'patch-run.approve', target: 'r-nope', result: 'failed' });
    });
  });

  describe('reading runs', () => {
    it('any role lists runs newest first, by status; no role cannot', async () => {
      const h = harness();
      const a = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'] });
      h.clock.t += 1000;
      const b = await h.ops.requestPatchRun(ALICE, { instances: ['dev-1'] });

      expect((await h.ops.listPatchRuns(VIEWER)).map((r) => r.id)).to.deep.equal([b.id, a.id]);
      expect((await h.ops.listPatchRuns(VIEWER, { status: ['requested'] })).map((r) => r.id)).to.deep.equal([a.id]);
      await expect(h.ops.listPatchRuns(anActor('nobody'))).to.be.rejectedWith(ForbiddenError);
      await expect(h.ops.listPatchRuns(VIEWER, { status: ['done' as never] })).to.be.rejectedWith(ValidationError, /status/);
      await expect(h.ops.listPatchRuns(VIEWER, { limit: 0 })).to.be.rejectedWith(ValidationError, /limit/);
    });

    it('an ambiguous name lists the candidates', async () => {
      const h = harness({ world: { assets: [] } });
      const { anAsset } = await import('../../../../builders.js');
      h.core.assets.listAssets = async () => [anAsset({ instanceId: 'i-1', name: 'web' }), anAsset({ instanceId: 'i-2', name: 'web' })];

      await expect(h.ops.requestPatchRun(ALICE, { instances: ['web'] })).to.be.rejectedWith(AmbiguousError);
    });
  });
});
