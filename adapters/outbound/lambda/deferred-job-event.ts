/**
 * How a deferred job travels as a Lambda event: `{ "sreOpsDeferredJob": { kind, payload } }`.
 * API Gateway events never have that shape (their request body is a string inside the event), so
 * a caller on the internet cannot forge one; only a principal allowed lambda:InvokeFunction can.
 * Kept apart from the Invoke adapter so a handler can recognise jobs without loading the SDK.
 */
import type { DeferredJob } from '../../../ports/outbound/deferred-work.port.js';

const KEY = 'sreOpsDeferredJob';

export interface DeferredJobEvent {
  readonly [KEY]: DeferredJob;
}

/** The job an event carries, or null when the event is something else (an HTTP request). */
export function deferredJobOf(event: unknown): DeferredJob | null {
  if (typeof event !== 'object' || event === null || !(KEY in event)) return null;
  const job = (event as Record<string, unknown>)[KEY];
  if (typeof job !== 'object' || job === null || typeof (job as { kind?: unknown }).kind !== 'string') return null;
  return job as DeferredJob;
}

export function deferredJobEvent(job: DeferredJob): DeferredJobEvent {
  return { [KEY]: job };
}
