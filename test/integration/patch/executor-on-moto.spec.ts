/**
 * The service's executor with the REAL SSM patch runner (SsmPatchRunner) and a real SQLite state
 * file, against moto_server: EC2 for the fleet, SSM SendCommand, GetCommandInvocation and
 * ListCommands (the token lookup before a resend) as moto implements them. moto lacks
 * ListCommandInvocations and DescribeInstancePatchStates: those two, and only those, answer
 * through aws-sdk-client-mock on the same client; ListCommandInvocations is built from moto's own
 * GetCommandInvocation for the command's instances, so it reports what moto ran. SendCommand and
 * ListCommands go to moto, but the instance ids moto lists with a command (more than it was sent
 * to) are narrowed to those sent, as SSM lists them. Every other call passes through to moto.
 *
 * Time is injected: a run of several waves, each with an hour of settle and two of observe,
 * executes in seconds. The executor of one task is killed at a step (its state store fails from
 * there on, as if the task died), and another task's executor, on the same state file, takes the
 * run over once the lease lapses and finishes it without sending any command twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeInstancePatchStatesCommand, GetCommandInvocationCommand, ListCommandInvocationsCommand, ListCommandsCommand, SendCommandCommand, type CommandInvocation, type SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { Ec2AssetInventory } from '../../../adapters/outbound/aws/ec2-asset-inventory.js';
import { CloudWatchMetricsSource } from '../../../adapters/outbound/aws/cloudwatch-metrics-source.js';
import { SsmPatchCompliance } from '../../../adapters/outbound/aws/ssm-patch-compliance.js';
import { SsmPatchRunner } from '../../../adapters/outbound/aws/ssm-patch-runner.js';
import { SqliteStateStore } from '../../../adapters/outbound/sqlite/sqlite-state-store.js';
import { verifyAuditChain } from '../../../domain/access/audit-chain.js';
import { resolvePolicy } from '../../../domain/policy.js';
import type { StateStore } from '../../../ports/outbound/state-store.port.js';
import type { CoreDependencies } from '../../../ports/use-cases/shared/core-dependencies.js';
import { ExecutePatchRun, executionLeaseMs } from '../../../ports/use-cases/patching/execute-patch-run.use-case.js';
import type { PatchDependencies } from '../../../ports/use-cases/patching/patch-dependencies.js';
import { createPatchOperations } from '../../../ports/use-cases/patching/patch-operations.facade.js';
import { RunPatchExecutor } from '../../../ports/use-cases/patching/patch-executor.use-case.js';
import { ALICE } from '../../patch-builders.js';
import { useMoto } from '../../support/moto.js';
import { motoClients, runInstances } from '../aws/aws-fixtures.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Polls every 15 minutes (lease 1 hour); an hour to settle and two to observe after each wave. */
const POLICY = resolvePolicy({ verification: { pollSeconds: 900, settleMinutes: 60, observeMinutes: 120, baselineMinutes: 60, waveTimeoutMinutes: 240 } });
let worlds = 0;
const WRITES = new Set(['updateRun', 'appendAudit', 'acquireLease', 'releaseLease', 'createRun']);

/**
 * One task's view of the state file, killed at its k-th write: with `keep` the write lands and
 * the task dies right after it; without, the task dies while writing (the write is lost). Every
 * call after that fails.
 */
interface Write {
  readonly text: string;
  /** How many of the run's commands have their id recorded after this write. */
  readonly commandIds: number;
}

function dying(base: StateStore, k: number, keep: boolean): { store: StateStore; log: Write[] } {
  let writes = 0;
  let dead = false;
  const log: Write[] = [];
  const store = new Proxy(base, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        if (dead) throw new Error('task is dead');
        const isWrite = WRITES.has(String(name));
        if (isWrite && !keep && writes + 1 === k) {
          dead = true;
          throw new Error(`task killed while writing ${k}`);
        }
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (isWrite) {
          const waves = (out as { waves?: { sends: { commandId: string | null }[] }[] } | null)?.waves;
          log.push({ text: `${String(name)} ${step(out)}`, commandIds: waves ? waves.flatMap((w) => w.sends).filter((x) => x.commandId !== null).length : -1 });
          if (++writes === k) {
            dead = true;
            throw new Error(`task killed after write ${k}`);
          }
        }
        return out;
      };
    },
  });
  return { store, log };
}

/** What a write recorded, enough to tell one step from the next (a renewal writes the same again). */
function step(out: unknown): string {
  if (out === null || typeof out !== 'object') return '';
  const o = out as { action?: string; status?: string; currentWave?: number | null; waves?: { status: string; sends: { commandId: string | null }[]; instances: { status: string }[] }[] };
  if (o.action) return o.action;
  if (o.waves) return `${o.status} ${o.currentWave} ${o.waves.map((w) => `${w.status}:${w.sends.map((x) => x.commandId ?? '-').join('/')}:${w.instances.map((i) => i.status).join('/')}`).join(',')}`;
  return '';
}

describe('the service executor with the real SSM patch runner on moto_server (killed at a step, resumed by another task)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sre-ops-executor-moto-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A fleet of three staging instances on moto, the SSM client (moto plus the two mocked reads), a clock that moves when an executor sleeps. */
  async function world(_file: string): Promise<{ deps: (store: StateStore) => PatchDependencies; ids: string[]; clock: { t: number }; ssm: SSMClient; commandsFor: (ids: readonly string[]) => Promise<{ id: string; comment: string }[]>; mocked: string[] }> {
    const clients = motoClients(moto.endpoint);
    const ids = await runInstances(clients.ec2, 3, { Environment: 'staging' });
    const clock = { t: Math.floor(Date.now() / MIN) * MIN - 24 * HOUR };
    const ssm = clients.ssm;
    const moto_ = ssm.send.bind(ssm) as (command: unknown) => Promise<unknown>;
    const mocked: string[] = [];
    const mock = mockClient(ssm);
    // Everything moto implements goes to moto.
    mock.send.callThrough();
    // moto's ListCommands lists a command with more instances than it was sent to; SSM lists exactly
    // the instances it targets, and the runner's resume takes a command as the wave's only when they
    // are the wave's. So ListCommands goes to moto and its instance ids are narrowed to those sent.
    const sentTo = new Map<string, string[]>();
    mock.on(SendCommandCommand).callsFake(async (input: { InstanceIds?: string[] }) => {
      const out = (await moto_(new SendCommandCommand(input as never))) as { Command?: { CommandId?: string } };
      if (out.Command?.CommandId) sentTo.set(out.Command.CommandId, [...(input.InstanceIds ?? [])]);
      return out;
    });
    mock.on(ListCommandsCommand).callsFake(async (input: object) => {
      const out = (await moto_(new ListCommandsCommand(input as never))) as { Commands?: { CommandId?: string; InstanceIds?: string[] }[] };
      return { ...out, Commands: (out.Commands ?? []).map((c) => ({ ...c, InstanceIds: sentTo.get(c.CommandId ?? '') ?? c.InstanceIds })) };
    });
    // moto lacks ListCommandInvocations: answered from moto's GetCommandInvocation of each of the command's instances.
    mock.on(ListCommandInvocationsCommand).callsFake(async (input: { CommandId: string }) => {
      mocked.push('ListCommandInvocations');
      // (moto's ListCommands may answer every command whatever the CommandId: pick this one.)
      const listed = (await moto_(new ListCommandsCommand({ CommandId: input.CommandId }))) as { Commands?: { CommandId?: string; InstanceIds?: string[] }[] };
      const invocations: CommandInvocation[] = [];
      for (const instanceId of sentTo.get(input.CommandId) ?? listed.Commands?.find((c) => c.CommandId === input.CommandId)?.InstanceIds ?? []) {
        const inv = (await moto_(new GetCommandInvocationCommand({ CommandId: input.CommandId, InstanceId: instanceId }))) as { Status?: string; StatusDetails?: string };
        invocations.push({ CommandId: input.CommandId, InstanceId: instanceId, Status: inv.Status as CommandInvocation['Status'], StatusDetails: inv.StatusDetails });
      }
      return { CommandInvocations: invocations };
    });
    // moto lacks DescribeInstancePatchStates: the patch compliance each instance reports after its Install (at the injected now).
    mock.on(DescribeInstancePatchStatesCommand).callsFake((input: { InstanceIds: string[] }) => {
      mocked.push('DescribeInstancePatchStates');
      return {
        InstancePatchStates: input.InstanceIds.map((id) => ({
          InstanceId: id, PatchGroup: 'staging', BaselineId: 'pb-0123456789abcdef0', Operation: 'Install',
          InstalledCount: 41, MissingCount: 0, FailedCount: 0, InstalledPendingRebootCount: 0,
          OperationStartTime: new Date(clock.t - 5 * MIN), OperationEndTime: new Date(clock.t),
        })),
      };
    });
    const core: CoreDependencies = {
      findings: { async *listActiveFindings() {} },
      assets: new Ec2AssetInventory(clients.ec2),
      compliance: new SsmPatchCompliance(ssm),
      metrics: new CloudWatchMetricsSource(clients.cloudwatch),
      activity: { lookupInstanceEvents: async () => [] },
      catalog: { load: async () => null },
      acceptances: { listAcceptances: async () => [] },
      clock: { now: () => clock.t },
      policy: POLICY,
      source: { label: 'aws:us-east-1', notes: [] },
    };
    const runner = new SsmPatchRunner(ssm);
    const world_ = ++worlds;
    let n = 0;
    const deps = (store: StateStore): PatchDependencies => ({
      core, store, runner, windows: null, unavailable: '',
      clock: { now: () => clock.t },
      sleep: async (ms) => {
        clock.t += ms;
      },
      // The run id takes the id's first hex digits: unique per world, so no two worlds' commands share a token in moto.
      newId: () => `${world_.toString(16).padStart(3, '0')}${(++n).toString(16).padStart(5, '0')}-0000-4000-8000-000000000000`,
    });
    const commandsFor = async (instanceIds: readonly string[]): Promise<{ id: string; comment: string }[]> => {
      const all = ((await moto_(new ListCommandsCommand({}))) as { Commands?: { CommandId?: string; Comment?: string; InstanceIds?: string[] }[] }).Commands ?? [];
      return all.filter((c) => c.InstanceIds?.some((i) => instanceIds.includes(i))).map((c) => ({ id: c.CommandId ?? '', comment: c.Comment ?? '' }));
    };
    return { deps, ids, clock, ssm, commandsFor, mocked };
  }

  function executor(d: PatchDependencies, holder: string, errors: unknown[]): RunPatchExecutor {
    return new RunPatchExecutor(d, new ExecutePatchRun(d), { holder, onError: (_id, err) => errors.push(err) });
  }

  it('drives a run of several waves, with hours of settle and observe, to the end in moments; the final report names each instance\'s evidence', async () => {
    const file = join(dir, 'state.db');
    const w = await world(file);
    const store = new SqliteStateStore(file);
    try {
      const d = w.deps(store);
      const r0 = await createPatchOperations(d).requestPatchRun(ALICE, { instances: w.ids });
      expect(r0.status).to.equal('approved');
      expect(r0.waves.length).to.be.at.least(2);
      const start = w.clock.t;
      const errors: unknown[] = [];
      const ex = executor(d, 'task-a', errors);

      expect(await ex.tick()).to.deep.equal([r0.id]);
      await ex.idle();

      expect(errors.map(String)).to.deep.equal([]);
      const r = await createPatchOperations(d).getPatchRun(ALICE, r0.id);
      expect(r.status).to.equal('succeeded');
      expect(w.clock.t - start, 'injected time: settle and observe of every wave').to.be.at.least(r.waves.length * 3 * HOUR);
      const commands = await w.commandsFor(w.ids);
      expect(commands.map((c) => c.comment).sort()).to.deep.equal(r.waves.map((x) => `sre-ops ${r.id} wave ${x.number}`).sort());
      for (const wave of r.waves) {
        for (const i of wave.instances) {
          expect(i.status).to.equal('succeeded');
          expect(i.evidence?.slice(0, 2)).to.deep.equal([`command ${wave.commandId}: Success`, i.evidence?.[1]]);
          expect(i.evidence?.[1]).to.match(/^patch compliance \(Install at \S+\): 41 installed, 0 missing, 0 failed, 0 pending reboot$/);
        }
      }
      expect(new Set(w.mocked)).to.deep.equal(new Set(['ListCommandInvocations', 'DescribeInstancePatchStates']));
    } finally {
      await store.close();
    }
  });

  it('killed at a step (after a write, or while writing the command id of a command moto already ran), another task resumes the run without resending', async () => {
    // The steps of a whole run, from one that is not killed (each distinct write, not the renewals).
    const probe = await world(join(dir, 'probe.db'));
    const probeFile = new SqliteStateStore(join(dir, 'probe.db'));
    const p0 = await createPatchOperations(probe.deps(probeFile)).requestPatchRun(ALICE, { instances: probe.ids });
    const counting = dying(probeFile, Number.POSITIVE_INFINITY, true);
    const probing = executor(probe.deps(counting.store), 'task-a', []);
    await probing.tick();
    await probing.idle();
    expect((await probeFile.getRun(p0.id))?.status).to.equal('succeeded');
    await probeFile.close();
    const log = counting.log;
    // The steps to kill at (each run against moto takes seconds, so not every write, as the unit
    // spec does with the fake runner): the start, each send intent recorded before SendCommand,
    // each command id recorded after it (and that write lost: moto ran the command, the record
    // does not say so), the first verified wave, the finish.
    const texts = log.map((e) => e.text).join('\n');
    const first = (re: RegExp): number[] => {
      const i = log.findIndex((e) => re.test(e.text));
      return i < 0 ? [] : [i + 1];
    };
    const intents = log.flatMap((e, i) => ((e.text.match(/:-:/g)?.length ?? 0) > (log[i - 1]?.text.match(/:-:/g)?.length ?? 0) ? [i + 1] : []));
    let recorded = 0;
    const commandIdWrites = log.flatMap((e, i) => {
      const grew = e.commandIds > recorded;
      if (e.commandIds >= 0) recorded = e.commandIds;
      return grew ? [i + 1] : [];
    });
    const finish = log.findLastIndex((e) => e.text.startsWith('updateRun succeeded'));
    expect(intents.length, texts).to.be.at.least(2);
    expect(commandIdWrites.length, texts).to.be.at.least(2);
    const kept = [...new Set([...first(/^updateRun running/), ...intents, ...commandIdWrites, ...first(/^updateRun running 2 succeeded/), finish + 1])].sort((a, b) => a - b);

    // (The kill points, for the failure messages.)
    expect(kept.length, texts).to.be.at.least(6);
    const cases = [...kept.map((k) => ({ k, keep: true })), ...commandIdWrites.map((k) => ({ k, keep: false }))];
    for (const { k, keep } of cases) {
      const at = `task killed ${keep ? 'after' : 'while writing'} write ${k}: ${log[k - 1]?.text}`;
      const file = join(dir, `state-${k}-${keep}.db`);
      const w = await world(file);
      const fileA = new SqliteStateStore(file);
      const fileB = new SqliteStateStore(file);
      try {
        const r0 = await createPatchOperations(w.deps(fileA)).requestPatchRun(ALICE, { instances: w.ids });
        const errors: unknown[] = [];
        const a = executor(w.deps(dying(fileA, k, keep).store), 'task-a', errors);
        await a.tick().catch((err: unknown) => errors.push(err));
        await a.idle();
        expect(errors.map(String).join(), at).to.match(/task killed|task is dead/);

        // Task a is gone: its lease lapses; task b, on the same state file, takes the run over.
        w.clock.t += executionLeaseMs(POLICY.verification.pollSeconds) + 1;
        const bErrors: unknown[] = [];
        const b = executor(w.deps(fileB), 'task-b', bErrors);
        await b.tick();
        await b.idle();

        expect(bErrors.map(String), at).to.deep.equal([]);
        const r = await fileB.getRun(r0.id);
        expect(r?.status, `${at}: ${r?.haltReason}`).to.equal('succeeded');
        const commands = await w.commandsFor(w.ids);
        expect(commands.map((c) => c.comment).sort(), `${at}: one command a wave, none sent twice`).to.deep.equal((r?.waves ?? []).map((x) => `sre-ops ${r0.id} wave ${x.number}`).sort());
        expect((r?.waves ?? []).map((x) => x.sends[0]?.commandId).sort(), at).to.deep.equal(commands.map((c) => c.id).sort());
        const audit = await fileB.listAudit({ limit: 1000, target: r0.id });
        expect(audit.filter((e) => e.action === 'patch-run.finish'), at).to.have.length(1);
        expect(audit.filter((e) => e.action === 'patch-run.start'), at).to.have.length(1);
        const chain = await fileB.readAuditChain();
        expect(verifyAuditChain(chain.records, chain.head).ok, at).to.equal(true);
      } finally {
        await fileA.close();
        await fileB.close();
      }
    }
  });
});
