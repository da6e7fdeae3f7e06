import { summarizeCompliance } from '../../../domain/patch/compliance.js';
import type { PatchState } from '../../../domain/fleet-facts.js';
import { toIso } from '../../../domain/time.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { addSourceWarnings, secondary } from '../shared/warnings.js';
import { asOfOf } from '../assessment/fleet-report.mapper.js';
import type { ComplianceReport } from '../../inbound/reports/summarize-compliance.port.js';

/** Patch compliance across the fleet from Systems Manager's patch states. */
export class SummarizeCompliance {
  constructor(private readonly deps: CoreDependencies) {}

  async execute(): Promise<ComplianceReport> {
    const now = this.deps.clock.now();
    const warnings: string[] = [...this.deps.source.notes];
    const assets = await this.deps.assets.listAssets();
    const [managed, states] = await Promise.all([
      secondary(warnings, 'ssm', 'DescribeInstanceInformation', () => this.deps.compliance.managedInstances(), null),
      secondary(warnings, 'ssm', 'DescribeInstancePatchStates', () => this.deps.compliance.patchStates(assets.map((a) => a.instanceId)), new Map<string, PatchState>()),
    ]);
    const s = summarizeCompliance(assets, managed, states);
    return {
      ...s,
      generatedAt: toIso(now) as string,
      asOf: asOfOf(this.deps.source),
      source: this.deps.source.label,
      perInstance: s.perInstance.map((r) => ({ ...r, lastOperationAt: toIso(r.lastOperationAt) })),
      warnings: addSourceWarnings(warnings, this.deps.source),
    };
  }
}
