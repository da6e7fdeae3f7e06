import type { Instant } from '../../domain/time.js';

/** snapshot.json. */
export interface CapturedManifest {
  readonly capturedAt: string;
  readonly region: string;
  readonly accountId: string;
}

/** The phases of a capture, in the order they run. */
export type CaptureStep =
  | 'account' | 'instances' | 'findings' | 'managed-instances' | 'patch-states' | 'metrics' | 'activity' | 'kev' | 'done';

/** One line of progress for a person watching a long capture. */
export interface CaptureProgress {
  readonly step: CaptureStep;
  readonly message: string;
}

/** Where Inspector2 writes a findings report, and the KMS key it encrypts it with. */
export interface FindingsReportTarget {
  readonly s3Url: string;
  readonly kmsKeyArn: string;
}

/** What to capture and where. */
export interface CaptureRequest {
  /** The snapshot folder to create; it must not exist or be empty. */
  readonly outDir: string;
  /** Only these instances (ids); default every instance not terminated. */
  readonly instanceIds?: readonly string[];
  /** GetMetricData window; default the 14 days before the capture, hourly. false: no cloudwatch/. */
  readonly metrics?: { readonly start: Instant; readonly end: Instant; readonly periodSeconds: number } | false;
  /** LookupEvents window; default the 14 days before the capture. false: no cloudtrail/. */
  readonly activity?: { readonly start: Instant; readonly end: Instant } | false;
  /** The KEV feed's JSON text to store as kev.json, or null for none (e.g. HttpKevCatalog.feedText). */
  readonly kevFeed?: () => Promise<string | null>;
  /**
   * Read the findings from an Inspector2 findings report (CreateFindingsReport, JSON) written to
   * `s3Url` (s3://BUCKET/PREFIX) and encrypted with `kmsKeyArn`, instead of paging ListFindings.
   */
  readonly findingsReport?: FindingsReportTarget;
  readonly onProgress?: (progress: CaptureProgress) => void;
}

/** What a capture wrote, for the CLI to report. */
export interface CaptureResult {
  readonly outDir: string;
  readonly manifest: CapturedManifest;
  /** Secondary sources that could not be read and were left out (service, operation, code). */
  readonly warnings: readonly string[];
  readonly counts: {
    readonly instances: number;
    readonly findings: number;
    readonly managedInstances: number | null;
    readonly patchStates: number | null;
    readonly metricFiles: number | null;
    readonly activityFiles: number | null;
  };
}

/**
 * Writes a live account into the snapshot folder format (AWS CLI JSON output, one file per call),
 * so it can be analysed offline and shared. Required reads (instances, findings) failing abort
 * the capture and leave nothing behind; secondary ones are left out with a warning.
 */
export interface SnapshotCapture {
  capture(request: CaptureRequest): Promise<CaptureResult>;
}
