import type { Finding } from '../../../domain/fleet-facts.js';
import type { FindingsFilter, FindingsSource } from '../../../ports/outbound/findings-source.port.js';
import type { SnapshotDirectory } from './snapshot-directory.js';

/**
 * Findings from `inspector2-list-findings.json` (required): ACTIVE findings on EC2 instances,
 * optionally only those on the given instances. The file is streamed on every call: nothing of it
 * stays in memory between reports.
 */
export class SnapshotFindingsSource implements FindingsSource {
  constructor(private readonly snapshot: SnapshotDirectory) {}

  async *listActiveFindings(filter?: FindingsFilter): AsyncIterable<Finding> {
    const only = filter?.instanceIds === undefined ? null : new Set(filter.instanceIds);
    for await (const f of this.snapshot.streamFindings()) {
      if (f.status !== 'ACTIVE') continue;
      if (only !== null && !only.has(f.instanceId)) continue;
      yield f;
    }
  }
}
