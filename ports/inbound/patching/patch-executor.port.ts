/**
 * The patch executor that belongs to the service: it finds approved runs (and runs a dead task
 * left unfinished) in the state store and drives each to its end. Approvals on any surface only
 * change state; this is what sends. Implemented by ports/use-cases/patching/patch-executor.use-case.ts.
 */
import type { RunProgress } from './patch-runs.port.js';

export interface PatchExecutorOptions {
  /** Who this executor is among several (one per service task): the holder of its leases. */
  readonly holder: string;
  /** How long between two looks at the store for runs nobody drives. Default 30,000 ms. */
  readonly everyMs?: number;
  /** Each step of each run it drives (wave sent, instance finished, wave verified, run ended). */
  readonly onProgress?: (p: RunProgress) => void;
  /** A run it could not drive to the end (SSM refused, lease lost): the run stays resumable. */
  readonly onError?: (runId: string, err: unknown) => void;
}

export interface PatchExecutor {
  /** One look at the store: starts driving every run it may take up; answers their ids. */
  tick(): Promise<readonly string[]>;
  /** Runs ticking every `everyMs` until stop(). */
  start(): void;
  /** Takes up no more runs; resolves when the loop has stopped (runs being driven continue until their next wait). */
  stop(): Promise<void>;
  /** Resolves when every run it is driving has ended (or failed). */
  idle(): Promise<void>;
  /** Ids of the runs it is driving now. */
  driving(): readonly string[];
}
