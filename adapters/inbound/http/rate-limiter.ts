/**
 * Per-key rate limits, as the design sets them: a token bucket (100 requests a second with a
 * small burst) and a daily quota (10,000 a day, reset at 00:00 UTC as API Gateway usage plans
 * do). State is per process: across tasks, the API Gateway usage plan enforces the same numbers.
 */
import type { Clock } from '../../../ports/outbound/clock.port.js';

export interface RateLimits {
  /** Sustained requests a second (the bucket's refill rate). */
  readonly perSecond: number;
  /** Bucket size: requests that may arrive at once after a quiet spell. */
  readonly burst: number;
  /** Requests a UTC day. */
  readonly perDay: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perSecond: 100, burst: 50, perDay: 10_000 };

const DAY_MS = 86_400_000;

/** What a key has left, for the RateLimit header. */
export interface RateState {
  /** Whole requests left in the bucket, and seconds until it is full again. */
  readonly second: { readonly remaining: number; readonly resetSeconds: number };
  /** Requests left today, and seconds until 00:00 UTC. */
  readonly day: { readonly remaining: number; readonly resetSeconds: number };
}

export type RateDecision =
  | { readonly allowed: true; readonly state: RateState }
  | { readonly allowed: false; readonly state: RateState; readonly limit: 'per-second' | 'per-day'; readonly retryAfterSeconds: number };

interface KeyState {
  tokens: number;
  refilledAt: number;
  day: number;
  usedToday: number;
}

export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    readonly limits: RateLimits,
    private readonly clock: Clock,
  ) {
    if (!(limits.perSecond > 0) || !(limits.burst >= 1) || !(limits.perDay >= 1)) {
      throw new RangeError(`rate limits: perSecond > 0, burst >= 1 and perDay >= 1 expected, got ${JSON.stringify(limits)}`);
    }
  }

  /** Takes one request from `key`'s allowance, or says why not and for how long. Refused requests cost nothing. */
  take(key: string): RateDecision {
    const now = this.clock.now();
    const { perSecond, burst, perDay } = this.limits;
    const day = Math.floor(now / DAY_MS);
    let s = this.keys.get(key);
    if (!s) {
      s = { tokens: burst, refilledAt: now, day, usedToday: 0 };
      this.keys.set(key, s);
    }
    // A clock that steps back (NTP) must not mint tokens or reopen a day.
    const elapsed = Math.max(0, now - s.refilledAt);
    s.tokens = Math.min(burst, s.tokens + (elapsed / 1000) * perSecond);
    s.refilledAt = Math.max(s.refilledAt, now);
    if (day > s.day) {
      s.day = day;
      s.usedToday = 0;
    }
    const dayReset = Math.ceil(((s.day + 1) * DAY_MS - now) / 1000);

    if (s.usedToday >= perDay) {
      return { allowed: false, limit: 'per-day', retryAfterSeconds: Math.max(1, dayReset), state: this.state(s, dayReset) };
    }
    if (s.tokens < 1) {
      return { allowed: false, limit: 'per-second', retryAfterSeconds: Math.max(1, Math.ceil((1 - s.tokens) / perSecond)), state: this.state(s, dayReset) };
    }
    s.tokens -= 1;
    s.usedToday += 1;
    return { allowed: true, state: this.state(s, dayReset) };
  }

  private state(s: KeyState, dayReset: number): RateState {
    const { perSecond, burst, perDay } = this.limits;
    return {
      second: { remaining: Math.floor(s.tokens), resetSeconds: Math.ceil((burst - s.tokens) / perSecond) },
      day: { remaining: Math.max(0, perDay - s.usedToday), resetSeconds: dayReset },
    };
  }

  /**
   * The IETF RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers): one
   * policy per limit, and what is left of each.
   */
  headers(state: RateState): Record<string, string> {
    return {
      'RateLimit-Policy': `"per-second";q=${this.limits.perSecond};w=1;burst=${this.limits.burst}, "per-day";q=${this.limits.perDay};w=86400`,
      RateLimit: `"per-second";r=${state.second.remaining};t=${state.second.resetSeconds}, "per-day";r=${state.day.remaining};t=${state.day.resetSeconds}`,
    };
  }
}
