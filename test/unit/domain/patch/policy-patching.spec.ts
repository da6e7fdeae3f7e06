import { expect } from 'chai';
import { ValidationError } from '../../../../domain/errors.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../domain/policy.js';

function fieldOf(override: unknown): string {
  try {
    resolvePolicy(override);
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  return '(accepted)';
}

describe('policy: patch operation settings', () => {
  it('defaults: local user admin, others viewers, approvals for 24 h, the documented regression rule', () => {
    expect(DEFAULT_POLICY.access).to.deep.equal({ actors: {}, localUser: ['admin'], others: ['viewer'] });
    expect(DEFAULT_POLICY.approval.expiresAfterHours).to.equal(24);
    expect(DEFAULT_POLICY.verification).to.include({ cpuRatio: 2, cpuPoints: 30, cpuCeiling: 95, minPoints: 2 });
    expect(DEFAULT_POLICY.rollout.alarms).to.deep.equal([]);
  });

  it('names actors with their roles, keeping the id\'s case and dropping repeated roles', () => {
    const p = resolvePolicy({ access: { actors: { Alice: ['approver', 'approver'], 'slack:U1': ['operator'] } } });

    expect(p.access.actors).to.deep.equal({ Alice: ['approver'], 'slack:U1': ['operator'] });
    expect(p.access.localUser).to.deep.equal(['admin']);
  });

  const BAD: readonly [string, unknown, string][] = [
    ['an unknown role', { access: { actors: { alice: ['superuser'] } } }, 'access.actors.alice[0]'],
    ['roles not a list', { access: { actors: { alice: 'approver' } } }, 'access.actors.alice'],
    ['an unknown local role', { access: { localUser: ['root'] } }, 'access.localUser[0]'],
    ['two alarms (SSM takes one)', { rollout: { alarms: ['a', 'b'] } }, 'rollout.alarms'],
    ['a zero approval lifetime', { approval: { expiresAfterHours: 0 } }, 'approval.expiresAfterHours'],
    ['a CPU ratio below 1', { verification: { cpuRatio: 0.5 } }, 'verification.cpuRatio'],
    ['a ceiling above 100', { verification: { cpuCeiling: 120 } }, 'verification.cpuCeiling'],
    ['fractional min points', { verification: { minPoints: 1.5 } }, 'verification.minPoints'],
    ['a negative settle', { verification: { settleMinutes: -1 } }, 'verification.settleMinutes'],
    ['an acceptance cap of 0 days', { riskAcceptance: { maxDays: 0 } }, 'riskAcceptance.maxDays'],
    ['a typo in a key', { verification: { cpuRatoi: 3 } }, 'verification.cpuRatoi'],
  ];
  for (const [what, override, field] of BAD) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(fieldOf(override)).to.equal(field);
    });
  }
});
