import { expect } from 'chai';
import { findInstance, editDistance } from '../../../domain/instance-lookup.js';
import { AmbiguousError, NotFoundError } from '../../../domain/errors.js';
import { anAsset } from '../../builders.js';

describe('findInstance', () => {
  const fleet = [
    anAsset({ instanceId: 'i-0aaa000000000001', name: 'web-1' }),
    anAsset({ instanceId: 'i-0aaa000000000002', name: 'web-2' }),
    anAsset({ instanceId: 'i-0aaa000000000003', name: 'db-primary' }),
    anAsset({ instanceId: 'i-0aaa000000000004', name: 'worker' }),
    anAsset({ instanceId: 'i-0aaa000000000005', name: 'worker' }),
  ];

  it('finds by instance id and by Name tag, ignoring case', () => {
    expect(findInstance(fleet, 'i-0aaa000000000003').name).to.equal('db-primary');
    expect(findInstance(fleet, 'WEB-2').instanceId).to.equal('i-0aaa000000000002');
  });

  it('lists near matches for an unknown name', () => {
    const err = (() => { try { findInstance(fleet, 'web-3'); } catch (e) { return e; } return null; })();
    expect(err).to.be.instanceOf(NotFoundError);
    expect((err as NotFoundError).suggestions).to.include.members(['web-1 (i-0aaa000000000001)', 'web-2 (i-0aaa000000000002)']);
    expect((err as NotFoundError).message).to.contain('did you mean');
  });

  it('lists the candidates of an ambiguous name', () => {
    expect(() => findInstance(fleet, 'worker')).to.throw(AmbiguousError, /i-0aaa000000000004 \(worker\), i-0aaa000000000005 \(worker\)/);
  });

  it('ACCOUNT/REGION/ID names an instance of a read of one account when that is the source\'s own account and region (the form listings print)', () => {
    const here = { accountId: '111111111111', region: 'us-east-1' };

    expect(findInstance(fleet, '111111111111/us-east-1/i-0aaa000000000003', here).name).to.equal('db-primary');
    expect(findInstance(fleet, '111111111111/i-0aaa000000000003', here).name).to.equal('db-primary');
    expect(() => findInstance(fleet, '222222222222/us-east-1/i-0aaa000000000003', here)).to.throw(NotFoundError);
    expect(() => findInstance(fleet, '111111111111/eu-west-1/i-0aaa000000000003', here)).to.throw(NotFoundError);
    expect(() => findInstance(fleet, '111111111111/us-east-1/i-0aaa000000000003')).to.throw(NotFoundError);
    // Assets that carry their account are matched by it, never by the source's.
    const org = [anAsset({ instanceId: 'i-0aaa000000000003', accountId: '222222222222', region: 'us-east-1' })];
    expect(() => findInstance(org, '111111111111/us-east-1/i-0aaa000000000003', here)).to.throw(NotFoundError);
  });

  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).to.equal(3);
    expect(editDistance('', 'abc')).to.equal(3);
  });
});
