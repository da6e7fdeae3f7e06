/**
 * Reading an Inspector2 findings report (`--findings`): a gzip JSON report of 200,000 findings
 * (SRE_OPS_BENCH_FINDINGS to change it), read by the streaming reader in a fresh process that
 * keeps nothing, against the floor of gunzipping the same bytes, and against reading it with the
 * findings kept (what an assessment holds). Peak RSS and wall time of each.
 *
 *   npm run build && node dist/bench/findings-report.bench.js
 *
 * Prints numbers; asserts nothing (the machine is shared and noisy: read the ratios).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { inspectorFinding, REPORT_TIME } from './inspector-findings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FINDINGS = Number(process.env.SRE_OPS_BENCH_FINDINGS ?? 200_000);
const DIR = join(ROOT, '.bench-data');
const FILE = join(DIR, `inspector-report-${FINDINGS}.json.gz`);
// Peak RSS and CPU time of the child on exit: CPU time does not depend on the machine's load.
const MAXRSS_HOOK = 'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("MAXRSS_KB "+u.maxRSS+" CPU_US "+(u.userCPUTime+u.systemCPUTime)+"\\n")})';
const INPUT = new URL('../adapters/outbound/findings-files/local-findings-objects.js', import.meta.url).href;

async function generate(): Promise<void> {
  if (existsSync(FILE)) return;
  mkdirSync(DIR, { recursive: true });
  const gz = createGzip();
  const out = gz.pipe(createWriteStream(FILE));
  const write = (s: string): Promise<void> => new Promise((resolve) => (gz.write(s) ? resolve() : gz.once('drain', resolve)));
  await write('{"findings":[');
  for (let i = 0; i < FINDINGS; i++) await write(`${i === 0 ? '' : ','}\n${JSON.stringify(inspectorFinding(i, { at: REPORT_TIME }))}`);
  await write(']}\n');
  gz.end();
  await new Promise<void>((resolve) => out.on('close', () => resolve()));
}

interface Run { ms: number; cpuS: number; maxRssMb: number; out: string }

function runNode(code: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', MAXRSS_HOOK, '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (exit) => {
      if (exit !== 0) return reject(new Error(`exit ${exit}: ${err.slice(-2000)}`));
      resolve({ ms: performance.now() - t0, cpuS: Number(/CPU_US (\d+)/.exec(err)?.[1] ?? NaN) / 1e6, maxRssMb: Number(/MAXRSS_KB (\d+)/.exec(err)?.[1] ?? NaN) / 1024, out: out.trim() });
    });
  });
}

const FLOOR = `import { createReadStream } from 'node:fs'; import { createGunzip } from 'node:zlib';
let n = 0; for await (const c of createReadStream(${JSON.stringify(FILE)}).pipe(createGunzip())) n += c.length; console.log(n);`;
// The parse floor: the generator writes one finding per line, so JSON.parse of each line is the
// parsing any reader must do, without finding where a finding ends.
const PARSE = `import { createReadStream } from 'node:fs'; import { createGunzip } from 'node:zlib'; import { createInterface } from 'node:readline';
let n = 0; for await (const line of createInterface({ input: createReadStream(${JSON.stringify(FILE)}).pipe(createGunzip()) })) { const t = line.replace(/(,|\\]\\})$/, ''); if (t.startsWith('{"aws')) { JSON.parse(t); n++; } } console.log(n);`;
const STREAM = `import { localFindingsSource } from ${JSON.stringify(INPUT)};
let n = 0; for await (const f of localFindingsSource(${JSON.stringify(FILE)}).listActiveFindings()) n++; console.log(n);`;
const KEEP = `import { localFindingsSource } from ${JSON.stringify(INPUT)};
const kept = []; for await (const f of localFindingsSource(${JSON.stringify(FILE)}).listActiveFindings()) kept.push(f); console.log(kept.length);`;

await generate();
const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
const floor = await runNode(FLOOR);
const parse = await runNode(PARSE);
const stream = await runNode(STREAM);
const keep = await runNode(KEEP);
console.log(`findings report: ${FINDINGS.toLocaleString('en')} findings, ${mb(statSync(FILE).size)} gzip, ${mb(Number(floor.out))} of JSON`);
const row = (name: string, r: Run, extra = ''): void =>
  console.log(`| ${name} | ${r.cpuS.toFixed(2)} s${extra} | ${(r.ms / 1000).toFixed(2)} s | ${r.maxRssMb.toFixed(0)} MB |`);
console.log('| measure | CPU time | wall time | peak RSS |\n| --- | --- | --- | --- |');
row('gunzip only', floor);
row(`gunzip, lines, JSON.parse of each finding (the parse floor, ${parse.out})`, parse);
row(`streamed read, findings mapped and passed on (${stream.out})`, stream, ` (${(stream.cpuS / parse.cpuS).toFixed(2)}x the parse floor)`);
row(`streamed read, every finding kept (${keep.out})`, keep);
