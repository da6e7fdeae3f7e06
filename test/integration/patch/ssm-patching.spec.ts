import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import {
  CreateMaintenanceWindowCommand, DescribeMaintenanceWindowTasksCommand, GetCommandInvocationCommand, ListCommandsCommand,
} from '@aws-sdk/client-ssm';
import { SsmMaintenanceWindows } from '../../../adapters/outbound/aws/ssm-maintenance-windows.js';
import { SsmPatchRunner } from '../../../adapters/outbound/aws/ssm-patch-runner.js';
import { scheduleSpec } from '../../../domain/patch/schedule.js';
import { DEFAULT_POLICY } from '../../../domain/policy.js';
import type { WaveCommand } from '../../../ports/outbound/patch-runner.port.js';
import { BOB } from '../../patch-builders.js';
import { useMoto } from '../../support/moto.js';
import { motoClients, runInstances } from '../aws/aws-fixtures.js';

chai.use(chaiAsPromised);
const { expect } = chai;

function command(instanceIds: string[], over: Partial<WaveCommand> = {}): WaveCommand {
  return {
    token: 'sre-ops r-20261125-120000-abcdef wave 1', instanceIds, operation: 'Install', rebootOption: 'RebootIfNeeded',
    snapshotId: '0d3c9b5e-6f4a-4e9b-8c2d-1a2b3c4d5e6f', maxConcurrency: '10%', maxErrors: '1', alarmName: null, ...over,
  };
}

describe('SSM patching on moto_server', function () {
  this.timeout(30_000);
  const moto = useMoto();

  describe('SsmPatchRunner', () => {
    it('sends AWS-RunPatchBaseline with the operation, reboot option, snapshot, limits and the token as comment', async () => {
      const clients = motoClients(moto.endpoint);
      const ids = await runInstances(clients.ec2, 2);
      const runner = new SsmPatchRunner(clients.ssm, { invocationReads: 'get' });

      const sent = await runner.send(command(ids));

      const listed = await clients.ssm.send(new ListCommandsCommand({ CommandId: sent.commandId }));
      const c = listed.Commands?.[0];
      expect(c).to.deep.include({ DocumentName: 'AWS-RunPatchBaseline', Comment: 'sre-ops r-20261125-120000-abcdef wave 1', MaxConcurrency: '10%', MaxErrors: '1' });
      expect(c?.Parameters).to.deep.equal({ Operation: ['Install'], RebootOption: ['RebootIfNeeded'], SnapshotId: ['0d3c9b5e-6f4a-4e9b-8c2d-1a2b3c4d5e6f'] });
      expect([...(c?.InstanceIds ?? [])].sort()).to.deep.equal([...ids].sort());
    });

    it('tracks each instance with GetCommandInvocation (moto answers Success at once)', async () => {
      const clients = motoClients(moto.endpoint);
      const ids = await runInstances(clients.ec2, 2);
      const runner = new SsmPatchRunner(clients.ssm, { invocationReads: 'get' });
      const { commandId } = await runner.send(command(ids));

      const states = await runner.invocations(commandId, [...ids, 'i-0000000000000dead']);

      expect(states).to.deep.equal([
        { instanceId: ids[0], status: 'succeeded', detail: null },
        { instanceId: ids[1], status: 'succeeded', detail: null },
        // Not (yet) an invocation of this command: still pending, not an error.
        { instanceId: 'i-0000000000000dead', status: 'pending', detail: null },
      ]);
      const direct = await clients.ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: ids[0] }));
      expect(direct.Status).to.equal('Success');
    });

    it('finds a command again by its token after a crash, and only that one', async () => {
      const clients = motoClients(moto.endpoint);
      const ids = await runInstances(clients.ec2, 1);
      const runner = new SsmPatchRunner(clients.ssm, { invocationReads: 'get' });
      const since = Date.now() - 60_000;
      await runner.send(command(ids, { token: 'sre-ops r-1 wave 1' }));
      const second = await runner.send(command(ids, { token: 'sre-ops r-1 wave 2' }));

      expect(await runner.findSent('sre-ops r-1 wave 2', since, ids)).to.deep.include({ commandId: second.commandId });
      expect(await runner.findSent('sre-ops r-1 wave 3', since, ids)).to.equal(null);
      // The token on a command for other instances is not this wave's command.
      expect(await runner.findSent('sre-ops r-1 wave 2', since, ['i-0000000000000beef'])).to.equal(null);
    });
  });

  describe('SsmMaintenanceWindows', () => {
    it('creates a window with its targets and an AWS-RunPatchBaseline RUN_COMMAND task; lists, finds and deletes it', async () => {
      const clients = motoClients(moto.endpoint);
      const ids = await runInstances(clients.ec2, 2);
      const windows = new SsmMaintenanceWindows(clients.ssm);
      const spec = scheduleSpec({ instanceIds: ids, schedule: 'cron(0 3 ? * SUN *)', name: 'web-weekly', reboot: 'never', actor: BOB, policy: DEFAULT_POLICY, suffix: 'x' });

      const created = await windows.create(spec, 'token-1');

      expect(created).to.deep.include({ name: 'sre-ops-web-weekly', schedule: 'cron(0 3 ? * SUN *)', durationHours: 3, cutoffHours: 1, enabled: true });
      expect(created.targets).to.deep.equal(ids);
      const tasks = await clients.ssm.send(new DescribeMaintenanceWindowTasksCommand({ WindowId: created.windowId }));
      // moto 5.2.1 answers the task type as "TaskType" where AWS says "Type", so the SDK drops it.
      expect(tasks.Tasks?.[0]).to.deep.include({ TaskArn: 'AWS-RunPatchBaseline', MaxConcurrency: '10%', MaxErrors: '1' });
      expect(await windows.list()).to.deep.equal([created]);
      expect(await windows.get(created.windowId)).to.deep.equal(created);

      await windows.remove(created.windowId);
      expect(await windows.list()).to.deep.equal([]);
    });

    it('targets a patch group by tag, and never lists or returns windows it did not create', async () => {
      const clients = motoClients(moto.endpoint);
      const windows = new SsmMaintenanceWindows(clients.ssm);
      const other = await clients.ssm.send(new CreateMaintenanceWindowCommand({ Name: 'someone-elses', Schedule: 'rate(7 days)', Duration: 2, Cutoff: 0, AllowUnassociatedTargets: false }));
      const spec = scheduleSpec({ instanceIds: [], patchGroup: 'web-prod', schedule: 'rate(7 days)', actor: BOB, policy: DEFAULT_POLICY, suffix: 'ab12' });

      const created = await windows.create(spec, 'token-2');

      expect(created.targets).to.deep.equal(['tag:Patch Group=web-prod']);
      expect((await windows.list()).map((w) => w.name)).to.deep.equal(['sre-ops-patch-ab12']);
      expect(await windows.get(other.WindowId as string)).to.equal(null);
    });
  });
});
