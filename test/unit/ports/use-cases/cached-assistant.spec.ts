import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant } from '../../../../composition/index.js';
import { SourceError } from '../../../../domain/errors.js';
import type { DecisionKind } from '../../../../domain/patch/decision.js';
import type { Assistant } from '../../../../ports/inbound/assistant.port.js';
import { cachedAssistant, requestKey } from '../../../../ports/use-cases/cached-assistant.js';
import { DEMO_FLEET } from '../../../support/paths.js';

chai.use(chaiAsPromised);
const { expect } = chai;

class Clock {
  t = 0;
  now(): number {
    return this.t;
  }
}

/** An Assistant whose reads resolve when the test says so, counting calls. */
function controllable() {
  const calls: string[] = [];
  let release: () => void = () => {};
  let gate = Promise.resolve();
  const hold = () => (gate = new Promise<void>((r) => (release = r)));
  const answer = (name: string, value: unknown) => async (...args: unknown[]) => {
    calls.push(`${name}${args.length ? ` ${JSON.stringify(args)}` : ''}`);
    await gate;
    return value;
  };
  const inner = {
    source: 'fake',
    planPatches: answer('planPatches', { plan: 1 }),
    metricsSummary: answer('metricsSummary', { m: 1 }),
    acceptRisk: answer('acceptRisk', { id: 'a' }),
    requestPatchRun: answer('requestPatchRun', { id: 'r' }),
    close: answer('close', undefined),
  } as unknown as Assistant;
  return { inner, calls, hold: () => hold(), release: () => release() };
}

describe('cachedAssistant (read-through cache with single flight)', () => {
  it('concurrent identical reads share one upstream call; later ones hit until the TTL passes', async () => {
    const clock = new Clock();
    const { inner, calls, hold, release } = controllable();
    const a = cachedAssistant(inner, { clock, ttlMs: 1000 });
    hold();
    const concurrent = Array.from({ length: 100 }, () => a.planPatches());
    release();
    const answers = await Promise.all(concurrent);
    clock.t = 999;
    await a.planPatches();
    clock.t = 1000;
    await a.planPatches();

    expect(new Set(answers).size).to.equal(1);
    expect(calls).to.deep.equal(['planPatches', 'planPatches']);
    expect(a.cacheStats()).to.deep.equal({ hits: 100, misses: 2, entries: 1 });
  });

  it('the TTL runs from the answer, not from the call (a slow source does not eat it)', async () => {
    const clock = new Clock();
    const { inner, calls, hold, release } = controllable();
    const a = cachedAssistant(inner, { clock, ttlMs: 1000 });
    hold();
    const slow = a.planPatches();
    clock.t = 5000;
    release();
    await slow;
    clock.t = 5500;
    await a.planPatches();

    expect(calls).to.have.length(1);
  });

  it('keys by arguments: different instances or hours are different answers', async () => {
    const { inner, calls } = controllable();
    const a = cachedAssistant(inner, { clock: new Clock() });
    await a.metricsSummary({ instance: 'web-1', hours: 24 });
    await a.metricsSummary({ hours: 24, instance: 'web-1' });
    await a.metricsSummary({ instance: 'web-1', hours: 48 });

    expect(calls).to.have.length(2);
    expect(requestKey('m', [{ decisions: ['b', 'a'], x: undefined }])).to.equal(requestKey('m', [{ decisions: ['a', 'b'] }]));
  });

  it('a failure is shared by the callers in flight but never stored', async () => {
    let n = 0;
    const inner = { planPatches: async () => (++n === 1 ? Promise.reject(new SourceError('ssm', 'x', 'down')) : { ok: n }) } as unknown as Assistant;
    const a = cachedAssistant(inner, { clock: new Clock() });
    const [x, y] = [a.planPatches(), a.planPatches()];

    await expect(x).to.be.rejectedWith(SourceError);
    await expect(y).to.be.rejectedWith(SourceError);
    expect(await a.planPatches()).to.deep.equal({ ok: 2 });
  });

  it('an invalidating write clears every answer once it succeeds', async () => {
    const { inner, calls } = controllable();
    const a = cachedAssistant(inner, { clock: new Clock() });
    await a.planPatches();
    await a.planPatches();
    await a.acceptRisk({ id: 'alice', roles: ['approver'], via: 'http' }, { vulnerabilityId: 'CVE-1', until: '2027-01-01', reason: 'r' });
    await a.planPatches();

    expect(calls.filter((c) => c === 'planPatches')).to.have.length(2);
  });

  it('a read in flight when the cache is invalidated is answered but not stored', async () => {
    const { inner, calls, hold, release } = controllable();
    const a = cachedAssistant(inner, { clock: new Clock() });
    hold();
    const inFlight = a.planPatches();
    a.invalidateCache();
    release();
    await inFlight;
    await a.planPatches();

    expect(calls.filter((c) => c === 'planPatches')).to.have.length(2);
  });

  it('other methods pass through unchanged and uncached; close also forgets', async () => {
    const { inner, calls } = controllable();
    const a = cachedAssistant(inner, { clock: new Clock() });
    await a.requestPatchRun({ id: 'bob', roles: ['operator'], via: 'http' }, { fromPlan: true });
    await a.requestPatchRun({ id: 'bob', roles: ['operator'], via: 'http' }, { fromPlan: true });
    await a.planPatches();
    await a.close();

    expect(calls.filter((c) => c.startsWith('requestPatchRun'))).to.have.length(2);
    expect(a.source).to.equal('fake');
    expect(a.cacheStats().entries).to.equal(0);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const { inner, calls } = controllable();
    const a = cachedAssistant(inner, { clock: new Clock(), maxEntries: 2 });
    for (const h of [1, 2, 3, 1]) await a.metricsSummary({ instance: 'i', hours: h });

    expect(calls).to.have.length(4);
    expect(a.cacheStats().entries).to.equal(2);
  });

  describe('on the demo fleet', () => {
    let demo: Assistant;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'sre-ops-cache-'));
      demo = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: '2026-11-20T12:00:00Z', stateStore: { kind: 'sqlite', path: join(dir, 'state.db') } });
    });
    after(async () => {
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a filtered fleet report derived from the cached whole one equals the use case\'s own answer', async () => {
      let upstream = 0;
      const counted = { ...demo, assessFleet: (r?: Parameters<Assistant['assessFleet']>[0]) => (upstream++, demo.assessFleet(r)) } as Assistant;
      const a = cachedAssistant(counted, { clock: new Clock() });
      const requests: Parameters<Assistant['assessFleet']>[0][] = [
        {}, { decisions: ['patch-now'] }, { decisions: ['routine', 'none'] as DecisionKind[], exposed: false }, { missions: ['high'] }, { exposed: true, missions: ['medium', 'low'] },
      ];
      for (const r of requests) expect(await a.assessFleet(r), JSON.stringify(r)).to.deep.equal(await demo.assessFleet(r));

      expect(upstream).to.equal(1);
    });

    it('an instance request or an unknown decision goes to the use case (its own reads, its own error)', async () => {
      const a = cachedAssistant(demo, { clock: new Clock() });

      expect((await a.assessFleet({ instance: 'web-1' })).assets.map((x) => x.name)).to.deep.equal(['web-1']);
      // By name, not class: the sources run with tsx may hold two copies of domain/errors.
      const err = await a.assessFleet({ decisions: ['later' as DecisionKind] }).then(() => null, (e: unknown) => e);
      expect(err).to.include({ name: 'ValidationError' });
      expect((err as Error).message).to.match(/decision: expected one of/);
    });
  });
});
