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
    let instanceIds: string[] | undefined;
    if (request.instances?.length) {
      const assets = await this.deps.assets.listAssets();
      instanceIds = [...new Set(request.instances.map((q) => findInstance(assets, q).instanceId))];
    }
    return this.capture.capture({
      outDir: request.outDir,
      ...(instanceIds ? { instanceIds } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
  }
}
