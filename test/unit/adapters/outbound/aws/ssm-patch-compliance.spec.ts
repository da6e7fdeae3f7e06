import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeInstanceInformationCommand, DescribeInstancePatchStatesCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { InstancePatchState } from '@aws-sdk/client-ssm';
import { SsmPatchCompliance } from '../../../../../adapters/outbound/aws/ssm-patch-compliance.js';
import { createLimiter } from '../../../../../adapters/outbound/aws/resilience.js';
import { SourceError } from '../../../../../domain/errors.js';
import { awsError } from '../../../../integration/aws/aws-fixtures.js';

// moto 5.2.1 implements neither DescribeInstanceInformation nor DescribeInstancePatchStates (it
// answers with an HTML page), so these run against aws-sdk-client-mock with AWS-shaped answers.

function patchState(id: string, over: Partial<InstancePatchState> = {}): InstancePatchState {
  return {
    InstanceId: id,
    PatchGroup: 'web',
    BaselineId: 'pb-0123456789abcdef0',
    OwnerInformation: '',
    InstalledCount: 120,
    MissingCount: 3,
    FailedCount: 0,
    InstalledPendingRebootCount: 1,
    CriticalNonCompliantCount: 1,
    SecurityNonCompliantCount: 2,
    OtherNonCompliantCount: 0,
    Operation: 'Scan',
    OperationStartTime: new Date('2026-11-19T02:00:00Z'),
    OperationEndTime: new Date('2026-11-19T02:05:00Z'),
    RebootOption: 'NoReboot',
    ...over,
  };
}

describe('SsmPatchCompliance (aws-sdk-client-mock: moto lacks these SSM calls)', () => {
  const client = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(client);
  afterEach(() => mock.reset());
  after(() => mock.restore());

  it('reads every page of DescribeInstanceInformation, 50 at a time', async () => {
    mock
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({
        InstanceInformationList: [
          { InstanceId: 'i-1', PingStatus: 'Online', LastPingDateTime: new Date('2026-11-20T10:00:00Z'), PlatformName: 'Amazon Linux', AgentVersion: '3.3.0.0' },
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({ InstanceInformationList: [{ InstanceId: 'i-2', PingStatus: 'ConnectionLost' }] });

    const managed = await new SsmPatchCompliance(client).managedInstances();

    expect([...managed.keys()]).to.deep.equal(['i-1', 'i-2']);
    expect(managed.get('i-1')).to.deep.equal({
      instanceId: 'i-1', pingStatus: 'Online', lastPingAt: Date.parse('2026-11-20T10:00:00Z'), platformName: 'Amazon Linux', agentVersion: '3.3.0.0',
    });
    expect(managed.get('i-2')?.pingStatus).to.equal('ConnectionLost');
    const inputs = mock.commandCalls(DescribeInstanceInformationCommand).map((c) => c.args[0].input);
    expect(inputs).to.deep.equal([{ MaxResults: 50, NextToken: undefined }, { MaxResults: 50, NextToken: 'p2' }]);
  });

  it('asks for patch states 50 ids a call and maps them', async () => {
    mock.on(DescribeInstancePatchStatesCommand).callsFake((input: { InstanceIds: string[] }) => ({ InstancePatchStates: input.InstanceIds.map((id) => patchState(id)) }));
    const ids = Array.from({ length: 120 }, (_, i) => `i-${i}`);

    const states = await new SsmPatchCompliance(client).patchStates(ids);

    const batches = mock.commandCalls(DescribeInstancePatchStatesCommand).map((c) => c.args[0].input.InstanceIds?.length);
    expect(batches).to.deep.equal([50, 50, 20]);
    expect(states.size).to.equal(120);
    expect(states.get('i-7')).to.deep.include({
      missingCount: 3, installedPendingRebootCount: 1, criticalNonCompliantCount: 1, securityNonCompliantCount: 2, operation: 'Scan',
      operationEndTime: Date.parse('2026-11-19T02:05:00Z'),
    });
  });

  it('follows NextToken within a batch', async () => {
    mock
      .on(DescribeInstancePatchStatesCommand)
      .resolvesOnce({ InstancePatchStates: [patchState('i-1')], NextToken: 'more' })
      .resolvesOnce({ InstancePatchStates: [patchState('i-2')] });

    const states = await new SsmPatchCompliance(client).patchStates(['i-1', 'i-2']);

    expect([...states.keys()]).to.deep.equal(['i-1', 'i-2']);
    expect(mock.commandCalls(DescribeInstancePatchStatesCommand)[1]?.args[0].input).to.deep.include({ NextToken: 'more', InstanceIds: ['i-1', 'i-2'] });
  });

  it('runs no more batches at once than the limiter allows', async () => {
    let inFlight = 0;
    let peak = 0;
    mock.on(DescribeInstancePatchStatesCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { InstancePatchStates: [] };
    });

    await new SsmPatchCompliance(client, { limiter: createLimiter(2) }).patchStates(Array.from({ length: 300 }, (_, i) => `i-${i}`));

    expect(mock.commandCalls(DescribeInstancePatchStatesCommand)).to.have.length(6);
    expect(peak).to.equal(2);
  });

  it('makes no call for no instances', async () => {
    const states = await new SsmPatchCompliance(client).patchStates([]);

    expect(states.size).to.equal(0);
    expect(mock.commandCalls(DescribeInstancePatchStatesCommand)).to.have.length(0);
  });

  it('fails with a SourceError carrying service, operation and code, naming the IAM action when denied', async () => {
    mock.on(DescribeInstanceInformationCommand).rejects(awsError('AccessDeniedException', 'not authorized'));

    const error = await new SsmPatchCompliance(client).managedInstances().then(() => null, (e: unknown) => e);

    expect(error).to.be.instanceOf(SourceError);
    expect(error).to.include({ service: 'ssm', operation: 'DescribeInstanceInformation', code: 'AccessDeniedException' });
    expect((error as Error).message).to.contain('"ssm:DescribeInstanceInformation"');
  });

  it('reports throttling that outlasted the retries as such', async () => {
    mock.on(DescribeInstancePatchStatesCommand).rejects(Object.assign(awsError('ThrottlingException', 'Rate exceeded'), { $metadata: { httpStatusCode: 400, attempts: 5 } }));

    const error = await new SsmPatchCompliance(client).patchStates(['i-1']).then(() => null, (e: unknown) => e);

    expect(error).to.include({ service: 'ssm', operation: 'DescribeInstancePatchStates', code: 'ThrottlingException' });
    expect((error as Error).message).to.equal('ssm:DescribeInstancePatchStates still throttled after 5 attempts (ThrottlingException): retry later or lower the concurrency');
  });
});
