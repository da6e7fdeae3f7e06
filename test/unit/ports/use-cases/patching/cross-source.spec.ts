import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ValidationError } from '../../../../../domain/errors.js';
import type { Asset } from '../../../../../domain/fleet-facts.js';
import type { SourceInfo } from '../../../../../ports/outbound/source-info.port.js';
import { ExecutePatchRun } from '../../../../../ports/use-cases/patching/execute-patch-run.use-case.js';
import { createPatchOperations, type PatchOperationsImpl } from '../../../../../ports/use-cases/patching/patch-operations.facade.js';
import type { PatchDependencies } from '../../../../../ports/use-cases/patching/patch-dependencies.js';
import { RunPatchExecutor } from '../../../../../ports/use-cases/patching/patch-executor.use-case.js';
import { anAsset } from '../../../../builders.js';
import { ALICE } from '../../../../patch-builders.js';
import { harness, IDS, world, type Harness } from './harness.js';

chai.use(chaiAsPromised);
const { expect } = chai;

const ACCOUNT = '111111111111';
const SNAPSHOT: SourceInfo = { label: 'snapshot:/captures/prod', notes: [], scope: async () => ({ accountId: ACCOUNT, region: 'eu-west-1' }) };
const live = (accountId = ACCOUNT, region = 'eu-west-1'): SourceInfo => ({ label: `aws:${region}`, notes: [], scope: async () => ({ accountId, region }) });

/** The patch dependencies of a process on `source`, seeing `assets` (default: the world's). */
function on(h: Harness, source: SourceInfo, assets?: readonly Asset[]): PatchDependencies {
  const d = h.deps();
  return { ...d, core: { ...d.core, source, ...(assets ? { assets: { listAssets: async () => assets } } : {}) } };
}
const ops = (d: PatchDependencies): PatchOperationsImpl => createPatchOperations(d);

async function plannedOnSnapshot(h: Harness): Promise<string> {
  const r = await ops(on(h, SNAPSHOT)).requestPatchRun(ALICE, { instances: ['web-staging-1', 'dev-1'] });
  expect(r.source).to.equal('snapshot:/captures/prod');
  return r.id;
}

describe('runs from a captured plan: account and region per instance, executed with a live source', () => {
  it('a run requested on a snapshot records each instance\'s account and region and executes with the live source there', async () => {
    const h = harness();
    const id = await plannedOnSnapshot(h);
    expect((await h.ops.getPatchRun(ALICE, id)).waves.flatMap((w) => w.instances.map((i) => [i.accountId, i.region]))).to.deep.equal([[ACCOUNT, 'eu-west-1'], [ACCOUNT, 'eu-west-1']]);

    const r = await ops(on(h, live())).executePatchRun(ALICE, id);

    expect(r.status).to.equal('succeeded');
    expect(h.runner.sent.flatMap((c) => c.instanceIds).sort()).to.deep.equal([IDS.dev, IDS.stg].sort());
  });

  it('a live source of another account or region is refused, naming the instance and both places; nothing is sent', async () => {
    const h = harness();
    const id = await plannedOnSnapshot(h);

    await expect(ops(on(h, live('222222222222'))).executePatchRun(ALICE, id)).to.be.rejectedWith(ValidationError, new RegExp(`is in account ${ACCOUNT}, region eu-west-1 \\(and 1 more instance elsewhere\\); this source \\(aws:eu-west-1\\) is account 222222222222, region eu-west-1`));
    await expect(ops(on(h, live(ACCOUNT, 'us-east-1'))).executePatchRun(ALICE, id)).to.be.rejectedWith(ValidationError, /this source \(aws:us-east-1\) is account 111111111111, region us-east-1/);
    expect(h.runner.sent).to.have.length(0);
  });

  it('a run that records no account (requested before, or on a source that does not know) still executes only where it was planned', async () => {
    const h = harness();
    const r0 = await ops(on(h, { label: 'snapshot:/old', notes: [] })).requestPatchRun(ALICE, { instances: ['dev-1'] });

    await expect(ops(on(h, live())).executePatchRun(ALICE, r0.id)).to.be.rejectedWith(ValidationError, /was planned on source snapshot:\/old; it executes only there \(this is aws:eu-west-1\)/);
  });

  it('an instance gone or replaced since the plan halts the run with the reason, naming which, before anything is sent', async () => {
    const h = harness();
    const id = await plannedOnSnapshot(h);
    const assets = (world().assets ?? []).filter((a) => a.instanceId !== IDS.stg && a.instanceId !== IDS.dev);
    const replacement = anAsset({ instanceId: 'i-0000000000000dd01', name: 'dev-1', tags: { Name: 'dev-1', Environment: 'dev' } });

    const r = await ops(on(h, live(), [...assets, replacement])).executePatchRun(ALICE, id);

    expect(r.status).to.equal('halted');
    expect(r.haltReason).to.equal(`instances changed since run ${id} was planned on snapshot:/captures/prod: dev-1 (${IDS.dev}) was replaced: dev-1 is now i-0000000000000dd01; web-staging-1 (${IDS.stg}) is no longer there`);
    expect(h.runner.sent).to.have.length(0);
    expect(h.store.audit.at(-1)).to.deep.include({ action: 'patch-run.halt', result: 'failed' });
  });

  it('an instance moved to another account (an organization-wide source) halts the run', async () => {
    const h = harness();
    const id = await plannedOnSnapshot(h);
    const moved = (world().assets ?? []).map((a) => (a.instanceId === IDS.dev ? { ...a, accountId: '333333333333' } : a));

    const r = await ops(on(h, live(), moved)).executePatchRun(ALICE, id);

    expect(r.status).to.equal('halted');
    expect(r.haltReason).to.match(new RegExp(`dev-1 \\(${IDS.dev}\\) moved from account ${ACCOUNT} to 333333333333$`));
  });

  it('the service\'s executor on the live account takes the snapshot\'s run up; on another account it leaves it alone', async () => {
    const h = harness();
    const id = await plannedOnSnapshot(h);
    const elsewhere = on(h, live('222222222222'));
    const there = on(h, live());

    expect(await new RunPatchExecutor(elsewhere, new ExecutePatchRun(elsewhere), { holder: 'task-x' }).tick()).to.deep.equal([]);
    const ex = new RunPatchExecutor(there, new ExecutePatchRun(there), { holder: 'task-a' });
    expect(await ex.tick()).to.deep.equal([id]);
    await ex.idle();

    expect((await h.ops.getPatchRun(ALICE, id)).status).to.equal('succeeded');
    expect(h.store.audit.filter((e) => e.result === 'failed')).to.deep.equal([]);
  });
});
