import { expect } from 'chai';
import { ROLES, type Role } from '../../../../domain/access/actor.js';
import { actorFor, authorize, can, GRANTS, PERMISSIONS, rolesOf, type Permission } from '../../../../domain/access/authorize.js';
import { ForbiddenError } from '../../../../domain/errors.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../domain/policy.js';
import { anActor } from '../../../patch-builders.js';

describe('authorization', () => {
  // The table the issue states: viewers read, operators request and execute, approvers approve.
  const EXPECTED: Readonly<Record<Role, readonly Permission[]>> = {
    viewer: ['view'],
    operator: ['view', 'request', 'execute', 'cancel'],
    approver: ['view', 'approve', 'cancel', 'accept-risk', 'schedule'],
    admin: ['view', 'request', 'execute', 'cancel', 'approve', 'accept-risk', 'schedule'],
  };

  for (const role of ROLES) {
    for (const p of PERMISSIONS) {
      const allowed = EXPECTED[role].includes(p);
      it(`${role} ${allowed ? 'may' : 'may not'} ${p}`, () => {
        expect(can(anActor('x', role), p)).to.equal(allowed);
      });
    }
  }

  it('grants the union of an actor\'s roles', () => {
    const both = anActor('x', 'operator', 'approver');

    expect(PERMISSIONS.filter((p) => can(both, p)).sort()).to.deep.equal([...new Set([...GRANTS.operator, ...GRANTS.approver])].sort());
  });

  it('an actor with no role may do nothing, not even read', () => {
    expect(PERMISSIONS.some((p) => can(anActor('nobody'), p))).to.equal(false);
  });

  it('a denial names the actor, their roles, the action and the roles that would allow it', () => {
    expect(() => authorize(anActor('vic', 'viewer'), 'request')).to.throw(ForbiddenError, 'vic (viewer) may not request a patch run: that needs the operator or admin role');
    expect(() => authorize(anActor('nobody'), 'view')).to.throw(ForbiddenError, /nobody \(no role\)/);
  });

  describe('roles from the policy', () => {
    const policy = resolvePolicy({ access: { actors: { alice: ['approver'], 'slack:U123': ['operator', 'approver'] } } });

    it('a named actor gets the roles the policy names, whether local or not', () => {
      expect(rolesOf('alice', policy, false)).to.deep.equal(['approver']);
      expect(rolesOf('alice', policy, true)).to.deep.equal(['approver']);
      expect(rolesOf('slack:U123', policy, false)).to.deep.equal(['operator', 'approver']);
    });

    it('by default the local OS user is admin and anyone else unnamed a viewer', () => {
      expect(rolesOf('carol', DEFAULT_POLICY, true)).to.deep.equal(['admin']);
      expect(rolesOf('carol', DEFAULT_POLICY, false)).to.deep.equal(['viewer']);
    });

    it('does not treat inherited object keys as actors', () => {
      expect(rolesOf('constructor', DEFAULT_POLICY, false)).to.deep.equal(['viewer']);
      expect(rolesOf('__proto__', DEFAULT_POLICY, false)).to.deep.equal(['viewer']);
    });

    it('actorFor trims the id and refuses an empty one', () => {
      expect(actorFor('  alice ', 'http', policy)).to.deep.equal({ id: 'alice', roles: ['approver'], via: 'http' });
      expect(() => actorFor('  ', 'http', policy)).to.throw(ForbiddenError);
    });
  });
});
