import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI } from '../../support/paths.js';

const NOW = '2026-11-20T12:00:00Z';
const READ_TOOLS = ['assess_fleet', 'assess_instance', 'list_findings', 'plan_patches', 'patch_compliance', 'instance_metrics', 'instance_activity', 'explain_finding', 'what_changed', 'autopilot_status'];
const DECISIONS = ['patch-now', 'next-window', 'routine', 'mitigate', 'blocked', 'none'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Patch runs go to a state file of the test's own, never the user's.
const STATE_DIR = mkdtempSync(join(tmpdir(), 'sre-ops-mcp-'));
const STATE = ['--state', join(STATE_DIR, 'state.db')];

/** `sre-ops mcp` as a desktop client launches it: the built binary, spoken to by the SDK's own client. */
async function launch(...extra: string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--now', NOW, ...STATE, ...extra], stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'sre-ops-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}

function text(r: unknown): string {
  const c = (r as CallToolResult).content[0];
  return c && c.type === 'text' ? c.text : '';
}

describe('sre-ops mcp over stdio (the built binary, SDK client, demo fleet)', function () {
  this.timeout(60_000);
  let client: Client;
  let stderr: () => string;
  const call = async (name: string, args: Json = {}): Promise<Json> => {
    const r = await client.callTool({ name, arguments: args });
    expect(r.isError, `${name}: ${text(r)}`).to.not.equal(true);
    expect(text(r), `${name} summary`).to.not.be.empty;
    return r.structuredContent as Json;
  };

  before(async () => ({ client, stderr } = await launch()));
  after(async () => {
    await client?.close();
    rmSync(STATE_DIR, { recursive: true, force: true });
  });

  it('introduces itself and logs only on stderr', () => {
    expect(client.getServerVersion()?.name).to.equal('sre-ops-assistant');
    expect(client.getInstructions()).to.match(/request_patch_run/);
    expect(stderr()).to.match(/sre-ops mcp: serving demo over stdio/);
  });

  it('lists the read tools, annotated read-only, with input and output schemas', async () => {
    const { tools } = await client.listTools();

    const names = tools.map((t) => t.name);
    expect(names).to.include.members(READ_TOOLS);
    expect(['request_patch_run'], 'tools besides the read tools').to.include.members(names.filter((n) => !READ_TOOLS.includes(n)));
    for (const t of tools.filter((x) => READ_TOOLS.includes(x.name))) {
      expect(t.annotations?.readOnlyHint, t.name).to.equal(true);
      expect(t.outputSchema, t.name).to.be.an('object');
    }
  });

  it('assess_fleet ranks the demo fleet, filters and pages', async () => {
    const all = await call('assess_fleet');
    const blocked = await call('assess_fleet', { decision: 'blocked', findingsPerAsset: 0 });
    const top = await call('assess_fleet', { limit: 5 });

    expect(all.generatedAt).to.equal('2026-11-20T12:00:00.000Z');
    expect(all.source).to.equal('demo');
    expect(all.assets.length).to.equal(all.summary.assets).and.be.at.least(12);
    expect(all.page).to.include({ truncated: false, note: null });
    const scores = all.assets.map((a: Json) => a.riskScore);
    expect(scores).to.deep.equal([...scores].sort((x: number, y: number) => y - x));
    expect(new Set(all.assets.map((a: Json) => a.decision))).to.include.members(['patch-now', 'blocked', 'mitigate']);
    for (const a of all.assets) {
      expect(DECISIONS).to.include(a.decision);
      expect(a.topFindings.length).to.be.at.most(3);
    }
    expect(blocked.assets.map((a: Json) => a.decision)).to.satisfy((d: string[]) => d.length > 0 && d.every((x) => x === 'blocked'));
    expect(blocked.assets.map((a: Json) => a.name)).to.include('legacy-reports');
    expect(top.assets).to.have.length(5);
    expect(top.assets).to.deep.equal(all.assets.slice(0, 5));
    expect(top.page.note).to.equal(`showing assets 1-5 of ${all.summary.assets}, highest risk first; ${all.summary.assets - 5} more: call again with offset 5`);
  });

  it('assess_instance and list_findings describe one instance by Name tag', async () => {
    const inst = await call('assess_instance', { instance: 'bastion', limit: 5 });
    const list = await call('list_findings', { instance: 'web-1', minSeverity: 'high' });

    expect(inst.asset).to.include({ name: 'bastion', mission: 'high', exposed: true });
    expect(inst.findings).to.have.length(5);
    expect(inst.page.truncated).to.equal(true);
    expect(list.name).to.equal('web-1');
    expect(list.minSeverity).to.equal('HIGH');
    expect(list.findings.length).to.be.greaterThan(0);
    for (const f of list.findings) expect(['HIGH', 'CRITICAL']).to.include(f.severity);
    expect(list.filteredOut).to.be.greaterThan(0);
  });

  it('plan_patches and patch_compliance cover the fleet', async () => {
    const plan = await call('plan_patches');
    const comp = await call('patch_compliance', { limit: 3 });

    const planned = Object.values(plan.counts as Record<string, number>).reduce((x, y) => x + y, 0);
    expect(plan.page.total).to.equal(planned);
    expect(plan.waves.length).to.be.greaterThan(0);
    expect(plan.waves[0]).to.include({ number: 1 });
    expect(plan.instances[0].decision).to.equal('patch-now');
    expect(comp.summary.instances).to.equal(planned);
    expect(comp.instances).to.have.length(3);
    expect(comp.instances[0].status).to.equal('non-compliant');
  });

  it('instance_metrics and instance_activity look back the hours asked, bounded', async () => {
    const metrics = await call('instance_metrics', { instance: 'api-2', hours: 336, maxAnomalies: 1 });
    const activity = await call('instance_activity', { instance: 'bastion', hours: 720, flaggedOnly: true });

    expect(metrics).to.include({ name: 'api-2', hours: 336, periodSeconds: 3600 });
    expect(metrics.metrics.cpu.anomalyCount).to.be.greaterThan(1);
    expect(metrics.metrics.cpu.anomalies).to.have.length(1);
    expect(metrics.note).to.match(/^cpu: 1 of \d+ anomalies shown/);
    expect(activity.flagged).to.be.greaterThan(0);
    expect(activity.events).to.have.length(activity.flagged);
    for (const e of activity.events) expect(e.flags.length).to.be.greaterThan(0);
  });

  it('explain_finding gives the inputs and table rows behind a finding the fleet reports', async () => {
    const finding = (await call('list_findings', { instance: 'bastion', limit: 1 })).findings[0];

    const r = await call('explain_finding', { instance: 'bastion', vulnerabilityId: finding.vulnerabilityId });

    const e = r.explanations[0];
    expect(e.findingArn).to.equal(finding.findingArn);
    expect(e.ssvc.outcome).to.equal(finding.ssvc);
    expect(e.timeline.outcome).to.equal(finding.timeline);
    expect(e.ssvc.inputs.exploitation.value).to.equal(finding.exploitation);
    expect(e.ssvc.inputs.mission.value).to.equal('high');
    expect(e.timeline.inputs.exposed.value).to.equal(true);
    expect(e.timeline.dueBy).to.equal(finding.dueBy);
    expect(e.ssvc.row.number).to.be.within(1, 12);
    expect(e.timeline.row.number).to.be.within(1, 16);
  });

  it('serves the policy and the decision tables as resources', async () => {
    const { resources } = await client.listResources();
    const ssvc = JSON.parse(((await client.readResource({ uri: 'sre-ops://tables/ssvc' })).contents[0] as { text: string }).text);
    const policy = JSON.parse(((await client.readResource({ uri: 'sre-ops://policy' })).contents[0] as { text: string }).text);

    expect(resources.map((r) => r.uri)).to.have.members(['sre-ops://policy', 'sre-ops://tables/ssvc', 'sre-ops://tables/bod-26-04']);
    expect(ssvc.rows).to.have.length(12);
    expect(policy.timelineDays).to.deep.equal({ threeDays: 3, fourteenDays: 14, sixtyDays: 60 });
  });

  it('answers bad arguments with a tool error naming the field, and keeps serving', async () => {
    const cases: [string, Json, RegExp][] = [
      ['assess_instance', { instance: 'bastoin' }, /^instance: no instance matches "bastoin"; did you mean "bastion \(i-[0-9a-f]+\)"/],
      ['assess_fleet', { limit: 'ten' }, /at limit/],
      ['list_findings', { instance: 'web-1', minSeverity: 'urgent' }, /at minSeverity/],
      ['explain_finding', { instance: 'bastion', vulnerabilityId: 'CVE-1999-0001' }, /^vulnerabilityId: no finding on bastion/],
    ];
    for (const [name, args, message] of cases) {
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError, name).to.equal(true);
      expect(text(r), name).to.match(message);
    }
    expect((await client.callTool({ name: 'assess_fleet', arguments: { limit: 1 } })).isError).to.not.equal(true);
  });

  it('request_patch_run, when offered, only creates a requested run (the demo source never reaches SSM)', async function () {
    const { tools } = await client.listTools();
    if (!tools.some((t) => t.name === 'request_patch_run')) this.skip();

    const r = await client.callTool({ name: 'request_patch_run', arguments: { instances: ['web-1'], reason: 'integration test' } });

    expect(r.isError, text(r)).to.not.equal(true);
    const { run, next } = r.structuredContent as Json;
    expect(run.status).to.equal('requested');
    expect(run.simulated).to.equal(true);
    expect(run.instanceCount).to.equal(1);
    expect(next).to.match(/nothing has been sent/);
  });

  it('with --read-only offers no tool that changes anything', async () => {
    const ro = await launch('--read-only');
    try {
      const { tools } = await ro.client.listTools();
      expect(tools.map((t) => t.name)).to.have.members(READ_TOOLS);
    } finally {
      await ro.client.close();
    }
  });

  it('writes nothing on stdout by itself and exits 0 when the client closes stdin', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--now', NOW, ...STATE], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    child.stdin.end();

    expect(await exited).to.equal(0);
    expect(out).to.equal('');
  });
});
