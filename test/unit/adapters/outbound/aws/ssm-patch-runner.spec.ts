import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CancelCommandCommand, CreateMaintenanceWindowCommand, DeleteMaintenanceWindowCommand, ListCommandInvocationsCommand, ListCommandsCommand,
  RegisterTargetWithMaintenanceWindowCommand, RegisterTaskWithMaintenanceWindowCommand, SendCommandCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { SsmMaintenanceWindows } from '../../../../../adapters/outbound/aws/ssm-maintenance-windows.js';
import { SsmPatchRunner } from '../../../../../adapters/outbound/aws/ssm-patch-runner.js';
import { SourceError } from '../../../../../domain/errors.js';
import { scheduleSpec } from '../../../../../domain/patch/schedule.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../../domain/policy.js';
import { BOB } from '../../../../patch-builders.js';
import { awsError } from '../../../../integration/aws/aws-fixtures.js';

chai.use(chaiAsPromised);
const { expect } = chai;

// moto 5.2.1 implements neither ListCommandInvocations nor CancelCommand (and accepts any
// AlarmConfiguration without looking at it), so these run against aws-sdk-client-mock with
// AWS-shaped answers; SendCommand, GetCommandInvocation and ListCommands also run on moto
// (test/integration/patch/ssm-patching.spec.ts).

describe('SsmPatchRunner (aws-sdk-client-mock)', () => {
  const client = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
  const mock = mockClient(client);
  afterEach(() => mock.reset());
  after(() => mock.restore());

  it('sends the stop alarm as SendCommand AlarmConfiguration, and a delivery timeout', async () => {
    mock.on(SendCommandCommand).resolves({ Command: { CommandId: 'c-1', RequestedDateTime: new Date('2026-11-25T12:00:00Z') } });
    const runner = new SsmPatchRunner(client);

    const sent = await runner.send({
      token: 't', instanceIds: ['i-1'], operation: 'Scan', rebootOption: 'NoReboot', snapshotId: 's', maxConcurrency: '1', maxErrors: '0', alarmName: 'web-5xx',
    });

    expect(sent).to.deep.equal({ commandId: 'c-1', requestedAt: Date.parse('2026-11-25T12:00:00Z') });
    expect(mock.commandCalls(SendCommandCommand)[0]?.args[0].input).to.deep.equal({
      DocumentName: 'AWS-RunPatchBaseline', InstanceIds: ['i-1'], Parameters: { Operation: ['Scan'], RebootOption: ['NoReboot'], SnapshotId: ['s'] },
      MaxConcurrency: '1', MaxErrors: '0', Comment: 't', TimeoutSeconds: 600,
      AlarmConfiguration: { Alarms: [{ Name: 'web-5xx' }], IgnorePollAlarmFailure: false },
    });
  });

  it('refuses a command of more than 50 instances before calling SSM', async () => {
    const runner = new SsmPatchRunner(client);
    const ids = Array.from({ length: 51 }, (_, k) => `i-${k}`);

    await expect(runner.send({ token: 't', instanceIds: ids, operation: 'Install', rebootOption: 'RebootIfNeeded', snapshotId: 's', maxConcurrency: '1', maxErrors: '1', alarmName: null })).to.be.rejectedWith(RangeError);
    expect(mock.commandCalls(SendCommandCommand)).to.have.length(0);
  });

  it('maps a refusal to a SourceError naming the IAM action', async () => {
    mock.on(SendCommandCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: ssm:SendCommand'));
    const runner = new SsmPatchRunner(client);

    const err = await runner.send({ token: 't', instanceIds: ['i-1'], operation: 'Install', rebootOption: 'RebootIfNeeded', snapshotId: 's', maxConcurrency: '1', maxErrors: '1', alarmName: null }).catch((e: unknown) => e);

    expect(err).to.be.instanceOf(SourceError);
    expect((err as SourceError).message).to.equal('access denied: the caller lacks IAM permission "ssm:SendCommand" (AccessDeniedException); see docs/iam-policy.json');
  });

  it('reads every page of ListCommandInvocations and maps each SSM status', async () => {
    mock.on(ListCommandInvocationsCommand, { CommandId: 'c-1', NextToken: undefined }).resolves({
      CommandInvocations: [
        { InstanceId: 'i-ok', Status: 'Success', StatusDetails: 'Success' },
        { InstanceId: 'i-run', Status: 'InProgress', StatusDetails: 'InProgress' },
        { InstanceId: 'i-wait', Status: 'Delayed', StatusDetails: 'Delayed' },
      ],
      NextToken: 'p2',
    });
    mock.on(ListCommandInvocationsCommand, { CommandId: 'c-1', NextToken: 'p2' }).resolves({
      CommandInvocations: [
        { InstanceId: 'i-fail', Status: 'Failed', StatusDetails: 'Failed' },
        { InstanceId: 'i-slow', Status: 'TimedOut', StatusDetails: 'DeliveryTimedOut' },
        { InstanceId: 'i-gone', Status: 'Undeliverable' as never, StatusDetails: 'Terminated' },
        { InstanceId: 'i-stop', Status: 'Cancelled', StatusDetails: 'Cancelled' },
      ],
    });
    const runner = new SsmPatchRunner(client);

    const states = await runner.invocations('c-1', ['i-ok', 'i-run', 'i-wait', 'i-fail', 'i-slow', 'i-gone', 'i-stop', 'i-unlisted']);

    expect(states).to.deep.equal([
      { instanceId: 'i-ok', status: 'succeeded', detail: null },
      { instanceId: 'i-run', status: 'in-progress', detail: null },
      { instanceId: 'i-wait', status: 'pending', detail: null },
      { instanceId: 'i-fail', status: 'failed', detail: 'AWS-RunPatchBaseline failed' },
      { instanceId: 'i-slow', status: 'timed-out', detail: 'SSM timed out (DeliveryTimedOut)' },
      { instanceId: 'i-gone', status: 'failed', detail: 'SSM status Undeliverable (Terminated)' },
      { instanceId: 'i-stop', status: 'cancelled', detail: 'cancelled at SSM' },
      { instanceId: 'i-unlisted', status: 'pending', detail: null },
    ]);
    expect(mock.commandCalls(ListCommandInvocationsCommand)).to.have.length(2);
  });

  it('finds a command by token across ListCommands pages, filtered to the patch document since the intent', async () => {
    mock.on(ListCommandsCommand, { NextToken: undefined }).resolves({ Commands: [{ CommandId: 'c-9', Comment: 'other', DocumentName: 'AWS-RunPatchBaseline', InstanceIds: ['i-1'] }], NextToken: 'n' });
    mock.on(ListCommandsCommand, { NextToken: 'n' }).resolves({ Commands: [{ CommandId: 'c-7', Comment: 'tok', DocumentName: 'AWS-RunPatchBaseline', InstanceIds: ['i-2', 'i-1'], RequestedDateTime: new Date(5000) }] });
    const runner = new SsmPatchRunner(client);

    const hit = await runner.findSent('tok', Date.parse('2026-11-25T12:00:00.123Z'), ['i-1', 'i-2']);

    expect(hit).to.deep.equal({ commandId: 'c-7', requestedAt: 5000 });
    expect(mock.commandCalls(ListCommandsCommand)[0]?.args[0].input.Filters).to.deep.equal([
      { key: 'InvokedAfter', value: '2026-11-25T12:00:00Z' },
      { key: 'DocumentName', value: 'AWS-RunPatchBaseline' },
    ]);
  });

  it('passes over a command with the token whose instances are not the wave\'s: resuming sends the wave', async () => {
    mock.on(ListCommandsCommand).resolves({
      Commands: [
        { CommandId: 'c-other', Comment: 'tok', DocumentName: 'AWS-RunPatchBaseline', InstanceIds: ['i-9'] },
        { CommandId: 'c-more', Comment: 'tok', DocumentName: 'AWS-RunPatchBaseline', InstanceIds: ['i-1', 'i-2', 'i-9'] },
        { CommandId: 'c-fewer', Comment: 'tok', DocumentName: 'AWS-RunPatchBaseline', InstanceIds: ['i-1'] },
        { CommandId: 'c-none', Comment: 'tok', DocumentName: 'AWS-RunPatchBaseline' },
      ],
    });
    const runner = new SsmPatchRunner(client);

    expect(await runner.findSent('tok', 0, ['i-1', 'i-2'])).to.equal(null);
    expect(await runner.findSent('tok', 0, ['i-9'])).to.deep.include({ commandId: 'c-other' });
  });

  it('cancels a command', async () => {
    mock.on(CancelCommandCommand).resolves({});

    await new SsmPatchRunner(client).cancel('c-3');

    expect(mock.commandCalls(CancelCommandCommand)[0]?.args[0].input).to.deep.equal({ CommandId: 'c-3' });
  });
});

describe('SsmMaintenanceWindows (aws-sdk-client-mock)', () => {
  const client = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
  const mock = mockClient(client);
  afterEach(() => mock.reset());
  after(() => mock.restore());

  it('registers the task with the stop alarm and client tokens, so a retried create makes no second window', async () => {
    mock.on(CreateMaintenanceWindowCommand).resolves({ WindowId: 'mw-1' });
    mock.on(RegisterTargetWithMaintenanceWindowCommand).resolves({ WindowTargetId: 'wt-1' });
    mock.on(RegisterTaskWithMaintenanceWindowCommand).resolves({ WindowTaskId: 'tk-1' });
    const spec = scheduleSpec({ instanceIds: ['i-1'], schedule: 'rate(7 days)', actor: BOB, policy: resolvePolicy({ rollout: { alarms: ['web-5xx'] } }), suffix: 'x1' });

    await new SsmMaintenanceWindows(client).create(spec, 'tok');

    expect(mock.commandCalls(CreateMaintenanceWindowCommand)[0]?.args[0].input).to.deep.include({ ClientToken: 'tok-w', ScheduleTimezone: 'UTC', AllowUnassociatedTargets: false });
    const task = mock.commandCalls(RegisterTaskWithMaintenanceWindowCommand)[0]?.args[0].input;
    expect(task).to.deep.include({ WindowId: 'mw-1', TaskType: 'RUN_COMMAND', TaskArn: 'AWS-RunPatchBaseline', ClientToken: 'tok-k' });
    expect(task?.Targets).to.deep.equal([{ Key: 'WindowTargetIds', Values: ['wt-1'] }]);
    expect(task?.TaskInvocationParameters).to.deep.equal({ RunCommand: { Parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] } } });
    expect(task?.AlarmConfiguration).to.deep.equal({ Alarms: [{ Name: 'web-5xx' }], IgnorePollAlarmFailure: false });
  });

  it('deletes the window again when registering its task fails, and reports the failure', async () => {
    mock.on(CreateMaintenanceWindowCommand).resolves({ WindowId: 'mw-2' });
    mock.on(RegisterTargetWithMaintenanceWindowCommand).resolves({ WindowTargetId: 'wt-2' });
    mock.on(RegisterTaskWithMaintenanceWindowCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ssm:RegisterTaskWithMaintenanceWindow'));
    mock.on(DeleteMaintenanceWindowCommand).resolves({});
    const spec = scheduleSpec({ instanceIds: ['i-1'], schedule: 'rate(7 days)', actor: BOB, policy: DEFAULT_POLICY, suffix: 'x2' });

    await expect(new SsmMaintenanceWindows(client).create(spec, 'tok')).to.be.rejectedWith(SourceError, /ssm:RegisterTaskWithMaintenanceWindow/);
    expect(mock.commandCalls(DeleteMaintenanceWindowCommand)[0]?.args[0].input).to.deep.equal({ WindowId: 'mw-2' });
  });
});
