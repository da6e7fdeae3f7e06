/**
 * Test data builders for domain types: realistic defaults, override what the test is about.
 * Shared by every spec; add fields here rather than building literals in tests.
 */
import type { Asset, ChangeEvent, Cvss, Finding, KevEntry, ExploitedCatalog, ManagedInstance, PatchState, RiskAcceptance } from '../domain/fleet-facts.js';

export const T0 = Date.parse('2026-11-01T00:00:00Z');

export function anAsset(over: Partial<Asset> = {}): Asset {
  const instanceId = over.instanceId ?? 'i-0123456789abcdef0';
  return {
    instanceId,
    name: 'web-1',
    tags: over.tags ?? { Name: over.name ?? 'web-1', Environment: 'prod' },
    state: 'running',
    publicIpv4: null,
    ipv6: [],
    platform: 'Linux/UNIX',
    instanceType: 't3.medium',
    availabilityZone: 'us-east-1a',
    autoScalingGroup: null,
    launchTime: T0 - 90 * 86_400_000,
    ...over,
  };
}

export function aCvss(vector: string, baseScore = 9.8, version = '3.1'): Cvss {
  return { baseScore, scoringVector: vector, version };
}

export function aFinding(over: Partial<Finding> = {}): Finding {
  return {
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${Math.abs(hash(JSON.stringify(over))).toString(16)}`,
    type: 'PACKAGE_VULNERABILITY',
    severity: 'HIGH',
    status: 'ACTIVE',
    title: 'CVE-2024-6387 - openssh-server',
    instanceId: 'i-0123456789abcdef0',
    vulnerabilityId: 'CVE-2024-6387',
    relatedVulnerabilities: [],
    inspectorScore: 8.1,
    adjustedCvss: null,
    cvss: [aCvss('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1)],
    epss: 0.5,
    exploitAvailable: false,
    lastKnownExploitAt: null,
    fixAvailable: 'YES',
    packages: [{ name: 'openssh-server', version: '8.7p1-38.el9', fixedInVersion: '8.7p1-38.el9_4.1' }],
    firstObservedAt: T0,
    lastObservedAt: T0 + 86_400_000,
    networkReachability: null,
    ...over,
  };
}

export function aManagedInstance(over: Partial<ManagedInstance> = {}): ManagedInstance {
  return { instanceId: 'i-0123456789abcdef0', pingStatus: 'Online', lastPingAt: T0, platformName: 'Amazon Linux', agentVersion: '3.3.0.0', ...over };
}

export function aPatchState(over: Partial<PatchState> = {}): PatchState {
  return {
    instanceId: 'i-0123456789abcdef0', patchGroup: null, baselineId: 'pb-0123456789abcdef0', installedCount: 400,
    missingCount: 0, failedCount: 0, installedPendingRebootCount: 0, criticalNonCompliantCount: 0,
    securityNonCompliantCount: 0, otherNonCompliantCount: 0, operation: 'Scan', operationStartTime: T0,
    operationEndTime: T0 + 60_000, rebootOption: 'NoReboot', ...over,
  };
}

export function aKevEntry(cveID: string, over: Partial<KevEntry> = {}): KevEntry {
  return { cveID, vendorProject: 'Vendor', product: 'Product', vulnerabilityName: 'A vulnerability', dateAdded: '2024-07-01', dueDate: '2024-07-22', knownRansomwareCampaignUse: 'Unknown', ...over };
}

export function aCatalog(...cves: string[]): ExploitedCatalog {
  return { catalogVersion: '2026.11.20', dateReleased: '2026-11-20T00:00:00Z', entries: new Map(cves.map((c) => [c.toUpperCase(), aKevEntry(c)])) };
}

export function anEvent(over: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    eventId: 'e-1', eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', eventTime: T0,
    username: 'alice', userIdentityType: 'IAMUser', userArn: 'arn:aws:iam::123456789012:user/alice',
    sourceIpAddress: '203.0.113.10', userAgent: 'aws-cli/2.15.0', errorCode: null, errorMessage: null,
    readOnly: true, awsRegion: 'us-east-1', ...over,
  };
}

export function anAcceptance(over: Partial<RiskAcceptance> = {}): RiskAcceptance {
  return { id: 'acc-1', vulnerabilityId: 'CVE-2024-6387', instanceId: 'i-0123456789abcdef0', reason: 'compensating control', acceptedBy: 'alice', acceptedAt: T0, until: T0 + 30 * 86_400_000, revokedAt: null, ...over };
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
