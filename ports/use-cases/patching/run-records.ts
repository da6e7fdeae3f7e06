/**
 * What the patch use cases share: the audit trail around every action that changes anything,
 * read-modify-write with optimistic concurrency, ids, and the JSON-ready reports.
 */
import { isConflictError, NotFoundError } from '../../../domain/errors.js';
import type { PatchRun } from '../../../domain/patch/run.js';
import { toIso, type Instant } from '../../../domain/time.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { hex } from '../shared/request-checks.js';

/** A stale write is retried this many times on fresh state before the conflict is reported. */
const MAX_RETRIES = 5;

export async function loadRun(d: PatchDependencies, id: string): Promise<PatchRun> {
  const run = await d.store.getRun(id);
  if (!run) throw new NotFoundError('patch run', id);
  return run;
}

export function isStale(err: unknown): boolean {
  return isConflictError(err) && err.code === 'STALE_VERSION';
}

/**
 * Read, change, write; when someone else wrote in between, read again and re-apply `change` (its
 * guards see the fresh state). `change` returns the next run and may note what it saw.
 */
export async function mutateRun(d: PatchDependencies, id: string, change: (run: PatchRun, now: Instant) => PatchRun): Promise<{ before: PatchRun; after: PatchRun }> {
  for (let attempt = 0; ; attempt++) {
    const before = await loadRun(d, id);
    const next = change(before, d.clock.now());
    try {
      return { before, after: await d.store.updateRun(next) };
    } catch (err) {
      if (!isStale(err) || attempt >= MAX_RETRIES) throw err;
    }
  }
}

/** A run id a person can read and type: r-20261125-143005-a1b2c3 (UTC time of the request). */
export function newRunId(now: Instant, id: string): string {
  const iso = toIso(now) as string;
  return `r-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${hex(id, 6)}`;
}
