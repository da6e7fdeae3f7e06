/**
 * The plan's table on an organization read: two accounts may hold the same instance id, so the
 * rows show ACCOUNT and REGION when the plan spans more than one (as the fleet table does), and
 * stay as they were for one account.
 */
import { expect } from 'chai';
import { renderPlan } from '../../../../../adapters/inbound/cli/render.js';
import { Style } from '../../../../../adapters/inbound/cli/terminal.js';
import type { PlannedInstanceReport, PlanReport } from '../../../../../ports/inbound/patching/plan-patches.port.js';

const row = (over: Partial<PlannedInstanceReport>): PlannedInstanceReport => ({
  instanceId: 'i-0123456789abcdef0', name: 'web', riskScore: 70, decision: 'next-window', dueBy: '2026-12-10T00:00:00.000Z',
  window: { start: '2026-12-08T02:00:00.000Z', end: '2026-12-08T04:00:00.000Z', source: 'cpu-history', why: 'quietest' },
  wave: 1, canary: false, production: false, autoScalingGroup: null, rebootExpected: false, lateByHours: null, ...over,
});

const plan = (rows: PlannedInstanceReport[]): PlanReport => ({
  generatedAt: '2026-12-07T00:00:00.000Z', asOf: 'clock', source: 'aws', rollout: { maxConcurrency: '10%', maxErrors: '0' },
  byDecision: { 'patch-now': [], 'next-window': rows, routine: [], mitigate: [], blocked: [], none: [] },
  waves: [], notes: [], warnings: [],
});

describe('renderPlan: account and region columns', () => {
  it('shows ACCOUNT and REGION when the plan spans two accounts holding the same instance id', () => {
    const out = renderPlan(plan([row({ accountId: '111111111111', region: 'eu-west-1' }), row({ accountId: '222222222222', region: 'us-east-1', wave: 2 })]), new Style(false));

    expect(out).to.match(/ACCOUNT +REGION +INSTANCE/);
    expect(out).to.match(/111111111111 +eu-west-1 +i-0123456789abcdef0/);
    expect(out).to.match(/222222222222 +us-east-1 +i-0123456789abcdef0/);
  });

  it('leaves them out for one account and region', () => {
    const out = renderPlan(plan([row({ accountId: '111111111111', region: 'eu-west-1' }), row({ instanceId: 'i-1', accountId: '111111111111', region: 'eu-west-1' })]), new Style(false));

    expect(out).not.to.match(/ACCOUNT|REGION/);
  });
});
