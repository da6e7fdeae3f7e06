import { summarizeCompliance } from '../../domain/patch/compliance.js';
import type { ComplianceSummary } from '../../domain/patch/types.js';
import type { PatchState } from '../../domain/inputs.js';
import { toIso } from '../../domain/time.js';
import type { CoreDependencies } from './dependencies.js';
import { addSourceWarnings, secondary } from './warnings.js';
import { asOfOf } from './reports.js';
import type { InstantBasis } from '../outbound/source-info.port.js';

type Row = ComplianceSummary['perInstance'][number];
export interface ComplianceReport extends Omit<ComplianceSummary, 'perInstance'> {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly perInstance: readonly (Omit<Row, 'lastOperationAt'> & { readonly lastOperationAt: string | null })[];
  readonly warnings: readonly string[];
}

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
