/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { InstantBasis } from '../../outbound/source-info.port.js';

/** What every look-back report (metrics, activity) starts with: the instance and the window read. */
export interface LookBackReportHeader {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly instanceId: string;
  readonly name: string | null;
  readonly hours: number;
  readonly start: string;
  readonly end: string;
}
