/**
 * Deferred work in the same process, for local runs and tests. Jobs queue until `start()`,
 * which the entry point calls once its response is built (the "after the acknowledgement" of a
 * real deployment), then run concurrently; jobs that a job defers start when it finishes. Each
 * job goes through JSON on the way, as on Lambda, so a payload that would not survive the real
 * boundary fails here too.
 */
import { setImmediate } from 'node:timers';
import type { DeferredJob, DeferredWork } from '../../../ports/outbound/deferred-work.port.js';

export type JobRunner = (job: DeferredJob) => Promise<void>;

export class InProcessDeferredWork implements DeferredWork {
  private readonly queued: DeferredJob[] = [];
  private readonly running = new Set<Promise<void>>();
  private runner: JobRunner | null = null;

  constructor(private readonly onError: (err: unknown, job: DeferredJob) => void = (err, job) => console.error(`deferred ${job.kind} failed:`, err)) {}

  /** Who runs the jobs; set once the handler that runs them exists. */
  runWith(runner: JobRunner): this {
    this.runner = runner;
    return this;
  }

  async defer(job: DeferredJob): Promise<void> {
    this.queued.push(JSON.parse(JSON.stringify(job)) as DeferredJob);
  }

  /**
   * Starts every queued job without waiting for it, on the next turn of the event loop: whoever
   * called `start()` finishes answering first.
   */
  start(): void {
    const runner = this.runner;
    if (!runner) throw new Error('InProcessDeferredWork: runWith(runner) was not called');
    for (const job of this.queued.splice(0)) {
      const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => runner(job))
        .catch((err: unknown) => this.onError(err, job))
        .finally(() => {
          this.running.delete(p);
          this.start();
        });
      this.running.add(p);
    }
  }

  /** Resolves when every started job, and every job they deferred, has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Jobs waiting for `start()`. */
  get pending(): readonly DeferredJob[] {
    return this.queued;
  }
}
