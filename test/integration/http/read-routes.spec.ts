import { expect } from 'chai';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { demoAssistant, startTestServer, type TestServer } from './http-test-kit.js';

interface Page {
  assets: { instanceId: string; name: string; decision: string; exposed: boolean; riskScore: number }[];
  summary: { assets: number; byDecision: Record<string, number> };
  page: { offset: number; limit: number; total: number; nextOffset: number | null };
  warnings: string[];
}

describe('HTTP API: read routes on the demo fleet (real server, real requests)', function () {
  this.timeout(30_000);
  let assistant: Assistant;
  let dispose: () => Promise<void>;
  let api: TestServer;

  before(async () => {
    ({ assistant, dispose } = await demoAssistant());
    api = await startTestServer({ assistant });
  });
  after(async () => {
    await api.close();
    await dispose();
  });

  it('GET /v1/assets answers the fleet report, ranked, with the first page and a summary of every match', async () => {
    const r = await api.get('/v1/assets?limit=5', 'reader');
    const body = (await r.json()) as Page & { generatedAt: string; source: string };

    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^application\/json/);
    expect(body.generatedAt).to.equal('2026-11-20T12:00:00.000Z');
    expect(body.assets).to.have.length(5);
    expect(body.page).to.deep.include({ offset: 0, limit: 5, total: body.summary.assets, nextOffset: 5 });
    expect(body.summary.assets).to.be.greaterThan(5);
    const scores = body.assets.map((a) => a.riskScore);
    expect(scores).to.deep.equal([...scores].sort((x, y) => y - x));
  });

  it('pages through the fleet with offset until nextOffset is null, in the same order as the whole list', async () => {
    const all = (await (await api.get('/v1/assets?limit=1000', 'reader')).json()) as Page;
    const seen: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const p = (await (await api.get(`/v1/assets?limit=4&offset=${offset}`, 'reader')).json()) as Page;
      seen.push(...p.assets.map((a) => a.instanceId));
      offset = p.page.nextOffset;
    }

    expect(seen).to.deep.equal(all.assets.map((a) => a.instanceId));
    expect(all.page.nextOffset).to.equal(null);
  });

  it('filters by decision (repeated or comma-separated), mission and exposed, and the summary counts the matches', async () => {
    const repeated = (await (await api.get('/v1/assets?decision=patch-now&decision=blocked', 'reader')).json()) as Page;
    const commas = (await (await api.get('/v1/assets?decision=patch-now,blocked', 'reader')).json()) as Page;
    const exposed = (await (await api.get('/v1/assets?exposed=true&mission=high', 'reader')).json()) as Page;

    expect(repeated.assets.length).to.be.greaterThan(0);
    expect(repeated.assets.every((a) => a.decision === 'patch-now' || a.decision === 'blocked')).to.equal(true);
    expect(commas.assets.map((a) => a.instanceId)).to.deep.equal(repeated.assets.map((a) => a.instanceId));
    expect(repeated.summary.assets).to.equal(repeated.assets.length);
    expect(repeated.summary.byDecision.routine).to.equal(0);
    expect(exposed.assets.length).to.be.greaterThan(0);
    expect(exposed.assets.every((a) => a.exposed)).to.equal(true);
  });

  it('GET /v1/assets/{instance} by Name tag and by id answers the same instance', async () => {
    const byName = (await (await api.get('/v1/assets/web-1', 'reader')).json()) as { asset: { instanceId: string; name: string } };
    const byId = await api.get(`/v1/assets/${byName.asset.instanceId}`, 'reader');

    expect(byName.asset.name).to.equal('web-1');
    expect(byId.status).to.equal(200);
    expect(((await byId.json()) as { asset: { name: string } }).asset.name).to.equal('web-1');
  });

  it('an unknown instance is a 404 with near matches; a percent-encoded name is decoded', async () => {
    const r = await api.get('/v1/assets/web-l', 'reader');
    const body = (await r.json()) as { error: { code: string; message: string; details: { suggestions: string[]; query: string } } };
    const encoded = await api.get('/v1/assets/web%2D1', 'reader');

    expect(r.status).to.equal(404);
    expect(body.error.code).to.equal('NOT_FOUND');
    expect(body.error.details.query).to.equal('web-l');
    expect(body.error.details.suggestions.some((s) => s.startsWith('web-1'))).to.equal(true);
    expect(encoded.status).to.equal(200);
  });

  it('GET /v1/assets/{instance}/findings filters by minSeverity and says how many it left out', async () => {
    const all = (await (await api.get('/v1/assets/bastion/findings', 'reader')).json()) as { findings: { severity: string }[]; filteredOut: number };
    const high = (await (await api.get('/v1/assets/bastion/findings?minSeverity=high', 'reader')).json()) as { findings: { severity: string }[]; filteredOut: number; minSeverity: string };

    expect(all.filteredOut).to.equal(0);
    expect(high.minSeverity).to.equal('HIGH');
    expect(high.findings.every((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')).to.equal(true);
    expect(high.findings.length + high.filteredOut).to.equal(all.findings.length);
  });

  it('GET /v1/assets/{instance}/metrics and /activity take ?hours (default 24)', async () => {
    const m24 = (await (await api.get('/v1/assets/api-2/metrics', 'reader')).json()) as { hours: number; periodSeconds: number; metrics: Record<string, unknown> };
    const m72 = (await (await api.get('/v1/assets/api-2/metrics?hours=72', 'reader')).json()) as { hours: number; start: string };
    const act = (await (await api.get('/v1/assets/bastion/activity?hours=336', 'reader')).json()) as { hours: number; total: number; events: unknown[] };

    expect(m24.hours).to.equal(24);
    expect(Object.keys(m24.metrics)).to.have.members(['cpu', 'networkIn', 'networkOut', 'statusCheckFailed']);
    expect(m72.hours).to.equal(72);
    expect(m72.start).to.equal('2026-11-17T12:00:00.000Z');
    expect(act.hours).to.equal(336);
    expect(act.total).to.equal(act.events.length);
  });

  it('GET /v1/plan and /v1/compliance answer the CLI --json shapes', async () => {
    const plan = (await (await api.get('/v1/plan', 'reader')).json()) as { byDecision: Record<string, unknown[]>; waves: unknown[]; rollout: unknown };
    const compliance = (await (await api.get('/v1/compliance', 'reader')).json()) as { instances: number; perInstance: unknown[] };

    expect(Object.keys(plan.byDecision)).to.have.members(['patch-now', 'next-window', 'routine', 'mitigate', 'blocked', 'none']);
    expect(plan.waves.length).to.be.greaterThan(0);
    expect(compliance.instances).to.equal(compliance.perInstance.length);
  });

  it('answers the same JSON as the Assistant (the route is a thin mapping)', async () => {
    const direct = await assistant.planPatches();
    const viaHttp = await (await api.get('/v1/plan', 'reader')).json();

    expect(viaHttp).to.deep.equal(JSON.parse(JSON.stringify(direct)));
  });

  it('GET /health needs no key and answers without touching the source; GET /ready says the source answers', async () => {
    const health = await api.get('/health');
    const ready = await api.get('/ready');

    expect(health.status).to.equal(200);
    expect(await health.json()).to.include({ status: 'ok' });
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.include({ status: 'ready', source: assistant.source });
  });

  it('a HEAD request is answered like GET, without a body', async () => {
    const r = await fetch(`${api.base}/v1/plan`, { method: 'HEAD', headers: { 'x-api-key': 'k-reader-0123456789' } });

    expect(r.status).to.equal(200);
    expect(await r.text()).to.equal('');
  });

  it('while draining: /ready answers 503 and every answer, /health included, closes its connection', async () => {
    const draining = await startTestServer({ assistant });
    try {
      const before = await draining.get('/ready');
      draining.app.startDraining();
      const ready = await draining.get('/ready');
      const health = await draining.get('/health');
      const plan = await draining.get('/v1/plan', 'reader');

      expect(before.status).to.equal(200);
      expect(before.headers.get('connection')).to.equal('keep-alive');
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { error: { code: string } }).error.code).to.equal('NOT_READY');
      expect(health.status).to.equal(200);
      for (const r of [ready, health, plan]) expect(r.headers.get('connection'), r.url).to.equal('close');
    } finally {
      await draining.close();
    }
  });
});
