import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConflictError, ForbiddenError } from '../../../../domain/errors.js';
import {
  activeWave, approvalMissing, approveRun, beginVerification, cancelRun, commandsInFlight, completeWave, recordInvocations, recordSendIntent,
  recordSent, rejectRun, RUN_TRANSITIONS, sendToken, startRun, takeLease, TERMINAL_STATUSES, timeOutWave, waveCommandsDone,
  type InstanceVerdict, type PatchRun, type RunStatus,
} from '../../../../domain/patch/run.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../domain/policy.js';
import { HOUR_MS } from '../../../../domain/time.js';
import { T0 } from '../../../builders.js';
import { ADMIN, ALICE, aRun, aTarget, anActor, BOB, targets, VIEWER } from '../../../patch-builders.js';

chai.use(chaiAsPromised);
const { expect } = chai;
const LEASE = 120_000;
const MIN = 60_000;

/** A production run (needs approval) of `n` instances, one of them a canary. */
function prodRun(n = 3): PatchRun {
  return aRun({ targets: targets(n, { production: true }) });
}

/** Runs the current wave's commands to success and verification. */
function finishWave(run: PatchRun, now: number, outcome: (id: string) => InstanceVerdict['outcome'] = () => 'succeeded'): PatchRun {
  let r = recordSendIntent(run, 50, now);
  for (const s of activeWave(r).sends) r = recordSent(r, s.token, `cmd-${s.token}`, now);
  r = recordInvocations(r, activeWave(r).instances.map((i) => ({ instanceId: i.instanceId, status: 'succeeded', detail: null })), now);
  r = beginVerification(r, now);
  return completeWave(r, activeWave(r).instances.map((i) => ({ instanceId: i.instanceId, outcome: outcome(i.instanceId), detail: outcome(i.instanceId) === 'succeeded' ? null : 'cpu' })), now);
}

describe('patch run state machine', () => {
  describe('a new run', () => {
    it('needs an approver when it touches production, and says which instances', () => {
      const run = aRun({ targets: [aTarget({ production: true, name: 'db-1', instanceId: 'i-0db' }), aTarget({ instanceId: 'i-0dev', name: 'dev-1' })] });

      expect(run.status).to.equal('requested');
      expect(run.needsApproval).to.equal(true);
      expect(run.approvalWhy).to.equal('production: db-1 (i-0db)');
    });

    it('needs an approver when it carries patch-now, even outside production', () => {
      const run = aRun({ targets: [aTarget({ decision: 'patch-now' })] });

      expect(run.status).to.equal('requested');
      expect(run.approvalWhy).to.match(/^patch-now: web-1/);
    });

    it('starts approved when nothing is production or patch-now', () => {
      const run = aRun({ targets: targets(2) });

      expect(run.status).to.equal('approved');
      expect(run.needsApproval).to.equal(false);
      expect(approvalMissing(run, T0 + 1000 * HOUR_MS)).to.equal(false);
    });

    it('a dry run (Scan) needs no approval and scans everything in one wave', () => {
      const run = aRun({ targets: targets(5, { production: true, decision: 'patch-now' }), dryRun: true });

      expect(run).to.include({ status: 'approved', operation: 'Scan', needsApproval: false });
      expect(run.waves).to.have.length(1);
      expect(run.waves[0]?.instances).to.have.length(5);
    });

    it('an install goes in the plan\'s waves: a canary first, then the rest', () => {
      const run = aRun({ targets: targets(4) });

      expect(run.waves.map((w) => [w.canary, w.instances.length])).to.deep.equal([[true, 1], [false, 3]]);
      expect(run.operation).to.equal('Install');
    });

    it('a viewer may not request one', () => {
      expect(() => aRun({ actor: VIEWER })).to.throw(ForbiddenError, /vic \(viewer\) may not request/);
    });
  });

  describe('approval', () => {
    it('an approver other than the requester approves; it holds for the policy\'s hours', () => {
      const run = prodRun();

      const approved = approveRun(run, BOB, T0 + MIN, DEFAULT_POLICY, 'looks fine');

      expect(approved.status).to.equal('approved');
      expect(approved.approvals).to.deep.equal([{ by: 'bob', at: T0 + MIN, decision: 'approved', comment: 'looks fine' }]);
      expect(approved.approvalExpiresAt).to.equal(T0 + MIN + 24 * HOUR_MS);
    });

    it('nobody approves their own run, not even an admin', () => {
      const run = aRun({ actor: ADMIN, targets: targets(1, { production: true }) });

      expect(() => approveRun(run, ADMIN, T0, DEFAULT_POLICY)).to.throw(ForbiddenError, /nobody approves their own run/);
    });

    describe('claims (--actor): the two-person rule holds between authenticated principals', () => {
      const claim = (id: string, by: string, ...roles: Parameters<typeof anActor>[1][]) => ({ ...anActor(id, ...roles), claimedBy: by });
      const onSource = (source: string, actor = ALICE): PatchRun => ({ ...aRun({ actor, targets: targets(1, { production: true }) }), source });

      it('outside the demo source a claimed approver never counts, whatever roles the policy gives the name', () => {
        expect(() => approveRun(onSource('aws:eu-west-1'), claim('bob', 'root', 'approver'), T0, DEFAULT_POLICY))
          .to.throw(ForbiddenError, /^bob, claimed by root: a claimed identity \(--actor\) never counts as the second person outside the demo source/);
        expect(() => approveRun(onSource('snapshot:/tmp/x'), claim('bob', 'root', 'admin'), T0, DEFAULT_POLICY)).to.throw(ForbiddenError, /claimed identity/);
      });

      it('a requester who claimed another name is still the principal behind it: they cannot approve as themselves', () => {
        const run = onSource('aws:eu-west-1', claim('alice', 'root', 'operator'));
        expect(run.requestedBy).to.equal('alice, claimed by root');

        expect(() => approveRun(run, anActor('root', 'admin'), T0, DEFAULT_POLICY)).to.throw(ForbiddenError, /root requested run .* nobody approves their own run/);
        expect(approveRun(run, anActor('carl', 'approver'), T0, DEFAULT_POLICY).status).to.equal('approved');
      });

      it('on the demo source claims count as people, so the flow can be shown, and are recorded as claims', () => {
        const run = onSource('demo', claim('alice', 'root', 'operator'));

        const approved = approveRun(run, claim('bob', 'root', 'approver'), T0, DEFAULT_POLICY);

        expect(approved.approvals[0]?.by).to.equal('bob, claimed by root');
        expect(() => approveRun(run, claim('alice', 'root', 'approver'), T0, DEFAULT_POLICY)).to.throw(ForbiddenError, /nobody approves their own run/);
      });
    });

    it('operators and viewers may not approve', () => {
      expect(() => approveRun(prodRun(), anActor('olga', 'operator'), T0, DEFAULT_POLICY)).to.throw(ForbiddenError, /olga \(operator\)/);
      expect(() => approveRun(prodRun(), VIEWER, T0, DEFAULT_POLICY)).to.throw(ForbiddenError);
    });

    it('an approval expires: the run cannot start after it, and may be approved again', () => {
      const policy = resolvePolicy({ approval: { expiresAfterHours: 2 } });
      const approved = approveRun(prodRun(), BOB, T0, policy);
      const later = T0 + 2 * HOUR_MS;

      expect(approvalMissing(approved, later - 1)).to.equal(false);
      expect(approvalMissing(approved, later)).to.equal(true);
      expect(() => startRun(approved, ALICE, 'h', later, LEASE)).to.throw(ConflictError, /expired at/);
      const again = approveRun(approved, anActor('carl', 'approver'), later, policy);
      expect(again.approvals).to.have.length(2);
      expect(startRun(again, ALICE, 'h', later + MIN, LEASE).status).to.equal('running');
    });

    it('an approval that still holds is not given twice', () => {
      const approved = approveRun(prodRun(), BOB, T0, DEFAULT_POLICY);

      expect(() => approveRun(approved, anActor('carl', 'approver'), T0 + MIN, DEFAULT_POLICY)).to.throw(ConflictError, /already approved/);
    });

    it('a run that needs no approval cannot be approved', () => {
      expect(() => approveRun(aRun(), BOB, T0, DEFAULT_POLICY)).to.throw(ConflictError, /needs no approval/);
    });

    it('a requested run cannot start', () => {
      expect(() => startRun(prodRun(), ALICE, 'h', T0, LEASE)).to.throw(ConflictError, /needs approval first/);
    });
  });

  describe('every transition', () => {
    // Reach each status the way the system does, then try each action from it.
    const reach: Readonly<Record<RunStatus, () => PatchRun>> = {
      requested: () => prodRun(),
      approved: () => approveRun(prodRun(), BOB, T0, DEFAULT_POLICY),
      rejected: () => rejectRun(prodRun(), BOB, T0),
      running: () => startRun(approveRun(prodRun(), BOB, T0, DEFAULT_POLICY), ALICE, 'h', T0, LEASE),
      verifying: () => {
        const r = recordSendIntent(reach.running(), 50, T0);
        return beginVerification(r, T0);
      },
      succeeded: () => {
        let r = reach.running();
        while (r.status !== 'succeeded') r = finishWave(r, T0);
        return r;
      },
      halted: () => finishWave(reach.running(), T0, () => 'regressed'),
      failed: () => finishWave(reach.running(), T0, () => 'failed'),
      cancelled: () => cancelRun(prodRun(), ALICE, T0),
    };
    const actions: readonly [string, RunStatus, (r: PatchRun) => PatchRun][] = [
      ['approve', 'approved', (r) => approveRun(r, anActor('zed', 'approver'), T0 + MIN, DEFAULT_POLICY)],
      ['reject', 'rejected', (r) => rejectRun(r, BOB, T0)],
      ['cancel', 'cancelled', (r) => cancelRun(r, ALICE, T0)],
      ['start', 'running', (r) => startRun(r, ALICE, 'h', T0, LEASE)],
      ['verify', 'verifying', (r) => beginVerification(r, T0)],
    ];

    for (const from of Object.keys(RUN_TRANSITIONS) as RunStatus[]) {
      for (const [name, to, act] of actions) {
        // approved → approved is only a fresh approval after expiry (tested above); here it still holds.
        const allowed = RUN_TRANSITIONS[from].includes(to) && !(from === 'approved' && name === 'approve');
        it(`${from} --${name}--> ${allowed ? to : 'refused'}`, () => {
          const run = reach[from]();
          expect(run.status).to.equal(from);
          if (allowed) expect(act(run).status).to.equal(to);
          else expect(() => act(run)).to.throw(ConflictError);
        });
      }
    }

    it('terminal states have no way out', () => {
      for (const s of TERMINAL_STATUSES) expect(RUN_TRANSITIONS[s]).to.deep.equal([]);
    });
  });

  describe('waves', () => {
    const running = (): PatchRun => startRun(aRun({ targets: targets(120) }), ALICE, 'h', T0, LEASE);

    it('records the intent to send before sending, split in parts SSM accepts, with tokens that find them again', () => {
      const run = running();
      const second = finishWave(run, T0);

      const intent = recordSendIntent(second, 50, T0 + MIN);

      const wave = activeWave(intent);
      expect(wave.status).to.equal('running');
      expect(wave.sends.map((s) => s.instanceIds.length)).to.deep.equal([50, 50, 19]);
      expect(wave.sends.map((s) => s.token)).to.deep.equal([1, 2, 3].map((k) => sendToken(run.id, 2, k, 3)));
      expect(wave.sends.every((s) => s.commandId === null && s.intentAt === T0 + MIN)).to.equal(true);
      expect(sendToken(run.id, 2, 1, 3)).to.equal(`sre-ops ${run.id} wave 2 part 1/3`).and.have.length.at.most(100);
    });

    it('marks instances sent per command, and in flight until cancelled', () => {
      let run = recordSendIntent(running(), 50, T0);
      const [s] = activeWave(run).sends;
      run = recordSent(run, s?.token as string, 'cmd-1', T0);

      expect(activeWave(run).instances.map((i) => i.status)).to.deep.equal(['sent']);
      expect(commandsInFlight(run)).to.deep.equal(['cmd-1']);
      const cancelled = cancelRun(run, BOB, T0 + MIN);
      expect(cancelled.status).to.equal('cancelled');
      expect(cancelled.lease).to.equal(null);
      expect(activeWave(cancelled).instances.map((i) => [i.status, i.detail])).to.deep.equal([['cancelled', 'cancelled by bob']]);
    });

    it('applies invocation states and returns the same run when nothing changed', () => {
      let run = recordSendIntent(running(), 50, T0);
      run = recordSent(run, activeWave(run).sends[0]?.token as string, 'c', T0);
      const id = activeWave(run).instances[0]?.instanceId as string;

      const progressed = recordInvocations(run, [{ instanceId: id, status: 'in-progress', detail: null }], T0);

      expect(activeWave(progressed).instances[0]?.status).to.equal('in-progress');
      expect(recordInvocations(progressed, [{ instanceId: id, status: 'in-progress', detail: null }], T0)).to.equal(progressed);
      expect(waveCommandsDone(progressed)).to.equal(false);
    });

    it('times out instances still unfinished', () => {
      const run = recordSendIntent(running(), 50, T0);

      const timed = timeOutWave(run, T0 + 120 * MIN, 120);

      expect(activeWave(timed).instances.map((i) => [i.status, i.detail])).to.deep.equal([['timed-out', 'no result within 120 minutes of sending']]);
      expect(waveCommandsDone(timed)).to.equal(true);
    });

    it('a verified wave moves the run to the next one, the last wave ends it succeeded', () => {
      const run = startRun(aRun({ targets: targets(3) }), ALICE, 'h', T0, LEASE);

      const afterFirst = finishWave(run, T0);
      const afterLast = finishWave(afterFirst, T0 + MIN);

      expect(afterFirst).to.deep.include({ status: 'running', currentWave: 2 });
      expect(afterFirst.lease).to.not.equal(null);
      expect(afterLast).to.deep.include({ status: 'succeeded', lease: null, haltReason: null });
      expect(afterLast.waves.map((w) => w.status)).to.deep.equal(['succeeded', 'succeeded']);
    });

    it('a regressed instance halts the run and says which and why; later waves never start', () => {
      const run = startRun(aRun({ targets: targets(3) }), ALICE, 'h', T0, LEASE);
      const canary = activeWave(run).instances[0]?.instanceId as string;

      const halted = finishWave(run, T0, (id) => (id === canary ? 'regressed' : 'succeeded'));

      expect(halted.status).to.equal('halted');
      expect(halted.haltReason).to.equal(`wave 1: host-1 (${canary}) regressed: cpu`);
      expect(halted.waves.map((w) => w.status)).to.deep.equal(['halted', 'pending']);
    });

    it('some failed instances halt the run (wave failed); all failed means the run failed', () => {
      const run = startRun(aRun({ targets: targets(4) }), ALICE, 'h', T0, LEASE);
      const second = finishWave(run, T0);
      const [first] = activeWave(second).instances;

      const some = finishWave(second, T0, (id) => (id === first?.instanceId ? 'failed' : 'succeeded'));
      const all = finishWave(second, T0, () => 'failed');

      expect([some.status, some.waves[1]?.status]).to.deep.equal(['halted', 'failed']);
      expect([all.status, all.waves[1]?.status]).to.deep.equal(['failed', 'failed']);
    });
  });

  describe('the execution lease', () => {
    it('keeps a second executor out until it expires; the holder may renew it', () => {
      const run = takeLease(approveRun(prodRun(), BOB, T0, DEFAULT_POLICY), 'first', T0, LEASE);

      expect(() => takeLease(run, 'second', T0 + LEASE - 1, LEASE)).to.throw(ConflictError, /being executed by another process/);
      expect(takeLease(run, 'first', T0 + MIN, LEASE).lease).to.deep.equal({ holder: 'first', until: T0 + MIN + LEASE });
      expect(takeLease(run, 'second', T0 + LEASE, LEASE).lease?.holder).to.equal('second');
    });

    it('viewers may not execute', () => {
      expect(() => startRun(approveRun(prodRun(), BOB, T0, DEFAULT_POLICY), VIEWER, 'h', T0, LEASE)).to.throw(ForbiddenError);
    });
  });
});
