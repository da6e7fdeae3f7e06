/**
 * Issue 17: the HTTP service's peak memory with its assessments on a worker thread. The service
 * keeps its cached fleet report while a refresh is built (stale-while-revalidate), so the moment
 * that counts is a refresh: the cached report, the worker's work and the fresh report crossing.
 * Each child process here does what the service does (composition/offloaded-assistant.ts): one
 * whole-fleet report, kept, then a second one while the first is still held; then it prints its
 * peak resident memory (process.resourceUsage().maxRSS: the main thread and the worker) and what
 * the main thread keeps of one report.
 *
 * Two designs in the same run: "objects" (the worker builds the whole report and sends it as
 * objects, the main thread keeps objects: the design before) and "packed" (the worker builds each
 * asset as it is sent, the main thread keeps findings packed: packed-report.ts).
 *
 *   npm run build && nice node dist/bench/worker-memory.bench.js           (200,000 findings, 40 an instance)
 *   SRE_OPS_BENCH_SIZES=100000,200000 SRE_OPS_BENCH_DIR=/big/disk node dist/bench/worker-memory.bench.js
 *
 * Inputs are generated once into SRE_OPS_BENCH_DIR (default the OS temp folder), named as
 * bench/memory.bench.ts names them. Prints numbers and a Markdown table; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateSyntheticSnapshot } from '../scripts/generate-demo-fleet.js';

const SELF = fileURLToPath(import.meta.url);
const BASE = process.env.SRE_OPS_BENCH_DIR ?? tmpdir();
const SIZES = (process.env.SRE_OPS_BENCH_SIZES ?? '200000').split(',').map(Number);
const PER_INSTANCE = 40;
const NOW = '2026-11-20T12:00:00Z';

interface ChildResult { mode: string; maxRssMb: number; keptMb: number; findings: number; s: number }

async function child(dir: string, mode: 'objects' | 'packed'): Promise<void> {
  const { createAssistant } = await import('../composition/index.js');
  const { offloadReads } = await import('../composition/offloaded-assistant.js');
  const options = { source: `snapshot:${dir}`, now: NOW };
  const assistant = offloadReads(await createAssistant(options), { options, packFleet: mode === 'packed' });
  const gc = (globalThis as { gc?: () => void }).gc;
  const used = (): number => {
    gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const t0 = performance.now();
  try {
    const base = used();
    const cached = await assistant.assessFleet();
    const kept = used() - base;
    // A refresh: the fresh report is built and crosses while the cached one is still held.
    const fresh = await assistant.assessFleet();
    if (fresh.summary.findings !== cached.summary.findings) throw new Error('the two reports differ');
    const r: ChildResult = { mode, maxRssMb: process.resourceUsage().maxRSS / 1024, keptMb: kept / 2 ** 20, findings: cached.summary.findings, s: (performance.now() - t0) / 1000 };
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } finally {
    await assistant.close();
  }
}

function run(dir: string, mode: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', SELF, 'child', dir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() as string) as ChildResult) : reject(new Error(`${mode}: exit ${code}`))));
  });
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const findings of SIZES) {
    const instances = Math.round(findings / PER_INSTANCE);
    const dir = join(BASE, `sre-ops-bench-${instances}-${findings}`);
    if (!existsSync(join(dir, 'snapshot.json'))) {
      console.error(`generating ${instances} instances, ${findings} findings -> ${dir} (once)`);
      await rm(dir, { recursive: true, force: true });
      await generateSyntheticSnapshot(dir, { instances, findings });
    }
    const objects = await run(dir, 'objects');
    console.error(JSON.stringify(objects));
    const packed = await run(dir, 'packed');
    console.error(JSON.stringify(packed));
    rows.push(`| ${findings.toLocaleString('en-US')} | ${objects.maxRssMb.toFixed(0)} MB, ${objects.s.toFixed(0)} s | ${packed.maxRssMb.toFixed(0)} MB, ${packed.s.toFixed(0)} s | ${(packed.maxRssMb / objects.maxRssMb).toFixed(2)}x | ${objects.keptMb.toFixed(0)} MB → ${packed.keptMb.toFixed(0)} MB |`);
  }
  console.log('| findings | objects (before): peak RSS, time | packed: peak RSS, time | peak ratio | one report kept on the main thread |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

if (process.argv[2] === 'child') await child(process.argv[3] as string, process.argv[4] as 'objects' | 'packed');
else await main();
