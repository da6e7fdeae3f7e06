import { expect } from 'chai';
import { mapDescribeInstances, mapInstance, mapManagedInstance, mapPatchState, ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';

describe('mapInstance (EC2 DescribeInstances)', () => {
  const raw = {
    InstanceId: 'i-0aaa000000000001',
    InstanceType: 't3.medium',
    LaunchTime: '2026-10-01T08:00:00+00:00',
    Placement: { AvailabilityZone: 'us-east-1a' },
    PublicIpAddress: '192.0.2.10',
    State: { Code: 16, Name: 'running' },
    PlatformDetails: 'Linux/UNIX',
    NetworkInterfaces: [{ Ipv6Addresses: [{ Ipv6Address: '2001:db8::1' }, { Ipv6Address: '2001:db8::2' }] }],
    Ipv6Address: '2001:db8::1',
    Tags: [
      { Key: 'Name', Value: 'web-1' },
      { Key: 'Environment', Value: 'Production' },
      { Key: 'aws:autoscaling:groupName', Value: 'web-asg' },
      { Key: 'no-value' },
    ],
    BrandNewField: { x: 1 },
  };

  it('maps tags to a record, the Name tag, the ASG, addresses and placement', () => {
    expect(mapInstance(raw, '$')).to.deep.equal({
      instanceId: 'i-0aaa000000000001',
      name: 'web-1',
      tags: { Name: 'web-1', Environment: 'Production', 'aws:autoscaling:groupName': 'web-asg', 'no-value': '' },
      state: 'running',
      publicIpv4: '192.0.2.10',
      ipv6: ['2001:db8::1', '2001:db8::2'],
      platform: 'Linux/UNIX',
      instanceType: 't3.medium',
      availabilityZone: 'us-east-1a',
      autoScalingGroup: 'web-asg',
      launchTime: Date.parse('2026-10-01T08:00:00Z'),
    });
  });

  it('keeps an unknown state name and tolerates a missing Name tag', () => {
    const a = mapInstance({ InstanceId: 'i-0aaa000000000002', State: { Name: 'hibernating' } }, '$');

    expect(a.state).to.equal('hibernating');
    expect(a.name).to.equal(null);
    expect(a.tags).to.deep.equal({});
  });

  it('flattens every reservation, terminated instances included', () => {
    const page = { Reservations: [{ Instances: [raw, { InstanceId: 'i-0aaa000000000009', State: { Name: 'terminated' } }] }, { Instances: [] }] };

    expect(mapDescribeInstances(page).map((a) => a.state)).to.deep.equal(['running', 'terminated']);
  });

  it('names the path of a malformed tag', () => {
    const bad = { Reservations: [{ Instances: [{ InstanceId: 'i-0aaa000000000001', Tags: [{ Key: 'Name', Value: 7 }] }] }] };

    expect(() => mapDescribeInstances(bad)).to.throw(ShapeError, '$.Reservations[0].Instances[0].Tags[0].Value: expected a string, found the number 7');
  });
});

describe('mapManagedInstance and mapPatchState (SSM)', () => {
  it('maps DescribeInstanceInformation, keeping an unknown PingStatus', () => {
    const m = mapManagedInstance({ InstanceId: 'i-0aaa000000000001', PingStatus: 'Hibernated', LastPingDateTime: 1795172400, PlatformName: 'Amazon Linux', AgentVersion: '3.3.1142.0' }, '$');

    expect(m).to.deep.equal({ instanceId: 'i-0aaa000000000001', pingStatus: 'Hibernated', lastPingAt: Date.parse('2026-11-20T11:00:00Z'), platformName: 'Amazon Linux', agentVersion: '3.3.1142.0' });
  });

  it('maps DescribeInstancePatchStates; absent counts are zero', () => {
    const p = mapPatchState({
      InstanceId: 'i-0aaa000000000001', PatchGroup: 'web', BaselineId: 'pb-0123', MissingCount: 4, FailedCount: 1, InstalledPendingRebootCount: 2,
      Operation: 'Install', OperationStartTime: '2026-11-20T01:00:00+00:00', OperationEndTime: new Date('2026-11-20T01:05:00Z'), RebootOption: 'RebootIfNeeded',
    }, '$');

    expect(p).to.deep.equal({
      instanceId: 'i-0aaa000000000001', patchGroup: 'web', baselineId: 'pb-0123', installedCount: 0, missingCount: 4, failedCount: 1,
      installedPendingRebootCount: 2, criticalNonCompliantCount: 0, securityNonCompliantCount: 0, otherNonCompliantCount: 0, operation: 'Install',
      operationStartTime: Date.parse('2026-11-20T01:00:00Z'), operationEndTime: Date.parse('2026-11-20T01:05:00Z'), rebootOption: 'RebootIfNeeded',
    });
  });

  it('refuses a count that is not a non-negative integer', () => {
    expect(() => mapPatchState({ InstanceId: 'i-0aaa000000000001', Operation: 'Scan', MissingCount: '3' }, '$.InstancePatchStates[2]'))
      .to.throw(ShapeError, '$.InstancePatchStates[2].MissingCount: expected a non-negative integer, found the string "3"');
  });
});
