/** The "one instance over the last N hours" questions (metrics, activity) share their setup. */
import { ValidationError } from '../../../domain/errors.js';
import type { Asset } from '../../../domain/fleet-facts.js';
import { HOUR_MS, toIso, type Instant } from '../../../domain/time.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { resolveInstance } from '../assessment/fleet-reader.js';
import { asOfOf } from '../assessment/fleet-report.mapper.js';
import type { InstantBasis } from '../../outbound/source-info.port.js';

export interface LookBack {
  readonly asset: Asset;
  readonly hours: number;
  readonly start: Instant;
  readonly end: Instant;
  /** The report fields every look-back answer starts with. */
  readonly header: {
    readonly generatedAt: string; readonly asOf: InstantBasis; readonly source: string; readonly instanceId: string; readonly name: string | null;
    readonly hours: number; readonly start: string; readonly end: string;
  };
  /** Starts with the source's notes; secondary failures are added to it. */
  readonly warnings: string[];
}

export function checkHours(hours: number | undefined, fallback: number, max: number): number {
  const h = hours ?? fallback;
  if (!Number.isInteger(h) || h < 1 || h > max) {
    throw new ValidationError('hours', `a whole number of hours from 1 to ${max}`, `hours: expected a whole number from 1 to ${max}, got ${String(hours)}`);
  }
  return h;
}

/**
 * Validates `hours` (default 24), resolves the instance and fixes the window ending at the
 * assessment instant (the clock, --now, or a snapshot's capture time).
 */
export async function lookBack(deps: CoreDependencies, request: { instance: string; hours?: number }, maxHours: number): Promise<LookBack> {
  const hours = checkHours(request.hours, 24, maxHours);
  const { asset } = await resolveInstance(deps, request.instance);
  const end = deps.clock.now();
  const start = end - hours * HOUR_MS;
  return {
    asset, hours, start, end,
    header: {
      generatedAt: toIso(end) as string, asOf: asOfOf(deps.source), source: deps.source.label, instanceId: asset.instanceId, name: asset.name,
      hours, start: toIso(start) as string, end: toIso(end) as string,
    },
    warnings: [...deps.source.notes],
  };
}
