import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Event } from '@aws-sdk/client-cloudtrail';
import { CloudTrailActivityLog } from '../../../../../adapters/outbound/aws/cloudtrail-activity-log.js';
import { RequestPacer } from '../../../../../adapters/outbound/aws/resilience.js';
import { SourceError } from '../../../../../domain/errors.js';
import { awsError } from '../../../../integration/aws/aws-fixtures.js';

// moto 5.2.1 does not implement CloudTrail LookupEvents (it answers 500 with an HTML page), so
// these run against aws-sdk-client-mock with AWS-shaped answers.

const START = Date.parse('2026-11-01T00:00:00Z');
const END = Date.parse('2026-11-20T00:00:00Z');

function event(id: string, name: string, time: string, detail: Record<string, unknown> = {}): Event {
  return {
    EventId: id,
    EventName: name,
    EventTime: new Date(time),
    EventSource: 'ec2.amazonaws.com',
    Username: 'alice',
    ReadOnly: 'false',
    Resources: [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-1' }],
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' },
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      awsRegion: 'us-east-1',
      readOnly: false,
      ...detail,
    }),
  };
}

/** A pacer whose clock only moves when it sleeps: records the waits, costs no real time. */
function fakePacer(perSecond = 2): { pacer: RequestPacer; waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  const pacer = new RequestPacer({ perSecond, now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
  return { pacer, waits };
}

const noWait = { sleep: async (): Promise<void> => undefined };

describe('CloudTrailActivityLog (aws-sdk-client-mock: moto lacks LookupEvents)', () => {
  const client = new CloudTrailClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(client);
  afterEach(() => mock.reset());
  after(() => mock.restore());

  it('looks events up by ResourceName over every page and maps the CloudTrailEvent fields, newest first', async () => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [event('e3', 'StopInstances', '2026-11-10T12:00:00Z', { errorCode: 'Client.UnauthorizedOperation' })], NextToken: 'n1' })
      .resolvesOnce({ Events: [event('e1', 'StartInstances', '2026-11-02T12:00:00Z'), event('e2', 'ModifyInstanceAttribute', '2026-11-05T12:00:00Z')] });
    const { pacer } = fakePacer();

    const events = await new CloudTrailActivityLog(client, { pacer }).lookupInstanceEvents('i-1', START, END);

    expect(events.map((e) => e.eventId)).to.deep.equal(['e3', 'e2', 'e1']);
    expect(events[0]).to.deep.include({
      eventName: 'StopInstances', username: 'alice', userIdentityType: 'IAMUser', sourceIpAddress: '203.0.113.7',
      errorCode: 'Client.UnauthorizedOperation', eventTime: Date.parse('2026-11-10T12:00:00Z'), readOnly: false,
    });
    const inputs = mock.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(inputs[0]).to.deep.equal({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'i-1' }],
      StartTime: new Date(START), EndTime: new Date(END), MaxResults: 50, NextToken: undefined,
    });
    expect(inputs[1]?.NextToken).to.equal('n1');
  });

  it('paces calls to 2 a second, across lookups sharing the pacer', async () => {
    mock.on(LookupEventsCommand).resolvesOnce({ Events: [], NextToken: 'n' }).resolves({ Events: [] });
    const { pacer, waits } = fakePacer(2);
    const log = new CloudTrailActivityLog(client, { pacer });

    await log.lookupInstanceEvents('i-1', START, END);
    await new CloudTrailActivityLog(client, { pacer }).lookupInstanceEvents('i-2', START, END);

    expect(mock.commandCalls(LookupEventsCommand)).to.have.length(3);
    expect(waits).to.deep.equal([500, 500]);
  });

  it('retries throttling with backoff and then succeeds', async () => {
    mock
      .on(LookupEventsCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ Events: [event('e1', 'StartInstances', '2026-11-02T12:00:00Z')] });
    const delays: number[] = [];
    const { pacer } = fakePacer(1000);

    const events = await new CloudTrailActivityLog(client, {
      pacer, retry: { baseDelayMs: 100, random: () => 1, sleep: async (ms) => { delays.push(ms); } },
    }).lookupInstanceEvents('i-1', START, END);

    expect(events.map((e) => e.eventId)).to.deep.equal(['e1']);
    expect(delays).to.deep.equal([100, 200]);
  });

  it('gives up on throttling after the last retry with a clear SourceError', async () => {
    mock.on(LookupEventsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { pacer } = fakePacer(1000);

    const error = await new CloudTrailActivityLog(client, { pacer, retry: { retries: 2, ...noWait } })
      .lookupInstanceEvents('i-1', START, END)
      .then(() => null, (e: unknown) => e);

    expect(mock.commandCalls(LookupEventsCommand)).to.have.length(3);
    expect(error).to.be.instanceOf(SourceError);
    expect(error).to.include({ service: 'cloudtrail', operation: 'LookupEvents', code: 'ThrottlingException' });
    expect((error as Error).message).to.match(/^cloudtrail:LookupEvents still throttled/);
  });

  it('does not retry other errors', async () => {
    mock.on(LookupEventsCommand).rejects(awsError('InvalidLookupAttributesException', 'bad attribute'));
    const { pacer } = fakePacer(1000);

    const error = await new CloudTrailActivityLog(client, { pacer, retry: noWait }).lookupInstanceEvents('i-1', START, END).then(() => null, (e: unknown) => e);

    expect(mock.commandCalls(LookupEventsCommand)).to.have.length(1);
    expect(error).to.include({ code: 'InvalidLookupAttributesException' });
    expect((error as Error).message).to.equal('cloudtrail:LookupEvents failed (InvalidLookupAttributesException): bad attribute');
  });
});
