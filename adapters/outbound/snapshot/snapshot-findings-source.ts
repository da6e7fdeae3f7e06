import type { Finding } from '../../../domain/fleet-facts.js';
import type { FindingsFilter, FindingsSource } from '../../../ports/outbound/findings-source.port.js';
import type { SnapshotDirectory } from './snapshot-directory.js';

/**
 * Findings from `inspector2-list-findings.json` (required): ACTIVE findings on EC2 instances,
 * optionally only those on the given instances.
 */
export class SnapshotFindingsSource implements FindingsSource {
  constructor(private readonly snapshot: SnapshotDirectory) {}

  async *listActiveFindings(filter?: FindingsFilter): AsyncIterable<Finding> {
    const findings = await this.snapshot.findings();
    const only = filter?.instanceIds === undefined ? null : new Set(filter.instanceIds);
    for (const f of findings) {
      if (f.status !== 'ACTIVE') continue;
      if (only !== null && !only.has(f.instanceId)) continue;
      yield f;
    }
  }
}
