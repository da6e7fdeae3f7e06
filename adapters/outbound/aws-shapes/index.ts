/**
 * Pure mappers from AWS API shapes to domain types, shared by the snapshot adapters (AWS CLI JSON
 * files) and the live AWS SDK adapters (SDK output objects: same field names, Date timestamps).
 * Validation is path-aware: a wrong shape throws a ShapeError with the JSON path and what was
 * expected; unknown fields and unknown enum values are tolerated.
 */
export { ShapeError, describeValue } from './shape-error.js';
export { parseTimestamp } from './read.js';
export { mapFinding, findingResourceTags, EC2_RESOURCE_TYPE } from './inspector2.js';
export { mapInstance, mapDescribeInstances, ASG_TAG } from './ec2.js';
export { mapManagedInstance, mapPatchState } from './ssm.js';
export { mapMetricDataResults, METRIC_QUERY_IDS } from './cloudwatch.js';
export type { MetricOfQueryId } from './cloudwatch.js';
export { mapCloudTrailEvent } from './cloudtrail.js';
export { mapKevCatalog } from './kev.js';
export { parseJsonText, badJson, decodeJsonBytes, lineColumn, locateJsonError } from './json-text.js';
export { SNAPSHOT_FILES } from './snapshot-files.js';
