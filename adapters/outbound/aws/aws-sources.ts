import type { S3Client } from '@aws-sdk/client-s3';
import type { Instant } from '../../../domain/time.js';
import type { AwsClients } from './aws-clients.js';
import { AwsSnapshotCapture } from './aws-snapshot-capture.js';
import { CloudTrailActivityLog, LOOKUP_EVENTS_PER_SECOND } from './cloudtrail-activity-log.js';
import { CloudWatchMetricsSource } from './cloudwatch-metrics-source.js';
import { Ec2AssetInventory } from './ec2-asset-inventory.js';
import { Inspector2FindingsSource } from './inspector2-findings-source.js';
import { createLimiter, RequestPacer, type Limiter } from './resilience.js';
import { SsmPatchCompliance } from './ssm-patch-compliance.js';

export interface AwsSourcesOptions {
  /** Calls in flight at once across SSM and CloudWatch batches and CloudTrail lookups; default 8. */
  readonly concurrency?: number;
  /** A limiter to use instead of one of `concurrency` (an organization read shares one per account). */
  readonly limiter?: Limiter;
  readonly now?: () => Instant;
  /** Builds an S3 client, for a capture that reads a findings report. */
  readonly s3?: () => Promise<S3Client>;
}

/** Every live AWS adapter over one set of clients. */
export interface AwsSources {
  readonly findings: Inspector2FindingsSource;
  readonly assets: Ec2AssetInventory;
  readonly patchCompliance: SsmPatchCompliance;
  readonly metrics: CloudWatchMetricsSource;
  readonly activity: CloudTrailActivityLog;
  readonly capture: AwsSnapshotCapture;
}

/**
 * Builds the live adapters over `clients`, sharing one concurrency limiter and one CloudTrail
 * pacer, so the limits hold for the process as a whole (the assessment and a capture alike).
 */
export function createAwsSources(clients: AwsClients, options: AwsSourcesOptions = {}): AwsSources {
  const limiter = options.limiter ?? createLimiter(options.concurrency ?? 8);
  const pacer = new RequestPacer({ perSecond: LOOKUP_EVENTS_PER_SECOND });
  const now = options.now ?? Date.now;
  return {
    findings: new Inspector2FindingsSource(clients.inspector2),
    assets: new Ec2AssetInventory(clients.ec2),
    patchCompliance: new SsmPatchCompliance(clients.ssm, { limiter }),
    metrics: new CloudWatchMetricsSource(clients.cloudwatch, { limiter, now }),
    activity: new CloudTrailActivityLog(clients.cloudtrail, { pacer }),
    capture: new AwsSnapshotCapture(clients, { limiter, cloudTrailPacer: pacer, now, ...(options.s3 ? { s3: options.s3 } : {}) }),
  };
}
