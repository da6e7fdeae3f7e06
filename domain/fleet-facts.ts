/**
 * What the outbound ports deliver, already mapped from AWS shapes to domain types.
 * Enumerations coming from AWS are open (`KnownX | (string & {})`): AWS adds values over time and
 * an unknown value must be carried or skipped, never crash the core.
 */
import type { Instant } from './time.js';

/** Widens a closed union so unknown values from AWS are still accepted. */
export type Open<T extends string> = T | (string & {});

export type Severity = Open<'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | 'UNTRIAGED'>;
export type FindingStatus = Open<'ACTIVE' | 'SUPPRESSED' | 'CLOSED'>;
export type FindingType = Open<'PACKAGE_VULNERABILITY' | 'NETWORK_REACHABILITY' | 'CODE_VULNERABILITY'>;
export type FixAvailable = 'YES' | 'NO' | 'PARTIAL';

/**
 * Whether a fix exists, from the packages when the finding does not say: every package has a
 * fixed version (YES), none has (NO), some have, or no package is named (PARTIAL).
 */
export function fixAvailableFrom(packages: readonly { readonly fixedInVersion: string | null }[]): FixAvailable {
  if (packages.length === 0) return 'PARTIAL';
  let fixed = 0;
  for (const p of packages) if (p.fixedInVersion !== null) fixed++;
  return fixed === packages.length ? 'YES' : fixed === 0 ? 'NO' : 'PARTIAL';
}

/** One CVSS record as Inspector2 reports it. */
export interface Cvss {
  readonly baseScore: number | null;
  readonly scoringVector: string | null;
  /** "3.1", "3.0", "2.0", "4.0" ... */
  readonly version: string | null;
}

export interface VulnerablePackage {
  readonly name: string;
  readonly version: string | null;
  readonly fixedInVersion: string | null;
}

/** An Inspector2 finding on one EC2 instance. */
export interface Finding {
  readonly findingArn: string;
  readonly type: FindingType;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly title: string | null;
  /** The EC2 instance the finding is on (resources[].id of type AWS_EC2_INSTANCE). */
  readonly instanceId: string;
  /** CVE (or other advisory id: KB, ALAS, GHSA ...) for package findings; null for network reachability. */
  readonly vulnerabilityId: string | null;
  /**
   * packageVulnerabilityDetails.relatedVulnerabilities: the other ids the same finding is known by
   * (a Windows KB finding lists its CVEs here; an Amazon Linux CVE finding its ALAS ids).
   */
  readonly relatedVulnerabilities: readonly string[];
  readonly inspectorScore: number | null;
  /** inspectorScoreDetails.adjustedCvss, when Inspector adjusted the score for this environment. */
  readonly adjustedCvss: Cvss | null;
  /** packageVulnerabilityDetails.cvss[], in the order AWS returned them. */
  readonly cvss: readonly Cvss[];
  /** epss.score, 0..1. */
  readonly epss: number | null;
  /** exploitAvailable === "YES". */
  readonly exploitAvailable: boolean;
  /** exploitabilityDetails.lastKnownExploitAt. */
  readonly lastKnownExploitAt: Instant | null;
  readonly fixAvailable: FixAvailable;
  readonly packages: readonly VulnerablePackage[];
  readonly firstObservedAt: Instant;
  readonly lastObservedAt: Instant;
  /** networkReachabilityDetails, for NETWORK_REACHABILITY findings. */
  readonly networkReachability: { readonly openPortRange: { readonly begin: number; readonly end: number } | null; readonly protocol: string | null } | null;
  /**
   * The account and region of the instance the finding is on, set by an organization-scope read
   * (as on Asset): the finding then belongs to the asset of that identity only.
   */
  readonly accountId?: string;
  readonly region?: string;
}

export type InstanceState = Open<'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped'>;

/** An EC2 instance (DescribeInstances), with SSM's view of it when known. */
export interface Asset {
  readonly instanceId: string;
  /** The Name tag, if any. */
  readonly name: string | null;
  /** All tags as AWS returned them (keys and values as written). */
  readonly tags: Readonly<Record<string, string>>;
  readonly state: InstanceState;
  readonly publicIpv4: string | null;
  readonly ipv6: readonly string[];
  readonly platform: string | null;
  readonly instanceType: string | null;
  readonly availabilityZone: string | null;
  /** aws:autoscaling:groupName tag. */
  readonly autoScalingGroup: string | null;
  readonly launchTime: Instant | null;
  /**
   * The AWS account and region the instance lives in, set by an organization-scope read (and a
   * snapshot of one): the asset's identity is then (accountId, region, instanceId). Absent on a
   * read of one account and region.
   */
  readonly accountId?: string;
  readonly region?: string;
}

/**
 * The key of an instance's identity: "ACCOUNT/REGION/ID" when it carries its account (an
 * organization read, where ids may repeat across accounts), else its id. Assets, findings and the
 * per-instance maps of an organization read are keyed by it.
 */
export function identityKey(x: { readonly instanceId: string; readonly accountId?: string; readonly region?: string }): string {
  return x.accountId === undefined ? x.instanceId : `${x.accountId}/${x.region ?? ''}/${x.instanceId}`;
}

/**
 * The value a per-instance map holds for `asset`: under its identity key, else under its id (a
 * source of one account keys by id alone).
 */
export function byIdentity<V>(map: ReadonlyMap<string, V>, asset: { readonly instanceId: string; readonly accountId?: string; readonly region?: string }): V | undefined {
  return asset.accountId === undefined ? map.get(asset.instanceId) : (map.get(identityKey(asset)) ?? map.get(asset.instanceId));
}

/**
 * A per-instance map of an organization read: each value under its identity key, and under its
 * plain id too while no other account or region holds that id (for callers that know only ids).
 */
export function keyByIdentity<V>(entries: Iterable<{ readonly instanceId: string; readonly accountId: string; readonly region: string; readonly value: V }>): Map<string, V> {
  const list = [...entries];
  const holders = new Map<string, number>();
  for (const e of list) holders.set(e.instanceId, (holders.get(e.instanceId) ?? 0) + 1);
  const out = new Map<string, V>();
  for (const e of list) {
    out.set(identityKey(e), e.value);
    if (holders.get(e.instanceId) === 1) out.set(e.instanceId, e.value);
  }
  return out;
}

/** SSM DescribeInstanceInformation, one instance. */
export interface ManagedInstance {
  readonly instanceId: string;
  /** Online, ConnectionLost, Inactive ... */
  readonly pingStatus: Open<'Online' | 'ConnectionLost' | 'Inactive'>;
  readonly lastPingAt: Instant | null;
  readonly platformName: string | null;
  readonly agentVersion: string | null;
}

/** SSM DescribeInstancePatchStates, one instance. */
export interface PatchState {
  readonly instanceId: string;
  readonly patchGroup: string | null;
  readonly baselineId: string | null;
  readonly installedCount: number;
  readonly missingCount: number;
  readonly failedCount: number;
  readonly installedPendingRebootCount: number;
  readonly criticalNonCompliantCount: number;
  readonly securityNonCompliantCount: number;
  readonly otherNonCompliantCount: number;
  readonly operation: Open<'Scan' | 'Install'>;
  readonly operationStartTime: Instant | null;
  readonly operationEndTime: Instant | null;
  readonly rebootOption: string | null;
}

/** One entry of the CISA Known Exploited Vulnerabilities catalog. */
export interface KevEntry {
  readonly cveID: string;
  readonly vendorProject: string | null;
  readonly product: string | null;
  readonly vulnerabilityName: string | null;
  readonly dateAdded: string;
  readonly dueDate: string | null;
  readonly knownRansomwareCampaignUse: Open<'Known' | 'Unknown'> | null;
}

/** The KEV catalog as loaded: lookup by CVE id (upper case). */
export interface ExploitedCatalog {
  readonly catalogVersion: string | null;
  readonly dateReleased: string | null;
  readonly entries: ReadonlyMap<string, KevEntry>;
}

export type MetricName = 'cpu' | 'networkIn' | 'networkOut' | 'statusCheckFailed';
export const METRIC_NAMES: readonly MetricName[] = ['cpu', 'networkIn', 'networkOut', 'statusCheckFailed'];

export interface MetricPoint {
  readonly t: Instant;
  readonly v: number;
}

/** CloudWatch series for one instance, sorted by time ascending; a metric absent is no data. */
export type InstanceMetrics = Partial<Record<MetricName, readonly MetricPoint[]>>;

/** One CloudTrail LookupEvents record, with the fields of its CloudTrailEvent JSON that matter. */
export interface ChangeEvent {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string | null;
  readonly eventTime: Instant;
  readonly username: string | null;
  /** userIdentity.type: Root, IAMUser, AssumedRole, AWSService ... */
  readonly userIdentityType: string | null;
  readonly userArn: string | null;
  readonly sourceIpAddress: string | null;
  readonly userAgent: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly readOnly: boolean | null;
  readonly awsRegion: string | null;
}

/** A recorded decision to live with one vulnerability on one instance, or on the whole fleet. */
export interface RiskAcceptance {
  readonly id: string;
  readonly vulnerabilityId: string;
  /** null: the whole fleet. */
  readonly instanceId: string | null;
  /**
   * The account and region of that instance, recorded when the read that resolved it knew them (an
   * organization read, or a source of one known account and region): the acceptance then applies
   * to the instance of that identity only. Absent or null (records made before they were
   * recorded, or by a source that knows neither): it applies by instance id, in any account.
   */
  readonly accountId?: string | null;
  readonly region?: string | null;
  readonly reason: string;
  readonly acceptedBy: string;
  readonly acceptedAt: Instant;
  readonly until: Instant;
  /** When it was revoked: a revoked acceptance never applies again. Absent or null: not revoked. */
  readonly revokedAt?: Instant | null;
}
