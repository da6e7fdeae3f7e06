/**
 * A worker-thread Assistant factory (see composition/assessment-worker.ts, WorkerData.factory)
 * whose fleet assessment, once its sources are read, blocks its thread until the test opens a gate: a deliberately slow
 * source, deterministic rather than timed. The gate is an Int32Array over a SharedArrayBuffer:
 * cell 0 is set to 1 by the worker when an assessment has started (and notified), cell 1 is set
 * to 1 by the test to let it finish. A bounded wait (a safety net, 20 s) keeps a broken test from
 * hanging for ever.
 */
import { createAssistant as realCreateAssistant, type AssistantOptions } from '../../composition/index.js';
import type { Assistant } from '../../ports/inbound/assistant.port.js';

export const STARTED = 0;
export const RELEASE = 1;

/** Blocks the calling thread (Atomics.wait: no event loop turns) until the gate opens. */
function blockUntilReleased(gate: Int32Array): void {
  Atomics.store(gate, STARTED, 1);
  Atomics.notify(gate, STARTED);
  Atomics.wait(gate, RELEASE, 0, 20_000);
}

export async function createAssistant(options: AssistantOptions, gateBuffer?: unknown): Promise<Assistant> {
  const inner = await realCreateAssistant(options);
  if (!(gateBuffer instanceof SharedArrayBuffer)) throw new Error('slow-assistant-factory: expected a SharedArrayBuffer gate');
  const gate = new Int32Array(gateBuffer);
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'assessFleet') {
        return async (...args: Parameters<Assistant['assessFleet']>) => {
          // The sources are read first (I/O, which lets an event loop turn); the block stands for
          // the CPU-bound part that follows (scoring and ranking every finding).
          const report = await target.assessFleet(...args);
          blockUntilReleased(gate);
          return report;
        };
      }
      if (prop === 'streamFleet') {
        // The worker builds a whole-fleet report through streamFleet (packed as it is sent): the
        // same block once the sources are read and the fleet assessed.
        return async (...args: Parameters<NonNullable<Assistant['streamFleet']>>) => {
          const stream = await target.streamFleet!(...args);
          blockUntilReleased(gate);
          return stream;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
