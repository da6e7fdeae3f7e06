/**
 * A read-through cache with single flight around the Assistant's read methods, for long-running
 * surfaces (the HTTP service, MCP over HTTP, warm chat Lambdas). A fleet assessment reads every
 * finding of every instance; a dashboard that refreshes, or a hundred clients asking at once, must
 * cost one upstream assessment per TTL, not one each.
 *
 * It lives beside the Assistant rather than in one adapter because it is application policy over
 * the inbound port, framework-free, and every surface that stays up should share it (adapters may
 * not import each other). Like the rest of the core it reads no clock of its own: the caller
 * passes one, and it must be a real clock, not the assessment clock (that one stands still for
 * the demo fleet and for `--now`, so nothing would ever expire).
 */
import { DECISION_KINDS } from '../../domain/vocabulary.js';
import type { Clock } from '../outbound/clock.port.js';
import { filterFleet } from './assessment/assess-fleet.use-case.js';
import type { AssessFleetRequest } from '../inbound/assessment/assess-fleet.port.js';
import type { Assistant } from '../inbound/assistant.port.js';
import type { FleetReport } from '../inbound/assessment/fleet-report.port.js';

/** The read methods whose answers are cached; each answer reflects the sources at most a TTL ago. */
export const CACHED_READS = [
  'assessFleet', 'assessInstance', 'listFindings', 'planPatches', 'complianceSummary', 'metricsSummary', 'activityReport',
] as const;

/**
 * Writes after which any cached answer may be wrong: a risk acceptance changes which findings
 * count, a finished patch run changes findings and compliance. Matched by name so the decorator
 * works before and after the patch operations join the Assistant.
 */
export const INVALIDATING_WRITES = ['acceptRisk', 'revokeAcceptance', 'executePatchRun'] as const;

export interface AssistantCacheOptions {
  /** How long an answer is reused, in ms (default 5 minutes). 0: concurrent calls still share one flight, nothing is kept. */
  readonly ttlMs?: number;
  /** A real clock (wall or monotonic) to age answers; see the module note. */
  readonly clock: Clock;
  /** Most answers kept; the oldest is dropped first (default 500). Bounds memory under many distinct queries. */
  readonly maxEntries?: number;
  /**
   * Stale-while-revalidate: once a request has an answer, an expired one is still served at once
   * while one fresh answer is computed in the background (one flight per request; callers never
   * wait for it). A failed refresh keeps the stale answer and is tried again on the next call.
   * After an invalidating write nothing stale is served: the next call waits for a fresh answer.
   * Default off (every call after the TTL waits, as before).
   */
  readonly staleWhileRevalidate?: boolean;
  /** Told of a background refresh that failed (the stale answer is still served). */
  readonly onRefreshError?: (method: string, err: unknown) => void;
}

export interface AssistantCacheStats {
  /** Calls answered from a stored answer or by joining a call in flight. */
  readonly hits: number;
  /** Calls that went upstream. */
  readonly misses: number;
  readonly entries: number;
}

/** The cache's own controls, beside the Assistant's methods. */
export interface AssistantCacheControl {
  /** Forgets every answer; calls in flight finish but are not stored. */
  invalidateCache(): void;
  cacheStats(): AssistantCacheStats;
  /**
   * When the upstream call that produced this answer (or the whole report a filtered one was cut
   * from) started, by the cache's clock; undefined for an object the cache did not hand out.
   * Its age is what a client's `Age` header says.
   */
  answeredAt(answer: unknown): number | undefined;
  /** Whether the whole-fleet assessment has been answered at least once (the cache is warm). */
  isWarm(): boolean;
}

export type CachedAssistant<A extends Assistant> = A & AssistantCacheControl;

export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;

interface Entry {
  /** The answer handed out: the last good one, or the first flight's. */
  promise: Promise<unknown>;
  /** When the answer arrived; null while in flight. The TTL runs from the answer, not the call. */
  storedAt: number | null;
  /** A background refresh in flight (stale-while-revalidate), at most one. */
  refreshing: Promise<unknown> | null;
}

/** When each answer's upstream call started (see answeredAt); entries go with their answer. */
const answerTimes = new WeakMap<object, number>();

/**
 * A key that is the same for equal requests: object keys sorted, and arrays of scalars sorted
 * because every array a read takes is a set (decisions, missions).
 */
export function requestKey(method: string, args: readonly unknown[]): string {
  const normalize = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const items = v.map(normalize);
      return items.every((i) => typeof i !== 'object' || i === null) ? [...new Set(items.map(String))].sort() : items;
    }
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, normalize((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return `${method}:${JSON.stringify(args.map(normalize))}`;
}


/**
 * Derived reports, per whole report: the same filters give the same object while the whole
 * report lives, so callers that memoize by identity (the HTTP adapter's serialized answers) can.
 * Dropped with the whole report; at most 64 filter sets each.
 */
const derived = new WeakMap<FleetReport, Map<string, FleetReport>>();

function derivedReport(whole: FleetReport, filters: Omit<AssessFleetRequest, 'instance'>): FleetReport {
  let byFilter = derived.get(whole);
  if (!byFilter) derived.set(whole, (byFilter = new Map()));
  const key = requestKey('filter', [filters]);
  let report = byFilter.get(key);
  if (!report) {
    report = filterFleet(whole, filters);
    const at = answerTimes.get(whole);
    if (at !== undefined) answerTimes.set(report, at);
    if (byFilter.size >= 64) byFilter.delete(byFilter.keys().next().value as string);
    byFilter.set(key, report);
  }
  return report;
}

/** A filter the cache can apply itself: no instance (that reads other findings) and only known decisions (else the use case's error). */
function derivable(request: AssessFleetRequest | undefined): request is Omit<AssessFleetRequest, 'instance'> {
  return request !== undefined && request.instance === undefined && (request.decisions ?? []).every((d) => DECISION_KINDS.includes(d));
}

/**
 * Wraps an Assistant (with or without patch operations): the read methods are cached with single
 * flight, the invalidating writes clear the cache when they succeed, everything else passes
 * through unchanged. Answers are shared between callers and must not be mutated (they are
 * typed readonly). Failures are never stored: the next call tries again.
 */
export function cachedAssistant<A extends Assistant>(inner: A, options: AssistantCacheOptions): CachedAssistant<A> {
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const maxEntries = options.maxEntries ?? 500;
  if (!(ttlMs >= 0) || !(maxEntries >= 1)) throw new RangeError(`cachedAssistant: ttlMs must be >= 0 and maxEntries >= 1, got ${ttlMs} and ${maxEntries}`);
  const entries = new Map<string, Entry>();
  let hits = 0;
  let misses = 0;

  const swr = options.staleWhileRevalidate === true;
  let warm = false;
  const WHOLE_FLEET = requestKey('assessFleet', [{}]);
  const fresh = (e: Entry): boolean => e.storedAt === null || options.clock.now() - e.storedAt < ttlMs;

  /** Calls upstream; the answer is stamped with the call's start (see answeredAt). */
  const flight = (key: string, fn: (...args: unknown[]) => Promise<unknown>, args: unknown[]): Promise<unknown> => {
    const startedAt = options.clock.now();
    return fn.apply(inner, args).then((value) => {
      if (value !== null && typeof value === 'object') answerTimes.set(value, startedAt);
      if (key === WHOLE_FLEET) warm = true;
      return value;
    });
  };

  const read = (method: string, fn: (...args: unknown[]) => Promise<unknown>, args: unknown[]): Promise<unknown> => {
    const key = requestKey(method, args);
    const hit = entries.get(key);
    if (hit && fresh(hit)) {
      hits++;
      return hit.promise;
    }
    if (hit && swr && hit.storedAt !== null && ttlMs > 0) {
      // Stale: served at once; one refresh in the background replaces it when it succeeds.
      hits++;
      if (!hit.refreshing) {
        misses++;
        const refresh = flight(key, fn, args);
        hit.refreshing = refresh;
        refresh.then(
          () => {
            if (entries.get(key) !== hit) return;
            hit.promise = refresh;
            hit.storedAt = options.clock.now();
            hit.refreshing = null;
          },
          (err: unknown) => {
            if (entries.get(key) === hit) hit.refreshing = null;
            options.onRefreshError?.(method, err);
          },
        );
      }
      return hit.promise;
    }
    misses++;
    const promise = flight(key, fn, args);
    const entry: Entry = { promise, storedAt: null, refreshing: null };
    // Re-inserting moves the key to the end, so the first key is always the oldest.
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    promise.then(
      () => {
        // Only if still ours: an invalidation (or a newer flight) replaced or removed it meanwhile.
        if (entries.get(key) !== entry) return;
        if (ttlMs === 0) entries.delete(key);
        else entry.storedAt = options.clock.now();
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return promise;
  };

  const control: AssistantCacheControl = {
    invalidateCache: () => entries.clear(),
    cacheStats: () => ({ hits, misses, entries: entries.size }),
    answeredAt: (answer) => (answer !== null && typeof answer === 'object' ? answerTimes.get(answer) : undefined),
    isWarm: () => warm,
  };
  const reads = new Set<string>(CACHED_READS);
  const writes = new Set<string>(INVALIDATING_WRITES);

  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'invalidateCache' || prop === 'cacheStats' || prop === 'answeredAt' || prop === 'isWarm') return control[prop];
      // Streaming would bypass the cache (a fresh assessment per call): callers of a cached
      // Assistant use assessFleet, answered once per TTL.
      if (prop === 'streamFleet') return undefined;
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      if (prop === 'assessFleet') {
        return (request?: AssessFleetRequest) => {
          if (!derivable(request ?? {})) return read(prop, fn, [request]);
          const whole = read(prop, fn, [{}]) as Promise<FleetReport>;
          const filters = request ?? {};
          return Object.values(filters).every((v) => v === undefined) ? whole : whole.then((r) => derivedReport(r, filters));
        };
      }
      if (reads.has(prop)) return (...args: unknown[]) => read(prop, fn, args);
      if (writes.has(prop)) {
        return async (...args: unknown[]) => {
          const result = await fn.apply(target, args);
          entries.clear();
          return result;
        };
      }
      if (prop === 'close') {
        return async () => {
          entries.clear();
          await fn.apply(target, []);
        };
      }
      // Bound to the real object so classes with private fields keep working.
      return fn.bind(target);
    },
  }) as CachedAssistant<A>;
}
