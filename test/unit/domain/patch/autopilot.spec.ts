import { expect } from 'chai';
import { ForbiddenError, ValidationError } from '../../../../domain/errors.js';
import { DEFAULT_POLICY, resolvePolicy, type Policy } from '../../../../domain/policy.js';
import {
  approveByStandingApproval,
  autopilotDue,
  autopilotRunId,
  missWindow,
  newAutopilotRun,
  type AutopilotCandidate,
} from '../../../../domain/patch/autopilot.js';
import type { PlannedInstance } from '../../../../domain/patch/plan-model.js';
import { approveRun, startRun, type PatchRun } from '../../../../domain/patch/run.js';
import { T0 } from '../../../builders.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const NOW = T0 + 3 * 24 * HOUR; // Wed 2026-11-04 00:00 UTC
const EXECUTOR = { id: 'sre-ops-executor', roles: ['operator' as const], via: 'executor' as const };

function refusal(override: unknown): ValidationError {
  try {
    resolvePolicy(override);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('accepted');
}

function autopilot(over: Record<string, unknown> = {}): Policy {
  return resolvePolicy({ autopilot: { enabled: true, approvalLeadTimeHours: 12, approvalDeadlineMinutes: 60, ...over } }, DEFAULT_POLICY);
}

function planned(id: string, over: Partial<PlannedInstance> & { startIn?: number } = {}): PlannedInstance {
  const start = NOW + (over.startIn ?? 6) * HOUR;
  return {
    instanceId: id, name: `n-${id}`, decision: 'next-window', riskScore: 50, dueBy: null, production: false, autoScalingGroup: null,
    rebootExpected: false, window: { start, end: start + 3 * HOUR, source: 'cpu-history', why: 'quiet' }, wave: 1, canary: false, lateBy: null,
    ...over,
  };
}

function candidate(p: PlannedInstance, environment: string | null = 'staging'): AutopilotCandidate {
  return { planned: p, environment, mission: 'medium' };
}

/** The run autopilot makes for the first due window at `now`. */
function made(policy: Policy, cands: readonly AutopilotCandidate[], now: number): PatchRun {
  const due = autopilotDue({ now, policy, candidates: cands, runs: [] });
  const w = due.create[0];
  if (!w) throw new Error('nothing due');
  return newAutopilotRun(w, {
    source: 'test', simulated: true, now, snapshotId: 's', groupSizes: new Map(), policy,
    targets: w.instances.map((i) => ({ instanceId: i.instanceId, name: i.name, production: i.production, decision: i.decision, riskScore: i.riskScore, autoScalingGroup: null })),
  });
}

describe('autopilot policy: refused at load when it would let production or patch-now patch without a second person', () => {
  it('is off by default, for routine and next-window; its defaults never refuse a policy that does not use it', () => {
    expect(DEFAULT_POLICY.autopilot).to.deep.include({ enabled: false, decisions: ['routine', 'next-window'], environments: [] });
    expect(DEFAULT_POLICY.autopilot.standingApproval.allowed).to.equal(false);
    expect(resolvePolicy({ approval: { expiresAfterHours: 2 } }).autopilot.enabled).to.equal(false);
  });

  it('a standing approval over patch-now is refused, naming the field and why', () => {
    const e = refusal({ autopilot: { enabled: true, decisions: ['routine', 'patch-now'], standingApproval: { allowed: true } } });
    expect(e.field).to.equal('autopilot.decisions[1]');
    expect(e.message).to.match(/^policy autopilot\.decisions\[1\]: the standing approval would let patch-now patch without a second person; .*standingApproval\.allowed must be false/);
    expect(e.message).not.to.contain('\n');
  });

  it('a standing approval over a production environment is refused, whatever its case; also while autopilot is off', () => {
    const e = refusal({ autopilot: { environments: ['staging', 'Prod'], standingApproval: { allowed: true } } });
    expect(e.field).to.equal('autopilot.environments[1]');
    expect(e.message).to.contain('"Prod" is a production environment (productionEnvironments)');
    const custom = refusal({ productionEnvironments: ['live'], autopilot: { enabled: true, environments: ['live'], standingApproval: { allowed: true } } });
    expect(custom.field).to.equal('autopilot.environments[0]');
  });

  it('production and patch-now are accepted when a person approves (no standing approval), and a standing approval over non-production', () => {
    expect(resolvePolicy({ autopilot: { enabled: true, decisions: ['patch-now'], environments: ['prod'] } }).autopilot.environments).to.deep.equal(['prod']);
    expect(resolvePolicy({ autopilot: { enabled: true, environments: ['staging'], standingApproval: { allowed: true } } }).autopilot.standingApproval.allowed).to.equal(true);
    expect(resolvePolicy({ autopilot: { enabled: true, standingApproval: { allowed: true } } }).autopilot.environments).to.deep.equal([]);
  });

  const BAD: readonly [string, unknown, string][] = [
    ['an unknown decision', { autopilot: { decisions: ['mitigate'] } }, 'autopilot.decisions[0]'],
    ['no decision while enabled', { autopilot: { enabled: true, decisions: [] } }, 'autopilot.decisions'],
    ['an unknown mission', { autopilot: { missions: ['critical'] } }, 'autopilot.missions[0]'],
    ['a lead time longer than an approval holds', { autopilot: { enabled: true, approvalLeadTimeHours: 30 } }, 'autopilot.approvalLeadTimeHours'],
    ['a lead time of 0', { autopilot: { approvalLeadTimeHours: 0 } }, 'autopilot.approvalLeadTimeHours'],
    ['a negative deadline', { autopilot: { approvalDeadlineMinutes: -5 } }, 'autopilot.approvalDeadlineMinutes'],
    ['the autopilot approving itself', { autopilot: { standingApproval: { actor: 'sre-ops-autopilot' } } }, 'autopilot.standingApproval.actor'],
    ['an actor with spaces', { autopilot: { standingApproval: { actor: 'the policy' } } }, 'autopilot.standingApproval.actor'],
    ['an unknown chat platform', { autopilot: { chat: { platform: 'irc', channel: '#ops' } } }, 'autopilot.chat.platform'],
    ['an unknown key', { autopilot: { standing: true } }, 'autopilot.standing'],
  ];
  for (const [what, override, field] of BAD) {
    it(`refuses ${what} (${field})`, () => {
      expect(refusal(override).field).to.equal(field);
    });
  }
});

describe('autopilot: which windows are due (pure, time injected)', () => {
  it('makes a window\'s run approvalLeadTimeHours before its start, with an id from window and instances only', () => {
    const policy = autopilot();
    const cands = [candidate(planned('i-1', { startIn: 20 })), candidate(planned('i-2', { startIn: 20 })), candidate(planned('i-3', { startIn: 6 }))];

    const early = autopilotDue({ now: NOW, policy, candidates: cands, runs: [] });
    expect(early.create.map((w) => w.instances.map((i) => i.instanceId))).to.deep.equal([['i-3']]);
    expect(early.upcoming.map((w) => w.instances.map((i) => i.instanceId))).to.deep.equal([['i-1', 'i-2']]);
    expect(early.upcoming[0]?.createAt).to.equal(NOW + 8 * HOUR);

    const later = autopilotDue({ now: NOW + 8 * HOUR, policy, candidates: [...cands].reverse(), runs: [] });
    const w = later.create.find((x) => x.instances.length === 2);
    expect(w?.runId).to.equal(early.upcoming[0]?.runId);
    expect(w?.runId).to.equal(autopilotRunId({ start: NOW + 20 * HOUR, end: NOW + 23 * HOUR }, ['i-2', 'i-1']));
    expect(w?.runId).not.to.equal(autopilotRunId({ start: NOW + 20 * HOUR, end: NOW + 23 * HOUR }, ['i-1']));
    expect(w?.runId).to.match(/^r-20261104-200000-[0-9a-f]{6}$/);
  });

  it('acts only within its scope: production (with no environments named), decisions not listed, missions not listed, and instances of unfinished runs are left out', () => {
    const policy = autopilot({ missions: ['medium', 'low'] });
    const base = made(policy, [candidate(planned('i-busy'))], NOW);
    const due = autopilotDue({
      now: NOW,
      policy,
      runs: [base],
      candidates: [
        candidate(planned('i-ok')),
        candidate(planned('i-prod', { production: true }), 'prod'),
        candidate(planned('i-now', { decision: 'patch-now' })),
        { ...candidate(planned('i-high')), mission: 'high' },
        candidate(planned('i-busy')),
      ],
    });
    expect(due.create.flatMap((w) => w.instances.map((i) => i.instanceId))).to.deep.equal(['i-ok']);
  });

  it('the standing approval approves at the window\'s start, recorded as the policy (via policy), never a person', () => {
    const policy = autopilot({ standingApproval: { allowed: true, actor: 'ops-standing-approval' } });
    const run = made(policy, [candidate(planned('i-1'))], NOW);
    expect(run).to.deep.include({ status: 'requested', needsApproval: true, autopilot: true, requestedBy: 'sre-ops-autopilot', requestedVia: 'autopilot' });

    expect(autopilotDue({ now: NOW + 6 * HOUR - 1, policy, candidates: [], runs: [run] }).approve).to.deep.equal([]);
    const due = autopilotDue({ now: NOW + 6 * HOUR, policy, candidates: [], runs: [run] });
    expect(due.approve.map((r) => r.id)).to.deep.equal([run.id]);
    const approved = approveByStandingApproval(run, NOW + 6 * HOUR, policy);
    expect(approved.status).to.equal('approved');
    expect(approved.approvals[0]).to.deep.include({ by: 'ops-standing-approval', comment: 'standing approval by policy (autopilot.standingApproval), not a person' });
  });

  it('the standing approval refuses a run with a production instance or a patch-now decision, whatever the policy says', () => {
    const person = autopilot({ decisions: ['next-window', 'patch-now'], environments: ['prod'] });
    const run = made(person, [candidate(planned('i-prod', { production: true }), 'prod')], NOW);
    const permissive = { ...person, autopilot: { ...person.autopilot, standingApproval: { allowed: true, actor: 'x' } } };

    expect(autopilotDue({ now: NOW + 6 * HOUR, policy: permissive, candidates: [], runs: [run] }).approve).to.deep.equal([]);
    expect(() => approveByStandingApproval(run, NOW + 6 * HOUR, permissive)).to.throw(ForbiddenError, /production instance or a patch-now decision needs a second person/);
  });

  it('a run starts only within its window', () => {
    const policy = autopilot({ standingApproval: { allowed: true } });
    const run = approveByStandingApproval(made(policy, [candidate(planned('i-1'))], NOW), NOW + 6 * HOUR, policy);

    expect(() => startRun(run, EXECUTOR, 'task', NOW + 5 * HOUR, MIN)).to.throw(/starts then, not before/);
    expect(startRun(run, EXECUTOR, 'task', NOW + 6 * HOUR, MIN).status).to.equal('running');
    expect(() => startRun(run, EXECUTOR, 'task', NOW + 9 * HOUR, MIN)).to.throw(/missed its window/);
  });

  it('a window is missed without an approval by its deadline, or when it ends before an approved run started; the instances become free for their next window', () => {
    const policy = autopilot();
    const run = made(policy, [candidate(planned('i-1'))], NOW);
    const deadline = NOW + 6 * HOUR + 60 * MIN;

    expect(autopilotDue({ now: deadline - 1, policy, candidates: [], runs: [run] }).missed).to.deep.equal([]);
    const due = autopilotDue({ now: deadline, policy, candidates: [candidate(planned('i-1', { startIn: 6 + 168 }))], runs: [run] });
    expect(due.missed.map((m) => m.why)).to.deep.equal(['no approval by 2026-11-04T07:00:00.000Z']);
    expect(due.upcoming.map((w) => w.instances.map((i) => i.instanceId))).to.deep.equal([['i-1']]);
    expect(() => approveRun(run, { id: 'bob', roles: ['approver'], via: 'cli' }, deadline, policy)).to.throw(/missed its window's approval deadline 2026-11-04T07:00:00.000Z/);
    expect(approveRun(run, { id: 'bob', roles: ['approver'], via: 'cli' }, deadline - 1, policy).status).to.equal('approved');
    const missed = missWindow(run, 'no approval by then', deadline);
    expect(missed).to.deep.include({ status: 'cancelled', haltReason: 'missed its window 2026-11-04T06:00:00.000Z to 2026-11-04T09:00:00.000Z: no approval by then' });

    const approved = { ...run, status: 'approved' as const, approvalExpiresAt: NOW + 24 * HOUR };
    expect(autopilotDue({ now: NOW + 9 * HOUR - 1, policy, candidates: [], runs: [approved] }).missed).to.deep.equal([]);
    expect(autopilotDue({ now: NOW + 9 * HOUR, policy, candidates: [], runs: [approved] }).missed[0]?.why).to.match(/no executor started it before the window ended/);
  });

  it('patch-now\'s window "at once" is pinned to a block of patchWindow.durationHours, so every look finds the same id', () => {
    const policy = autopilot({ decisions: ['patch-now'], environments: ['staging'] });
    const at = (now: number): string | undefined => autopilotDue({ now, policy, runs: [], candidates: [candidate(planned('i-1', { decision: 'patch-now', window: { start: now, end: now + 3 * HOUR, source: 'immediate', why: 'now' } }))] }).create[0]?.runId;
    expect(at(NOW + 10 * MIN)).to.equal(at(NOW + 50 * MIN));
    expect(at(NOW + 70 * MIN)).not.to.equal(at(NOW + 50 * MIN));
  });
});
