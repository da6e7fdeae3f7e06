import { toIso } from '../../../domain/time.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { assessFleet, resolveInstance } from './fleet-reader.js';
import { asOfOf, toAssetReport } from './fleet-report.mapper.js';
import type { InstanceReport } from '../../inbound/assessment/assess-instance.port.js';

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
