import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHttpApp } from '../../../adapters/inbound/http/http-app.js';
import { createHttpLogger } from '../../../adapters/inbound/http/logger.js';
import { handleMcpHttp } from '../../../adapters/inbound/mcp/mcp-http.js';
import { createAssistant } from '../../../composition/index.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { DEMO_FLEET } from '../../support/paths.js';

const NOW = '2026-11-20T12:00:00Z';
const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex');
const READ_TOOLS = ['assess_fleet', 'assess_instance', 'list_findings', 'plan_patches', 'patch_compliance', 'instance_metrics', 'instance_activity', 'explain_finding', 'what_changed', 'autopilot_status'];

describe('/mcp on the HTTP API (API keys, scopes, rate limits)', function () {
  this.timeout(30_000);
  let assistant: Assistant;
  let server: Server;
  let url: URL;
  const clients: Client[] = [];

  before(async () => {
    assistant = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW });
    const app = createHttpApp({
      assistant,
      keys: [
        { name: 'dashboard', sha256: sha256('k-read'), scopes: ['read'] },
        { name: 'ops-bot', sha256: sha256('k-operate'), scopes: ['read', 'operate'] },
        { name: 'approver-only', sha256: sha256('k-approve'), scopes: ['approve'] },
        { name: 'metered', sha256: sha256('k-metered'), scopes: ['read'] },
      ],
      logger: createHttpLogger({ level: 'silent' }),
      cache: false,
      limits: { perSecond: 1000, burst: 1000, perDay: 12 },
      mcp: (req, res, { actor, body }) => handleMcpHttp(req, res, { assistant, actor, parsedBody: body }),
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  });
  afterEach(async () => Promise.all(clients.splice(0).map((c) => c.close())));
  after(async () => {
    await new Promise((r) => server.close(r));
    await assistant.close();
  });

  async function connect(key?: string): Promise<Client> {
    const client = new Client({ name: 'mount-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, key ? { requestInit: { headers: { 'x-api-key': key } } } : {}));
    clients.push(client);
    return client;
  }

  it('serves the read tools to a read key, and request_patch_run only with operate', async () => {
    const reader = await connect('k-read');
    const operator = await connect('k-operate');

    const readTools = (await reader.listTools()).tools.map((t) => t.name);
    const operateTools = (await operator.listTools()).tools.map((t) => t.name);
    const r = await reader.callTool({ name: 'assess_instance', arguments: { instance: 'web-1', limit: 1 } });

    expect(readTools).to.have.members(READ_TOOLS);
    expect(operateTools).to.have.members([...READ_TOOLS, 'request_patch_run']);
    expect(r.isError).to.not.equal(true);
    expect((r.structuredContent as { asset: { name: string } }).asset.name).to.equal('web-1');
  });

  it('refuses a missing or unknown key (401) and a key without the read scope (403)', async () => {
    for (const [key, status] of [[undefined, 401], ['k-wrong', 401], ['k-approve', 403]] as const) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(key ? { 'x-api-key': key } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status, String(key)).to.equal(status);
    }
  });

  it('counts MCP calls against the key\'s rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await fetch(url, { method: 'GET', headers: { 'x-api-key': 'k-metered' } });
      statuses.push(res.status);
    }

    // 12 a day: the MCP endpoint answers (405: it takes POST only), then the limiter does.
    expect(statuses).to.deep.equal([...Array<number>(12).fill(405), 429, 429]);
  });
});
