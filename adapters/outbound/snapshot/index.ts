/** Outbound adapters reading a folder of AWS CLI JSON output (a snapshot), one per port. */
export { SnapshotDirectory, SNAPSHOT_FILES, INSTANCE_ID_PATTERN, checkedInstanceId } from './snapshot-directory.js';
export type { SnapshotManifest } from './snapshot-directory.js';
export { SnapshotFindingsSource } from './snapshot-findings-source.js';
export { SnapshotAssetInventory } from './snapshot-asset-inventory.js';
export { SnapshotPatchCompliance } from './snapshot-patch-compliance.js';
export { SnapshotMetricsSource } from './snapshot-metrics-source.js';
export { SnapshotActivityLog } from './snapshot-activity-log.js';
export { SnapshotCaptureClock } from './snapshot-capture-clock.js';
