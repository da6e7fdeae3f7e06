import { expect } from 'chai';
import { ReadinessProbe } from '../../../../../adapters/inbound/http/readiness.js';

class Clock {
  t = 0;
  now(): number {
    return this.t;
  }
}

describe('ReadinessProbe', () => {
  it('ready when the check answers; the result is reused for memoMs', async () => {
    const clock = new Clock();
    let checks = 0;
    const probe = new ReadinessProbe(async () => void checks++, clock, { memoMs: 10_000 });
    const first = await probe.probe();
    clock.t = 9_999;
    await probe.probe();
    clock.t = 10_000;
    await probe.probe();

    expect(first).to.deep.equal({ ready: true, checkedAt: 0 });
    expect(checks).to.equal(2);
  });

  it('not ready with the reason when the check fails; concurrent probes share one check', async () => {
    let checks = 0;
    const probe = new ReadinessProbe(async () => {
      checks++;
      throw new Error('snapshot directory missing');
    }, new Clock());
    const results = await Promise.all([probe.probe(), probe.probe(), probe.probe()]);

    expect(checks).to.equal(1);
    expect(results[0]).to.deep.include({ ready: false, timedOut: false, reason: 'snapshot directory missing' });
  });

  it('a check slower than the timeout answers not ready; the next probe waits on the same check', async () => {
    let checks = 0;
    let finish: () => void = () => {};
    const probe = new ReadinessProbe(() => (checks++, new Promise<void>((r) => (finish = r))), new Clock(), { timeoutMs: 20 });
    const slow = await probe.probe();
    const again = probe.probe();
    finish();
    const later = await again;

    expect(slow).to.deep.include({ ready: false, timedOut: true, reason: 'the source did not answer within 20 ms' });
    expect(later.ready).to.equal(true);
    expect(checks).to.equal(1);
  });
});
