import { expect } from 'chai';
import { reviewActivity } from '../../../../domain/activity/review.js';
import { ValidationError } from '../../../../domain/errors.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import type { Policy } from '../../../../domain/policy.js';
import { T0, anEvent } from '../../../builders.js';

function withNetworks(...knownNetworks: string[]): Policy {
  return { ...DEFAULT_POLICY, activity: { ...DEFAULT_POLICY.activity, knownNetworks } };
}

const offices = withNetworks('203.0.113.0/24', '2001:db8:abcd::/48');

function kindsOf(policy: Policy, ...events: Parameters<typeof anEvent>[0][]) {
  return reviewActivity(events.map((e) => anEvent(e)), policy).events.map((r) => r.flags.map((f) => f.kind));
}

describe('reviewActivity', () => {
  it('flags a call by the root user', () => {
    const [reviewed] = reviewActivity([anEvent({ userIdentityType: 'Root', username: 'root' })], DEFAULT_POLICY).events;

    expect(reviewed?.flags).to.deep.equal([{ kind: 'root', reason: "DescribeInstances was called by the account's root user" }]);
  });

  it('flags a destructive or security-relevant call', () => {
    const [reviewed] = reviewActivity([anEvent({ eventName: 'TerminateInstances', readOnly: false })], DEFAULT_POLICY).events;

    expect(reviewed?.flags).to.deep.equal([{ kind: 'sensitive-call', reason: 'TerminateInstances is a destructive or security-relevant call' }]);
  });

  it('flags a refused call and a failed one, with the error', () => {
    const events = [
      anEvent({ eventId: 'e-denied', eventTime: T0 + 2, eventName: 'StopInstances', errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }),
      anEvent({ eventId: 'e-failed', eventTime: T0 + 1, errorCode: 'Client.InvalidInstanceID.NotFound' }),
    ];

    const [denied, failed] = reviewActivity(events, DEFAULT_POLICY).events;

    expect(denied?.flags.find((f) => f.kind === 'error')?.reason).to.equal(
      'StopInstances was refused (Client.UnauthorizedOperation): the caller tried a call it may not make ("You are not authorized to perform this operation.")');
    expect(failed?.flags).to.deep.equal([{ kind: 'error', reason: 'DescribeInstances failed with Client.InvalidInstanceID.NotFound' }]);
  });

  it('flags a call from outside the known networks, IPv4 and IPv6', () => {
    const kinds = kindsOf(offices,
      { eventId: 'e1', eventTime: T0 + 4, sourceIpAddress: '203.0.113.77' },
      { eventId: 'e2', eventTime: T0 + 3, sourceIpAddress: '198.51.100.7' },
      { eventId: 'e3', eventTime: T0 + 2, sourceIpAddress: '2001:db8:abcd:1::20' },
      { eventId: 'e4', eventTime: T0 + 1, sourceIpAddress: '2001:db8:ffff::20' });

    expect(kinds).to.deep.equal([[], ['unknown-network'], [], ['unknown-network']]);
  });

  it('says which address and which networks', () => {
    const [reviewed] = reviewActivity([anEvent({ sourceIpAddress: '198.51.100.7' })], offices).events;

    expect(reviewed?.flags[0]?.reason).to.equal('called from 198.51.100.7, outside the known networks (203.0.113.0/24, 2001:db8:abcd::/48)');
  });

  it('does not flag AWS service principals or a missing source', () => {
    const kinds = kindsOf(offices,
      { eventId: 'e1', eventTime: T0 + 3, sourceIpAddress: 'ec2.amazonaws.com', userIdentityType: 'AWSService' },
      { eventId: 'e2', eventTime: T0 + 2, sourceIpAddress: 'AWS Internal' },
      { eventId: 'e3', eventTime: T0 + 1, sourceIpAddress: null });

    expect(kinds).to.deep.equal([[], [], []]);
  });

  it('does not check networks when none are known', () => {
    expect(kindsOf(DEFAULT_POLICY, { sourceIpAddress: '198.51.100.7' })).to.deep.equal([[]]);
  });

  it('lists every flag an event earns', () => {
    const kinds = kindsOf(offices, { userIdentityType: 'Root', eventName: 'DeleteTrail', errorCode: 'AccessDenied', sourceIpAddress: '192.0.2.1' });

    expect(kinds).to.deep.equal([['root', 'sensitive-call', 'error', 'unknown-network']]);
  });

  it('orders events newest first and counts the flagged', () => {
    const events = [
      anEvent({ eventId: 'e-old', eventTime: T0 }),
      anEvent({ eventId: 'e-new', eventTime: T0 + 60_000, eventName: 'StopInstances' }),
      anEvent({ eventId: 'e-mid', eventTime: T0 + 30_000, errorCode: 'AccessDenied' }),
    ];

    const summary = reviewActivity(events, DEFAULT_POLICY);

    expect(summary.events.map((r) => r.event.eventId)).to.deep.equal(['e-new', 'e-mid', 'e-old']);
    expect(summary).to.deep.include({ total: 3, flagged: 2 });
  });

  it('refuses a known network that is not a CIDR, naming it', () => {
    expect(() => reviewActivity([], withNetworks('10.0.0.0/8', '10.0.0.300/24'))).to.throw(ValidationError, /activity\.knownNetworks\[1\]/);
  });
});
