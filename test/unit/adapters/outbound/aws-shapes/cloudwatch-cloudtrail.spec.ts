import { expect } from 'chai';
import { mapCloudTrailEvent, mapMetricDataResults, ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';

const t = (iso: string): number => Date.parse(iso);

describe('mapMetricDataResults (CloudWatch GetMetricData)', () => {
  it('maps the four query ids to series sorted ascending and skips unknown ids', () => {
    const m = mapMetricDataResults([
      { Id: 'cpu', Timestamps: ['2026-11-20T11:00:00+00:00', '2026-11-20T10:00:00+00:00'], Values: [40, 30], StatusCode: 'Complete' },
      { Id: 'networkIn', Timestamps: [1795168800, 1795172400], Values: [1, 2] },
      { Id: 'networkOut', Timestamps: [new Date('2026-11-20T11:00:00Z'), new Date('2026-11-20T09:00:00Z'), new Date('2026-11-20T10:00:00Z')], Values: [3, 1, 2] },
      { Id: 'statusCheckFailed', Timestamps: [], Values: [] },
      { Id: 'somethingElse', Timestamps: ['2026-11-20T11:00:00Z'], Values: [9] },
    ], '$.MetricDataResults');

    expect(m).to.deep.equal({
      cpu: [{ t: t('2026-11-20T10:00:00Z'), v: 30 }, { t: t('2026-11-20T11:00:00Z'), v: 40 }],
      networkIn: [{ t: t('2026-11-20T10:00:00Z'), v: 1 }, { t: t('2026-11-20T11:00:00Z'), v: 2 }],
      networkOut: [{ t: t('2026-11-20T09:00:00Z'), v: 1 }, { t: t('2026-11-20T10:00:00Z'), v: 2 }, { t: t('2026-11-20T11:00:00Z'), v: 3 }],
      statusCheckFailed: [],
    });
  });

  it('merges successive pages of one id', () => {
    const m = mapMetricDataResults([
      { Id: 'cpu', Timestamps: ['2026-11-20T11:00:00Z'], Values: [4] },
      { Id: 'cpu', Timestamps: ['2026-11-20T10:00:00Z'], Values: [3] },
    ], '$');

    expect(m.cpu?.map((p) => p.v)).to.deep.equal([3, 4]);
  });

  it('accepts a resolver for batched query ids', () => {
    const m = mapMetricDataResults([{ Id: 'cpu_i0aaa', Timestamps: ['2026-11-20T11:00:00Z'], Values: [4] }], '$', (id) => (id.startsWith('cpu_') ? 'cpu' : null));

    expect(m.cpu).to.have.length(1);
  });

  it('refuses timestamps and values of different lengths, or a value that is not a number', () => {
    expect(() => mapMetricDataResults([{ Id: 'cpu', Timestamps: ['2026-11-20T11:00:00Z'], Values: [] }], '$.MetricDataResults'))
      .to.throw(ShapeError, '$.MetricDataResults[0].Values: expected an array as long as Timestamps (1), found an array of 0');
    expect(() => mapMetricDataResults([{ Id: 'cpu', Timestamps: ['2026-11-20T11:00:00Z'], Values: ['high'] }], '$.MetricDataResults'))
      .to.throw(ShapeError, '$.MetricDataResults[0].Values[0]: expected a number, found the string "high"');
    expect(() => mapMetricDataResults({ cpu: [] }, '$.MetricDataResults')).to.throw(ShapeError, '$.MetricDataResults: expected an array, found an object');
  });
});

describe('mapCloudTrailEvent (CloudTrail LookupEvents)', () => {
  const detail = {
    userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', principalId: '123456789012' },
    sourceIPAddress: '198.51.100.77',
    userAgent: 'AWS Internal',
    errorCode: 'Client.UnauthorizedOperation',
    errorMessage: 'You are not authorized to perform this operation.',
    readOnly: false,
    awsRegion: 'us-east-1',
    eventSource: 'ec2.amazonaws.com',
    somethingNew: true,
  };

  it('reads the fields that matter from the CloudTrailEvent JSON string', () => {
    const e = mapCloudTrailEvent({
      EventId: 'e-1', EventName: 'StopInstances', ReadOnly: 'true', EventTime: '2026-11-19T10:00:00+00:00', EventSource: 'ec2.amazonaws.com',
      Username: 'root', Resources: [], CloudTrailEvent: JSON.stringify(detail),
    }, '$.Events[0]');

    expect(e).to.deep.equal({
      eventId: 'e-1', eventName: 'StopInstances', eventSource: 'ec2.amazonaws.com', eventTime: t('2026-11-19T10:00:00Z'), username: 'root',
      userIdentityType: 'Root', userArn: 'arn:aws:iam::123456789012:root', sourceIpAddress: '198.51.100.77', userAgent: 'AWS Internal',
      // The record's own readOnly wins over the LookupEvents summary.
      errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.', readOnly: false, awsRegion: 'us-east-1',
    });
  });

  it('maps an event without CloudTrailEvent, and epoch-second or Date event times', () => {
    const e = mapCloudTrailEvent({ EventId: 'e-2', EventName: 'CreateTags', ReadOnly: 'false', EventTime: 1794996000 }, '$');
    const d = mapCloudTrailEvent({ EventId: 'e-3', EventName: 'CreateTags', EventTime: new Date('2026-11-18T10:00:00Z') }, '$');

    expect(e).to.include({ eventTime: t('2026-11-18T10:00:00Z'), readOnly: false, userIdentityType: null, sourceIpAddress: null });
    expect(d.eventTime).to.equal(e.eventTime);
  });

  it('refuses a CloudTrailEvent that is not JSON, naming the path', () => {
    expect(() => mapCloudTrailEvent({ EventId: 'e', EventName: 'X', EventTime: '2026-11-18T10:00:00Z', CloudTrailEvent: '{not json' }, '$.Events[4]'))
      .to.throw(ShapeError, '$.Events[4].CloudTrailEvent: expected a string holding a JSON object, found the string "{not json"');
  });
});
