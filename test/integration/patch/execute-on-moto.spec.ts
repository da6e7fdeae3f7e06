import { expect } from 'chai';
import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ListCommandsCommand } from '@aws-sdk/client-ssm';
import { CloudWatchMetricsSource } from '../../../adapters/outbound/aws/cloudwatch-metrics-source.js';
import { Ec2AssetInventory } from '../../../adapters/outbound/aws/ec2-asset-inventory.js';
import { SsmPatchCompliance } from '../../../adapters/outbound/aws/ssm-patch-compliance.js';
import { SsmPatchRunner } from '../../../adapters/outbound/aws/ssm-patch-runner.js';
import { resolvePolicy } from '../../../domain/policy.js';
import type { CoreDependencies } from '../../../ports/use-cases/shared/core-dependencies.js';
import { createPatchOperations, type PatchOperationsImpl } from '../../../ports/use-cases/patching/patch-operations.facade.js';
import { MemoryStateStore } from '../../fakes/memory-state-store.js';
import { ALICE } from '../../patch-builders.js';
import { useMoto } from '../../support/moto.js';
import { motoClients, runInstances } from '../aws/aws-fixtures.js';

const MIN = 60_000;

async function putCpu(cw: CloudWatchClient, instanceId: string, points: readonly [number, number][], metric = 'CPUUtilization'): Promise<void> {
  await cw.send(new PutMetricDataCommand({
    Namespace: 'AWS/EC2',
    MetricData: points.map(([t, v]) => ({ MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: instanceId }], Timestamp: new Date(t), Value: v, Unit: metric === 'CPUUtilization' ? 'Percent' : 'Count' })),
  }));
}

function every5(from: number, to: number, v: number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = from; t < to; t += 5 * MIN) out.push([t, v]);
  return out;
}

describe('executing a patch run on moto_server (EC2, SSM SendCommand / GetCommandInvocation, CloudWatch)', function () {
  this.timeout(30_000);
  const moto = useMoto();

  /** Two non-production instances (a canary wave, then one more); a clock that moves only when the executor sleeps. */
  async function setup(): Promise<{ ops: PatchOperationsImpl; ids: string[]; t0: number; cw: CloudWatchClient; listCommands: () => Promise<number> }> {
    const clients = motoClients(moto.endpoint);
    const ids = await runInstances(clients.ec2, 2, { Environment: 'staging' });
    // Whole minutes, some hours back, so every window is in CloudWatch's past.
    const t0 = Math.floor(Date.now() / MIN) * MIN - 3 * 60 * MIN;
    const clock = { t: t0 };
    const policy = resolvePolicy({ verification: { pollSeconds: 30, settleMinutes: 5, observeMinutes: 10, baselineMinutes: 60 } });
    const core: CoreDependencies = {
      findings: { async *listActiveFindings() {} },
      assets: new Ec2AssetInventory(clients.ec2),
      // moto lacks DescribeInstanceInformation / DescribeInstancePatchStates: managed state is
      // unknown (allowed) and verification notes the unreadable patch state.
      compliance: new SsmPatchCompliance(clients.ssm),
      metrics: new CloudWatchMetricsSource(clients.cloudwatch),
      activity: { lookupInstanceEvents: async () => [] },
      catalog: { load: async () => null },
      acceptances: { listAcceptances: async () => [] },
      clock: { now: () => clock.t },
      policy,
      source: { label: 'aws:us-east-1', notes: [] },
    };
    let n = 0;
    const ops = createPatchOperations({
      core,
      store: new MemoryStateStore(),
      runner: new SsmPatchRunner(clients.ssm, { invocationReads: 'get' }),
      windows: null,
      unavailable: '',
      clock: { now: () => clock.t },
      sleep: async (ms) => {
        clock.t += ms;
      },
      newId: () => `${(++n).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    });
    const listCommands = async (): Promise<number> => (await clients.ssm.send(new ListCommandsCommand({}))).Commands?.length ?? 0;
    return { ops, ids, t0, cw: clients.cloudwatch, listCommands };
  }

  it('a quiet canary passes verification and the run goes on to the next wave', async () => {
    const { ops, ids, t0, cw, listCommands } = await setup();
    const r0 = await ops.requestPatchRun(ALICE, { instances: ids });
    const canary = r0.waves[0]?.instances[0]?.instanceId as string;
    await putCpu(cw, canary, [...every5(t0 - 60 * MIN, t0, 10), ...every5(t0 + 6 * MIN, t0 + 15 * MIN, 12)]);

    const r = await ops.executePatchRun(ALICE, r0.id);

    expect(r.status).to.equal('succeeded');
    expect(await listCommands()).to.equal(2);
    expect(r.waves[0]?.instances[0]?.detail).to.equal('patch state unreadable; CPU 10.0% → 12.0%');
  });

  it('a canary whose CPU jumps after patching halts the run before the next wave is sent', async () => {
    const { ops, ids, t0, cw, listCommands } = await setup();
    const r0 = await ops.requestPatchRun(ALICE, { instances: ids });
    const canary = r0.waves[0]?.instances[0]?.instanceId as string;
    await putCpu(cw, canary, [...every5(t0 - 60 * MIN, t0, 10), ...every5(t0 + 6 * MIN, t0 + 15 * MIN, 85)]);

    const r = await ops.executePatchRun(ALICE, r0.id);

    expect(r.status).to.equal('halted');
    expect(r.haltReason).to.contain(canary).and.contain('mean CPU rose from 10.0% to 85.0%');
    expect(await listCommands()).to.equal(1);
  });

  it('a failed status check after patching halts the run', async () => {
    const { ops, ids, t0, cw } = await setup();
    const r0 = await ops.requestPatchRun(ALICE, { instances: ids });
    const canary = r0.waves[0]?.instances[0]?.instanceId as string;
    await putCpu(cw, canary, [[t0 + 8 * MIN, 1]], 'StatusCheckFailed');

    const r = await ops.executePatchRun(ALICE, r0.id);

    expect(r.status).to.equal('halted');
    expect(r.haltReason).to.match(/status check failed at .* after patching/);
  });
});
