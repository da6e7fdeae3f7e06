/**
 * Readiness: the task may take traffic when its source answers. The check is a fleet
 * assessment through the cache, so a ready task is also a warm one, and probes cost at most one
 * upstream assessment per cache TTL. Results (good or bad) are remembered briefly so a probe
 * storm or a failing source is not hammered; a slow first assessment answers "not ready" after
 * the timeout while it goes on in the background.
 */
import type { Clock } from '../../../ports/outbound/clock.port.js';

export type Readiness =
  | { readonly ready: true; readonly checkedAt: number }
  | { readonly ready: false; readonly reason: string; readonly timedOut: boolean; readonly cause?: unknown };

export interface ReadinessOptions {
  /** Longest a probe waits for the source (default 5 s). */
  readonly timeoutMs?: number;
  /** How long a result is reused (default 10 s). */
  readonly memoMs?: number;
}

export class ReadinessProbe {
  private last: { readonly at: number; readonly result: Readiness } | null = null;
  /** The check in progress: probes during a slow check wait on it rather than start another. */
  private pending: Promise<Readiness> | null = null;
  private readonly timeoutMs: number;
  private readonly memoMs: number;

  constructor(
    private readonly check: () => Promise<unknown>,
    private readonly clock: Clock,
    options: ReadinessOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.memoMs = options.memoMs ?? 10_000;
  }

  async probe(): Promise<Readiness> {
    if (this.last && this.clock.now() - this.last.at < this.memoMs) return this.last.result;
    this.pending ??= this.check()
      .then(
        (): Readiness => ({ ready: true, checkedAt: this.clock.now() }),
        (err: unknown): Readiness => ({ ready: false, timedOut: false, reason: err instanceof Error ? err.message : String(err), cause: err }),
      )
      .then((result) => {
        // Remembered only once the check has settled: a timeout says nothing about the source.
        this.last = { at: this.clock.now(), result };
        this.pending = null;
        return result;
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Readiness>((resolve) => {
      timer = setTimeout(() => resolve({ ready: false, timedOut: true, reason: `the source did not answer within ${this.timeoutMs} ms` }), this.timeoutMs);
    });
    try {
      return await Promise.race([this.pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
