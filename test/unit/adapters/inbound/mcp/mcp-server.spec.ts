import { expect } from 'chai';
import sinon from 'sinon';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ForbiddenError, SourceError } from '../../../../../domain/errors.js';
import type { Asset, Finding } from '../../../../../domain/fleet-facts.js';
import { DEFAULT_POLICY } from '../../../../../domain/policy.js';
import { createMcpServer, READ_TOOLS } from '../../../../../adapters/inbound/mcp/mcp-server.js';
import type { Assistant } from '../../../../../ports/inbound/assistant.port.js';
import { aFinding, anAsset, T0 } from '../../../../builders.js';
import { aRun, assistantOver, connect, OPERATOR, structured, text, VIEWER } from './support.js';

const DAY = 86_400_000;
const id = (i: number): string => `i-${i.toString(16).padStart(17, '0')}`;

/** 30 instances with two findings each, and one (the first) with 60. */
function bigWorld() {
  const assets: Asset[] = Array.from({ length: 30 }, (_, i) => anAsset({ instanceId: id(i + 1), name: `host-${i + 1}`, tags: { Name: `host-${i + 1}`, Environment: 'prod' } }));
  const findings: Finding[] = assets.flatMap((a, i) =>
    Array.from({ length: i === 0 ? 60 : 2 }, (_, k) =>
      aFinding({ findingArn: `arn:f/${a.instanceId}/${k}`, instanceId: a.instanceId, vulnerabilityId: `CVE-2024-${1000 + k}`, epss: (k + 1) / 100 })),
  );
  return { now: T0 + 5 * DAY, assets, findings };
}

/**
 * The assistant with every method a sinon stub (the read use cases call through); requestPatchRun
 * answers with a requested run, every other patch operation fails loudly if reached.
 */
function stubbed(a: Assistant): { assistant: Assistant; stubs: Record<string, sinon.SinonStub> } {
  const stubs: Record<string, sinon.SinonStub> = {};
  const out: Record<string, unknown> = { ...a };
  for (const [name, value] of Object.entries(a)) {
    if (typeof value !== 'function') continue;
    const stub = sinon.stub();
    if (name === 'requestPatchRun') stub.resolves(aRun());
    else stub.callsFake(value as (...args: unknown[]) => unknown);
    stubs[name] = out[name] = stub;
  }
  return { assistant: out as unknown as Assistant, stubs };
}

describe('MCP server (in-process, SDK client)', () => {
  let client: Client;
  afterEach(async () => {
    await client?.close();
    sinon.restore();
  });

  describe('tools offered', () => {
    it('lists the read tools as read-only, each with input and output schemas', async () => {
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: VIEWER }));

      const { tools } = await client.listTools();

      expect(tools.map((t) => t.name)).to.have.members([...READ_TOOLS]);
      for (const t of tools) {
        expect(t.annotations?.readOnlyHint, t.name).to.equal(true);
        expect(t.inputSchema.type, t.name).to.equal('object');
        expect(t.outputSchema?.type, t.name).to.equal('object');
        expect(t.description, t.name).to.be.a('string').and.not.be.empty;
      }
    });

    it('adds request_patch_run, not read-only, for an actor who may request runs; never approve or execute', async () => {
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: OPERATOR }));

      const { tools } = await client.listTools();

      const run = tools.find((t) => t.name === 'request_patch_run');
      expect(run?.annotations).to.include({ readOnlyHint: false, destructiveHint: false });
      expect(tools).to.have.length(READ_TOOLS.length + 1);
    });

    for (const actor of [VIEWER, { id: 'nobody', roles: [], via: 'mcp' } as const, { id: 'carol', roles: ['approver'], via: 'mcp' } as const]) {
      it(`does not offer request_patch_run to ${actor.id} (${actor.roles.join(', ') || 'no role'})`, async () => {
        client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor }));

        const { tools } = await client.listTools();

        expect(tools.map((t) => t.name)).to.have.members([...READ_TOOLS]);
      });
    }
  });

  describe('accept_risk and revoke_acceptance', () => {
    const APPROVER = { id: 'carol', roles: ['approver'], via: 'mcp' } as const;

    it('are offered, not read-only, only when the server is told to and the actor may accept risks', async () => {
      const names = async (actor: typeof APPROVER | typeof OPERATOR, acceptance?: boolean): Promise<string[]> => {
        const c = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor, ...(acceptance === undefined ? {} : { acceptance }) }));
        try {
          return (await c.listTools()).tools.map((t) => t.name).filter((n) => !READ_TOOLS.includes(n as (typeof READ_TOOLS)[number]));
        } finally {
          await c.close();
        }
      };
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: APPROVER, acceptance: true }));

      const tools = (await client.listTools()).tools;

      expect(tools.map((t) => t.name)).to.have.members([...READ_TOOLS, 'accept_risk', 'revoke_acceptance']);
      for (const t of tools.filter((x) => x.name === 'accept_risk' || x.name === 'revoke_acceptance')) {
        expect(t.annotations, t.name).to.include({ readOnlyHint: false, destructiveHint: false });
        expect(t.outputSchema?.type, t.name).to.equal('object');
      }
      expect(await names(APPROVER)).to.deep.equal([]);
      expect(await names(APPROVER, false)).to.deep.equal([]);
      expect(await names(OPERATOR, true)).to.deep.equal(['request_patch_run']);
    });

    it('passes the arguments to the accept and revoke use cases as the actor, force included', async () => {
      const { assistant, stubs } = stubbed(assistantOver(bigWorld()));
      const report = {
        id: 'acc-1', vulnerabilityId: 'CVE-2024-1000', instanceId: null, reason: 'WAF rule', acceptedBy: 'carol',
        acceptedAt: '2026-11-20T12:00:00.000Z', until: '2026-12-31T23:59:59.999Z', expired: false,
      };
      stubs.acceptRisk!.callsFake(async () => report);
      stubs.revokeAcceptance!.callsFake(async () => ({ ...report, expired: true, until: '2026-11-21T00:00:00.000Z', revokedBy: 'carol', revokedAt: '2026-11-21T00:00:00.000Z' }));
      client = await connect(createMcpServer({ assistant, actor: APPROVER, acceptance: true }));

      const accepted = await client.callTool({ name: 'accept_risk', arguments: { vulnerabilityId: 'CVE-2024-1000', until: '2026-12-31', reason: 'WAF rule', force: true } });
      const revoked = await client.callTool({ name: 'revoke_acceptance', arguments: { acceptance: 'acc-1' } });
      const noReason = await client.callTool({ name: 'accept_risk', arguments: { vulnerabilityId: 'CVE-2024-1000', until: '2026-12-31', reason: ' ' } });

      expect(stubs.acceptRisk!.firstCall.args).to.deep.equal([APPROVER, { vulnerabilityId: 'CVE-2024-1000', instance: null, until: '2026-12-31', reason: 'WAF rule', force: true }]);
      expect(structured(accepted).acceptance).to.deep.equal({ ...report, revokedBy: null, revokedAt: null });
      expect(text(accepted)).to.match(/^Acceptance acc-1: CVE-2024-1000 on the whole fleet until 2026-12-31T23:59:59.999Z\./);
      expect(stubs.revokeAcceptance!.firstCall.args).to.deep.equal([APPROVER, 'acc-1']);
      expect(structured(revoked).acceptance).to.include({ expired: true, revokedBy: 'carol' });
      expect(noReason.isError).to.equal(true);
      expect(text(noReason)).to.match(/reason: say why the risk is accepted/);
      expect(stubs.acceptRisk!.callCount).to.equal(1);
    });
  });

  describe('limits', () => {
    it('assess_fleet returns 20 assets by default and a note naming the next offset; the summary counts all', async () => {
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: OPERATOR }));

      const r = await client.callTool({ name: 'assess_fleet', arguments: {} });

      const s = structured<{ assets: { topFindings: unknown[] }[]; summary: { assets: number }; page: Record<string, unknown> }>(r);
      expect(s.assets).to.have.length(20);
      expect(s.assets[0]!.topFindings).to.have.length(3);
      expect(s.summary.assets).to.equal(30);
      expect(s.page).to.deep.equal({ total: 30, offset: 0, returned: 20, truncated: true, note: 'showing assets 1-20 of 30, highest risk first; 10 more: call again with offset 20' });
      expect(text(r)).to.include('call again with offset 20');
    });

    it('assess_fleet streams the report when the Assistant can (no whole report built) and answers exactly as from the whole report', async () => {
      const { assistant, stubs } = stubbed(assistantOver(bigWorld()));
      const whole = { ...assistant, streamFleet: undefined } as Assistant;
      for (const args of [{}, { offset: 20 }, { offset: 7, limit: 5, findingsPerAsset: 1 }, { offset: 40 }, { decision: 'patch-now' }]) {
        client = await connect(createMcpServer({ assistant, actor: OPERATOR }));
        const streamed = await client.callTool({ name: 'assess_fleet', arguments: args });
        await client.close();
        client = await connect(createMcpServer({ assistant: whole, actor: OPERATOR }));
        const fromWhole = await client.callTool({ name: 'assess_fleet', arguments: args });
        await client.close();
        expect(streamed, JSON.stringify(args)).to.deep.equal(fromWhole);
      }
      // The streamed answers came from streamFleet; assessFleet ran only for the whole-report answers.
      expect(stubs.streamFleet!.callCount).to.equal(5);
      expect(stubs.assessFleet!.callCount).to.equal(5);
    });

    it('assess_fleet pages on with offset, and says nothing is cut when nothing is', async () => {
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: OPERATOR }));

      const next = structured<{ assets: unknown[]; page: { note: string } }>(await client.callTool({ name: 'assess_fleet', arguments: { offset: 20 } }));
      const all = structured<{ assets: unknown[]; page: { truncated: boolean; note: null } }>(await client.callTool({ name: 'assess_fleet', arguments: { limit: 100, findingsPerAsset: 0 } }));

      expect(next.assets).to.have.length(10);
      expect(next.page.note).to.equal('showing assets 21-30 of 30, highest risk first');
      expect(all.assets).to.have.length(30);
      expect(all.page).to.include({ truncated: false, note: null });
    });

    it('assess_instance and list_findings return 50 findings by default, with the cut noted', async () => {
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: OPERATOR }));

      const inst = structured<{ findings: unknown[]; page: { total: number; note: string } }>(await client.callTool({ name: 'assess_instance', arguments: { instance: 'host-1' } }));
      const list = structured<{ findings: { reasons: string[] }[]; page: { total: number; note: string } }>(await client.callTool({ name: 'list_findings', arguments: { instance: 'host-1' } }));

      for (const s of [inst, list]) {
        expect(s.findings).to.have.length(50);
        expect(s.page.total).to.equal(60);
        expect(s.page.note).to.equal('showing findings 1-50 of 60, highest risk first; 10 more: call again with offset 50');
      }
      expect(list.findings[0]!.reasons).to.not.be.empty;
    });

    it('refuses a limit above the ceiling, naming the argument', async () => {
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: OPERATOR }));

      const r = await client.callTool({ name: 'assess_fleet', arguments: { limit: 5000 } });

      expect(r.isError).to.equal(true);
      expect(text(r)).to.match(/limit/);
    });
  });

  describe('errors come back as tool errors naming the field', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['assess_fleet', { limit: 'ten' }, /expected number.*at limit/],
      ['assess_fleet', { decision: 'urgent' }, /at decision/],
      ['assess_fleet', { decisions: ['patch-now'] }, /Unrecognized key.*"decisions"/],
      ['assess_instance', {}, /at instance/],
      ['list_findings', { instance: 'host-1', minSeverity: 'severe' }, /at minSeverity/],
      ['instance_metrics', { instance: 'host-1', hours: 0 }, /at hours/],
      ['instance_activity', { instance: 'host-1', hours: 1.5 }, /at hours/],
      ['explain_finding', { instance: 'host-1' }, /at vulnerabilityId/],
      ['assess_instance', { instance: 'host-99' }, /^instance: no instance matches "host-99"; did you mean/],
      ['explain_finding', { instance: 'host-2', vulnerabilityId: 'CVE-2024-1002' }, /^vulnerabilityId: no finding on host-2 \(i-0+2\) matches "CVE-2024-1002"; did you mean "CVE-2024-1000", "CVE-2024-1001"\?/],
    ];
    for (const [tool, args, message] of cases) {
      it(`${tool} ${JSON.stringify(args)}`, async () => {
        client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: OPERATOR }));

        const r = await client.callTool({ name: tool, arguments: args });

        expect(r.isError).to.equal(true);
        expect(text(r)).to.match(message);
      });
    }

    it('a data source failure is a tool error naming the service; the server keeps serving', async () => {
      const a = assistantOver(bigWorld());
      const failing: Assistant = { ...a, complianceSummary: () => Promise.reject(new SourceError('ssm', 'DescribeInstancePatchStates', 'throttled', { code: 'ThrottlingException' })) };
      client = await connect(createMcpServer({ assistant: failing, actor: OPERATOR }));

      const r = await client.callTool({ name: 'patch_compliance', arguments: {} });
      const after = await client.callTool({ name: 'assess_fleet', arguments: { limit: 1 } });

      expect(r.isError).to.equal(true);
      expect(text(r)).to.equal('data source failed (ssm DescribeInstancePatchStates, ThrottlingException): throttled');
      expect(after.isError).to.not.equal(true);
    });

    it('a bug is an internal error, logged with its stack, never a crash', async () => {
      const log = sinon.spy();
      const a = assistantOver(bigWorld());
      const broken: Assistant = { ...a, planPatches: () => Promise.reject(new TypeError('x is undefined')) };
      client = await connect(createMcpServer({ assistant: broken, actor: OPERATOR, log }));

      const r = await client.callTool({ name: 'plan_patches', arguments: {} });
      const after = await client.callTool({ name: 'assess_fleet', arguments: { limit: 1 } });

      expect(r.isError).to.equal(true);
      expect(text(r)).to.equal('internal error: x is undefined');
      expect(log.calledOnce).to.equal(true);
      expect(String(log.firstCall.args[0])).to.include('TypeError: x is undefined');
      expect(after.isError).to.not.equal(true);
    });
  });

  describe('request_patch_run', () => {
    it('creates a run in the requested state and calls nothing else', async () => {
      const { assistant, stubs } = stubbed(assistantOver(bigWorld()));
      client = await connect(createMcpServer({ assistant, actor: OPERATOR }));

      const r = await client.callTool({ name: 'request_patch_run', arguments: { instances: ['web-1'], reason: 'KEV findings on web-1' } });

      expect(r.isError, text(r)).to.not.equal(true);
      const out = structured<{ run: { id: string; status: string; needsApproval: boolean; instanceCount: number }; next: string }>(r);
      expect(out.run).to.include({ id: 'run-1', status: 'requested', needsApproval: true, instanceCount: 1 });
      expect(out.next).to.match(/nothing has been sent/).and.match(/approver role \(not alice\)/);
      sinon.assert.calledOnceWithExactly(stubs.requestPatchRun!, OPERATOR, { instances: ['web-1'], dryRun: false, reboot: 'if-needed', reason: 'KEV findings on web-1' });
      const others = Object.entries(stubs).filter(([name, stub]) => name !== 'requestPatchRun' && stub.called).map(([name]) => name);
      expect(others, 'other Assistant methods called').to.deep.equal([]);
    });

    it('passes fromPlan, a dry run, no reboot and an idempotency key through', async () => {
      const { assistant, stubs } = stubbed(assistantOver(bigWorld()));
      client = await connect(createMcpServer({ assistant, actor: OPERATOR }));

      await client.callTool({ name: 'request_patch_run', arguments: { fromPlan: true, dryRun: true, reboot: 'never', reason: 'scan', idempotencyKey: 'k-1' } });

      sinon.assert.calledOnceWithExactly(stubs.requestPatchRun!, OPERATOR, { fromPlan: true, dryRun: true, reboot: 'never', reason: 'scan', idempotencyKey: 'k-1' });
    });

    const refused: [Record<string, unknown>, RegExp][] = [
      [{ reason: 'why' }, /^instances: name at least one instance, or set fromPlan to true$/],
      [{ instances: ['web-1'], fromPlan: true, reason: 'why' }, /^fromPlan: give either instances or fromPlan, not both$/],
      [{ instances: ['web-1'] }, /at reason/],
      [{ instances: ['web-1'], reason: 'why', approve: true }, /Unrecognized key.*"approve"/],
      [{ instances: [], reason: 'why' }, /at instances/],
    ];
    for (const [args, message] of refused) {
      it(`refuses ${JSON.stringify(args)} without calling the core`, async () => {
        const { assistant, stubs } = stubbed(assistantOver(bigWorld()));
        client = await connect(createMcpServer({ assistant, actor: OPERATOR }));

        const r = await client.callTool({ name: 'request_patch_run', arguments: args });

        expect(r.isError).to.equal(true);
        expect(text(r)).to.match(message);
        sinon.assert.notCalled(stubs.requestPatchRun!);
      });
    }

    it('reports the core refusing the actor as a forbidden tool error', async () => {
      const { assistant, stubs } = stubbed(assistantOver(bigWorld()));
      stubs.requestPatchRun!.rejects(new ForbiddenError('alice may not request patch runs'));
      client = await connect(createMcpServer({ assistant, actor: OPERATOR }));

      const r = await client.callTool({ name: 'request_patch_run', arguments: { instances: ['web-1'], reason: 'why' } });

      expect(r.isError).to.equal(true);
      expect(text(r)).to.equal('forbidden: alice may not request patch runs');
    });
  });

  describe('resources', () => {
    it('serves the policy in force and the two decision tables as JSON', async () => {
      client = await connect(createMcpServer({ assistant: assistantOver(bigWorld()), actor: OPERATOR }));

      const { resources } = await client.listResources();
      const read = async (uri: string): Promise<Record<string, unknown>> => {
        const c = (await client.readResource({ uri })).contents[0] as { text: string; mimeType: string };
        expect(c.mimeType).to.equal('application/json');
        return JSON.parse(c.text) as Record<string, unknown>;
      };

      expect(resources.map((r) => r.uri)).to.have.members(['sre-ops://policy', 'sre-ops://tables/ssvc', 'sre-ops://tables/bod-26-04']);
      expect(await read('sre-ops://policy')).to.deep.equal(JSON.parse(JSON.stringify(DEFAULT_POLICY)));
      const ssvc = await read('sre-ops://tables/ssvc');
      expect(ssvc.id).to.equal('cisa_coordinator_2_0_3');
      expect(ssvc.rows).to.have.length(12);
      const bod = await read('sre-ops://tables/bod-26-04');
      expect(bod.id).to.equal('cisa_bod_26_04_1_0_0');
      expect((bod.rows as unknown[])[12]).to.deep.equal({ number: 13, inKev: true, exposed: true, automatable: false, technicalImpact: 'total', timeline: '3 days and forensic investigation' });
    });
  });
});
