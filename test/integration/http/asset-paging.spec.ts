/**
 * Issue 17 (c): the default /v1/assets page was the first 100 assets with all their findings
 * (4.7 MB on a 100,000-finding fleet). Now it holds summaries (top finding, counts, decision,
 * score) and stays under 256 KB, findings come only with ?include=findings, and both list routes
 * page by cursor, tied to the cached assessment they page through, and are written piece by piece.
 */
import { expect } from 'chai';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import { demoAssistant, FakeClock, largeFleet, startTestServer, type TestServer } from './http-test-kit.js';

interface Page {
  assets: (Record<string, unknown> & { instanceId: string })[];
  page: { total: number; limit: number; nextCursor: string | null; next: string | null; offset: number; nextOffset: number | null };
  summary: { assets: number };
}

describe('HTTP API: asset summaries, cursor paging, streamed lists (issue 17)', function () {
  this.timeout(60_000);
  let demo: Assistant;
  let dispose: () => Promise<void>;
  before(async () => ({ assistant: demo, dispose } = await demoAssistant()));
  after(() => dispose());

  describe('a large fleet (2,000 instances, 100 findings each: 200,000 findings)', () => {
    let api: TestServer;
    let fleet: FleetReport;
    before(async () => {
      fleet = largeFleet(await demo.assessFleet(), 2000, 100);
      api = await startTestServer({ assistant: { ...demo, assessFleet: async () => fleet }, limits: { perSecond: 1000, burst: 1000 } });
    });
    after(() => api.close());

    it('the default page is 100 summaries, under 256 KB, written in pieces (no Content-Length)', async () => {
      const r = await api.get('/v1/assets', 'reader');
      const text = await r.text();
      const body = JSON.parse(text) as Page;

      expect(r.status).to.equal(200);
      expect(Buffer.byteLength(text)).to.be.below(256 * 1024);
      expect(body.assets).to.have.length(100);
      expect(body.page).to.include({ total: 2000, limit: 100, offset: 0, nextOffset: 100 });
      const first = body.assets[0]!;
      expect(first).to.not.have.property('findings');
      expect(first).to.include.keys('topFinding', 'findingCounts', 'decision', 'riskScore');
      const whole = fleet.assets[0]!;
      expect(first.findingCounts).to.deep.include({ active: whole.findings.length, accepted: whole.accepted.length });
      expect((first.topFinding as { findingArn: string }).findingArn).to.equal(whole.findings[0]!.findingArn);
    });

    it('streams when not validating: chunked, and the same JSON', async () => {
      const plain = await startTestServer({ assistant: { ...demo, assessFleet: async () => fleet }, validateResponses: false });
      try {
        const r = await plain.get('/v1/assets?limit=50', 'reader');
        expect(r.headers.get('content-length')).to.equal(null);
        expect(r.headers.get('transfer-encoding')).to.equal('chunked');
        const body = (await r.json()) as Page;
        expect(body.assets.map((a) => a.instanceId)).to.deep.equal(fleet.assets.slice(0, 50).map((a) => a.instanceId));
      } finally {
        await plain.close();
      }
    });

    it('following page.next visits every asset once, in rank order', async () => {
      const seen: string[] = [];
      let next: string | null = '/v1/assets?limit=700';
      let pages = 0;
      while (next) {
        const r = await api.get(next, 'reader');
        expect(r.status, next).to.equal(200);
        const p = (await r.json()) as Page;
        seen.push(...p.assets.map((a) => a.instanceId));
        if (p.page.next) expect(r.headers.get('link')).to.equal(`<${p.page.next}>; rel="next"`);
        next = p.page.next;
        pages++;
      }
      expect(pages).to.equal(3);
      expect(seen).to.deep.equal(fleet.assets.map((a) => a.instanceId));
    });

    it('?include=findings gives the full assets', async () => {
      const body = (await (await api.get('/v1/assets?limit=2&include=findings', 'reader')).json()) as Page;
      expect(body.assets).to.deep.equal(JSON.parse(JSON.stringify(fleet.assets.slice(0, 2))));
    });
  });

  it('a cursor of a replaced assessment answers 410 CURSOR_EXPIRED; a cursor for other filters or a garbled one 400', async () => {
    const clock = new FakeClock();
    const api = await startTestServer({ assistant: demo, clock, cache: { ttlMs: 60_000 } });
    try {
      const first = (await (await api.get('/v1/assets?limit=2', 'reader')).json()) as Page;
      const cursor = first.page.nextCursor as string;
      expect((await api.get(`/v1/assets?limit=2&cursor=${cursor}`, 'reader')).status, 'same generation').to.equal(200);

      const other = await api.get(`/v1/assets?limit=2&decision=patch-now&cursor=${cursor}`, 'reader');
      expect(other.status).to.equal(400);
      expect(((await other.json()) as { error: { details: { field: string } } }).error.details.field).to.equal('query.cursor');
      expect((await api.get('/v1/assets?cursor=not-a-cursor', 'reader')).status).to.equal(400);
      expect((await api.get(`/v1/assets?cursor=${cursor}&offset=2`, 'reader')).status).to.equal(400);

      clock.advance(120_000);
      // Served stale while the refresh runs; once it has replaced the answer the old cursor expires.
      let r = await api.get('/v1/assets?limit=2', 'reader');
      while (r.headers.get('age') !== '0') r = await api.get('/v1/assets?limit=2', 'reader');
      const expired = await api.get(`/v1/assets?limit=2&cursor=${cursor}`, 'reader');
      expect(expired.status).to.equal(410);
      expect(((await expired.json()) as { error: { code: string } }).error.code).to.equal('CURSOR_EXPIRED');
    } finally {
      await api.close();
    }
  });

  it('GET /v1/assets/{instance}/findings pages by cursor too', async () => {
    const api = await startTestServer({ assistant: demo });
    try {
      const all = (await (await api.get('/v1/assets/bastion/findings', 'reader')).json()) as { findings: { findingArn: string }[]; page: { total: number; next: string | null } };
      expect(all.page.next).to.equal(null);
      expect(all.findings.length).to.equal(all.page.total).and.to.be.greaterThan(2);
      const seen: string[] = [];
      let next: string | null = '/v1/assets/bastion/findings?limit=2';
      while (next) {
        const p = (await (await api.get(next, 'reader')).json()) as typeof all;
        expect(p.findings.length).to.be.at.most(2);
        seen.push(...p.findings.map((f) => f.findingArn));
        next = p.page.next;
      }
      expect(seen).to.deep.equal(all.findings.map((f) => f.findingArn));
    } finally {
      await api.close();
    }
  });
});
