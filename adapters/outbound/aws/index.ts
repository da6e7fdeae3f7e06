/**
 * The live AWS adapters (AWS SDK v3): one per client, the client factory, and the snapshot
 * capture. Composition builds clients with createAwsClients and adapters with createAwsSources.
 */
export { createAwsClients, createS3Client, destroyAwsClients, DEFAULT_MAX_ATTEMPTS } from './aws-clients.js';
export type { AwsClientOptions, AwsClients, AwsCredentials } from './aws-clients.js';
export { createAwsSources } from './aws-sources.js';
export type { AwsSources, AwsSourcesOptions } from './aws-sources.js';
export { Inspector2FindingsSource } from './inspector2-findings-source.js';
export type { Inspector2FindingsOptions } from './inspector2-findings-source.js';
export { Ec2AssetInventory } from './ec2-asset-inventory.js';
export type { Ec2AssetInventoryOptions } from './ec2-asset-inventory.js';
export { SsmPatchCompliance } from './ssm-patch-compliance.js';
export type { SsmPatchComplianceOptions } from './ssm-patch-compliance.js';
export { CloudWatchMetricsSource, choosePeriodSeconds } from './cloudwatch-metrics-source.js';
export type { CloudWatchMetricsOptions } from './cloudwatch-metrics-source.js';
export { CloudTrailActivityLog } from './cloudtrail-activity-log.js';
export type { CloudTrailActivityLogOptions } from './cloudtrail-activity-log.js';
export { AwsSnapshotCapture, SNAPSHOT_FILES } from './aws-snapshot-capture.js';
export type { AwsSnapshotCaptureOptions, CaptureProgress, CaptureRequest, CaptureResult, SnapshotManifest } from './aws-snapshot-capture.js';
export { AwsCallRecorder } from './aws-call-recorder.js';
export { toSourceError } from './aws-errors.js';
export { createLimiter, RequestPacer } from './resilience.js';
export type { Limiter } from './resilience.js';
export { Inspector2FindingsReport, reportCriteria } from './inspector2-findings-report.js';
export type { FindingsReportOptions, FindingsReportRequest, FinishedReport } from './inspector2-findings-report.js';
export { parseS3Url, s3FindingsObjects, s3FindingsSource } from './s3-findings-objects.js';
export type { S3Location } from './s3-findings-objects.js';
