import { expect } from 'chai';
import { RateLimiter } from '../../../../../adapters/inbound/http/rate-limiter.js';

class Clock {
  constructor(public t = Date.parse('2026-11-20T12:00:00Z')) {}
  now(): number {
    return this.t;
  }
}

describe('RateLimiter', () => {
  it('token bucket: a burst at once, then the sustained rate', () => {
    const clock = new Clock();
    const limiter = new RateLimiter({ perSecond: 100, burst: 50, perDay: 1_000_000 }, clock);

    const burst = Array.from({ length: 51 }, () => limiter.take('k').allowed);
    clock.t += 10; // 10 ms at 100/s: one token
    const afterTen = [limiter.take('k').allowed, limiter.take('k').allowed];
    clock.t += 1000;
    const afterSecond = Array.from({ length: 51 }, () => limiter.take('k').allowed);

    expect(burst.filter(Boolean)).to.have.length(50);
    expect(burst[50]).to.equal(false);
    expect(afterTen).to.deep.equal([true, false]);
    expect(afterSecond.filter(Boolean)).to.have.length(50);
  });

  it('sustains exactly the rate over time with evenly spaced requests', () => {
    const clock = new Clock();
    const limiter = new RateLimiter({ perSecond: 100, burst: 1, perDay: 1_000_000 }, clock);
    let allowed = 0;
    for (let i = 0; i < 1000; i++) {
      if (limiter.take('k').allowed) allowed++;
      clock.t += 5; // 200/s offered
    }
    expect(allowed).to.be.within(499, 501);
  });

  it('a refused request says which limit and when to retry, and costs nothing', () => {
    const clock = new Clock();
    const limiter = new RateLimiter({ perSecond: 2, burst: 1, perDay: 10 }, clock);
    limiter.take('k');
    const refused = limiter.take('k');
    clock.t += 500;
    const next = limiter.take('k');

    expect(refused).to.deep.include({ allowed: false, limit: 'per-second', retryAfterSeconds: 1 });
    expect(next.allowed).to.equal(true);
    expect(next.state.day.remaining).to.equal(8);
  });

  it('daily quota per UTC day: refused until midnight UTC, with Retry-After counting down to it', () => {
    const clock = new Clock(Date.parse('2026-11-20T22:00:00Z'));
    const limiter = new RateLimiter({ perSecond: 1000, burst: 1000, perDay: 2 }, clock);
    limiter.take('k');
    limiter.take('k');
    const out = limiter.take('k');
    clock.t = Date.parse('2026-11-20T23:59:59.500Z');
    const stillOut = limiter.take('k');
    clock.t = Date.parse('2026-11-21T00:00:00Z');
    const back = limiter.take('k');

    expect(out).to.deep.include({ allowed: false, limit: 'per-day', retryAfterSeconds: 7200 });
    expect(stillOut).to.deep.include({ allowed: false, retryAfterSeconds: 1 });
    expect(back.allowed).to.equal(true);
    expect(back.state.day).to.deep.equal({ remaining: 1, resetSeconds: 86_400 });
  });

  it('keys are independent', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, perDay: 1 }, new Clock());

    expect([limiter.take('a').allowed, limiter.take('b').allowed, limiter.take('a').allowed]).to.deep.equal([true, true, false]);
  });

  it('a clock stepping back neither mints tokens nor reopens a day', () => {
    const clock = new Clock();
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, perDay: 5 }, clock);
    limiter.take('k');
    clock.t -= 60_000;
    const back = limiter.take('k');

    expect(back.allowed).to.equal(false);
  });

  it('headers: the policy and what is left of each limit', () => {
    const clock = new Clock(Date.parse('2026-11-20T23:00:00Z'));
    const limiter = new RateLimiter({ perSecond: 100, burst: 50, perDay: 10_000 }, clock);
    const d = limiter.take('k');

    expect(limiter.headers(d.state)).to.deep.equal({
      'RateLimit-Policy': '"per-second";q=100;w=1;burst=50, "per-day";q=10000;w=86400',
      RateLimit: '"per-second";r=49;t=1, "per-day";r=9999;t=3600',
    });
  });

  it('refuses nonsensical limits', () => {
    expect(() => new RateLimiter({ perSecond: 0, burst: 1, perDay: 1 }, new Clock())).to.throw(RangeError, /perSecond > 0/);
  });
});
