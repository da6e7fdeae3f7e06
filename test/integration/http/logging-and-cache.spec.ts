import { expect } from 'chai';
import { sha256Hex } from '../../../adapters/inbound/http/api-keys.js';
import { createHttpLogger } from '../../../adapters/inbound/http/logger.js';
import { SourceError } from '../../../domain/errors.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { demoAssistant, FakeClock, KEYS, LogCapture, startTestServer } from './http-test-kit.js';

/** The demo assistant, counting the calls that reach it (what the cache saves). */
function counting(inner: Assistant): { assistant: Assistant; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrap = <K extends keyof Assistant>(name: K) => (...args: unknown[]) => {
    calls[name] = (calls[name] ?? 0) + 1;
    return (inner[name] as (...a: unknown[]) => unknown)(...args);
  };
  return {
    calls,
    assistant: { ...inner, assessFleet: wrap('assessFleet'), planPatches: wrap('planPatches'), assessInstance: wrap('assessInstance'), acceptRisk: wrap('acceptRisk') } as Assistant,
  };
}

describe('HTTP API: access logs and the fleet assessment cache', function () {
  this.timeout(30_000);
  let demo: Assistant;
  let dispose: () => Promise<void>;
  before(async () => ({ assistant: demo, dispose } = await demoAssistant()));
  after(() => dispose());

  describe('access log', () => {
    it('one JSON line per request: method, route, status, latency, request id and key name', async () => {
      const api = await startTestServer({ assistant: demo });
      try {
        await api.get('/v1/assets/web-1?', 'reader', { 'x-request-id': 'req-abc' });
        const line = api.logs.lines.find((l) => l.reqId === 'req-abc');

        expect(line).to.include({ level: 'info', msg: 'request', method: 'GET', route: '/v1/assets/{instance}', path: '/v1/assets/web-1', status: 200, key: 'dashboard' });
        expect(line?.latencyMs).to.be.a('number').within(0, 5000);
        expect(line?.time).to.match(/^\d{4}-\d{2}-\d{2}T/);
      } finally {
        await api.close();
      }
    });

    it('never writes a key or its hash, whether the key is right, wrong, or sent where it does not belong', async () => {
      const api = await startTestServer({ assistant: demo });
      const wrongKey = 'k-totally-wrong-but-secret-123';
      try {
        await api.get('/v1/plan', 'operator');
        await api.get('/v1/plan', undefined, { 'x-api-key': wrongKey });
        await api.get(`/v1/plan?x-api-key=${KEYS.approver.key}`, 'approver');
        await api.post('/v1/patch-runs', { fromPlan: true, reason: 'x' }, 'reader');
        await api.get('/nope', undefined, { 'x-api-key': KEYS.reader.key, authorization: `Bearer ${KEYS.reader.key}` });
        const all = api.logs.raw.join('\n');

        expect(api.logs.raw.length).to.be.at.least(5);
        for (const secret of [...Object.values(KEYS).map((k) => k.key), wrongKey]) {
          expect(all).to.not.contain(secret);
          expect(all).to.not.contain(sha256Hex(secret));
        }
      } finally {
        await api.close();
      }
    });

    it('redacts keys and secrets even where someone logs a request\'s headers or the key list', () => {
      const logs = new LogCapture();
      const logger = createHttpLogger({ destination: logs });

      logger.info({ req: { headers: { 'x-api-key': 'k-leak-1', authorization: 'Bearer k-leak-2' } } }, 'debugging a request');
      logger.info({ SRE_OPS_API_KEYS: '[{"sha256":"abc"}]', key: { name: 'ci', sha256: 'f'.repeat(64) } }, 'config');

      const all = logs.raw.join('\n');
      expect(all).to.not.match(/k-leak-1|k-leak-2|ffffffff|"abc"/);
      expect(all).to.contain('[redacted]');
      expect(all).to.contain('"name":"ci"');
    });
  });

  describe('fleet assessment cache (TTL, single flight)', () => {
    it('100 concurrent requests cost one upstream assessment, whatever their filters', async () => {
      const { assistant, calls } = counting(demo);
      const api = await startTestServer({ assistant, limits: { perSecond: 1000, burst: 1000 } });
      try {
        const paths = Array.from({ length: 100 }, (_, i) => ['/v1/assets', '/v1/assets?decision=patch-now', '/v1/assets?exposed=false&limit=3', '/v1/assets?mission=high'][i % 4] as string);
        const statuses = await Promise.all(paths.map(async (p) => (await api.get(p, 'reader')).status));

        expect(statuses.every((s) => s === 200)).to.equal(true);
        expect(calls.assessFleet).to.equal(1);
        expect(api.app.assistant.cacheStats?.()).to.include({ misses: 1, hits: 99 });
      } finally {
        await api.close();
      }
    });

    it('serves from the cache until the TTL passes, then assesses again', async () => {
      const clock = new FakeClock();
      const { assistant, calls } = counting(demo);
      const api = await startTestServer({ assistant, clock, cache: { ttlMs: 300_000 } });
      try {
        await api.get('/v1/plan', 'reader');
        clock.advance(299_000);
        await api.get('/v1/plan', 'reader');
        const cachedCalls = calls.planPatches;
        clock.advance(2_000);
        await api.get('/v1/plan', 'reader');

        expect(cachedCalls).to.equal(1);
        expect(calls.planPatches).to.equal(2);
      } finally {
        await api.close();
      }
    });

    it('a failure is not cached: the next request goes upstream again', async () => {
      let fail = true;
      const flaky: Assistant = {
        ...demo,
        planPatches: async () => {
          if (fail) throw new SourceError('ssm', 'DescribeInstancePatchStates', 'simulated', { code: 'ThrottlingException' });
          return demo.planPatches();
        },
      };
      const api = await startTestServer({ assistant: flaky });
      try {
        const first = await api.get('/v1/plan', 'reader');
        fail = false;
        const second = await api.get('/v1/plan', 'reader');

        expect(first.status).to.equal(503);
        expect(second.status).to.equal(200);
      } finally {
        await api.close();
      }
    });

    it('a risk acceptance clears the cache (it changes which findings count)', async () => {
      const { assistant, calls } = counting({ ...demo, acceptRisk: async () => ({ id: 'acc-1', vulnerabilityId: 'CVE-1', instanceId: null, reason: 'r', acceptedBy: 'alice', acceptedAt: '2026-11-20T12:00:00.000Z', until: '2027-01-01T00:00:00.000Z', expired: false }) });
      const api = await startTestServer({ assistant });
      try {
        await api.get('/v1/assets', 'reader');
        await api.get('/v1/assets', 'reader');
        await api.post('/v1/acceptances', { vulnerabilityId: 'CVE-1', until: '2027-01-01', reason: 'r' }, 'approver');
        await api.get('/v1/assets', 'reader');

        expect(calls.acceptRisk).to.equal(1);
        expect(calls.assessFleet).to.equal(2);
      } finally {
        await api.close();
      }
    });
  });
});
