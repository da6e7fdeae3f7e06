/**
 * Work that must not hold up an answer. Chat platforms want an acknowledgement within seconds
 * (Slack: 3 s), so an inbound adapter acknowledges at once and hands the slow part here.
 *
 * A job crosses a process boundary (on Lambda it is an asynchronous invocation of the same
 * function), so it is described as JSON, never as a closure.
 */

/** A JSON value, as the job's payload must be. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface DeferredJob {
  /** Which handler runs it, e.g. "slack.command"; the adapter that defers it also runs it. */
  readonly kind: string;
  readonly payload: JsonValue;
}

export interface DeferredWork {
  /**
   * Hands a job off to run after the current request is answered. Resolves once the job is
   * accepted (not when it is done); rejects when it could not be handed off, so the caller can
   * say so in its acknowledgement.
   */
  defer(job: DeferredJob): Promise<void>;
}
