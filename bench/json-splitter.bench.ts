/**
 * The one JSON splitter (adapters/outbound/aws-shapes/json-splitter.ts) against a floor, in one
 * run, on the same bytes: a findings file as the AWS CLI writes it (indented) and as an Inspector
 * findings report holds it (compact). The splitter yields the text of every finding from 4 MB
 * chunks; the floor decodes the whole file and JSON.parses it at once (what holding it allows).
 * Rounds are interleaved and the best of each kept. (The three scanners the splitter replaced were
 * measured against it once, README "JSON splitter"; bench/baseline/ in commit 6fbb7a8.)
 *
 *   npm run build && node dist/bench/json-splitter.bench.js
 *   SRE_OPS_BENCH_FINDINGS=100000 SRE_OPS_BENCH_ROUNDS=5 node dist/bench/json-splitter.bench.js
 *
 * Prints wall times and the ratio of the splitter to the floor; asserts nothing but that both found
 * the same number of findings (the machine is shared and noisy: read the ratio).
 */
import { performance } from 'node:perf_hooks';
import { JsonSplitter } from '../adapters/outbound/aws-shapes/json-splitter.js';
import { inspectorFinding } from './inspector-findings.js';

const FINDINGS = Number(process.env.SRE_OPS_BENCH_FINDINGS ?? 50_000);
const ROUNDS = Number(process.env.SRE_OPS_BENCH_ROUNDS ?? 5);
const CHUNK = 4 << 20;

function chunksOf(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += CHUNK) out.push(b.subarray(i, i + CHUNK));
  return out;
}

/** Each way: the number of findings it found (the same for both). */
type Splitter = (chunks: readonly Buffer[], whole: Buffer) => Promise<number>;

const SPLITTER = 'json-splitter (chunked)';
const FLOOR = 'JSON.parse (whole file in memory)';
const SPLITTERS: Readonly<Record<string, Splitter>> = {
  [SPLITTER]: async (chunks) => {
    const s = new JsonSplitter({ member: 'findings', keep: ['nextToken'] });
    let n = 0;
    for (const c of chunks) {
      s.push(c);
      for (let e = s.next(); e !== null; e = s.next()) n++;
    }
    s.end();
    return n;
  },
  [FLOOR]: async (_chunks, whole) => (JSON.parse(whole.toString('utf8')) as { findings: unknown[] }).findings.length,
};

async function main(): Promise<void> {
  const list = Array.from({ length: FINDINGS }, (_, i) => inspectorFinding(i, { awkwardText: true }));
  const inputs: [string, Buffer][] = [
    ['CLI output, indented', Buffer.from(JSON.stringify({ findings: list, nextToken: null }, null, 4))],
    ['findings report, compact', Buffer.from(JSON.stringify({ findings: list }))],
  ];
  console.log(`JSON splitter against JSON.parse: ${FINDINGS.toLocaleString('en-US')} findings, ${CHUNK >> 20} MB chunks, best of ${ROUNDS} interleaved rounds\n`);
  for (const [label, whole] of inputs) {
    const chunks = chunksOf(whole);
    const best = new Map<string, number>();
    const totals = new Map<string, number>();
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, run] of Object.entries(SPLITTERS)) {
        const t0 = performance.now();
        const total = await run(chunks, whole);
        const ms = performance.now() - t0;
        best.set(name, Math.min(best.get(name) ?? Infinity, ms));
        totals.set(name, total);
      }
    }
    if (new Set(totals.values()).size !== 1) throw new Error(`the splitter and the floor disagree: ${JSON.stringify([...totals])}`);
    const mb = whole.length / 1e6;
    console.log(`${label} (${mb.toFixed(0)} MB):`);
    for (const [name, ms] of best) console.log(`  ${name.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms  ${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s`);
    console.log(`  ratio splitter / floor: ${((best.get(SPLITTER) as number) / (best.get(FLOOR) as number)).toFixed(2)}x\n`);
  }
}

await main();
