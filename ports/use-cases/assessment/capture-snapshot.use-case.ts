import { ValidationError } from '../../../domain/errors.js';
import { findInstance } from '../../../domain/instance-lookup.js';
import type { CaptureResult, SnapshotCapture } from '../../outbound/snapshot-capture.port.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import type { CaptureSnapshotRequest } from '../../inbound/assessment/capture-snapshot.port.js';

/**
 * Captures the live account into the snapshot folder format for offline analysis. Instances
 * named by Name tag are resolved first, so a typo fails before anything is written.
 */
export class CaptureSnapshot {
  constructor(
    private readonly deps: CoreDependencies,
    private readonly capture: SnapshotCapture | null,
  ) {}

  async execute(request: CaptureSnapshotRequest): Promise<CaptureResult> {
    if (!this.capture) {
      throw new ValidationError('source', 'aws', `snapshot capture reads a live account: use --source aws (the source is ${this.deps.source.label})`);
    }
    const report = request.findingsReport;
    if (report !== undefined) {
      if (typeof report.s3Url !== 'string' || !/^s3:\/\/[^/]+/.test(report.s3Url)) {
        throw new ValidationError('findingsReport', 's3://BUCKET/PREFIX', `findingsReport: expected s3://BUCKET/PREFIX, got ${JSON.stringify(report.s3Url)}`);
      }
      if (typeof report.kmsKeyArn !== 'string' || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(report.kmsKeyArn)) {
        throw new ValidationError('kmsKey', 'a KMS key ARN', `kmsKey: expected the ARN of a KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID) for the findings report (CreateFindingsReport requires one), got ${JSON.stringify(report.kmsKeyArn ?? '')}`);
      }
    }
    let instanceIds: string[] | undefined;
    if (request.instances?.length) {
      const assets = await this.deps.assets.listAssets();
      instanceIds = [...new Set(request.instances.map((q) => findInstance(assets, q).instanceId))];
    }
    return this.capture.capture({
      outDir: request.outDir,
      ...(instanceIds ? { instanceIds } : {}),
      ...(report ? { findingsReport: report } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
  }
}
