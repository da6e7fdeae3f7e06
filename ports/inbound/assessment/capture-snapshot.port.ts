/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { CaptureProgress, FindingsReportTarget } from '../../outbound/snapshot-capture.port.js';

export interface CaptureSnapshotRequest {
  readonly outDir: string;
  /** Instance ids or Name tags; every instance when empty. */
  readonly instances?: readonly string[];
  /** Findings from an Inspector2 findings report in S3 (CreateFindingsReport) instead of ListFindings. */
  readonly findingsReport?: FindingsReportTarget;
  readonly onProgress?: (progress: CaptureProgress) => void;
}
