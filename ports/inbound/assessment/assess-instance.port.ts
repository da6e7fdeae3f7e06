/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { AssetReport } from './fleet-report.port.js';
import type { InstantBasis } from '../../outbound/source-info.port.js';

export interface InstanceReport {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly asset: AssetReport;
  readonly warnings: readonly string[];
}
