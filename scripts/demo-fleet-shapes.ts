/**
 * Builders of AWS CLI JSON output (the snapshot contract) from the demo fleet model: EC2
 * DescribeInstances, Inspector2 ListFindings, SSM DescribeInstanceInformation and
 * DescribeInstancePatchStates, CloudWatch GetMetricData, CloudTrail LookupEvents, the CISA KEV
 * feed. Field names and value formats follow the real outputs; values are synthetic.
 */
import type { AffectedPackage, DemoCve, InstalledPackage, KevFacts, PlatformFamily } from './demo-cves.js';
import { ALL_DEMO_CVES, INSTALLED, PLATFORMS } from './demo-cves.js';
import type { DemoInstance } from './demo-fleet-model.js';
import { ACCOUNT_ID, CAPTURED_AT, DAY, HOUR, REGION, UNUSUAL_IP, instanceId, privateIp } from './demo-fleet-model.js';
import { Prng, stableHex } from './prng.js';

type Json = Record<string, unknown>;

/** "2026-11-20T12:00:00+00:00", as the AWS CLI prints timestamps. */
export function cliTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** "2026-11-20T12:00:00.123000+00:00", as the CLI prints Inspector2's millisecond timestamps. */
export function cliTimeMicros(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000+00:00`;
}

function uuid(...labels: (string | number)[]): string {
  const h = stableHex(32, ...labels);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function severityOf(score: number): string {
  return score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : score > 0 ? 'LOW' : 'INFORMATIONAL';
}

function tagList(inst: DemoInstance): { Key: string; Value: string }[] {
  return [{ Key: 'Name', Value: inst.name }, ...Object.entries(inst.tags).map(([Key, Value]) => ({ Key, Value }))];
}

function tagMap(inst: DemoInstance): Record<string, string> {
  return { Name: inst.name, ...inst.tags };
}

const VPC = 'vpc-0c1f2a3b4d5e6f708';
const subnetOf = (inst: DemoInstance): string => `subnet-0${stableHex(16, 'subnet', inst.az, inst.ipv6Only ? 'v6' : inst.publicIp ? 'public' : 'private')}`;
const sgOf = (inst: DemoInstance): string => `sg-0${stableHex(16, 'sg', inst.role, inst.env)}`;
const eniOf = (inst: DemoInstance): string => `eni-0${stableHex(16, 'eni', inst.key)}`;
const profileArn = (inst: DemoInstance): string => `arn:aws:iam::${ACCOUNT_ID}:instance-profile/${inst.role}-${inst.env}-instance-profile`;

// ---------------------------------------------------------------------------------------------
// EC2 DescribeInstances

const STATE_CODES = { running: 16, stopped: 80, terminated: 48 } as const;

/** One `Reservations[].Instances[]` entry. */
export function ec2Instance(inst: DemoInstance): Json {
  const id = instanceId(inst.key);
  const ip = privateIp(inst);
  const live = inst.state !== 'terminated';
  const dns = ip === null ? `${id}.ec2.internal` : `ip-${ip.replaceAll('.', '-')}.ec2.internal`;
  const out: Json = {
    AmiLaunchIndex: 0,
    ImageId: PLATFORMS[inst.platform].ami,
    InstanceId: id,
    InstanceType: inst.instanceType,
    KeyName: inst.role === 'bastion' || inst.role === 'legacy' ? 'ops-2021' : undefined,
    LaunchTime: cliTime(inst.launchedAt),
    Monitoring: { State: 'disabled' },
    Placement: { AvailabilityZone: inst.az, GroupName: '', Tenancy: 'default' },
    PrivateDnsName: live ? dns : '',
    PrivateIpAddress: live && ip !== null ? ip : undefined,
    ProductCodes: [],
    PublicDnsName: inst.publicIp && inst.state === 'running' ? `ec2-${inst.publicIp.replaceAll('.', '-')}.compute-1.amazonaws.com` : '',
    PublicIpAddress: inst.state === 'running' ? inst.publicIp : undefined,
    State: { Code: STATE_CODES[inst.state], Name: inst.state },
    StateTransitionReason: inst.stateChangedAt === undefined ? '' : `User initiated (${new Date(inst.stateChangedAt).toISOString().slice(0, 19).replace('T', ' ')} GMT)`,
    SubnetId: live ? subnetOf(inst) : undefined,
    VpcId: live ? VPC : undefined,
    Architecture: 'x86_64',
    BlockDeviceMappings: live ? [{ DeviceName: '/dev/xvda', Ebs: { AttachTime: cliTime(inst.launchedAt + 2000), DeleteOnTermination: true, Status: 'attached', VolumeId: `vol-0${stableHex(16, 'vol', inst.key)}` } }] : [],
    ClientToken: uuid('token', inst.key),
    EbsOptimized: true,
    EnaSupport: true,
    Hypervisor: 'xen',
    IamInstanceProfile: inst.ssm === null && inst.role === 'legacy' ? undefined : { Arn: profileArn(inst), Id: `AIPA${stableHex(17, 'aipa', inst.key).toUpperCase()}` },
    Ipv6Address: inst.ipv6,
    NetworkInterfaces: live ? [networkInterface(inst, ip, dns)] : [],
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    SecurityGroups: live ? [{ GroupName: `${inst.role}-${inst.env}`, GroupId: sgOf(inst) }] : [],
    SourceDestCheck: true,
    StateReason: inst.state === 'running' ? undefined
      : inst.state === 'stopped' ? { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' }
        : { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' },
    Tags: tagList(inst),
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: { State: 'applied', HttpTokens: inst.role === 'legacy' ? 'optional' : 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', HttpProtocolIpv6: inst.ipv6 ? 'enabled' : 'disabled', InstanceMetadataTags: 'disabled' },
    EnclaveOptions: { Enabled: false },
    BootMode: 'uefi-preferred',
    PlatformDetails: PLATFORMS[inst.platform].details,
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: cliTime(inst.launchedAt),
    PrivateDnsNameOptions: { HostnameType: inst.ipv6Only ? 'resource-name' : 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: Boolean(inst.ipv6) },
    MaintenanceOptions: { AutoRecovery: 'default' },
    CurrentInstanceBootMode: 'legacy-bios',
  };
  return dropUndefined(out);
}

function networkInterface(inst: DemoInstance, ip: string | null, dns: string): Json {
  return dropUndefined({
    Association: inst.publicIp && inst.state === 'running' ? { IpOwnerId: 'amazon', PublicDnsName: `ec2-${inst.publicIp.replaceAll('.', '-')}.compute-1.amazonaws.com`, PublicIp: inst.publicIp } : undefined,
    Attachment: { AttachTime: cliTime(inst.launchedAt), AttachmentId: `eni-attach-0${stableHex(16, 'attach', inst.key)}`, DeleteOnTermination: true, DeviceIndex: 0, Status: 'attached', NetworkCardIndex: 0 },
    Description: '',
    Groups: [{ GroupName: `${inst.role}-${inst.env}`, GroupId: sgOf(inst) }],
    Ipv6Addresses: inst.ipv6 ? [{ Ipv6Address: inst.ipv6, IsPrimaryIpv6: true }] : [],
    MacAddress: `0e:${stableHex(10, 'mac', inst.key).match(/../g)?.join(':')}`,
    NetworkInterfaceId: eniOf(inst),
    OwnerId: ACCOUNT_ID,
    PrivateDnsName: dns,
    PrivateIpAddress: ip ?? undefined,
    PrivateIpAddresses: ip === null ? [] : [{ Primary: true, PrivateDnsName: dns, PrivateIpAddress: ip }],
    SourceDestCheck: true,
    Status: 'in-use',
    SubnetId: subnetOf(inst),
    VpcId: VPC,
    InterfaceType: 'interface',
    Operator: { Managed: false },
  });
}

/** The whole `aws ec2 describe-instances` output. Instances launched together share a reservation. */
export function describeInstances(fleet: readonly DemoInstance[]): Json {
  const reservations: Json[] = [];
  const byLaunch = new Map<string, DemoInstance[]>();
  for (const inst of fleet) {
    // api-1 and api-2 were launched by one RunInstances call (four seconds apart is the same batch).
    const k = inst.key === 'api-2' ? 'api-1' : inst.key;
    const list = byLaunch.get(k) ?? [];
    list.push(inst);
    byLaunch.set(k, list);
  }
  for (const [k, list] of byLaunch) {
    reservations.push({
      Groups: [],
      Instances: list.map(ec2Instance),
      OwnerId: ACCOUNT_ID,
      ReservationId: `r-0${stableHex(16, 'reservation', k)}`,
    });
  }
  return { Reservations: reservations };
}

// ---------------------------------------------------------------------------------------------
// Inspector2 ListFindings

/** The CVEs applicable to an instance (platform and role), before hygiene. */
export function applicableCves(inst: Pick<DemoInstance, 'platform' | 'role'>, catalog: readonly DemoCve[] = ALL_DEMO_CVES): DemoCve[] {
  return catalog.filter((c) => c.on[inst.platform] !== undefined && (c.roles === undefined || c.roles.includes(inst.role)));
}

/** The CVEs reported on an instance: applicable ones, thinned by its hygiene, or its explicit list. */
export function cvesOf(inst: DemoInstance): DemoCve[] {
  const applicable = applicableCves(inst);
  if (inst.only) return applicable.filter((c) => inst.only?.includes(c.id));
  const rng = Prng.of('cves', inst.key);
  // The draw happens for every CVE, so forcing one in does not shift the others.
  return applicable.filter((c) => rng.chance(inst.hygiene) || inst.suppressed?.includes(c.id) || inst.closed?.includes(c.id));
}

function installedOn(platform: PlatformFamily, key: string): InstalledPackage {
  const p = INSTALLED[platform][key];
  if (p === undefined) throw new Error(`demo catalog: no installed ${key} on ${platform}`);
  return p;
}

function remediationCommand(platform: PlatformFamily, p: InstalledPackage, fix: string | null): string {
  if (fix === null) return 'None Provided';
  if (p.manager === 'JAR') return `Upgrade ${p.name} to ${fix}`;
  return platform === 'UBUNTU2204' ? `apt-get install --only-upgrade ${p.name}` : `yum update ${p.name}`;
}

function vulnerablePackage(platform: PlatformFamily, a: AffectedPackage, noFix: boolean): Json {
  const p = installedOn(platform, a.pkg);
  const fix = noFix ? null : a.fixed;
  return dropUndefined({
    arch: p.manager === 'OS' ? 'X86_64' : undefined,
    epoch: p.epoch,
    filePath: p.filePath,
    fixedInVersion: fix ?? 'NotAvailable',
    name: p.name,
    packageManager: p.manager,
    release: p.release,
    remediation: remediationCommand(platform, p, fix),
    version: p.version,
  });
}

function findingTitle(id: string, names: readonly string[]): string {
  if (names.length <= 1) return `${id} - ${names[0] ?? ''}`;
  if (names.length === 2) return `${id} - ${names[0]}, ${names[1]}`;
  return `${id} - ${names[0]}, ${names[1]} and ${names.length - 2} more`;
}

/** The resources[] entry Inspector2 attaches to a finding on an EC2 instance. */
export function ec2Resource(inst: DemoInstance): Json {
  const ip = privateIp(inst);
  return {
    details: {
      awsEc2Instance: dropUndefined({
        iamInstanceProfileArn: profileArn(inst),
        imageId: PLATFORMS[inst.platform].ami,
        ipV4Addresses: [ip, inst.publicIp].filter((x): x is string => typeof x === 'string'),
        ipV6Addresses: inst.ipv6 ? [inst.ipv6] : [],
        keyName: inst.role === 'bastion' || inst.role === 'legacy' ? 'ops-2021' : undefined,
        launchedAt: cliTimeMicros(inst.launchedAt),
        platform: PLATFORMS[inst.platform].inspector,
        subnetId: subnetOf(inst),
        type: inst.instanceType,
        vpcId: VPC,
      }),
    },
    id: instanceId(inst.key),
    partition: 'aws',
    region: REGION,
    tags: tagMap(inst),
    type: 'AWS_EC2_INSTANCE',
  };
}

/** Options of one package finding, so the synthetic benchmark generator can reuse the builder. */
export interface FindingOptions {
  readonly status: 'ACTIVE' | 'SUPPRESSED' | 'CLOSED';
  readonly noFix: boolean;
  readonly firstObservedAt: number;
  readonly lastObservedAt: number;
  /** Distinguishes findings when one instance is given the same CVE more than once (benchmark only). */
  readonly serial?: number;
}

/** One PACKAGE_VULNERABILITY finding in ListFindings shape. */
export function packageFinding(inst: DemoInstance, resource: Json, cve: DemoCve, opts: FindingOptions): Json {
  const affected = cve.on[inst.platform] ?? [];
  const packages = affected.map((a) => vulnerablePackage(inst.platform, a, opts.noFix));
  const names = affected.map((a) => installedOn(inst.platform, a.pkg).name);
  const id = instanceId(inst.key);
  const arnId = stableHex(32, 'finding', id, cve.id, opts.serial ?? 0);
  const severity = severityOf(cve.score);
  const f: Json = {
    awsAccountId: ACCOUNT_ID,
    description: cve.description,
    epss: { score: cve.epss },
    exploitAvailable: cve.exploitAvailable ? 'YES' : 'NO',
    exploitabilityDetails: cve.kev ? { lastKnownExploitAt: cliTimeMicros(lastKnownExploit(cve)) } : undefined,
    findingArn: `arn:aws:inspector2:${REGION}:${ACCOUNT_ID}:finding/${arnId}`,
    firstObservedAt: cliTimeMicros(opts.firstObservedAt),
    fixAvailable: opts.noFix ? 'NO' : 'YES',
    inspectorScore: cve.score,
    inspectorScoreDetails: {
      adjustedCvss: { adjustments: [], cvssSource: 'NVD', score: cve.score, scoreSource: 'NVD', scoringVector: cve.vector, version: '3.1' },
    },
    lastObservedAt: cliTimeMicros(opts.lastObservedAt),
    packageVulnerabilityDetails: {
      cvss: [{ baseScore: cve.score, scoringVector: cve.vector, source: 'NVD', version: '3.1' }],
      referenceUrls: cve.references,
      relatedVulnerabilities: [],
      source: 'NVD',
      sourceUrl: `https://nvd.nist.gov/vuln/detail/${cve.id}`,
      vendorSeverity: severity,
      vulnerabilityId: cve.id,
      vulnerablePackages: packages,
    },
    remediation: { recommendation: { text: 'None Provided' } },
    resources: [resource],
    severity,
    status: opts.status,
    title: findingTitle(cve.id, names),
    type: 'PACKAGE_VULNERABILITY',
    updatedAt: cliTimeMicros(opts.lastObservedAt),
  };
  return dropUndefined(f);
}

// Inspector2 reports the last time exploitation was seen in the wild; for KEV-listed CVEs that is
// a recent date (exploitation continues), drawn per CVE so every instance agrees.
function lastKnownExploit(cve: DemoCve): number {
  return CAPTURED_AT - Prng.of('exploit', cve.id).int(3, 60) * DAY - Prng.of('exploit-h', cve.id).int(0, 23) * HOUR;
}

/** A NETWORK_REACHABILITY finding: a port open to the internet through the path Inspector2 walked. */
export function reachabilityFinding(inst: DemoInstance, port: { begin: number; end: number; protocol: string }): Json {
  const id = instanceId(inst.key);
  const range = port.begin === port.end ? `${port.begin}` : `${port.begin} - ${port.end}`;
  const first = Math.max(inst.launchedAt, CAPTURED_AT - 41 * DAY) + 7 * HOUR;
  const last = CAPTURED_AT - 5 * HOUR;
  return {
    awsAccountId: ACCOUNT_ID,
    description: `On the instance ${id}, the port range ${port.begin} to ${port.end} is reachable from the InternetGateway from an attached ENI ${eniOf(inst)}.`,
    findingArn: `arn:aws:inspector2:${REGION}:${ACCOUNT_ID}:finding/${stableHex(32, 'reach', id, port.begin, port.protocol)}`,
    firstObservedAt: cliTimeMicros(first),
    lastObservedAt: cliTimeMicros(last),
    networkReachabilityDetails: {
      networkPath: {
        steps: [
          { componentId: 'igw-0a1b2c3d4e5f60718', componentType: 'AWS::EC2::InternetGateway' },
          { componentId: 'acl-0b2c3d4e5f6071829', componentType: 'AWS::EC2::NetworkAcl' },
          { componentId: sgOf(inst), componentType: 'AWS::EC2::SecurityGroup' },
          { componentId: eniOf(inst), componentType: 'AWS::EC2::NetworkInterface' },
        ],
      },
      openPortRange: { begin: port.begin, end: port.end },
      protocol: port.protocol,
    },
    remediation: { recommendation: { text: 'You can restrict access to your instance by modifying the Security Groups or ACLs in the network path.' } },
    resources: [ec2Resource(inst)],
    severity: 'MEDIUM',
    status: 'ACTIVE',
    title: `Port ${range} is reachable from an Internet Gateway - ${port.protocol}`,
    type: 'NETWORK_REACHABILITY',
    updatedAt: cliTimeMicros(last),
  };
}

/** Every finding of one demo instance (package findings, then reachability). */
export function findingsOf(inst: DemoInstance): Json[] {
  const rng = Prng.of('observed', inst.key);
  const resource = ec2Resource(inst);
  const out: Json[] = [];
  const end = inst.stateChangedAt ?? CAPTURED_AT;
  for (const cve of cvesOf(inst)) {
    // First seen in the last ~90 days, never before the instance existed, skewed recent the way a
    // team that keeps up looks: most findings are days old (their due dates still ahead, so the
    // plan shows quiet windows), a backlog is weeks old (overdue).
    const ageDays = rng.chance(0.6) ? rng.int(1, 10) : rng.chance(0.7) ? rng.int(10, 30) : rng.int(30, 92);
    const first = Math.max(inst.launchedAt + rng.int(1, 6) * HOUR, CAPTURED_AT - ageDays * DAY - rng.int(0, 23) * HOUR) + rng.int(0, 3_599_000);
    const last = Math.max(first, end - rng.int(1, 20) * HOUR - rng.int(0, 3_599_000));
    const status = inst.state === 'terminated' || inst.closed?.includes(cve.id) ? 'CLOSED' : inst.suppressed?.includes(cve.id) ? 'SUPPRESSED' : 'ACTIVE';
    out.push(packageFinding(inst, resource, cve, { status, noFix: inst.noFix?.includes(cve.id) ?? false, firstObservedAt: first, lastObservedAt: last }));
  }
  if (inst.state === 'running') for (const port of inst.openPorts ?? []) out.push(reachabilityFinding(inst, port));
  return out;
}

/**
 * Findings on resources this tool does not assess (an ECR image, a Lambda function): a real
 * ListFindings output has them, and the snapshot source must skip them.
 */
export function foreignFindings(): Json[] {
  const log4j = ALL_DEMO_CVES.find((c) => c.id === 'CVE-2021-44228');
  const curl = ALL_DEMO_CVES.find((c) => c.id === 'CVE-2023-38545');
  if (!log4j || !curl) throw new Error('demo catalog lost its anchors');
  const image = `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/storefront/sha256:${stableHex(64, 'image')}`;
  const fn = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:thumbnailer:$LATEST`;
  const base = (cve: DemoCve, resource: Json, key: string): Json => ({
    awsAccountId: ACCOUNT_ID,
    description: cve.description,
    epss: { score: cve.epss },
    exploitAvailable: cve.exploitAvailable ? 'YES' : 'NO',
    findingArn: `arn:aws:inspector2:${REGION}:${ACCOUNT_ID}:finding/${stableHex(32, 'foreign', key)}`,
    firstObservedAt: cliTimeMicros(CAPTURED_AT - 12 * DAY),
    fixAvailable: 'YES',
    inspectorScore: cve.score,
    lastObservedAt: cliTimeMicros(CAPTURED_AT - 3 * HOUR),
    packageVulnerabilityDetails: { cvss: [{ baseScore: cve.score, scoringVector: cve.vector, source: 'NVD', version: '3.1' }], source: 'NVD', vulnerabilityId: cve.id, vulnerablePackages: [] },
    resources: [resource],
    severity: severityOf(cve.score),
    status: 'ACTIVE',
    title: `${cve.id} - ${key}`,
    type: 'PACKAGE_VULNERABILITY',
    updatedAt: cliTimeMicros(CAPTURED_AT - 3 * HOUR),
  });
  return [
    base(log4j, { details: { awsEcrContainerImage: { architecture: 'amd64', imageHash: image.split('/').pop(), registry: ACCOUNT_ID, repositoryName: 'storefront' } }, id: image, partition: 'aws', region: REGION, type: 'AWS_ECR_CONTAINER_IMAGE' }, 'log4j-core'),
    base(curl, { details: { awsLambdaFunction: { functionName: 'thumbnailer', runtime: 'PYTHON_3_12', version: '$LATEST' } }, id: fn, partition: 'aws', region: REGION, type: 'AWS_LAMBDA_FUNCTION' }, 'curl'),
  ];
}

// ---------------------------------------------------------------------------------------------
// SSM

/** One `InstanceInformationList[]` entry, or null when SSM does not manage the instance. */
export function instanceInformation(inst: DemoInstance): Json | null {
  if (inst.ssm === null || inst.state === 'terminated') return null;
  const id = instanceId(inst.key);
  const lastPing = inst.ssm === 'Online' ? CAPTURED_AT - Prng.of('ping', inst.key).int(20, 290) * 1000
    : inst.stateChangedAt ?? CAPTURED_AT - 14 * HOUR - 7 * 60_000;
  const p = PLATFORMS[inst.platform];
  return dropUndefined({
    InstanceId: id,
    PingStatus: inst.ssm,
    LastPingDateTime: cliTime(lastPing),
    AgentVersion: inst.platform === 'AL2' ? '3.2.2222.0' : '3.3.1142.0',
    IsLatestVersion: inst.platform !== 'AL2',
    PlatformType: 'Linux',
    PlatformName: p.ssmName,
    PlatformVersion: p.ssmVersion,
    ResourceType: 'EC2Instance',
    IPAddress: privateIp(inst) ?? inst.ipv6,
    ComputerName: privateIp(inst) === null ? `${id}.ec2.internal` : `ip-${privateIp(inst)?.replaceAll('.', '-')}.ec2.internal`,
    AssociationStatus: 'Success',
    LastAssociationExecutionDate: cliTime(lastPing - 3 * HOUR),
    LastSuccessfulAssociationExecutionDate: cliTime(lastPing - 3 * HOUR),
    SourceId: id,
    SourceType: 'AWS::EC2::Instance',
  });
}

/**
 * One `InstancePatchStates[]` entry. Missing counts follow the instance's open package findings
 * (distinct OS packages with a fix), so the two sources tell one story.
 */
export function patchState(inst: DemoInstance, findings: readonly Json[]): Json | null {
  if (inst.ssm === null || inst.state === 'terminated') return null;
  const id = instanceId(inst.key);
  const missing = new Set<string>();
  const critical = new Set<string>();
  for (const f of findings) {
    if (f.status !== 'ACTIVE' || f.type !== 'PACKAGE_VULNERABILITY') continue;
    const pvd = f.packageVulnerabilityDetails as { vulnerablePackages: { name: string; packageManager: string; fixedInVersion: string }[] };
    for (const p of pvd.vulnerablePackages) {
      if (p.packageManager !== 'OS' || p.fixedInVersion === 'NotAvailable') continue;
      missing.add(p.name);
      if (f.severity === 'CRITICAL' || f.severity === 'HIGH') critical.add(p.name);
    }
  }
  const rng = Prng.of('patch', inst.key);
  const failed = inst.patch.failed ?? 0;
  const pending = inst.patch.pendingReboot ?? 0;
  const operation = inst.patch.operation ?? 'Scan';
  const end = (inst.stateChangedAt ?? CAPTURED_AT) - (inst.patch.daysSinceScan ?? 0) * DAY - rng.int(2, 20) * HOUR;
  return {
    InstanceId: id,
    PatchGroup: inst.tags['Patch Group'] ?? '',
    BaselineId: `pb-0${stableHex(16, 'baseline', inst.platform)}`,
    SnapshotId: uuid('snapshot', inst.key),
    OwnerInformation: '',
    InstalledCount: rng.int(380, 720),
    InstalledOtherCount: rng.int(0, 12),
    InstalledPendingRebootCount: pending,
    InstalledRejectedCount: 0,
    MissingCount: missing.size,
    FailedCount: failed,
    UnreportedNotApplicableCount: 0,
    NotApplicableCount: rng.int(900, 1500),
    OperationStartTime: cliTime(end - rng.int(2, 14) * 60_000),
    OperationEndTime: cliTime(end),
    Operation: operation,
    RebootOption: operation === 'Install' ? 'RebootIfNeeded' : 'NoReboot',
    CriticalNonCompliantCount: critical.size,
    SecurityNonCompliantCount: missing.size,
    OtherNonCompliantCount: rng.int(0, 6),
  };
}

// ---------------------------------------------------------------------------------------------
// CloudWatch GetMetricData

/** Hourly series over the 14 days before capture (or before the instance stopped). */
export function metricData(inst: DemoInstance): Json | null {
  if (inst.state === 'terminated') return null;
  const end = Math.floor((inst.stateChangedAt ?? CAPTURED_AT) / HOUR) * HOUR;
  const start = Math.max(CAPTURED_AT - 14 * DAY, Math.ceil(inst.launchedAt / HOUR) * HOUR);
  const rng = Prng.of('cpu', inst.key);
  const net = Prng.of('net', inst.key);
  const ts: string[] = [];
  const cpu: number[] = [];
  const netIn: number[] = [];
  const netOut: number[] = [];
  const status: number[] = [];
  const spikes = new Map((inst.cpuSpikes ?? []).map((s) => [CAPTURED_AT - s.hoursAgo * HOUR, s.value]));
  const failedAt = new Set((inst.statusCheckFailedHoursAgo ?? []).map((h) => CAPTURED_AT - h * HOUR));
  // CloudWatch returns newest first unless asked otherwise: so does the capture.
  for (let t = end - HOUR; t >= start; t -= HOUR) {
    let v = spikes.get(t) ?? cpuAt(inst, t, rng);
    v = Math.round(v * 100) / 100;
    ts.push(cliTime(t));
    cpu.push(v);
    const traffic = inst.role === 'web' ? 2.4e7 : inst.role === 'api' ? 1.1e7 : inst.role === 'db' ? 8e6 : 1.5e6;
    netIn.push(Math.round(v * traffic * (0.9 + 0.2 * net.next())));
    netOut.push(Math.round(v * traffic * (inst.role === 'web' ? 2.6 : 1.3) * (0.9 + 0.2 * net.next())));
    status.push(failedAt.has(t) ? 1 : 0);
  }
  const result = (Id: string, Label: string, Values: number[]): Json => ({ Id, Label, Timestamps: ts, Values, StatusCode: 'Complete' });
  return {
    MetricDataResults: [
      result('cpu', 'CPUUtilization', cpu),
      result('networkIn', 'NetworkIn', netIn),
      result('networkOut', 'NetworkOut', netOut),
      result('statusCheckFailed', 'StatusCheckFailed', status),
    ],
    Messages: [],
  };
}

// Busy in the (UTC) afternoon, quiet at night, quieter at weekends, and quietest on Sunday
// 02:00-05:00 UTC: the window the planner should find.
function cpuAt(inst: DemoInstance, t: number, rng: Prng): number {
  const d = new Date(t);
  const hour = d.getUTCHours();
  const day = d.getUTCDay();
  const { base, diurnal, noise, bursts } = inst.cpu;
  const shape = 0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - 15)) / 24);
  let v = base * (1 - diurnal + diurnal * shape);
  if (day === 0 || day === 6) v *= 0.72;
  if (day === 0 && hour >= 2 && hour < 5) v *= 0.15;
  v += rng.normal() * base * noise;
  if (bursts !== undefined && day !== 0 && rng.chance(bursts)) v += rng.range(35, 70);
  return Math.min(100, Math.max(0.2, v));
}

// ---------------------------------------------------------------------------------------------
// CloudTrail LookupEvents

interface Actor {
  readonly type: 'IAMUser' | 'AssumedRole' | 'Root' | 'AWSService';
  readonly name: string;
  readonly arn: string;
  readonly ip: string;
  readonly agent: string;
  readonly accessKey: string;
  readonly invokedBy?: string;
}

const CLI_AGENT = 'aws-cli/2.17.42 md/awscrt#0.21.2 ua/2.0 os/linux#6.8.0-45-generic md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#';
const ACTORS = {
  alice: { type: 'IAMUser', name: 'alice', arn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`, ip: '203.0.113.24', agent: `${CLI_AGENT}ec2`, accessKey: 'AKIAIOSFODNN7ALICE01' },
  bob: { type: 'IAMUser', name: 'bob', arn: `arn:aws:iam::${ACCOUNT_ID}:user/bob`, ip: '203.0.113.57', agent: 'AWS Internal', accessKey: 'ASIAIOSFODNN7BOB0001' },
  intern: { type: 'IAMUser', name: 'intern', arn: `arn:aws:iam::${ACCOUNT_ID}:user/intern`, ip: '203.0.113.80', agent: 'aws-cli/2.17.42 md/command#ssm.start-session', accessKey: 'AKIAIOSFODNN7INTERN1' },
  backup: { type: 'IAMUser', name: 'svc-legacy-backup', arn: `arn:aws:iam::${ACCOUNT_ID}:user/svc-legacy-backup`, ip: UNUSUAL_IP, agent: 'Boto3/1.9.253 Python/2.7.18 Linux/3.10.0 Botocore/1.12.253', accessKey: 'AKIAIOSFODNN7BACKUP1' },
  root: { type: 'Root', name: 'root', arn: `arn:aws:iam::${ACCOUNT_ID}:root`, ip: '203.0.113.24', agent: 'AWS Internal', accessKey: 'ASIAIOSFODNN7ROOT001' },
  deployer: { type: 'AssumedRole', name: 'ci-deployer', arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/ci-deployer/gha-run-8812`, ip: '203.0.113.9', agent: 'aws-sdk-js/3.645.0 ua/2.0 os/linux#6.5.0 lang/js md/nodejs#20.17.0 api/ec2#3.645.0', accessKey: 'ASIAIOSFODNN7DEPLOY1' },
  sso: { type: 'AssumedRole', name: 'AWSReservedSSO_PowerUserAccess_4f1c2b/carol', arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/AWSReservedSSO_PowerUserAccess_4f1c2b/carol`, ip: '203.0.113.31', agent: 'aws-cli/2.17.42 md/command#ssm.start-session', accessKey: 'ASIAIOSFODNN7CAROL01' },
  patcher: { type: 'AssumedRole', name: 'PatchAutomationRole/maintenance-window', arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/PatchAutomationRole/maintenance-window`, ip: 'ssm.amazonaws.com', agent: 'ssm.amazonaws.com', accessKey: 'ASIAIOSFODNN7PATCH01', invokedBy: 'ssm.amazonaws.com' },
} as const satisfies Record<string, Actor>;

interface TrailEvent {
  readonly name: string;
  readonly source: 'ec2.amazonaws.com' | 'ssm.amazonaws.com';
  readonly at: number;
  readonly actor: Actor;
  readonly readOnly: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  readonly request?: Json;
}

/** The `aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=<id>` output. */
export function lookupEvents(inst: DemoInstance): Json | null {
  const events = trailOf(inst);
  if (events.length === 0) return null;
  events.sort((a, b) => b.at - a.at);
  return { Events: events.map((e, i) => lookupEvent(inst, e, i)) };
}

function lookupEvent(inst: DemoInstance, e: TrailEvent, i: number): Json {
  const id = instanceId(inst.key);
  const eventId = uuid('event', inst.key, e.name, i, e.at);
  const identity: Json = dropUndefined({
    type: e.actor.type,
    principalId: e.actor.type === 'Root' ? ACCOUNT_ID : e.actor.type === 'IAMUser' ? `AIDA${stableHex(17, 'pid', e.actor.name).toUpperCase()}` : `AROA${stableHex(17, 'pid', e.actor.name).toUpperCase()}:${e.actor.name.split('/').pop()}`,
    arn: e.actor.arn,
    accountId: ACCOUNT_ID,
    accessKeyId: e.actor.accessKey,
    userName: e.actor.type === 'IAMUser' ? e.actor.name : undefined,
    invokedBy: e.actor.invokedBy,
  });
  const detail: Json = dropUndefined({
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: new Date(e.at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: e.source,
    eventName: e.name,
    awsRegion: REGION,
    sourceIPAddress: e.actor.ip,
    userAgent: e.actor.agent,
    errorCode: e.error?.code,
    errorMessage: e.error?.message,
    requestParameters: e.request ?? { instancesSet: { items: [{ instanceId: id }] } },
    responseElements: e.error ? null : e.readOnly ? null : { requestId: uuid('req', eventId), _return: true },
    requestID: uuid('req', eventId),
    eventID: eventId,
    readOnly: e.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT_ID,
    eventCategory: 'Management',
    tlsDetails: e.actor.ip.endsWith('amazonaws.com') ? undefined : { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${e.source.split('.')[0]}.${REGION}.amazonaws.com` },
  });
  return {
    EventId: eventId,
    EventName: e.name,
    ReadOnly: String(e.readOnly),
    AccessKeyId: e.actor.accessKey,
    EventTime: cliTime(e.at),
    EventSource: e.source,
    Username: e.actor.type === 'AssumedRole' ? e.actor.name.split('/').pop() : e.actor.name,
    Resources: [{ ResourceType: 'AWS::EC2::Instance', ResourceName: id }],
    CloudTrailEvent: JSON.stringify(detail),
  };
}

// Ordinary activity (tags, sessions, patch runs, console output) with a few events that should be
// flagged: a root call, security-relevant changes, an authorisation failure, a call from an
// address outside the office range.
function trailOf(inst: DemoInstance): TrailEvent[] {
  if (inst.state === 'terminated' && inst.key !== 'api-canary') return [];
  const rng = Prng.of('trail', inst.key);
  const id = instanceId(inst.key);
  const end = inst.stateChangedAt ?? CAPTURED_AT;
  const when = (daysAgoMax: number): number => end - rng.int(1, daysAgoMax * 24) * HOUR - rng.int(0, 3_599) * 1000;
  const out: TrailEvent[] = [];
  const live = inst.state !== 'terminated';
  if (inst.ssm !== null && live) {
    for (let w = 0; w < 2; w++) {
      out.push({
        name: 'SendCommand', source: 'ssm.amazonaws.com', at: when(13), actor: ACTORS.patcher, readOnly: false,
        request: { documentName: 'AWS-RunPatchBaseline', instanceIds: [id], parameters: { Operation: ['Scan'] }, maxConcurrency: '10%', maxErrors: '1' },
      });
    }
    out.push({ name: 'StartSession', source: 'ssm.amazonaws.com', at: when(10), actor: ACTORS.sso, readOnly: false, request: { target: id } });
  }
  out.push({ name: 'CreateTags', source: 'ec2.amazonaws.com', at: when(14), actor: ACTORS.alice, readOnly: false, request: { resourcesSet: { items: [{ resourceId: id }] }, tagSet: { items: [{ key: 'Team', value: String(inst.tags.Team ?? 'ops') }] } } });
  if (rng.chance(0.6)) out.push({ name: 'GetConsoleOutput', source: 'ec2.amazonaws.com', at: when(12), actor: ACTORS.alice, readOnly: true, request: { instanceId: id } });
  if (rng.chance(0.5)) out.push({ name: 'DescribeInstanceAttribute', source: 'ec2.amazonaws.com', at: when(12), actor: ACTORS.bob, readOnly: true, request: { instanceId: id, attribute: 'instanceType' } });

  switch (inst.key) {
    case 'legacy-reports': {
      const stop = end - 5 * DAY - 6 * HOUR - 1_337_000;
      out.push({ name: 'StopInstances', source: 'ec2.amazonaws.com', at: stop, actor: ACTORS.root, readOnly: false, request: { instancesSet: { items: [{ instanceId: id }] }, force: false } });
      out.push({ name: 'StartInstances', source: 'ec2.amazonaws.com', at: stop + 47 * 60_000, actor: ACTORS.root, readOnly: false });
      break;
    }
    case 'db-primary':
      out.push({ name: 'ModifyInstanceAttribute', source: 'ec2.amazonaws.com', at: end - 2 * DAY - 9 * HOUR - 812_000, actor: ACTORS.alice, readOnly: false, request: { instanceId: id, disableApiTermination: { value: false } } });
      break;
    case 'bastion':
      out.push({
        name: 'AuthorizeSecurityGroupIngress', source: 'ec2.amazonaws.com', at: end - 3 * DAY - 2 * HOUR - 405_000, actor: ACTORS.bob, readOnly: false,
        request: { groupId: sgOf(inst), ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
      });
      break;
    case 'api-1':
      out.push({
        name: 'TerminateInstances', source: 'ec2.amazonaws.com', at: end - 1 * DAY - 4 * HOUR - 99_000, actor: ACTORS.deployer, readOnly: false,
        error: { code: 'Client.UnauthorizedOperation', message: 'You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/ci-deployer/gha-run-8812 is not authorized to perform: ec2:TerminateInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/' + id + ' because no identity-based policy allows the ec2:TerminateInstances action.' },
      });
      break;
    case 'web-2':
      out.push({
        name: 'StartSession', source: 'ssm.amazonaws.com', at: end - 6 * DAY - 1 * HOUR - 2_017_000, actor: ACTORS.intern, readOnly: false, request: { target: id },
        error: { code: 'AccessDenied', message: `User: arn:aws:iam::${ACCOUNT_ID}:user/intern is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:${REGION}:${ACCOUNT_ID}:instance/${id} because no identity-based policy allows the ssm:StartSession action` },
      });
      break;
    case 'web-staging-1':
      out.push({ name: 'DescribeInstanceAttribute', source: 'ec2.amazonaws.com', at: end - 4 * DAY - 3 * HOUR - 1_234_000, actor: ACTORS.backup, readOnly: true, request: { instanceId: id, attribute: 'userData' } });
      break;
    case 'build-old':
      out.push({ name: 'StopInstances', source: 'ec2.amazonaws.com', at: end - 9_000, actor: ACTORS.bob, readOnly: false, request: { instancesSet: { items: [{ instanceId: id }] }, force: false } });
      break;
    case 'api-canary':
      out.push({ name: 'RunInstances', source: 'ec2.amazonaws.com', at: inst.launchedAt - 4_000, actor: ACTORS.deployer, readOnly: false, request: { instanceType: inst.instanceType, minCount: 1, maxCount: 1 } });
      out.push({ name: 'TerminateInstances', source: 'ec2.amazonaws.com', at: end - 2_000, actor: ACTORS.alice, readOnly: false });
      break;
    default:
      break;
  }
  return out.filter((e) => e.at >= CAPTURED_AT - 14 * DAY && e.at <= end && (live || e.at >= inst.launchedAt - 10_000));
}

// ---------------------------------------------------------------------------------------------
// CISA KEV and the manifest

/** The KEV feed restricted to the given CVEs, in the feed's own format (newest additions first). */
export function kevCatalog(entries: ReadonlyMap<string, KevFacts>, catalogVersion: string, dateReleased: string): Json {
  const list = [...entries].sort(([a, x], [b, y]) => (x.dateAdded === y.dateAdded ? (a < b ? 1 : -1) : x.dateAdded < y.dateAdded ? 1 : -1));
  return {
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion,
    dateReleased,
    count: list.length,
    vulnerabilities: list.map(([cveID, k]) => ({
      cveID,
      vendorProject: k.vendorProject,
      product: k.product,
      vulnerabilityName: k.vulnerabilityName,
      dateAdded: k.dateAdded,
      shortDescription: k.shortDescription,
      requiredAction: k.requiredAction,
      dueDate: k.dueDate,
      knownRansomwareCampaignUse: k.knownRansomwareCampaignUse,
      notes: k.notes,
      cwes: k.cwes,
    })),
  };
}

/** JSON.stringify drops undefined members anyway; this keeps builder objects tidy to inspect. */
function dropUndefined<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
