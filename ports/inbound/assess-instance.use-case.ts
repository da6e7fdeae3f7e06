import { toIso } from '../../domain/time.js';
import type { CoreDependencies } from './dependencies.js';
import { assessFleet, resolveInstance } from './fleet-reader.js';
import { asOfOf, toAssetReport, type AssetReport } from './reports.js';
import type { InstantBasis } from '../outbound/source-info.port.js';

export interface InstanceReport {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly asset: AssetReport;
  readonly warnings: readonly string[];
}

/** One instance's risk, decision and findings; reads only that instance's findings. */
export class AssessInstance {
  constructor(private readonly deps: CoreDependencies) {}

  /** @param instance an instance id or Name tag. @throws NotFoundError / AmbiguousError. */
  async execute(instance: string): Promise<InstanceReport> {
    const { asset } = await resolveInstance(this.deps, instance);
    const fleet = await assessFleet(this.deps, [asset]);
    const assessed = fleet.assets[0];
    if (!assessed) throw new Error('invariant: one asset in, one assessment out');
    return {
      generatedAt: toIso(fleet.now) as string,
      asOf: asOfOf(this.deps.source),
      source: this.deps.source.label,
      asset: toAssetReport(assessed, fleet.now, this.deps.policy.tags.environment),
      warnings: fleet.warnings,
    };
  }
}
