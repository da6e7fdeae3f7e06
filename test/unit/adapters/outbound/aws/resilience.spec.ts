import { expect } from 'chai';
import { chunk, createLimiter, RequestPacer, retryOnThrottling } from '../../../../../adapters/outbound/aws/resilience.js';
import { awsError } from '../../../../integration/aws/aws-fixtures.js';

describe('createLimiter', () => {
  it('never runs more tasks at once than allowed, and runs them all', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let peak = 0;
    const task = async (i: number): Promise<number> => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      return i;
    };

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => limit(() => task(i))));

    expect(results).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).to.equal(3);
  });

  it('frees the slot of a failed task', async () => {
    const limit = createLimiter(1);

    await limit(() => Promise.reject(new Error('x'))).catch(() => undefined);

    expect(await limit(async () => 'next')).to.equal('next');
  });

  it('rejects a concurrency below one', () => {
    expect(() => createLimiter(0)).to.throw(RangeError);
  });
});

describe('RequestPacer', () => {
  it('spaces calls 1/rate apart, without a burst, and lets an idle gap pass freely', async () => {
    let now = 1000;
    const waits: number[] = [];
    const pacer = new RequestPacer({ perSecond: 2, now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });

    await pacer.acquire();
    await pacer.acquire();
    await pacer.acquire();
    now += 5000;
    await pacer.acquire();

    expect(waits).to.deep.equal([500, 500]);
  });
});

describe('retryOnThrottling', () => {
  it('backs off exponentially up to the cap', async () => {
    const delays: number[] = [];
    let calls = 0;

    const result = await retryOnThrottling(
      async () => {
        if (++calls < 5) throw awsError('ThrottlingException');
        return 'ok';
      },
      { baseDelayMs: 100, maxDelayMs: 500, random: () => 0, sleep: async (ms) => { delays.push(ms); } },
    );

    expect(result).to.equal('ok');
    // random() = 0 keeps the fixed half of each delay: 100, 200, 400, then the 500 cap.
    expect(delays).to.deep.equal([50, 100, 200, 250]);
  });
});

describe('chunk', () => {
  it('splits into pieces of at most the size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(chunk([], 50)).to.deep.equal([]);
  });
});
