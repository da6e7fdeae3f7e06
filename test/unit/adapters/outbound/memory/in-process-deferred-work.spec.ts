import { expect } from 'chai';
import { InProcessDeferredWork } from '../../../../../adapters/outbound/memory/in-process-deferred-work.js';
import type { DeferredJob } from '../../../../../ports/outbound/deferred-work.port.js';

describe('InProcessDeferredWork', () => {
  it('runs nothing before start(), then each job (and what it defers) after the caller has moved on', async () => {
    const order: string[] = [];
    const work = new InProcessDeferredWork();
    work.runWith(async (job: DeferredJob) => {
      order.push(`run ${job.kind}`);
      if (job.kind === 'first') await work.defer({ kind: 'second', payload: null });
    });

    await work.defer({ kind: 'first', payload: { at: 1 } });
    expect(work.pending).to.have.length(1);
    work.start();
    order.push('answered');
    await work.idle();

    expect(order).to.deep.equal(['answered', 'run first', 'run second']);
  });

  it('sends each job through JSON, as the Lambda boundary would', async () => {
    const seen: unknown[] = [];
    const work = new InProcessDeferredWork().runWith(async (job) => void seen.push(job.payload));
    const payload = { when: new Date(0) as unknown as string, gone: undefined as unknown as string };

    await work.defer({ kind: 'k', payload });
    work.start();
    await work.idle();

    expect(seen).to.deep.equal([{ when: '1970-01-01T00:00:00.000Z' }]);
  });

  it('reports a failed job instead of throwing', async () => {
    const errors: string[] = [];
    const work = new InProcessDeferredWork((err, job) => errors.push(`${job.kind}: ${(err as Error).message}`)).runWith(async () => {
      throw new Error('boom');
    });

    await work.defer({ kind: 'k', payload: null });
    work.start();
    await work.idle();

    expect(errors).to.deep.equal(['k: boom']);
  });
});
