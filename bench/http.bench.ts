/**
 * Issue 5's benchmark: the HTTP API against a bare Koa app, on loopback, with autocannon.
 *
 *   npm run build && node dist/bench/http.bench.js      (or: npx tsx bench/http.bench.ts)
 *   SRE_OPS_BENCH_SECONDS (default 5) and SRE_OPS_BENCH_CONNECTIONS (default 10) change the load.
 *
 * The servers run in a child process so the load generator does not share their event loop.
 * Three throughput runs with the same duration and connections: a bare Koa JSON hello, /health,
 * and GET /v1/assets on a warm cache for the demo fleet (the whole fleet, one page of 100, with
 * the full middleware: request id, access log to /dev/null, auth, rate limit, validation).
 * Then /v1/assets at a fixed 100 requests a second under the default rate limits, for its p99.
 * Prints numbers; asserts nothing (the machine is shared and noisy: read the ratios).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import pino from 'pino';
import { sha256Hex } from '../adapters/inbound/http/api-keys.js';
import { createHttpApp } from '../adapters/inbound/http/http-app.js';
import { createHttpLogger } from '../adapters/inbound/http/logger.js';
import { createAssistant } from '../composition/index.js';

const SECONDS = Number(process.env.SRE_OPS_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.SRE_OPS_BENCH_CONNECTIONS ?? 10);
const KEY = 'bench-key-0123456789';
// From source (tsx) this file is bench/; built, it is dist/bench/.
const DEMO = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../examples/demo-fleet/' : '../../examples/demo-fleet/', import.meta.url));

/** The part of autocannon's result this prints (the package ships no types). */
interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; max: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Ports {
  bare: number;
  /** Rate limits lifted: measures the service, not the limiter refusing. */
  api: number;
  /** Default rate limits (100/s, burst 50): the fixed-rate run. */
  limited: number;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Child: the three servers, ports reported over IPC. */
async function serve(): Promise<void> {
  const bare = new Koa();
  bare.use(async (ctx) => {
    ctx.body = { hello: 'world' };
  });
  const assistant = await createAssistant({ source: `snapshot:${DEMO}`, now: '2026-11-20T12:00:00Z', stateStore: { kind: 'sqlite', path: ':memory:' } });
  const keys = [{ name: 'bench', sha256: sha256Hex(KEY), scopes: ['read' as const] }];
  const logger = createHttpLogger({ destination: pino.destination({ dest: '/dev/null', sync: false }) });
  const api = createHttpApp({ assistant, keys, logger, limits: { perSecond: 1e9, burst: 1e9, perDay: 1e12 } });
  const limited = createHttpApp({ assistant, keys, logger });
  const ports: Ports = {
    bare: await listen(createServer(bare.callback())),
    api: await listen(createServer(api.callback())),
    limited: await listen(createServer(limited.callback())),
  };
  process.send?.(ports);
}

function run(url: string, extra: Record<string, unknown> = {}): Promise<Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { 'x-api-key': KEY }, ...extra });
}

const row = (name: string, r: Result, base?: Result): string => {
  const rps = r.requests.average;
  const ratio = base ? `${((rps / base.requests.average) * 100).toFixed(0)}%` : '100%';
  const bad = r.non2xx + r.errors + r.timeouts;
  return `${name.padEnd(34)} ${rps.toFixed(0).padStart(8)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)} ${ratio.padStart(9)} ${String(bad).padStart(7)}`;
};

async function main(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ports = await new Promise<Ports>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Ports));
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
    const base = (p: number): string => `http://127.0.0.1:${p}`;
    // Warm: the first /v1/assets assesses the fleet; every later one is served from the cache.
    for (const p of [ports.api, ports.limited]) {
      const r = await fetch(`${base(p)}/v1/assets`, { headers: { 'x-api-key': KEY } });
      if (r.status !== 200) throw new Error(`warm-up /v1/assets: HTTP ${r.status}`);
      const bytes = (await r.arrayBuffer()).byteLength;
      if (p === ports.api) console.log(`GET /v1/assets answers ${(bytes / 1024).toFixed(0)} KiB (demo fleet, 16 assets with their findings)`);
    }

    console.log(`\n${SECONDS} s each, ${CONNECTIONS} connections, loopback, node ${process.version}`);
    console.log(`${'run'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'vs bare'.padStart(9)} ${'non-2xx'.padStart(7)}`);
    const bare = await run(`${base(ports.bare)}/`);
    console.log(row('bare Koa (JSON hello)', bare));
    const health = await run(`${base(ports.api)}/health`);
    console.log(row('GET /health', health, bare));
    const assets = await run(`${base(ports.api)}/v1/assets`);
    console.log(row('GET /v1/assets (warm cache)', assets, bare));

    const fixed = await run(`${base(ports.limited)}/v1/assets`, { overallRate: 100 });
    console.log(`\nGET /v1/assets at a fixed 100 req/s (default rate limits), ${SECONDS} s: p50 ${fixed.latency.p50} ms, p99 ${fixed.latency.p99} ms, max ${fixed.latency.max} ms, ` +
      `${fixed['2xx']} answered 2xx, ${fixed.non2xx} not (goal: p99 under 50 ms)`);
    console.log(`/health at ${((health.requests.average / bare.requests.average) * 100).toFixed(0)}% of bare Koa (goal: 80% or more)`);
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
