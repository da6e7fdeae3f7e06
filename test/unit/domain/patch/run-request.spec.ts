import { expect } from 'chai';
import { ValidationError } from '../../../../domain/errors.js';
import { checkRunRequest, requestFingerprint } from '../../../../domain/patch/run-request.js';

describe('patch run requests', () => {
  it('trims, drops repeated instances and fills defaults', () => {
    expect(checkRunRequest({ instances: [' web-1 ', 'web-1', 'i-0abc'] })).to.deep.equal({
      instances: ['web-1', 'i-0abc'], fromPlan: false, dryRun: false, reboot: 'if-needed', idempotencyKey: null, reason: null,
    });
  });

  const BAD: readonly [string, Parameters<typeof checkRunRequest>[0], string][] = [
    ['nothing to patch', {}, 'instances'],
    ['both instances and the plan', { instances: ['a'], fromPlan: true }, 'instances'],
    ['an empty instance name', { instances: ['a', ' '] }, 'instances'],
    ['an unknown reboot option', { instances: ['a'], reboot: 'always' }, 'reboot'],
    ['a key with spaces', { instances: ['a'], idempotencyKey: 'a b' }, 'idempotencyKey'],
    ['a reason of 501 characters', { instances: ['a'], reason: 'x'.repeat(501) }, 'reason'],
  ];
  for (const [what, request, field] of BAD) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(() => checkRunRequest(request)).to.throw(ValidationError).with.property('field', field);
    });
  }

  it('the same request (instances in any order, any reason) has the same fingerprint; another actor or option does not', () => {
    const a = requestFingerprint('alice', checkRunRequest({ instances: ['b', 'a'], reason: 'one' }));

    expect(requestFingerprint('alice', checkRunRequest({ instances: ['a', 'b'], reason: 'two' }))).to.equal(a);
    expect(requestFingerprint('bob', checkRunRequest({ instances: ['a', 'b'] }))).to.not.equal(a);
    expect(requestFingerprint('alice', checkRunRequest({ instances: ['a', 'b'], dryRun: true }))).to.not.equal(a);
    expect(requestFingerprint('alice', checkRunRequest({ instances: ['a', 'b'], reboot: 'never' }))).to.not.equal(a);
  });
});
