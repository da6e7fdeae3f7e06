/**
 * Inspector2's own export of every finding: CreateFindingsReport writes a JSON report to S3
 * (encrypted with a KMS key), GetFindingsReportStatus says when it is done, and the report is
 * then read from S3 as a stream. For an organization's delegated administrator the report holds
 * every member account's findings; for a large fleet it is far cheaper than paging ListFindings.
 */
import { CreateFindingsReportCommand, GetFindingsReportStatusCommand, type FilterCriteria, type Inspector2Client } from '@aws-sdk/client-inspector2';
import type { S3Client } from '@aws-sdk/client-s3';
import { SourceError } from '../../../domain/errors.js';
import type { Instant } from '../../../domain/time.js';
import type { FindingsObject } from '../aws-shapes/findings-input.js';
import { EC2_RESOURCE_TYPE } from '../aws-shapes/inspector2.js';
import { callAws } from './aws-errors.js';
import { MAX_FILTER_VALUES } from './inspector2-findings-source.js';
import { s3FindingsObjects, type S3Location } from './s3-findings-objects.js';

/** What to export and where. */
export interface FindingsReportRequest {
  /** Where Inspector writes the report (its bucket policy must let Inspector write there). */
  readonly location: S3Location;
  /** The KMS key Inspector encrypts the report with (CreateFindingsReport requires one). */
  readonly kmsKeyArn: string;
  /** Only these instances; every EC2 instance when absent. */
  readonly instanceIds?: readonly string[];
  /** A line of progress for a person waiting. */
  readonly onProgress?: (message: string) => void;
}

/** How the wait is paced; injected by tests (no real waiting there). */
export interface FindingsReportOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Instant;
  /** Between two GetFindingsReportStatus calls; default 5 s. */
  readonly pollIntervalMs?: number;
  /** Give up after this long; default 30 minutes. */
  readonly maxWaitMs?: number;
}

/** A finished report: its id and the S3 objects it was written to (none when it found no findings). */
export interface FinishedReport {
  readonly reportId: string;
  readonly objects: () => AsyncIterable<FindingsObject>;
  /** False when Inspector said NO_FINDINGS_FOUND: the report is empty, not failed. */
  readonly hasFindings: boolean;
}

/**
 * The filter a capture uses: ACTIVE findings on EC2 instances, and the instances asked for when
 * they fit one filter (10 values); past that the reader keeps the wanted ones itself.
 */
export function reportCriteria(instanceIds: readonly string[] | undefined): FilterCriteria {
  const ids = instanceIds === undefined ? null : [...new Set(instanceIds)];
  return {
    findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    resourceType: [{ comparison: 'EQUALS', value: EC2_RESOURCE_TYPE }],
    ...(ids !== null && ids.length > 0 && ids.length <= MAX_FILTER_VALUES ? { resourceId: ids.map((value) => ({ comparison: 'EQUALS' as const, value })) } : {}),
  };
}

export class Inspector2FindingsReport {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Instant;
  private readonly pollIntervalMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly inspector2: Inspector2Client,
    private readonly s3: S3Client,
    options: FindingsReportOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.maxWaitMs = options.maxWaitMs ?? 30 * 60_000;
  }

  /**
   * Starts the export and waits for it.
   * @throws SourceError (inspector2) when the call fails, the report FAILED or was CANCELLED (with
   *   Inspector's error code and message), or it is not done within maxWaitMs.
   */
  async run(request: FindingsReportRequest): Promise<FinishedReport> {
    const progress = request.onProgress ?? (() => undefined);
    const { bucket, prefix } = request.location;
    const keyPrefix = prefix.replace(/\/+$/, '');
    const created = await callAws('inspector2', 'CreateFindingsReport', () =>
      this.inspector2.send(new CreateFindingsReportCommand({
        reportFormat: 'JSON',
        filterCriteria: reportCriteria(request.instanceIds),
        s3Destination: { bucketName: bucket, kmsKeyArn: request.kmsKeyArn, ...(keyPrefix === '' ? {} : { keyPrefix }) },
      })),
    );
    const reportId = created.reportId;
    if (!reportId) throw new SourceError('inspector2', 'CreateFindingsReport', 'inspector2:CreateFindingsReport returned no report id');
    progress(`findings report ${reportId} started (inspector2:CreateFindingsReport), writing to s3://${bucket}/${keyPrefix}`);
    const started = this.now();
    for (;;) {
      const status = await callAws('inspector2', 'GetFindingsReportStatus', () =>
        this.inspector2.send(new GetFindingsReportStatusCommand({ reportId })),
      );
      const elapsed = Math.round((this.now() - started) / 1000);
      if (status.status === 'SUCCEEDED') {
        progress(`findings report ${reportId} ready after ${elapsed} s; reading it from S3`);
        const location = { bucket, prefix: keyPrefix === '' ? '' : `${keyPrefix}/` };
        return { reportId, hasFindings: true, objects: () => reportObjects(this.s3, location, reportId) };
      }
      if (status.status === 'FAILED' && status.errorCode === 'NO_FINDINGS_FOUND') {
        progress(`findings report ${reportId}: Inspector found no findings to export`);
        return { reportId, hasFindings: false, objects: async function* () {} };
      }
      if (status.status === 'FAILED' || status.status === 'CANCELLED') {
        const why = [status.errorCode, status.errorMessage].filter((x) => x !== undefined && x !== '').join(': ');
        throw new SourceError('inspector2', 'GetFindingsReportStatus', `findings report ${reportId} ${status.status}${why ? ` (${why})` : ''}`, {
          code: status.errorCode ?? `REPORT_${status.status}`,
        });
      }
      if (this.now() - started >= this.maxWaitMs) {
        throw new SourceError('inspector2', 'GetFindingsReportStatus', `findings report ${reportId} still ${status.status ?? 'unknown'} after ${elapsed} s; gave up waiting (it may still finish: read it later with --findings s3://${bucket}/${keyPrefix})`, { code: 'REPORT_TIMEOUT' });
      }
      progress(`findings report ${reportId}: ${status.status ?? 'unknown'} (${elapsed} s)`);
      await this.sleep(this.pollIntervalMs);
    }
  }
}

// The report's objects: those under the prefix whose key carries the report id (Inspector names
// the report after it), so earlier reports under the same prefix are not read again.
async function* reportObjects(s3: S3Client, location: S3Location, reportId: string): AsyncGenerator<FindingsObject> {
  let found = 0;
  try {
    for await (const object of s3FindingsObjects(s3, location)) {
      if (!object.name.includes(reportId)) continue;
      found++;
      yield object;
    }
  } catch (e) {
    // "Nothing under the prefix" is reported below, naming the report.
    if (!(e instanceof SourceError && e.code === 'SOURCE_MISSING' && !/no such bucket/.test(e.message))) throw e;
  }
  if (found === 0) {
    throw new SourceError('s3', 'ListObjectsV2', `findings report ${reportId} SUCCEEDED but no object of it (a key containing ${reportId}) is under s3://${location.bucket}/${location.prefix}`, { code: 'SOURCE_MISSING' });
  }
}
