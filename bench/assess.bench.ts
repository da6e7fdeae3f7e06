/**
 * Issue 2's benchmark: `assess --json` on a synthetic snapshot of 2,000 instances and 100,000
 * findings, against the floor of parsing the same bytes with JSON.parse.
 *
 *   npm run bench:assess            (SRE_OPS_BENCH_INSTANCES / _FINDINGS to change the size)
 *
 * Prints numbers; asserts nothing (the machine is shared and noisy: read the ratio).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { mapDescribeInstances, mapFinding, mapKevCatalog } from '../adapters/outbound/aws-shapes/index.js';
import type { Finding } from '../domain/fleet-facts.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { assessAsset } from '../domain/asset-assessment.js';
import { generateSyntheticSnapshot } from '../scripts/generate-demo-fleet.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INSTANCES = Number(process.env.SRE_OPS_BENCH_INSTANCES ?? 2000);
const FINDINGS = Number(process.env.SRE_OPS_BENCH_FINDINGS ?? 100_000);
const DIR = join(ROOT, '.bench-data', `snapshot-${INSTANCES}-${FINDINGS}`);
const CLI = join(ROOT, 'dist', 'composition', 'cli.js');
const NOW = '2026-11-20T12:00:00Z';
// Reports the child's peak resident memory on exit, without changing what it runs.
const MAXRSS_HOOK = 'data:text/javascript,process.on("exit",()=>process.stderr.write("MAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';

interface Run { ms: number; maxRssMb: number; stdoutBytes: number }

function runNode(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', MAXRSS_HOOK, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`exit ${code}: ${err.slice(-2000)}`));
      const kb = Number(/MAXRSS_KB (\d+)/.exec(err)?.[1] ?? NaN);
      resolve({ ms, maxRssMb: kb / 1024, stdoutBytes: bytes });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  if (!existsSync(join(DIR, 'inspector2-list-findings.json'))) {
    console.log(`generating a synthetic snapshot: ${INSTANCES} instances, ${FINDINGS} findings -> ${DIR}`);
    await rm(DIR, { recursive: true, force: true });
    await generateSyntheticSnapshot(DIR, { instances: INSTANCES, findings: FINDINGS });
  }
  const files = ['ec2-describe-instances.json', 'inspector2-list-findings.json', 'ssm-describe-instance-information.json', 'ssm-describe-instance-patch-states.json', 'kev.json']
    .filter((f) => existsSync(join(DIR, f)));
  const parseScript = `const fs=require('fs');for(const f of ${JSON.stringify(files.map((f) => join(DIR, f)))})JSON.parse(fs.readFileSync(f,'utf8'));`;

  const REPEAT = Number(process.env.SRE_OPS_BENCH_REPEAT ?? 3);
  const floor: Run[] = [];
  const e2e: Run[] = [];
  for (let i = 0; i < REPEAT; i++) {
    // Interleaved, so drift on a noisy machine hits both alike.
    floor.push(await runNode(['-e', parseScript]));
    e2e.push(await runNode([CLI, 'assess', '--json', '--source', `snapshot:${DIR}`, '--now', NOW]));
  }

  // Scoring alone, in this process: findings already mapped, grouped by instance.
  const raw = JSON.parse(await readFile(join(DIR, 'inspector2-list-findings.json'), 'utf8')) as { findings: unknown[] };
  const findings = raw.findings.map((f, i) => mapFinding(f, `$.findings[${i}]`)).filter((f): f is Finding => f !== null && f.status === 'ACTIVE');
  const assets = mapDescribeInstances(JSON.parse(await readFile(join(DIR, 'ec2-describe-instances.json'), 'utf8')));
  const catalog = existsSync(join(DIR, 'kev.json')) ? mapKevCatalog(JSON.parse(await readFile(join(DIR, 'kev.json'), 'utf8'))) : null;
  const byInstance = new Map<string, Finding[]>();
  for (const f of findings) (byInstance.get(f.instanceId) ?? byInstance.set(f.instanceId, []).get(f.instanceId)!).push(f);
  const ctx = { catalog, acceptances: [], now: Date.parse(NOW), policy: DEFAULT_POLICY };
  const scoreMs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    for (const asset of assets) assessAsset({ asset, findings: byInstance.get(asset.instanceId) ?? [], managedInstance: undefined, patchState: null }, ctx);
    scoreMs.push(performance.now() - t0);
  }

  const f = median(floor.map((r) => r.ms));
  const e = median(e2e.map((r) => r.ms));
  const s = median(scoreMs);
  const rows: [string, string][] = [
    ['snapshot', `${assets.length} instances, ${findings.length} active findings`],
    ['JSON.parse floor (child process, median)', `${(f / 1000).toFixed(2)} s, peak RSS ${median(floor.map((r) => r.maxRssMb)).toFixed(0)} MB`],
    ['assess --json end to end (median)', `${(e / 1000).toFixed(2)} s, peak RSS ${median(e2e.map((r) => r.maxRssMb)).toFixed(0)} MB, output ${(e2e[0]!.stdoutBytes / 1e6).toFixed(1)} MB`],
    ['ratio end to end / floor', `${(e / f).toFixed(2)}x (goal at most 2x)`],
    ['scoring alone (assessAsset over all)', `${s.toFixed(0)} ms = ${Math.round(findings.length / (s / 1000)).toLocaleString('en-US')} findings/s`],
    ['peak memory goal', `under 1024 MB: ${Math.max(...e2e.map((r) => r.maxRssMb)) < 1024 ? 'met' : 'NOT met'}`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}

await main();
