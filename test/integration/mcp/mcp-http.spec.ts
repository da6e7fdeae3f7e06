import { expect } from 'chai';
import sinon from 'sinon';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { handleMcpHttp } from '../../../adapters/inbound/mcp/mcp-http.js';
import { createAssistant } from '../../../composition/index.js';
import type { Actor } from '../../../domain/access/actor.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { PatchRunReport } from '../../../ports/inbound/patching/patch-runs.port.js';
import { DEMO_FLEET } from '../../support/paths.js';

const NOW = '2026-11-20T12:00:00Z';
const ACTORS: Record<string, Actor> = {
  'k-read': { id: 'dashboard', roles: ['viewer'], via: 'http' },
  'k-operate': { id: 'ops-bot', roles: ['operator'], via: 'http' },
};

/**
 * What the HTTP API does in front of the handler, reduced to its contract: a key names an actor
 * (401 without one), then handleMcpHttp serves the request as that actor. `bodyFirst` mimics a
 * framework whose body parser has already consumed the stream.
 */
function serve(assistant: Assistant, options: { bodyFirst: boolean }): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const actor = key === undefined ? undefined : ACTORS[key];
      if (!actor) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"an API key is required"}');
        return;
      }
      let parsedBody: unknown;
      if (options.bodyFirst && req.method === 'POST') {
        let raw = '';
        for await (const chunk of req) raw += String(chunk);
        parsedBody = JSON.parse(raw);
      }
      await handleMcpHttp(req, res, { assistant, actor, ...(parsedBody !== undefined ? { parsedBody } : {}) });
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function urlOf(server: Server): URL {
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
}

async function connect(server: Server, key: string): Promise<Client> {
  const client = new Client({ name: 'sre-ops-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(urlOf(server), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return client;
}

describe('MCP over Streamable HTTP (handleMcpHttp on a loopback server, SDK client)', function () {
  this.timeout(30_000);
  let assistant: Assistant;
  let requestPatchRun: sinon.SinonStub;
  const servers: Server[] = [];
  const clients: Client[] = [];

  before(async () => {
    // The demo fleet by path, so the spec runs from TypeScript as well as from dist/.
    const real = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW });
    requestPatchRun = sinon.stub().resolves({ id: 'run-7', status: 'requested', operation: 'Install', rebootOption: 'RebootIfNeeded', requestedBy: 'ops-bot', requestedAt: NOW, reason: 'r', needsApproval: true, approvals: [], approvalExpiresAt: null, currentWave: null, waves: [], haltReason: null, snapshotId: 's', updatedAt: NOW, version: 1 } satisfies PatchRunReport);
    assistant = { ...real, requestPatchRun };
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });
  after(async () => assistant.close());

  for (const bodyFirst of [false, true]) {
    it(`serves the read tools to a read key${bodyFirst ? ' (body already parsed by the framework)' : ''}`, async () => {
      const server = await serve(assistant, { bodyFirst });
      servers.push(server);
      const client = await connect(server, 'k-read');
      clients.push(client);

      const { tools } = await client.listTools();
      const r = await client.callTool({ name: 'assess_fleet', arguments: { limit: 2 } });

      expect(tools.map((t) => t.name)).to.not.include('request_patch_run');
      expect(r.isError, JSON.stringify(r.content)).to.not.equal(true);
      expect((r.structuredContent as { assets: unknown[] }).assets).to.have.length(2);
    });
  }

  it('offers request_patch_run to an operate key and records the key\'s actor as the requester', async () => {
    const server = await serve(assistant, { bodyFirst: false });
    servers.push(server);
    const client = await connect(server, 'k-operate');
    clients.push(client);

    const r = await client.callTool({ name: 'request_patch_run', arguments: { instances: ['web-1'], reason: 'from an agent' } });

    expect(r.isError).to.not.equal(true);
    expect((r.structuredContent as { run: { status: string } }).run.status).to.equal('requested');
    sinon.assert.calledOnceWithMatch(requestPatchRun, ACTORS['k-operate'], { instances: ['web-1'], reason: 'from an agent' });
  });

  it('refuses a request without a key before MCP sees it', async () => {
    const server = await serve(assistant, { bodyFirst: false });
    servers.push(server);
    const client = new Client({ name: 'no-key', version: '1.0.0' });

    const err = await client.connect(new StreamableHTTPClientTransport(urlOf(server))).then(() => null, (e: unknown) => e);

    expect(String(err)).to.match(/401|API key/);
  });

  it('answers GET and DELETE with 405 (stateless: no stream to resume, no session to end)', async () => {
    const server = await serve(assistant, { bodyFirst: false });
    servers.push(server);

    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(urlOf(server), { method, headers: { authorization: 'Bearer k-read', accept: 'application/json, text/event-stream' } });
      expect(res.status, method).to.equal(405);
      expect(res.headers.get('allow')).to.equal('POST');
    }
  });

  it('answers a malformed message with a JSON-RPC error, and keeps serving', async () => {
    const server = await serve(assistant, { bodyFirst: false });
    servers.push(server);

    const res = await fetch(urlOf(server), {
      method: 'POST',
      headers: { authorization: 'Bearer k-read', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc": "2.0", "method": ',
    });
    const client = await connect(server, 'k-read');
    clients.push(client);

    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).to.equal(-32700);
    expect((await client.listTools()).tools.length).to.be.greaterThan(0);
  });
});
