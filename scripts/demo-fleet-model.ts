/**
 * The demo fleet: which instances exist, what they run and what happened to them. Everything
 * here is plain data plus small deterministic rules; demo-fleet-shapes.ts turns it into the AWS
 * CLI JSON that a real capture would hold.
 */
import type { PlatformFamily, Role } from './demo-cves.js';
import { Prng } from './prng.js';

/** The instant the demo fleet was "captured": every timestamp in it is relative to this. */
export const CAPTURED_AT = Date.parse('2026-11-20T12:00:00Z');
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The office's addresses: calls from elsewhere are "unusual" in the demo (documentation ranges only). */
export const OFFICE_CIDR = '203.0.113.0/24';
export const UNUSUAL_IP = '198.51.100.77';

export type EnvName = 'prod' | 'staging' | 'dev';

export interface CpuProfile {
  /** Typical busy-hour utilisation, percent. */
  readonly base: number;
  /** How much of the base follows the day (0 flat, 1 fully diurnal). */
  readonly diurnal: number;
  /** Noise, as a fraction of base. */
  readonly noise: number;
  /** Short CPU bursts (CI builds): probability per hour. */
  readonly bursts?: number;
}

export interface DemoInstance {
  /** Stable label: instance ids and every random stream derive from it. */
  readonly key: string;
  readonly name: string;
  readonly env: EnvName;
  readonly role: Role;
  readonly platform: PlatformFamily;
  /** Tags besides Name, spelled as a messy real account spells them. */
  readonly tags: Readonly<Record<string, string>>;
  readonly instanceType: string;
  readonly az: 'us-east-1a' | 'us-east-1b' | 'us-east-1c';
  readonly publicIp?: string;
  /** An IPv6-only instance has no IPv4 address at all. */
  readonly ipv6?: string;
  readonly ipv6Only?: boolean;
  readonly state: 'running' | 'stopped' | 'terminated';
  /** When it stopped or terminated. */
  readonly stateChangedAt?: number;
  readonly launchedAt: number;
  /** SSM PingStatus; null: not managed by SSM at all (absent from DescribeInstanceInformation). */
  readonly ssm: 'Online' | 'ConnectionLost' | null;
  /** Probability that an applicable CVE is still unpatched here. */
  readonly hygiene: number;
  /** When set, exactly these CVEs (if applicable), ignoring hygiene. */
  readonly only?: readonly string[];
  /** CVEs reported with fixAvailable NO (no fixed package published yet). */
  readonly noFix?: readonly string[];
  /** CVEs whose finding is SUPPRESSED by a suppression rule. */
  readonly suppressed?: readonly string[];
  /** CVEs whose finding is CLOSED (patched since). */
  readonly closed?: readonly string[];
  /** Ports Inspector2 finds reachable from the internet (NETWORK_REACHABILITY). */
  readonly openPorts?: readonly { readonly begin: number; readonly end: number; readonly protocol: 'TCP' | 'UDP' }[];
  readonly cpu: CpuProfile;
  /** CPU spikes (anomalies): hours before capture, and the value. */
  readonly cpuSpikes?: readonly { readonly hoursAgo: number; readonly value: number }[];
  /** Status check failures: hours before capture. */
  readonly statusCheckFailedHoursAgo?: readonly number[];
  readonly patch: { readonly failed?: number; readonly pendingReboot?: number; readonly operation?: 'Scan' | 'Install'; readonly daysSinceScan?: number };
}

export function instanceId(key: string): string {
  return `i-0${Prng.of('instance', key).hex(16)}`;
}

const at = (iso: string): number => Date.parse(iso);

const WEB_ASG = 'web-prod-asg';
const WEB_CPU: CpuProfile = { base: 42, diurnal: 0.75, noise: 0.08 };

function web(n: number, ip: string, az: DemoInstance['az'], launched: string, patch: DemoInstance['patch'], extra: Partial<DemoInstance> = {}): DemoInstance {
  return {
    key: `web-${n}`, name: `web-${n}`, env: 'prod', role: 'web', platform: 'AL2023',
    tags: { Environment: 'prod', Team: 'storefront', 'Patch Group': 'web-prod', 'aws:autoscaling:groupName': WEB_ASG },
    instanceType: 't3.medium', az, publicIp: ip, state: 'running', launchedAt: at(launched), ssm: 'Online',
    hygiene: 0.62, cpu: WEB_CPU, patch, ...extra,
  };
}

/**
 * The fleet. Sixteen live instances across prod, staging and dev, plus one terminated an hour
 * before the capture (its findings are CLOSED, as Inspector2 closes them).
 */
export const DEMO_FLEET: readonly DemoInstance[] = [
  web(1, '192.0.2.11', 'us-east-1a', '2026-10-14T09:12:31Z', { pendingReboot: 3 }, { suppressed: ['CVE-2023-38546'] }),
  web(2, '192.0.2.12', 'us-east-1b', '2026-10-14T09:12:35Z', { pendingReboot: 3 }),
  web(3, '192.0.2.13', 'us-east-1c', '2026-10-14T09:13:02Z', {}),
  web(4, '192.0.2.14', 'us-east-1a', '2026-11-02T16:40:18Z', {}, { hygiene: 0.45 }),
  {
    key: 'api-1', name: 'api-1', env: 'prod', role: 'api', platform: 'AL2023',
    tags: { Environment: 'Production', Team: 'payments', Service: 'checkout-api' },
    instanceType: 'm6i.large', az: 'us-east-1a', state: 'running', launchedAt: at('2026-03-03T10:20:00Z'), ssm: 'Online',
    hygiene: 0.8, closed: ['CVE-2023-0464'], cpu: { base: 48, diurnal: 0.7, noise: 0.07 },
    patch: { operation: 'Scan' },
  },
  {
    key: 'api-2', name: 'api-2', env: 'prod', role: 'api', platform: 'AL2023',
    tags: { env: 'PROD', Team: 'payments', Service: 'checkout-api' },
    instanceType: 'm6i.large', az: 'us-east-1b', state: 'running', launchedAt: at('2026-03-03T10:20:04Z'), ssm: 'Online',
    hygiene: 0.8, cpu: { base: 46, diurnal: 0.7, noise: 0.07 },
    // A runaway job on Tuesday morning: the anomaly the metrics summary should find.
    cpuSpikes: [{ hoursAgo: 75, value: 97.4 }, { hoursAgo: 74, value: 91.2 }, { hoursAgo: 73, value: 88.6 }],
    patch: {},
  },
  {
    key: 'db-primary', name: 'db-primary', env: 'prod', role: 'db', platform: 'AL2023',
    tags: { Environment: 'prod', Criticality: 'high', Service: 'orders-db', 'Patch Group': 'db' },
    instanceType: 'r6i.xlarge', az: 'us-east-1a', state: 'running', launchedAt: at('2025-11-18T07:45:00Z'), ssm: 'Online',
    hygiene: 0.85, cpu: { base: 58, diurnal: 0.5, noise: 0.05 },
    patch: { failed: 2, operation: 'Install' },
  },
  {
    key: 'db-replica', name: 'db-replica', env: 'prod', role: 'db', platform: 'AL2023',
    tags: { Environment: 'prod', criticality: 'Medium', Service: 'orders-db', 'Patch Group': 'db' },
    instanceType: 'r6i.large', az: 'us-east-1b', state: 'running', launchedAt: at('2025-11-18T08:02:00Z'), ssm: 'Online',
    hygiene: 0.7, suppressed: ['CVE-2023-29383'], cpu: { base: 31, diurnal: 0.5, noise: 0.06 },
    patch: {},
  },
  {
    key: 'bastion', name: 'bastion', env: 'prod', role: 'bastion', platform: 'AL2',
    tags: { Environment: 'prod', CRITICALITY: 'High', Team: 'platform' },
    instanceType: 't3.micro', az: 'us-east-1a', publicIp: '192.0.2.20', state: 'running', launchedAt: at('2024-06-11T13:00:00Z'), ssm: 'Online',
    hygiene: 0.55, openPorts: [{ begin: 22, end: 22, protocol: 'TCP' }, { begin: 60000, end: 61000, protocol: 'UDP' }],
    cpu: { base: 4, diurnal: 0.6, noise: 0.25 },
    patch: {},
  },
  {
    key: 'legacy-reports', name: 'legacy-reports', env: 'prod', role: 'legacy', platform: 'AL2',
    tags: { Environment: 'Prod', Owner: 'finance-it', Application: 'quarterly-reports' },
    instanceType: 'm5.large', az: 'us-east-1c', state: 'running', launchedAt: at('2021-02-09T15:30:00Z'),
    // Never enrolled in Systems Manager: the report must say it cannot be patched from here.
    ssm: null, hygiene: 1, cpu: { base: 18, diurnal: 0.4, noise: 0.1 },
    patch: {},
  },
  {
    key: 'web-staging-1', name: 'web-staging-1', env: 'staging', role: 'web', platform: 'AL2023',
    tags: { Environment: 'staging', Team: 'storefront', 'Patch Group': 'web-staging' },
    instanceType: 't3.small', az: 'us-east-1b', publicIp: '192.0.2.31', state: 'running', launchedAt: at('2026-05-20T11:00:00Z'), ssm: 'Online',
    hygiene: 0.75, cpu: { base: 12, diurnal: 0.8, noise: 0.15 },
    patch: {},
  },
  {
    key: 'api-staging-1', name: 'api-staging-1', env: 'staging', role: 'api', platform: 'UBUNTU2204',
    tags: { env: 'stage', Team: 'payments' },
    instanceType: 't3.large', az: 'us-east-1c', state: 'running', launchedAt: at('2026-01-12T09:00:00Z'),
    // The SSM agent lost its connection last night (status checks failing): managed, but not reachable.
    ssm: 'ConnectionLost', hygiene: 0.8, cpu: { base: 15, diurnal: 0.7, noise: 0.12 },
    statusCheckFailedHoursAgo: [14, 13, 12, 11, 10],
    patch: { daysSinceScan: 2 },
  },
  {
    key: 'worker-staging', name: 'worker-staging', env: 'staging', role: 'worker', platform: 'AL2023',
    tags: { Environment: 'UAT', Team: 'data', Service: 'queue-worker' },
    instanceType: 'c6i.large', az: 'us-east-1a', state: 'running', launchedAt: at('2026-08-05T14:00:00Z'), ssm: 'Online',
    // Its only urgent findings have no fixed package yet: the decision must be "mitigate".
    hygiene: 1,
    only: ['CVE-2023-44487', 'CVE-2024-53104', 'CVE-2023-38545', 'CVE-2023-48795', 'CVE-2023-3446', 'CVE-2024-0727', 'CVE-2023-38546', 'CVE-2023-24329', 'CVE-2023-40217', 'CVE-2022-48303', 'CVE-2023-29383', 'CVE-2023-7104'],
    noFix: ['CVE-2023-44487', 'CVE-2024-53104'],
    cpu: { base: 36, diurnal: 0.3, noise: 0.1 },
    patch: {},
  },
  {
    key: 'dev-sandbox', name: 'dev-sandbox', env: 'dev', role: 'sandbox', platform: 'UBUNTU2204',
    tags: { env: 'dev', Owner: 'carol' },
    instanceType: 't3.medium', az: 'us-east-1b', ipv6: '2001:db8:1234:5600::a1', ipv6Only: true, state: 'running',
    launchedAt: at('2026-07-01T08:00:00Z'), ssm: 'Online', hygiene: 0.7, cpu: { base: 9, diurnal: 0.9, noise: 0.3 },
    patch: {},
  },
  {
    key: 'ci-runner', name: 'ci-runner', env: 'dev', role: 'ci', platform: 'AL2023',
    tags: { Environment: 'Development', Team: 'platform', 'Patch Group': 'ci' },
    instanceType: 'c6i.xlarge', az: 'us-east-1c', state: 'running', launchedAt: at('2026-04-15T12:00:00Z'), ssm: 'Online',
    hygiene: 0.6, cpu: { base: 14, diurnal: 0.6, noise: 0.2, bursts: 0.12 },
    patch: {},
  },
  {
    key: 'build-old', name: 'build-old', env: 'dev', role: 'ci', platform: 'AL2',
    tags: { env: 'test', Owner: 'dave' },
    instanceType: 't3.large', az: 'us-east-1a', state: 'stopped', stateChangedAt: at('2026-11-15T08:12:44Z'),
    launchedAt: at('2023-09-04T10:00:00Z'), ssm: 'ConnectionLost', hygiene: 0.7, cpu: { base: 20, diurnal: 0.6, noise: 0.2, bursts: 0.08 },
    patch: { daysSinceScan: 6 },
  },
  {
    key: 'api-canary', name: 'api-canary', env: 'prod', role: 'api', platform: 'AL2023',
    tags: { Environment: 'prod', Team: 'payments', Service: 'checkout-api' },
    instanceType: 'm6i.large', az: 'us-east-1c', state: 'terminated', stateChangedAt: at('2026-11-20T10:47:09Z'),
    launchedAt: at('2026-11-18T15:00:00Z'), ssm: null, hygiene: 0.5, cpu: { base: 40, diurnal: 0.7, noise: 0.07 },
    patch: {},
  },
];

/** Private IPv4 of an instance (10.0.0.0/16, by subnet per AZ). */
export function privateIp(inst: DemoInstance): string | null {
  if (inst.ipv6Only) return null;
  const p = Prng.of('ip', inst.key);
  const subnet = { 'us-east-1a': 1, 'us-east-1b': 2, 'us-east-1c': 3 }[inst.az];
  return `10.0.${subnet * 16 + p.int(0, 15)}.${p.int(10, 250)}`;
}
