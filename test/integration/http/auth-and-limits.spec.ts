import { expect } from 'chai';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { demoAssistant, FakeClock, startTestServer, type TestServer } from './http-test-kit.js';

describe('HTTP API: API keys, scopes and per-key rate limits', function () {
  this.timeout(30_000);
  let assistant: Assistant;
  let dispose: () => Promise<void>;
  before(async () => ({ assistant, dispose } = await demoAssistant()));
  after(() => dispose());

  describe('per-second token bucket', () => {
    let api: TestServer;
    let clock: FakeClock;
    beforeEach(async () => {
      clock = new FakeClock();
      api = await startTestServer({ assistant, clock, limits: { perSecond: 10, burst: 5, perDay: 1000 } });
    });
    afterEach(() => api.close());

    it('allows the burst, then 429 with Retry-After and RateLimit headers; the bucket refills with time', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await api.get('/v1/compliance', 'reader')).status);
      const limited = await api.get('/v1/compliance', 'reader');
      clock.advance(100);
      const refilled = await api.get('/v1/compliance', 'reader');

      expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429]);
      expect(limited.status).to.equal(429);
      expect(limited.headers.get('retry-after')).to.equal('1');
      expect(limited.headers.get('ratelimit-policy')).to.equal('"per-second";q=10;w=1;burst=5, "per-day";q=1000;w=86400');
      expect(limited.headers.get('ratelimit')).to.match(/^"per-second";r=0;t=1, "per-day";r=995;t=\d+$/);
      const body = (await limited.json()) as { error: { code: string; message: string; details: { limit: string } } };
      expect(body.error.code).to.equal('RATE_LIMITED');
      expect(body.error.details.limit).to.equal('per-second');
      expect(body.error.message).to.equal('rate limit of 10 requests a second for key "dashboard" reached; retry after 1 s');
      expect(refilled.status).to.equal(200);
    });

    it('keys have separate buckets; refused, unauthenticated and public requests cost nothing', async () => {
      for (let i = 0; i < 5; i++) await api.get('/v1/compliance', 'reader');
      const readerOut = await api.get('/v1/compliance', 'reader');
      const operator = await api.get('/v1/compliance', 'operator');
      for (let i = 0; i < 20; i++) await api.get('/v1/compliance', undefined, { 'x-api-key': 'wrong' });
      for (let i = 0; i < 20; i++) await api.get('/health');
      const remaining = (await api.get('/v1/compliance', 'operator')).headers.get('ratelimit');

      expect(readerOut.status).to.equal(429);
      expect(operator.status).to.equal(200);
      expect(remaining).to.match(/^"per-second";r=3;/);
    });
  });

  describe('daily quota (fake clock)', () => {
    it('allows perDay requests a UTC day, then 429 until midnight UTC, then again', async () => {
      const clock = new FakeClock(Date.parse('2026-11-20T23:59:00Z'));
      const api = await startTestServer({ assistant, clock, limits: { perSecond: 1000, burst: 1000, perDay: 3 } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) statuses.push((await api.get('/v1/plan', 'reader')).status);
        const over = await api.get('/v1/plan', 'reader');
        const otherKey = await api.get('/v1/plan', 'operator');
        clock.advance(61_000);
        const nextDay = await api.get('/v1/plan', 'reader');

        expect(statuses).to.deep.equal([200, 200, 200]);
        expect(over.status).to.equal(429);
        expect(over.headers.get('retry-after')).to.equal('60');
        expect(((await over.json()) as { error: { details: { limit: string } } }).error.details.limit).to.equal('per-day');
        expect(otherKey.status).to.equal(200);
        expect(nextDay.status).to.equal(200);
        expect(nextDay.headers.get('ratelimit')).to.match(/"per-day";r=2;t=86399$/);
      } finally {
        await api.close();
      }
    });
  });

  describe('--insecure-no-auth', () => {
    it('serves reads to anyone as "anonymous" and refuses writes (read scope only)', async () => {
      const api = await startTestServer({ assistant, keys: [], insecureNoAuth: true });
      try {
        const read = await api.get('/v1/compliance');
        const write = await api.post('/v1/patch-runs', { fromPlan: true });

        expect(read.status).to.equal(200);
        expect(write.status).to.equal(403);
        expect(api.logs.lines.find((l) => l.path === '/v1/compliance')?.key).to.equal('anonymous');
      } finally {
        await api.close();
      }
    });

    it('without it, no key configured is refused when the app is built', async () => {
      let error: unknown;
      try {
        await startTestServer({ assistant, keys: [] });
      } catch (err) {
        error = err;
      }
      expect((error as Error).message).to.match(/^no API key configured: set SRE_OPS_API_KEYS or pass --api-keys FILE/);
    });
  });
});
