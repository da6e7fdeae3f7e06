/**
 * Issue 17 (c): after the first answer a cache expiry no longer stalls requests (the last answer
 * is served while a fresh one is computed), every cached answer says how old it is (`Age`,
 * `X-Assessment-Generated-At`), and the service is not ready until its first fleet assessment
 * exists (warmed at start, not by the first client).
 */
import { expect } from 'chai';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import { demoAssistant, FakeClock, startTestServer } from './http-test-kit.js';

/** The demo Assistant whose fleet assessments wait for the test to release them, counted. */
function gated(inner: Assistant) {
  const held: (() => void)[] = [];
  let calls = 0;
  let holding = true;
  const assistant: Assistant = {
    ...inner,
    assessFleet: async (request) => {
      calls++;
      const report = await inner.assessFleet(request);
      if (holding) await new Promise<void>((r) => held.push(r));
      return report;
    },
  };
  return {
    assistant,
    calls: () => calls,
    held: () => held.length,
    release: () => {
      for (const r of held.splice(0)) r();
    },
    stopHolding: () => (holding = false),
  };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

describe('HTTP API: stale-while-revalidate, answer age, warm start (issue 17)', function () {
  this.timeout(30_000);
  let demo: Assistant;
  let dispose: () => Promise<void>;
  before(async () => ({ assistant: demo, dispose } = await demoAssistant()));
  after(() => dispose());

  it('an expired fleet assessment is served at once with its age while one fresh one is computed', async () => {
    const clock = new FakeClock();
    const g = gated(demo);
    const api = await startTestServer({ assistant: g.assistant, clock, cache: { ttlMs: 60_000 } });
    try {
      const firstReq = api.get('/v1/assets?limit=2', 'reader');
      await until(() => g.held() === 1);
      g.release();
      const first = await firstReq;
      expect(first.status).to.equal(200);
      expect(first.headers.get('age')).to.equal('0');
      const generatedAt = first.headers.get('x-assessment-generated-at');
      expect(generatedAt).to.equal(new Date(clock.t).toISOString());
      expect(((await first.json()) as FleetReport).generatedAt).to.be.a('string');

      clock.advance(90_000);
      // The refresh is held upstream: the request must not wait for it.
      const stale = await api.get('/v1/assets?limit=2', 'reader');
      expect(stale.status).to.equal(200);
      expect(stale.headers.get('age')).to.equal('90');
      expect(stale.headers.get('x-assessment-generated-at')).to.equal(generatedAt);
      const again = await api.get('/v1/assets?decision=patch-now', 'reader');
      expect(again.headers.get('age'), 'a filtered answer is as old as the whole').to.equal('90');
      await until(() => g.held() === 1);
      expect(g.calls(), 'one refresh for every caller').to.equal(2);

      g.release();
      await until(() => g.held() === 0);
      // The refresh settles on the next turns; ask until it is served (no clock involved).
      let fresh = await api.get('/v1/assets?limit=2', 'reader');
      while (fresh.headers.get('age') !== '0') fresh = await api.get('/v1/assets?limit=2', 'reader');
      expect(fresh.headers.get('x-assessment-generated-at')).to.equal(new Date(clock.t).toISOString());
      expect(g.calls()).to.equal(2);
    } finally {
      g.release();
      await api.close();
    }
  });

  it('other cached reads carry their age too; uncached ones do not', async () => {
    const clock = new FakeClock();
    const api = await startTestServer({ assistant: demo, clock });
    try {
      await api.get('/v1/plan', 'reader');
      clock.advance(7_000);
      const plan = await api.get('/v1/plan', 'reader');
      expect(plan.headers.get('age')).to.equal('7');
      const runs = await api.get('/v1/patch-runs', 'reader');
      expect(runs.headers.get('age')).to.equal(null);
    } finally {
      await api.close();
    }
  });

  it('warm(): /ready is 503 until the first fleet assessment is answered, /health is 200 throughout', async () => {
    const g = gated(demo);
    const api = await startTestServer({ assistant: g.assistant, readiness: { timeoutMs: 20 } });
    try {
      api.app.warm();
      await until(() => g.held() === 1);
      const health = await api.get('/health');
      const notReady = await api.get('/ready');
      expect(health.status).to.equal(200);
      expect(notReady.status).to.equal(503);
      expect(((await notReady.json()) as { error: { code: string } }).error.code).to.equal('NOT_READY');
      expect(g.calls(), 'the probe joined the warm-up, it did not start another').to.equal(1);

      g.stopHolding();
      g.release();
      let ready = await api.get('/ready');
      while (ready.status !== 200) ready = await api.get('/ready');
      expect(g.calls()).to.equal(1);
      expect(api.app.assistant.isWarm?.()).to.equal(true);
    } finally {
      g.release();
      await api.close();
    }
  });
});
