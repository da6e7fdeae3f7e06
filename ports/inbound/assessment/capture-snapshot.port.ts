/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { CaptureProgress } from '../../outbound/snapshot-capture.port.js';

export interface CaptureSnapshotRequest {
  readonly outDir: string;
  /** Instance ids or Name tags; every instance when empty. */
  readonly instances?: readonly string[];
  readonly onProgress?: (progress: CaptureProgress) => void;
}
