/**
 * Autopilot status on the other surfaces: GET /v1/autopilot and the MCP read tool
 * autopilot_status, both on one real HTTP server on loopback (the MCP mount, API keys), over a real
 * SQLite state file: the same JSON as `autopilot status --json`.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHttpApp } from '../../../adapters/inbound/http/http-app.js';
import { createHttpLogger } from '../../../adapters/inbound/http/logger.js';
import { handleMcpHttp } from '../../../adapters/inbound/mcp/mcp-http.js';
import { createAssistant } from '../../../composition/index.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { AutopilotStatus } from '../../../ports/inbound/patching/autopilot.port.js';
import { DEMO_FLEET } from '../../support/paths.js';

const NOW = '2026-11-20T12:00:00Z';
const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex');
const CLI_ACTOR = { id: 'cli', roles: ['viewer'], via: 'cli' } as const;
const POLICY = { autopilot: { enabled: true, decisions: ['routine', 'next-window', 'patch-now'], approvalLeadTimeHours: 24 } };

describe('autopilot status over HTTP (GET /v1/autopilot) and MCP (autopilot_status), SQLite state file', function () {
  this.timeout(30_000);
  let dir: string;
  let assistant: Assistant;
  let server: Server;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-autopilot-http-'));
    assistant = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW, policy: POLICY, stateStore: { kind: 'sqlite', path: join(dir, 'state.db') } });
    const app = createHttpApp({
      assistant,
      keys: [{ name: 'dashboard', sha256: sha256('k-read'), scopes: ['read'] }, { name: 'approver-only', sha256: sha256('k-approve'), scopes: ['approve'] }],
      logger: createHttpLogger({ level: 'silent' }),
      cache: false,
      mcp: (req, res, { actor, body }) => handleMcpHttp(req, res, { assistant, actor, parsedBody: body }),
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await assistant.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET /v1/autopilot answers what `autopilot status --json` prints (read scope; no key 401; documented in the OpenAPI document)', async () => {
    const r = await fetch(`${base}/v1/autopilot`, { headers: { 'x-api-key': 'k-read' } });
    const body = (await r.json()) as AutopilotStatus;

    expect(r.status).to.equal(200);
    expect(body).to.deep.equal(await assistant.autopilotStatus(CLI_ACTOR));
    expect(body.enabled).to.equal(true);
    // The assistant's fixed `now` (as `--now` gives it), not the real clock: the windows are those `plan` shows as of then.
    expect(body.now).to.equal(new Date(NOW).toISOString());
    const planned = new Set(Object.values((await assistant.planPatches()).byDecision).flat().flatMap((i) => (i.window ? [`${i.window.start} ${i.window.end}`] : [])));
    expect(body.due.map((d) => `${d.start} ${d.end}`).filter((w) => !planned.has(w)), 'due windows the plan (as of NOW) does not have').to.deep.equal([]);
    expect(body.due.length, 'the demo fleet has windows the autopilot turns into runs').to.be.above(0);
    expect(body.due[0]).to.have.keys(['runId', 'start', 'end', 'instances', 'standing', 'createAt', 'approveBy']);
    expect((await fetch(`${base}/v1/autopilot`)).status).to.equal(401);
    expect((await fetch(`${base}/v1/autopilot`, { headers: { 'x-api-key': 'k-approve' } })).status).to.equal(403);
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, { get?: { operationId: string } }> };
    expect(doc.paths['/v1/autopilot']?.get?.operationId).to.equal('autopilotStatus');
  });

  it('the MCP read tool autopilot_status returns the same JSON to a read key', async () => {
    const client = new Client({ name: 'autopilot-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { 'x-api-key': 'k-read' } } }));
    try {
      const tool = (await client.listTools()).tools.find((t) => t.name === 'autopilot_status');
      expect(tool?.annotations?.readOnlyHint).to.equal(true);
      const r = await client.callTool({ name: 'autopilot_status', arguments: {} });

      expect(r.isError).to.not.equal(true);
      expect(r.structuredContent).to.deep.equal(await assistant.autopilotStatus(CLI_ACTOR));
      expect((r.content as { text: string }[])[0]?.text).to.match(/^Autopilot on: [1-9]\d* window\(s\) due, 0 run\(s\) made/);
    } finally {
      await client.close();
    }
  });
});
