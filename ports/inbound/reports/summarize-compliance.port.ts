/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { ComplianceSummary } from '../../../domain/patch/compliance.js';
import type { InstantBasis } from '../../outbound/source-info.port.js';

type Row = ComplianceSummary['perInstance'][number];

export interface ComplianceReport extends Omit<ComplianceSummary, 'perInstance'> {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly perInstance: readonly (Omit<Row, 'lastOperationAt'> & { readonly lastOperationAt: string | null })[];
  readonly warnings: readonly string[];
}
