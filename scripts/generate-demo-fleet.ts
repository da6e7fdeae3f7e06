/**
 * Writes the demo fleet (examples/demo-fleet/) in exactly the snapshot format, deterministically:
 * the same bytes on every run, so the checked-in folder can be compared with a fresh run.
 *
 *   node dist/scripts/generate-demo-fleet.js [OUT_DIR]
 *   node dist/scripts/generate-demo-fleet.js --synthetic INSTANCES FINDINGS OUT_DIR
 *
 * The second form writes a large synthetic snapshot (same builders, compact JSON, streamed) for
 * the benchmark; generateSyntheticSnapshot() does the same for code.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DemoCve, KevFacts, PlatformFamily, Role } from './demo-cves.js';
import { kevListed } from './demo-cves.js';
import type { DemoInstance, EnvName } from './demo-fleet-model.js';
import { ACCOUNT_ID, CAPTURED_AT, DAY, DEMO_FLEET, HOUR, REGION, instanceId } from './demo-fleet-model.js';
import {
  applicableCves, cliTime, describeInstances, ec2Resource, findingsOf, foreignFindings, instanceInformation, kevCatalog,
  lookupEvents, metricData, packageFinding, patchState,
} from './demo-fleet-shapes.js';
import { Prng } from './prng.js';
import { SNAPSHOT_FILES } from '../adapters/outbound/aws-shapes/snapshot-files.js';

const FILES = { ...SNAPSHOT_FILES, readme: 'README.md' } as const;

const KEV_VERSION = '2026.11.20';
const KEV_RELEASED = '2026-11-20T10:00:00.0000Z';

type Json = Record<string, unknown>;

/** What was written, for the caller's log line. */
export interface GenerateSummary {
  readonly dir: string;
  readonly instances: number;
  readonly findings: number;
  readonly files: number;
  readonly bytes: number;
}

/** The repository root: the nearest folder above this file whose package.json is this project's. */
export function repoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sre-ops-assistant') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no sre-ops-assistant package.json above ${from}`);
    dir = up;
  }
}

/** The default output folder of the demo fleet. */
export function demoFleetDir(): string {
  return join(repoRoot(), 'examples', 'demo-fleet');
}

// Only the files this generator owns are removed, so a mistyped output folder loses nothing else.
async function clean(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of [FILES.instances, FILES.findings, FILES.instanceInformation, FILES.patchStates, FILES.kev, FILES.manifest, FILES.readme]) {
    await rm(join(dir, f), { force: true });
  }
  await rm(join(dir, FILES.metricsDir), { recursive: true, force: true });
  await rm(join(dir, FILES.activityDir), { recursive: true, force: true });
}

class Writer {
  files = 0;
  bytes = 0;
  constructor(private readonly dir: string) {}

  async json(name: string, value: unknown): Promise<void> {
    await this.text(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  async text(name: string, text: string): Promise<void> {
    const path = join(this.dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    this.files++;
    this.bytes += Buffer.byteLength(text);
  }
}

/**
 * Writes the demo fleet into `outDir` (default examples/demo-fleet/ of this repository).
 * Deterministic: no clock, no Math.random; two runs write identical bytes.
 */
export async function generateDemoFleet(outDir: string = demoFleetDir()): Promise<GenerateSummary> {
  const dir = resolve(outDir);
  await clean(dir);
  const w = new Writer(dir);

  const findingsByInstance = new Map<string, Json[]>();
  for (const inst of DEMO_FLEET) findingsByInstance.set(inst.key, findingsOf(inst));
  const all: Json[] = [];
  const foreign = foreignFindings();
  DEMO_FLEET.forEach((inst, i) => {
    all.push(...(findingsByInstance.get(inst.key) ?? []));
    // Inspector2 lists resource types interleaved; the snapshot source must skip the non-EC2 ones.
    if (i === 2 || i === 9) {
      const f = foreign.shift();
      if (f) all.push(f);
    }
  });

  const kev = new Map<string, KevFacts>();
  const listed = kevListed();
  for (const f of all) {
    const id = (f.packageVulnerabilityDetails as { vulnerabilityId?: string } | undefined)?.vulnerabilityId;
    const facts = id === undefined ? undefined : listed.get(id);
    if (id !== undefined && facts !== undefined && isEc2(f)) kev.set(id, facts);
  }

  await w.json(FILES.instances, describeInstances(DEMO_FLEET));
  await w.json(FILES.findings, { findings: all });
  await w.json(FILES.instanceInformation, { InstanceInformationList: DEMO_FLEET.map(instanceInformation).filter(isJson) });
  await w.json(FILES.patchStates, { InstancePatchStates: DEMO_FLEET.map((i) => patchState(i, findingsByInstance.get(i.key) ?? [])).filter(isJson) });
  for (const inst of DEMO_FLEET) {
    const metrics = metricData(inst);
    if (metrics) await w.json(`${FILES.metricsDir}/${instanceId(inst.key)}.json`, metrics);
    const events = lookupEvents(inst);
    if (events) await w.json(`${FILES.activityDir}/${instanceId(inst.key)}.json`, events);
  }
  await w.json(FILES.kev, kevCatalog(kev, KEV_VERSION, KEV_RELEASED));
  await w.json(FILES.manifest, { capturedAt: cliTime(CAPTURED_AT), region: REGION, accountId: ACCOUNT_ID, description: 'demo fleet: synthetic data' });
  await w.text(FILES.readme, readme(all, kev));
  return { dir, instances: DEMO_FLEET.length, findings: all.length, files: w.files, bytes: w.bytes };
}

function isJson(x: Json | null): x is Json {
  return x !== null;
}

function isEc2(f: Json): boolean {
  return (f.resources as { type: string }[]).some((r) => r.type === 'AWS_EC2_INSTANCE');
}

function readme(all: readonly Json[], kev: ReadonlyMap<string, KevFacts>): string {
  const rows = DEMO_FLEET.map((inst) => {
    const mine = all.filter((f) => (f.resources as { id: string }[])[0]?.id === instanceId(inst.key));
    const active = mine.filter((f) => f.status === 'ACTIVE').length;
    const notes = [
      inst.tags['aws:autoscaling:groupName'] ? `ASG ${inst.tags['aws:autoscaling:groupName']}` : '',
      inst.publicIp ? `public ${inst.publicIp}` : '',
      inst.ipv6Only ? `IPv6-only ${inst.ipv6}` : '',
      inst.state === 'terminated' ? 'terminated before the capture: its findings are CLOSED'
        : inst.ssm === null ? 'not SSM-managed' : inst.ssm === 'ConnectionLost' ? 'SSM ConnectionLost' : '',
      inst.noFix?.length ? 'urgent findings have no fix' : '',
      inst.cpuSpikes?.length ? 'CPU anomaly' : '',
      inst.openPorts?.length ? 'ports open to the internet' : '',
    ].filter(Boolean).join('; ');
    const tags = Object.entries(inst.tags).filter(([k]) => !k.startsWith('aws:')).map(([k, v]) => `${k}=${v}`).join(', ');
    return `| ${inst.name} | \`${instanceId(inst.key)}\` | ${inst.state} | ${inst.platform} | ${tags} | ${active} | ${notes} |`;
  });
  return [
    '# Demo fleet',
    '',
    'A synthetic AWS account (123456789012, us-east-1) captured at 2026-11-20T12:00:00Z, in exactly the',
    'snapshot format (`--source snapshot:DIR`): AWS CLI JSON output, one file per API call.',
    'Generated by `scripts/generate-demo-fleet.ts` (`npm run demo:generate`); do not edit by hand.',
    '',
    '| Name | Instance | State | OS | Tags | Active findings | Notes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Findings: ${all.length} in \`${FILES.findings}\` (including two on an ECR image and a Lambda function, which`,
    'the snapshot source skips). CloudWatch: 14 days of hourly CPU, network and status checks per instance, with',
    'a quiet period every Sunday 02:00-05:00 UTC. CloudTrail: ordinary activity plus a root call, security-group',
    'and instance-attribute changes, authorisation failures and a call from outside the office range.',
    '',
    '## What is real and what is not',
    '',
    '- Real: the CVE ids, their affected packages, their NVD CVSS v3.1 vectors and scores, and their CISA KEV',
    `  status; \`${FILES.kev}\` holds the ${kev.size} KEV entries of the CVEs present here, with CISA's own fields.`,
    '- Synthetic: instance ids, addresses (documentation ranges), people, distribution release strings of',
    '  installed and fixed packages (plausible, within the upstream affected ranges), EPSS scores (illustrative',
    '  magnitudes), which instance carries which CVE, and all metrics and events.',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The synthetic large snapshot (benchmark)

/** Options of the synthetic snapshot. */
export interface SyntheticOptions {
  readonly instances: number;
  readonly findings: number;
  /** Changes every random draw; the same seed writes the same bytes. */
  readonly seed?: string;
  /** How many instances get a cloudwatch/<id>.json (hourly, 14 days). Default 0. */
  readonly withMetrics?: number;
}

const ROLES: readonly Role[] = ['web', 'api', 'worker', 'db', 'ci', 'sandbox'];
const PLATFORM_LIST: readonly PlatformFamily[] = ['AL2023', 'AL2023', 'AL2023', 'AL2', 'UBUNTU2204'];
const ENVS: readonly EnvName[] = ['prod', 'prod', 'staging', 'dev'];
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'] as const;

function syntheticFleet(n: number, seed: string): DemoInstance[] {
  const rng = Prng.of('synthetic-fleet', seed);
  const out: DemoInstance[] = [];
  for (let i = 0; i < n; i++) {
    const role = rng.pick(ROLES);
    const env = rng.pick(ENVS);
    const num = String(i + 1).padStart(5, '0');
    const asg = role === 'web' ? `web-${env}-asg-${Math.floor(i / 40)}` : undefined;
    const ssmRoll = rng.next();
    out.push({
      key: `${seed}:${i}`,
      name: `${role}-${num}`,
      env,
      role,
      platform: rng.pick(PLATFORM_LIST),
      tags: { Environment: env, ...(asg ? { 'aws:autoscaling:groupName': asg } : {}) },
      instanceType: rng.pick(['t3.medium', 'm6i.large', 'c6i.large', 'r6i.large']),
      az: rng.pick(AZS),
      ...(rng.chance(0.08) ? { publicIp: `192.0.2.${1 + (i % 254)}` } : {}),
      state: rng.chance(0.03) ? 'stopped' : 'running',
      launchedAt: CAPTURED_AT - rng.int(20, 900) * DAY,
      ssm: ssmRoll < 0.03 ? null : ssmRoll < 0.05 ? 'ConnectionLost' : 'Online',
      hygiene: 1,
      cpu: { base: rng.range(5, 60), diurnal: rng.range(0.2, 0.8), noise: 0.08 },
      patch: {},
    });
  }
  return out;
}

/**
 * Writes a large synthetic snapshot (for the benchmark) with the demo fleet's builders: `instances`
 * EC2 instances and `findings` Inspector2 findings spread over them, plus SSM files and kev.json.
 * JSON is compact and the findings file is streamed in chunks, so memory stays flat whatever the size.
 */
export async function generateSyntheticSnapshot(outDir: string, options: SyntheticOptions): Promise<GenerateSummary> {
  const dir = resolve(outDir);
  const seed = options.seed ?? 'bench';
  await clean(dir);
  const fleet = syntheticFleet(options.instances, seed);
  let bytes = 0;
  let files = 0;
  const put = async (name: string, value: unknown): Promise<void> => {
    const text = JSON.stringify(value);
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    bytes += Buffer.byteLength(text);
    files++;
  };

  await put(FILES.instances, describeInstances(fleet));
  await put(FILES.instanceInformation, { InstanceInformationList: fleet.map(instanceInformation).filter(isJson) });
  await put(FILES.patchStates, { InstancePatchStates: fleet.map((i) => patchState(i, [])).filter(isJson) });
  for (const inst of fleet.slice(0, options.withMetrics ?? 0)) {
    const metrics = metricData(inst);
    if (metrics) await put(`${FILES.metricsDir}/${instanceId(inst.key)}.json`, metrics);
  }

  const applicable = new Map<string, DemoCve[]>();
  const resources = fleet.map(ec2Resource);
  const rng = Prng.of('synthetic-findings', seed);
  const used = new Set<string>();
  const stream = createWriteStream(join(dir, FILES.findings));
  const write = async (chunk: string): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  await write('{"findings":[');
  const CHUNK = 1000;
  for (let k = 0; k < options.findings; k += CHUNK) {
    const parts: string[] = [];
    for (let j = k; j < Math.min(options.findings, k + CHUNK); j++) {
      const idx = j % fleet.length;
      const inst = fleet[idx] as DemoInstance;
      const key = `${inst.platform}/${inst.role}`;
      let cves = applicable.get(key);
      if (cves === undefined) {
        cves = applicableCves(inst);
        applicable.set(key, cves);
      }
      const cve = rng.pick(cves);
      used.add(cve.id);
      const roll = rng.next();
      const first = CAPTURED_AT - rng.int(1, 120) * DAY - rng.int(0, 86_399_000);
      parts.push(JSON.stringify(packageFinding(inst, resources[idx] as Json, cve, {
        status: roll < 0.01 ? 'CLOSED' : roll < 0.03 ? 'SUPPRESSED' : 'ACTIVE',
        noFix: rng.chance(0.03),
        firstObservedAt: first,
        lastObservedAt: Math.max(first, CAPTURED_AT - rng.int(1, 30) * HOUR),
        serial: j,
      })));
    }
    await write((k === 0 ? '' : ',') + parts.join(','));
  }
  await write(']}');
  stream.end();
  await once(stream, 'finish');
  files++;

  const listed = kevListed();
  const kev = new Map([...listed].filter(([id]) => used.has(id)));
  await put(FILES.kev, kevCatalog(kev, KEV_VERSION, KEV_RELEASED));
  await put(FILES.manifest, { capturedAt: cliTime(CAPTURED_AT), region: REGION, accountId: ACCOUNT_ID, description: `synthetic benchmark snapshot: ${options.instances} instances, ${options.findings} findings` });
  return { dir, instances: fleet.length, findings: options.findings, files, bytes };
}

// ---------------------------------------------------------------------------------------------

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === '--synthetic') {
    const [, n, m, out] = argv;
    if (!n || !m || !out) throw new Error('usage: generate-demo-fleet --synthetic INSTANCES FINDINGS OUT_DIR');
    const s = await generateSyntheticSnapshot(out, { instances: Number(n), findings: Number(m) });
    console.log(`wrote ${s.instances} instances, ${s.findings} findings, ${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB to ${s.dir}`);
    return;
  }
  const s = await generateDemoFleet(argv[0] ?? demoFleetDir());
  console.log(`wrote ${s.instances} instances, ${s.findings} findings, ${s.files} files, ${(s.bytes / 1e6).toFixed(2)} MB to ${s.dir}`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
