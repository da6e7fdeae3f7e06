/**
 * Issue 17 (c): a cache expiry must not stall the callers. Before, once the TTL passed every call
 * waited for a fresh upstream answer (a fleet assessment: seconds on a large fleet). With
 * staleWhileRevalidate the last answer is served at once while one fresh answer is computed.
 */
import { expect } from 'chai';
import type { Assistant } from '../../../../ports/inbound/assistant.port.js';
import { cachedAssistant } from '../../../../ports/use-cases/cached-assistant.js';

class Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
}

/** Each upstream call returns a new answer { n } once the test releases it. */
function upstream() {
  let n = 0;
  const waiting: (() => void)[] = [];
  let fail = false;
  const inner = {
    source: 'fake',
    planPatches: async () => {
      const mine = ++n;
      await new Promise<void>((r) => waiting.push(r));
      if (fail) throw new Error('upstream down');
      return { n: mine };
    },
    assessFleet: async () => ({ generatedAt: 'x', assets: [], n: ++n }),
    acceptRisk: async () => ({ id: 'a' }),
    close: async () => undefined,
  } as unknown as Assistant;
  return {
    inner,
    calls: () => n,
    inFlight: () => waiting.length,
    releaseAll: async () => {
      for (const r of waiting.splice(0)) r();
      // let the answers settle
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    },
    failNext: (v: boolean) => (fail = v),
  };
}

describe('cachedAssistant: stale-while-revalidate', () => {
  it('after the TTL, serves the last answer at once and refreshes it once in the background', async () => {
    const clock = new Clock();
    const u = upstream();
    const a = cachedAssistant(u.inner, { clock, ttlMs: 1000, staleWhileRevalidate: true });
    const first = a.planPatches();
    await u.releaseAll();
    expect(await first).to.deep.equal({ n: 1 });

    clock.t += 5000;
    // Three callers after expiry: all get the stale answer without waiting for upstream.
    const stale = await Promise.all([a.planPatches(), a.planPatches(), a.planPatches()]);
    expect(stale).to.deep.equal([{ n: 1 }, { n: 1 }, { n: 1 }]);
    expect(u.calls(), 'one refresh, not one per caller').to.equal(2);
    expect(u.inFlight()).to.equal(1);

    await u.releaseAll();
    expect(await a.planPatches(), 'the refreshed answer replaces the stale one').to.deep.equal({ n: 2 });
    expect(u.calls()).to.equal(2);
  });

  it('a failed refresh keeps the stale answer and is tried again on the next call', async () => {
    const clock = new Clock();
    const u = upstream();
    const errors: string[] = [];
    const a = cachedAssistant(u.inner, { clock, ttlMs: 1000, staleWhileRevalidate: true, onRefreshError: (m) => errors.push(m) });
    const first = a.planPatches();
    await u.releaseAll();
    await first;
    clock.t += 5000;
    u.failNext(true);
    expect(await a.planPatches()).to.deep.equal({ n: 1 });
    await u.releaseAll();
    expect(errors).to.deep.equal(['planPatches']);
    u.failNext(false);
    expect(await a.planPatches(), 'still the stale answer').to.deep.equal({ n: 1 });
    expect(u.calls(), 'and a new refresh').to.equal(3);
  });

  it('after an invalidating write nothing stale is served: the next call waits for a fresh answer', async () => {
    const clock = new Clock();
    const u = upstream();
    const a = cachedAssistant(u.inner, { clock, ttlMs: 1000, staleWhileRevalidate: true });
    const first = a.planPatches();
    await u.releaseAll();
    await first;
    await a.acceptRisk({ name: 'alice' } as never, {} as never);
    let settled = false;
    const next = a.planPatches().then((v) => ((settled = true), v));
    await new Promise((r) => setImmediate(r));
    expect(settled, 'waits for upstream').to.equal(false);
    await u.releaseAll();
    expect(await next).to.deep.equal({ n: 2 });
  });

  it('without the option an expired answer is not served (the old behaviour)', async () => {
    const clock = new Clock();
    const u = upstream();
    const a = cachedAssistant(u.inner, { clock, ttlMs: 1000 });
    const first = a.planPatches();
    await u.releaseAll();
    await first;
    clock.t += 5000;
    let settled = false;
    const next = a.planPatches().then((v) => ((settled = true), v));
    await new Promise((r) => setImmediate(r));
    expect(settled).to.equal(false);
    await u.releaseAll();
    expect(await next).to.deep.equal({ n: 2 });
  });

  it('dates each answer by the start of its upstream call, and says when the whole fleet has been answered', async () => {
    const clock = new Clock();
    const u = upstream();
    const a = cachedAssistant(u.inner, { clock, ttlMs: 1000, staleWhileRevalidate: true });
    expect(a.isWarm()).to.equal(false);
    const startedAt = clock.t;
    const whole = await a.assessFleet();
    const filtered = await a.assessFleet({ exposed: true });
    expect(a.isWarm()).to.equal(true);
    expect(a.answeredAt(whole)).to.equal(startedAt);
    expect(a.answeredAt(filtered), 'a filtered report is as old as the whole it was cut from').to.equal(startedAt);
    expect(a.answeredAt({})).to.equal(undefined);
  });
});
