import { expect } from 'chai';
import { ConflictError, ForbiddenError, ValidationError } from '../../../../domain/errors.js';
import { isAcceptanceExpired, newAcceptance, parseUntil, revokeAcceptance, type NewAcceptanceInput } from '../../../../domain/patch/acceptance.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import { DAY_MS } from '../../../../domain/time.js';
import { T0 } from '../../../builders.js';
import { ALICE, BOB } from '../../../patch-builders.js';

function accept(over: Partial<NewAcceptanceInput> = {}): ReturnType<typeof newAcceptance> {
  return newAcceptance({ id: 'acc-1', vulnerabilityId: 'cve-2024-6387', instanceId: null, until: '2026-11-30', reason: ' not exposed ', actor: BOB, now: T0, policy: DEFAULT_POLICY, ...over });
}

describe('risk acceptances', () => {
  it('an approver accepts until the end of the given day (UTC), id upper-cased, reason trimmed', () => {
    const a = accept();

    expect(a).to.deep.include({ vulnerabilityId: 'CVE-2024-6387', instanceId: null, reason: 'not exposed', acceptedBy: 'bob', acceptedAt: T0, revokedBy: null });
    expect(a.until).to.equal(Date.parse('2026-12-01T00:00:00Z') - 1);
  });

  it('records the instance\'s account and region when both are known, and neither for a fleet-wide one or half an identity', () => {
    expect(accept({ instanceId: 'i-0abc', accountId: '111111111111', region: 'us-east-1' })).to.deep.include({ instanceId: 'i-0abc', accountId: '111111111111', region: 'us-east-1' });
    expect(accept({ instanceId: 'i-0abc', accountId: '111111111111', region: null })).to.not.have.any.keys('accountId', 'region');
    expect(accept({ instanceId: null, accountId: '111111111111', region: 'us-east-1' })).to.not.have.any.keys('accountId', 'region');
    expect(accept({ instanceId: 'i-0abc' })).to.not.have.any.keys('accountId', 'region');
  });

  it('takes a date-time with a zone as given', () => {
    expect(parseUntil('2026-11-30T18:00:00+02:00')).to.equal(Date.parse('2026-11-30T16:00:00Z'));
    expect(() => parseUntil('30/11/2026')).to.throw(ValidationError).with.property('field', 'until');
    expect(() => parseUntil('2026-11-30T18:00:00')).to.throw(ValidationError, /has no time zone; add Z/);
  });

  it('operators may not accept risks', () => {
    expect(() => accept({ actor: ALICE })).to.throw(ForbiddenError, /accept or revoke a risk/);
  });

  const BAD: readonly [string, Partial<NewAcceptanceInput>, string][] = [
    ['a malformed id', { vulnerabilityId: 'openssh' }, 'vulnerabilityId'],
    ['no reason', { reason: '   ' }, 'reason'],
    ['a date in the past', { until: '2026-10-01' }, 'until'],
    ['more than maxDays ahead', { until: '2027-12-01' }, 'until'],
  ];
  for (const [what, over, field] of BAD) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(() => accept(over)).to.throw(ValidationError).with.property('field', field);
    });
  }

  it('expires at its until (a fake clock past it sees it expired)', () => {
    const a = accept();

    expect(isAcceptanceExpired(a, a.until - 1)).to.equal(false);
    expect(isAcceptanceExpired(a, a.until)).to.equal(true);
  });

  it('revoking ends it now and records who; twice is refused, as is revoking an expired one', () => {
    const a = accept();

    const r = revokeAcceptance(a, BOB, T0 + DAY_MS);

    expect(r).to.deep.include({ until: T0 + DAY_MS, revokedBy: 'bob', revokedAt: T0 + DAY_MS });
    expect(isAcceptanceExpired(r, T0 + DAY_MS)).to.equal(true);
    expect(() => revokeAcceptance(r, BOB, T0 + 2 * DAY_MS)).to.throw(ConflictError, /already revoked/);
    expect(() => revokeAcceptance(a, BOB, a.until + 1)).to.throw(ConflictError, /already expired/);
  });
});
