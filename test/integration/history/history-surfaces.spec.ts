/**
 * The history on the other surfaces: GET /v1/changes and /v1/trend (a real server on loopback)
 * and the MCP tool what_changed, over two assessments of the changed fixtures recorded through
 * the library into one history.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { MemoryHistoryStore } from '../../../adapters/outbound/memory/memory-history-store.js';
import { createMcpServer } from '../../../adapters/inbound/mcp/mcp-server.js';
import { createAssistant } from '../../../composition/index.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { ChangesReport, TrendReport } from '../../../ports/inbound/history/history.port.js';
import { REPO_ROOT } from '../../support/paths.js';
import { startTestServer, type TestServer } from '../http/http-test-kit.js';
import { connect, structured, text, VIEWER } from '../../unit/adapters/inbound/mcp/support.js';

const fixture = (n: number): string => `snapshot:${join(REPO_ROOT, 'test', 'fixtures', 'snapshots', `history-${n}`)}`;

describe('history surfaces: GET /v1/changes, GET /v1/trend, MCP what_changed', function () {
  this.timeout(30_000);
  const history = new MemoryHistoryStore();
  let assistant: Assistant;
  let api: TestServer;

  before(async () => {
    const day1 = await createAssistant({ source: fixture(1), patchAdapters: { historyStore: history } });
    // The library call: record what an assessment found.
    await day1.recordAssessment(await day1.assessFleet());
    await day1.close();
    assistant = await createAssistant({ source: fixture(2), patchAdapters: { historyStore: history } });
    const recorded = await assistant.recordAssessment(await assistant.assessFleet(), 'service');
    expect(recorded.recorded.origin).to.equal('service');
    api = await startTestServer({ assistant });
  });
  after(async () => {
    await api.close();
    await assistant.close();
  });

  it('GET /v1/changes?since=2d answers the changes report', async () => {
    const r = await api.get('/v1/changes?since=2d', 'reader');
    const body = (await r.json()) as ChangesReport;

    expect(r.status).to.equal(200);
    expect(body.added.map((f) => f.advisoryId)).to.deep.equal(['CVE-2025-55555']);
    expect(body.newlyOverdue).to.have.length(2);
    expect(body.from?.origin).to.equal('library');
  });

  it('GET /v1/changes refuses a since in the future with 400 naming it', async () => {
    const r = await api.get('/v1/changes?since=2031-01-01', 'reader');
    const body = (await r.json()) as { error: { message: string } };

    expect(r.status).to.equal(400);
    expect(JSON.stringify(body)).to.match(/since: 2031-01-01T00:00:00.000Z is in the future/);
  });

  it('GET /v1/trend?days=7 answers a series per day', async () => {
    const r = await api.get('/v1/trend?days=7', 'reader');
    const body = (await r.json()) as TrendReport;

    expect(r.status).to.equal(200);
    expect(body.series.map((d) => d.day)).to.deep.equal(['2026-11-20', '2026-11-22']);
  });

  it('MCP what_changed answers bounded lists and a summary to quote', async () => {
    const client = await connect(createMcpServer({ assistant, actor: VIEWER }));
    try {
      const r = await client.callTool({ name: 'what_changed', arguments: { since: '2d', limit: 1 } });
      const value = structured<{ counts: { newlyOverdue: number }; newlyOverdue: unknown[]; escalations: { advisoryId: string; moved: string[] }[] }>(r);

      expect(value.counts.newlyOverdue).to.equal(2);
      expect(value.newlyOverdue).to.have.length(1);
      expect(text(r)).to.match(/1 new, 1 resolved/);
      const bad = await client.callTool({ name: 'what_changed', arguments: { since: '2031-01-01' } });
      expect(bad.isError).to.equal(true);
      expect(text(bad)).to.match(/^since: .* is in the future/);
    } finally {
      await client.close();
    }
  });
});
