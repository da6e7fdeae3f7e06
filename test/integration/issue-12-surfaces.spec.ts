/**
 * Issue 12 on the HTTP service (a real process on loopback) and MCP (the built binary over stdio,
 * the SDK's client), sharing one real SQLite state file with the CLI: the acceptance rule is the
 * same on every surface (a revoked acceptance never applies, whatever the assessment instant), the
 * HTTP accept refuses an id no finding is known by unless `force`, and explain_finding finds a
 * Windows KB finding by its related CVE. MCP's accept_risk and revoke_acceptance, over stdio
 * (--allow-accept-risk) and over the service's /mcp (a key with the approve scope), keep the
 * same rule and write the same audit entries.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sha256Hex } from '../../adapters/inbound/http/api-keys.js';
import type { InstanceReport } from '../../ports/inbound/assessment/assess-instance.port.js';
import { CLI, REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { serverCommand, spawnServer, type ServerProcess } from './http/server-process.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'snapshots', 'issue-12');
const SOURCE = `snapshot:${FIXTURE}`;
const NOW = '2026-11-20T12:00:00Z';
const KEY = 'k-approver-issue-12-0123456789';

type Json = Record<string, unknown>;

describe('issue 12 on HTTP and MCP (real processes, one SQLite state file)', function () {
  this.timeout(120_000);
  let home: string;
  let server: ServerProcess;
  let port: number;
  let cli: string[];
  let env: Record<string, string>;

  const api = async (method: 'GET' | 'POST', path: string, body?: Json): Promise<{ status: number; json: Json }> => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, {
      method, headers: { 'x-api-key': KEY, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, json: (await r.json()) as Json };
  };

  /** `sre-ops mcp` as bob (approver), the built binary over stdio, on the same state file. */
  async function stdioClient(...extra: string[]): Promise<Client> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--now', NOW, '--source', SOURCE, ...cli, ...extra], env: { ...process.env, ...env } as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'issue-12-test', version: '1.0.0' });
    await client.connect(transport);
    return client;
  }

  const toolText = (r: CallToolResult): string => (r.content[0]?.type === 'text' ? r.content[0].text : '');

  /** The audit entries about one target, through the service (the same state file). */
  const auditOf = async (target: string): Promise<Json[]> =>
    ((await api('GET', `/v1/audit?target=${encodeURIComponent(target)}`)).json.entries as Json[]);

  async function mcpInstance(instance: string): Promise<Json> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--now', NOW, '--source', SOURCE, ...cli], env: { ...process.env, ...env } as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'issue-12-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const r = (await client.callTool({ name: 'assess_instance', arguments: { instance } })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).to.not.equal(true);
      return r.structuredContent as Json;
    } finally {
      await client.close();
    }
  }

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sre-ops-issue-12-surfaces-'));
    const policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({ access: { actors: { bob: ['approver'] } } }));
    env = { XDG_CONFIG_HOME: join(home, 'config') };
    cli = ['--policy', policy, '--actor', 'bob'];
    server = spawnServer(serverCommand(), {
      HOME: home, XDG_CONFIG_HOME: join(home, 'config'), PORT: '0', HOST: '127.0.0.1', SRE_OPS_SOURCE: SOURCE, SRE_OPS_NOW: NOW,
      SRE_OPS_CACHE_TTL_SECONDS: '0', SRE_OPS_API_KEYS: JSON.stringify([{ name: 'alice', sha256: sha256Hex(KEY), scopes: ['read', 'approve'] }]),
    });
    port = await server.listening;
  });
  after(async () => {
    if (server && server.child.exitCode === null) {
      server.kill('SIGKILL');
      await server.exited;
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('HTTP: an advisory id no finding is known by is refused (400) with the near ids unless force: true', async () => {
    const refused = await api('POST', '/v1/acceptances', { vulnerabilityId: 'ALAS-2025-2879', until: '2027-01-31', reason: 'vendor fix pending' });
    const forced = await api('POST', '/v1/acceptances', { vulnerabilityId: 'ALAS-2025-2879', until: '2027-01-31', reason: 'vendor fix pending', force: true });

    expect(refused.status).to.equal(400);
    expect(JSON.stringify(refused.json)).to.contain('near: ALAS2023-2025-2879');
    expect(forced.status).to.equal(201);
    const revoked = await runCli(['revoke', forced.json.id as string, '--yes', ...cli], env);
    expect(revoked.code, revoked.stderr).to.equal(0);
  });

  it('HTTP and MCP: once revoked, an acceptance no longer applies, also to an assessment instant before the revocation', async () => {
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const created = await api('POST', '/v1/acceptances', { vulnerabilityId: 'CVE-2025-44444', instance: 'lone-track', until, reason: 'WAF rule' });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);

    const before = (await api('GET', '/v1/assets/lone-track')).json as unknown as InstanceReport;
    const mcpBefore = await mcpInstance('lone-track');
    expect(before.asset.accepted).to.have.length(1);
    expect(mcpBefore.acceptedCount).to.equal(1);

    // Revoked now (the wall clock, after the snapshot's instant NOW that every surface assesses at).
    const revoked = await runCli(['revoke', created.json.id as string, '--yes', ...cli], env);
    expect(revoked.code, revoked.stderr).to.equal(0);

    const after = (await api('GET', '/v1/assets/lone-track')).json as unknown as InstanceReport;
    const mcpAfter = await mcpInstance('lone-track');
    expect(after.asset.accepted).to.have.length(0);
    expect(after.asset.findings.map((f) => f.vulnerabilityId)).to.deep.equal(['CVE-2025-44444']);
    expect(mcpAfter.acceptedCount).to.equal(0);
    expect((mcpAfter.findings as Json[]).map((f) => f.vulnerabilityId)).to.deep.equal(['CVE-2025-44444']);
  });

  it('MCP over stdio: accept_risk refuses an id no finding is known by (with the near ids) unless force: true; revoke_acceptance ends it; both audited via mcp', async () => {
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const plain = await stdioClient();
    const client = await stdioClient('--allow-accept-risk');
    try {
      const offered = (await client.listTools()).tools;
      const notOffered = (await plain.listTools()).tools.map((t) => t.name);

      const refused = (await client.callTool({ name: 'accept_risk', arguments: { vulnerabilityId: 'ALAS-2025-2879', until, reason: 'vendor fix pending' } })) as CallToolResult;
      const forced = (await client.callTool({ name: 'accept_risk', arguments: { vulnerabilityId: 'ALAS-2025-2879', until, reason: 'vendor fix pending', force: true } })) as CallToolResult;
      const id = ((forced.structuredContent as Json).acceptance as Json).id as string;
      const revoked = (await client.callTool({ name: 'revoke_acceptance', arguments: { acceptance: id } })) as CallToolResult;
      const again = (await client.callTool({ name: 'revoke_acceptance', arguments: { acceptance: id } })) as CallToolResult;
      const unknown = (await client.callTool({ name: 'revoke_acceptance', arguments: { acceptance: 'acc-nothing' } })) as CallToolResult;

      expect(notOffered).to.not.include.members(['accept_risk']).and.not.include('revoke_acceptance');
      expect(offered.find((t) => t.name === 'accept_risk')?.annotations).to.include({ readOnlyHint: false });
      expect(offered.map((t) => t.name)).to.include('revoke_acceptance');
      expect(refused.isError).to.equal(true);
      expect(toolText(refused)).to.match(/^vulnerabilityId: ALAS-2025-2879 matches no finding in the fleet; near: ALAS2023-2025-2879/);
      expect(forced.isError, toolText(forced)).to.not.equal(true);
      expect((forced.structuredContent as Json).acceptance).to.include({ vulnerabilityId: 'ALAS-2025-2879', instanceId: null, reason: 'vendor fix pending', expired: false, revokedBy: null });
      expect(((forced.structuredContent as Json).acceptance as Json).acceptedBy).to.match(/^bob, claimed by /);
      expect(revoked.isError, toolText(revoked)).to.not.equal(true);
      expect((revoked.structuredContent as Json).acceptance).to.include({ id, expired: true });
      expect(((revoked.structuredContent as Json).acceptance as Json).revokedBy).to.match(/^bob, claimed by /);
      expect(again.isError).to.equal(true);
      expect(toolText(again)).to.match(new RegExp(`acceptance ${id} was already revoked`));
      expect(unknown.isError).to.equal(true);
      expect(toolText(unknown)).to.equal('acceptance: no risk acceptance matches "acc-nothing"');
      const entries = await auditOf(id);
      expect(entries.map((e) => [e.action, e.result, e.via])).to.deep.equal([['risk.revoke', 'failed', 'mcp'], ['risk.revoke', 'ok', 'mcp'], ['risk.accept', 'ok', 'mcp']]);
      expect(entries[2]?.detail).to.match(/ALAS-2025-2879 fleet-wide until .*: vendor fix pending \(forced\)/);
    } finally {
      await plain.close();
      await client.close();
    }
  });

  it('MCP over the service\'s /mcp: a key with the approve scope gets accept_risk; the acceptance applies to the next report and is audited under the key', async () => {
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const client = new Client({ name: 'issue-12-http', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { 'x-api-key': KEY } } }));
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      const accepted = (await client.callTool({ name: 'accept_risk', arguments: { vulnerabilityId: 'cve-2025-44444', instance: 'lone-track', until, reason: 'WAF rule' } })) as CallToolResult;
      const id = ((accepted.structuredContent as Json).acceptance as Json).id as string;
      const during = (await api('GET', '/v1/assets/lone-track')).json as unknown as InstanceReport;
      const revoked = (await client.callTool({ name: 'revoke_acceptance', arguments: { acceptance: id } })) as CallToolResult;
      const after = (await api('GET', '/v1/assets/lone-track')).json as unknown as InstanceReport;

      expect(tools).to.include.members(['accept_risk', 'revoke_acceptance']);
      expect(accepted.isError, toolText(accepted)).to.not.equal(true);
      expect((accepted.structuredContent as Json).acceptance).to.include({ vulnerabilityId: 'CVE-2025-44444', acceptedBy: 'alice' });
      expect(during.asset.accepted.map((f) => f.acceptance?.id)).to.deep.equal([id]);
      expect(revoked.isError, toolText(revoked)).to.not.equal(true);
      expect(after.asset.accepted).to.have.length(0);
      expect((await auditOf(id)).map((e) => [e.action, e.actor, e.via])).to.deep.equal([['risk.revoke', 'alice', 'mcp'], ['risk.accept', 'alice', 'mcp']]);
    } finally {
      await client.close();
    }
  });

  it('MCP: explain_finding finds a Windows KB finding by its related CVE and shows every id', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--now', NOW, '--source', SOURCE, ...cli], env: { ...process.env, ...env } as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'issue-12-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const r = (await client.callTool({ name: 'explain_finding', arguments: { instance: 'win-1', vulnerabilityId: 'CVE-2023-21768' } })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).to.not.equal(true);
      const e = ((r.structuredContent as Json).explanations as Json[])[0] as Json;
      expect(e.vulnerabilityId).to.equal('KB5023697');
      expect(e.relatedVulnerabilities).to.deep.equal(['CVE-2023-21768', 'CVE-2023-23415']);
      expect(((e.timeline as Json).inputs as Json).inKev).to.deep.include({ value: true });
    } finally {
      await client.close();
    }
  });
});
