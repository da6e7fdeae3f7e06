/** What the route files get from the app factory. */
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { ReadinessProbe } from './readiness.js';

export interface RouteDeps {
  /** Every use case, reads and patch operations (the cached one when the cache is on). */
  readonly assistant: Assistant;
  readonly readiness: ReadinessProbe;
  readonly version: string;
  /** performance.now() at start, for uptime. */
  readonly startedAt: number;
  readonly isDraining: () => boolean;
  /** When the cache's answer started (its generation, for cursors); absent without a cache. */
  readonly answeredAt?: (answer: unknown) => number | undefined;
}
