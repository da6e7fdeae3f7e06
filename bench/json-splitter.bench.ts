/**
 * The one JSON splitter (adapters/outbound/aws-shapes/json-splitter.ts) against the three scanners
 * it replaced (bench/baseline/), in one run, on the same bytes in the same 4 MB chunks: a findings
 * file as the AWS CLI writes it (indented) and as an Inspector findings report holds it (compact).
 * Each splitter yields the text of every finding; rounds are interleaved and the best of each kept.
 *
 *   npm run build && node dist/bench/json-splitter.bench.js
 *   SRE_OPS_BENCH_FINDINGS=100000 SRE_OPS_BENCH_ROUNDS=5 node dist/bench/json-splitter.bench.js
 *
 * Prints wall times and the ratio of the new splitter to the best of the old ones; asserts nothing
 * but that every splitter found the same elements (the machine is shared and noisy: read the ratio).
 */
import { performance } from 'node:perf_hooks';
import { JsonSplitter } from '../adapters/outbound/aws-shapes/json-splitter.js';
import { findMember, topLevelArray } from './baseline/json-array-elements.js';
import { ArrayMemberScanner } from './baseline/json-stream-elements.js';
import { jsonItems } from './baseline/json-items.js';
import { inspectorFinding } from './inspector-findings.js';

const FINDINGS = Number(process.env.SRE_OPS_BENCH_FINDINGS ?? 50_000);
const ROUNDS = Number(process.env.SRE_OPS_BENCH_ROUNDS ?? 5);
const CHUNK = 4 << 20;

function chunksOf(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += CHUNK) out.push(b.subarray(i, i + CHUNK));
  return out;
}

/** Each splitter: the total length of the element texts it found (the same for all of them). */
type Splitter = (chunks: readonly Buffer[], whole: Buffer) => Promise<number>;

const SPLITTERS: Readonly<Record<string, Splitter>> = {
  'json-splitter (new, chunked)': async (chunks) => {
    const s = new JsonSplitter({ member: 'findings', keep: ['nextToken'] });
    let total = 0;
    for (const c of chunks) {
      s.push(c);
      for (let e = s.next(); e !== null; e = s.next()) total += e.text.length;
    }
    s.end();
    return total;
  },
  'json-stream-elements (old, chunked)': async (chunks) => {
    const s = new ArrayMemberScanner('findings', () => {});
    let total = 0;
    for (const c of chunks) {
      s.push(c);
      for (let t = s.next(); t !== null; t = s.next()) total += t.length;
    }
    s.end();
    for (let t = s.next(); t !== null; t = s.next()) total += t.length;
    return total;
  },
  'json-items (old, chunked)': async (chunks) => {
    let total = 0;
    for await (const item of jsonItems((async function* () {
      yield* chunks;
    })())) total += item.text.length;
    return total;
  },
  'json-array-elements (old, whole file in memory)': async (_chunks, whole) => {
    const member = topLevelArray(whole) ?? findMember(whole, 'findings', (a, b) => whole.toString('utf8', a, b), () => {});
    if (member.kind !== 'array') throw new Error('no findings array');
    let total = 0;
    for (const [a, b] of member.elements) total += whole.toString('utf8', a, b).length;
    member.finish();
    return total;
  },
};

async function main(): Promise<void> {
  const list = Array.from({ length: FINDINGS }, (_, i) => inspectorFinding(i, { awkwardText: true }));
  const inputs: [string, Buffer][] = [
    ['CLI output, indented', Buffer.from(JSON.stringify({ findings: list, nextToken: null }, null, 4))],
    ['findings report, compact', Buffer.from(JSON.stringify({ findings: list }))],
  ];
  console.log(`JSON splitters: ${FINDINGS.toLocaleString('en-US')} findings, ${CHUNK >> 20} MB chunks, best of ${ROUNDS} interleaved rounds\n`);
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
    if (new Set(totals.values()).size !== 1) throw new Error(`the splitters disagree: ${JSON.stringify([...totals])}`);
    const mb = whole.length / 1e6;
    console.log(`${label} (${mb.toFixed(0)} MB):`);
    for (const [name, ms] of best) console.log(`  ${name.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms  ${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s`);
    const mine = best.get('json-splitter (new, chunked)') as number;
    const oldBest = Math.min(...[...best].filter(([n]) => !n.startsWith('json-splitter')).map(([, ms]) => ms));
    console.log(`  ratio new / best old: ${(mine / oldBest).toFixed(2)}x\n`);
  }
}

await main();
