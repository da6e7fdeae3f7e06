/**
 * Issue 17's benchmark: peak resident memory and wall time of `assess --json > /dev/null` and of
 * `plan --json > /dev/null` on synthetic snapshots of 200,000, 1,000,000 and 4,000,000 findings
 * (40, 40 and 80 per instance), each against a floor measured in the same run: reading the same
 * files and JSON.parse over pages of 50,000 findings (found by the same streaming scan), which is
 * possible at every size and does nothing else.
 *
 *   npm run bench:memory                          (all three sizes)
 *   SRE_OPS_BENCH_SIZES=200000,1000000 npm run bench:memory
 *   SRE_OPS_BENCH_DIR=/big/disk npm run bench:memory   (where the inputs go; default the OS temp folder)
 *   SRE_OPS_BENCH_PER_INSTANCE=20 SRE_OPS_BENCH_RUN=assess npm run bench:memory   (one density, assess only)
 *
 * The inputs are generated once (8.7 GB of JSON at 4,000,000 findings) and reused. Prints numbers
 * and a Markdown table; asserts nothing (the machine is shared and noisy: read the ratios).
 * Goals: peak RSS at most 1 GB at 1,000,000 findings, at most 300 bytes per additional finding,
 * time within 2x the floor.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateSyntheticSnapshot } from '../scripts/generate-demo-fleet.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'composition', 'cli.js');
const SPLITTER = join(ROOT, 'dist', 'adapters', 'outbound', 'aws-shapes', 'json-splitter.js');
const BASE = process.env.SRE_OPS_BENCH_DIR ?? tmpdir();
const SIZES = (process.env.SRE_OPS_BENCH_SIZES ?? '200000,1000000,4000000').split(',').map(Number);
const PER_INSTANCE: Readonly<Record<number, number>> = { 200_000: 40, 1_000_000: 40, 4_000_000: 80 };
/** SRE_OPS_BENCH_PER_INSTANCE=20: every size at that density (growth per added finding at a fixed density). */
const DENSITY = process.env.SRE_OPS_BENCH_PER_INSTANCE ? Number(process.env.SRE_OPS_BENCH_PER_INSTANCE) : undefined;
/** SRE_OPS_BENCH_RUN=assess: only these of floor, assess, plan (default all three). */
const RUN = new Set((process.env.SRE_OPS_BENCH_RUN ?? 'floor,assess,plan').split(','));
const SKIPPED: Run = { s: NaN, mb: NaN };
const NOW = '2026-11-20T12:00:00Z';
const PAGE = 50_000;
// Reports the child's peak resident memory on exit, without changing what it runs.
const MAXRSS_HOOK = 'data:text/javascript,process.on("exit",()=>process.stderr.write("MAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';

interface Run { s: number; mb: number }

/** Runs node with `args`, stdout to /dev/null; wall time and peak RSS. */
function runNode(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', MAXRSS_HOOK, ...args], { stdio: ['ignore', devNull, 'pipe'] });
    closeSync(devNull);
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const s = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`exit ${code}: ${err.slice(-2000)}`));
      resolve({ s, mb: Number(/MAXRSS_KB (\d+)/.exec(err)?.[1] ?? NaN) / 1024 });
    });
  });
}

/** The floor: every file read, the findings parsed page by page (50,000 at a time) and dropped. */
function floorScript(dir: string): string {
  return `
    const fs = require('fs');
    for (const f of ['ec2-describe-instances.json', 'ssm-describe-instance-information.json', 'ssm-describe-instance-patch-states.json', 'kev.json']) {
      if (fs.existsSync(${JSON.stringify(dir)} + '/' + f)) JSON.parse(fs.readFileSync(${JSON.stringify(dir)} + '/' + f, 'utf8'));
    }
    import(${JSON.stringify(SPLITTER)}).then(async ({ JsonSplitter }) => {
      const scan = new JsonSplitter({ member: 'findings' });
      let page = [];
      let n = 0;
      const flush = () => { n += JSON.parse('[' + page.join(',') + ']').length; page = []; };
      const take = () => { for (let t = scan.next(); t !== null; t = scan.next()) { page.push(t.text); if (page.length === ${PAGE}) flush(); } };
      for await (const chunk of fs.createReadStream(${JSON.stringify(join(dir, 'inspector2-list-findings.json'))}, { highWaterMark: 4 << 20 })) { scan.push(chunk); take(); }
      scan.end(); take(); flush();
      if (n === 0) throw new Error('no findings');
    });`;
}

interface Row { findings: number; instances: number; gb: number; floor: Run; assess: Run; plan: Run }

async function measure(findings: number): Promise<Row> {
  const instances = Math.round(findings / (DENSITY ?? PER_INSTANCE[findings] ?? 40));
  const dir = join(BASE, `sre-ops-bench-${instances}-${findings}`);
  if (!existsSync(join(dir, 'snapshot.json'))) {
    console.error(`generating ${instances} instances, ${findings} findings -> ${dir} (once)`);
    await rm(dir, { recursive: true, force: true });
    await generateSyntheticSnapshot(dir, { instances, findings });
  }
  const gb = statSync(join(dir, 'inspector2-list-findings.json')).size / 1e9;
  const source = ['--source', `snapshot:${dir}`, '--now', NOW];
  const step = async (name: string, args: string[]): Promise<Run> => {
    if (!RUN.has(name)) return SKIPPED;
    console.error(`${findings}: ${name}`);
    return runNode(args);
  };
  const floor = await step('floor', ['-e', floorScript(dir)]);
  const assess = await step('assess', [CLI, 'assess', '--json', ...source]);
  const plan = await step('plan', [CLI, 'plan', '--json', ...source]);
  return { findings, instances, gb, floor, assess, plan };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  const rows: Row[] = [];
  for (const n of SIZES) {
    const r = await measure(n);
    rows.push(r);
    console.error(JSON.stringify(r));
  }
  // A step left out (SRE_OPS_BENCH_RUN) reads "not run"; a ratio needs the floor measured.
  const ran = (r: Run | undefined): r is Run => r !== undefined && Number.isFinite(r.s) && Number.isFinite(r.mb) && r.mb > 0;
  const fmt = (r: Run, floor?: Run): string =>
    !ran(r) ? 'not run' : `${r.s.toFixed(1)} s, ${r.mb.toFixed(0)} MB` + (ran(floor) ? ` (${(r.s / floor.s).toFixed(2)}x time, ${(r.mb / floor.mb).toFixed(2)}x RSS)` : '');
  console.log('| findings (per instance) | findings file | floor: read + JSON.parse by 50k pages | assess --json > /dev/null | plan --json > /dev/null | assess RSS per added finding |');
  console.log('|---|---|---|---|---|---|');
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    const per = prev ? `${(((r.assess.mb - prev.assess.mb) * 1024 * 1024) / (r.findings - prev.findings)).toFixed(0)} B` : '';
    console.log(`| ${r.findings.toLocaleString('en-US')} (${Math.round(r.findings / r.instances)}) | ${r.gb.toFixed(2)} GB | ${fmt(r.floor)} | ${fmt(r.assess, r.floor)} | ${fmt(r.plan, r.floor)} | ${per} |`);
  });
  const million = rows.find((r) => r.findings === 1_000_000);
  if (million) console.log(`\npeak RSS at 1,000,000 findings: ${million.assess.mb.toFixed(0)} MB (goal at most 1024 MB: ${million.assess.mb <= 1024 ? 'met' : 'NOT met'})`);
}

await main();
