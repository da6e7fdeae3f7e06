/**
 * Limits on how hard the adapters press AWS: a cap on calls in flight, a pacer for APIs with a
 * low request rate (CloudTrail LookupEvents: 2 a second per account and region), and a retry
 * with backoff on throttling for callers that must not fail on it.
 */
import { isThrottlingError } from './aws-errors.js';

/** Runs a task once fewer than the limit are running; tasks start in submission order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A limiter allowing `concurrency` tasks at once.
 * @throws RangeError when concurrency is not a positive integer.
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) next();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/** Runs `fn` over every item through the limiter; results keep the items' order. */
export function mapLimited<I, O>(items: readonly I[], limiter: Limiter, fn: (item: I, index: number) => Promise<O>): Promise<O[]> {
  return Promise.all(items.map((item, i) => limiter(() => fn(item, i))));
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Waits `ms` milliseconds; injectable so tests spend no real time. */
export type Sleep = (ms: number) => Promise<void>;
/** The real Sleep, on setTimeout. */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How fast a RequestPacer lets calls go, and its clock (injectable for tests). */
export interface PacerOptions {
  /** Calls a second; CloudTrail LookupEvents allows 2 per account and region. */
  readonly perSecond: number;
  readonly now?: () => number;
  readonly sleep?: Sleep;
}

/**
 * Spaces calls evenly: each `acquire()` resolves at least 1/perSecond after the previous one.
 * No bursts, because the service counts any burst against the same second. Share one pacer
 * between every user of a client, so the rate holds for the account and region as a whole.
 */
export class RequestPacer {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private nextSlot = 0;

  constructor(options: PacerOptions) {
    if (!(options.perSecond > 0)) throw new RangeError(`perSecond must be positive, got ${options.perSecond}`);
    this.intervalMs = 1000 / options.perSecond;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
  }

  /** Waits for the next free slot. */
  async acquire(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }
}

/** How retryOnThrottling backs off. */
export interface ThrottleRetryOptions {
  /** Retries after the first attempt; default 6 (about a minute of backoff in all). */
  readonly retries?: number;
  /** First delay; doubles each retry, with jitter, up to maxDelayMs. Default 1,000 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  /** Jitter source, 0..1; injectable so tests are deterministic. */
  readonly random?: () => number;
}

/**
 * Retries `call` while AWS throttles it, with exponential backoff and jitter; any other error,
 * and throttling past the last retry, is thrown as is. On top of the SDK's own retries: for an
 * API whose limit is a couple of calls a second, the SDK's few quick attempts are not enough.
 */
export async function retryOnThrottling<T>(call: () => Promise<T>, options: ThrottleRetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 6;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 20_000;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= retries || !isThrottlingError(e)) throw e;
      const delay = Math.min(max, base * 2 ** attempt);
      // "Equal jitter": half fixed, half random, so retries from parallel callers spread out.
      await wait(delay / 2 + (delay / 2) * random());
    }
  }
}
