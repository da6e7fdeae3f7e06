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
 *
 * Besides req/s, each run reports the server's CPU time per request (process.cpuUsage in the
 * server process): on a shared, loaded machine throughput swings with the neighbours, while CPU
 * per request is what the code costs, so the ratio to bare Koa is given on both.
 *
 * The fixed-rate run paces requests itself, one every 10 ms (open loop, latency counted from the
 * planned send time): autocannon's overallRate sends each second's quota as fast as it can at
 * the start of the second, which is a burst of 100, not a rate of 100 a second.
 * Prints numbers; asserts nothing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { getPriority, loadavg, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import pino from 'pino';
import { sha256Hex } from '../adapters/inbound/http/api-keys.js';
import { createHttpApp } from '../adapters/inbound/http/http-app.js';
import { createHttpLogger } from '../adapters/inbound/http/logger.js';
import { createAssistant } from '../composition/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSyntheticSnapshot } from '../scripts/generate-demo-fleet.js';

const SECONDS = Number(process.env.SRE_OPS_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.SRE_OPS_BENCH_CONNECTIONS ?? 10);
const KEY = 'bench-key-0123456789';
// From source (tsx) this file is bench/; built, it is dist/bench/.
const DEMO = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../examples/demo-fleet/' : '../../examples/demo-fleet/', import.meta.url));

/** The part of autocannon's result this prints (the package ships no types). */
interface Result {
  requests: { average: number; total: number };
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
  // The parent asks for CPU time around each run.
  process.on('message', () => process.send?.(process.cpuUsage()));
}

/** A run's numbers plus the server's CPU time per request. */
interface Measured extends Result {
  cpuMicrosPerRequest: number;
}

function cpuOf(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as NodeJS.CpuUsage));
    child.send('cpu');
  });
}

async function measured(child: ChildProcess, go: () => Promise<Result>): Promise<Measured> {
  const before = await cpuOf(child);
  const r = await go();
  const after = await cpuOf(child);
  const micros = after.user - before.user + (after.system - before.system);
  return { ...r, cpuMicrosPerRequest: micros / Math.max(1, r.requests.total) };
}

/**
 * `total` GETs of `url`, one every 1000/rate ms whatever the answers do (open loop), over a
 * keep-alive pool. Latency runs from the planned send time, so a stall shows in it.
 */
async function paced(url: string, rate: number, seconds: number): Promise<{ p50: number; p99: number; max: number; ok: number; other: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const total = rate * seconds;
  const latencies: number[] = [];
  let ok = 0;
  let other = 0;
  const t0 = performance.now() + 50;
  const one = (planned: number): Promise<void> =>
    new Promise((resolve) => {
      const req = request(url, { agent, headers: { 'x-api-key': KEY } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - planned);
          if (res.statusCode === 200) ok++;
          else other++;
          resolve();
        });
      });
      req.on('error', () => {
        other++;
        resolve();
      });
      req.end();
    });
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const planned = t0 + (i * 1000) / rate;
    const wait = planned - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one(planned));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), max: at(1), ok, other };
}

function run(url: string, extra: Record<string, unknown> = {}): Promise<Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { 'x-api-key': KEY }, ...extra });
}

const percent = (x: number): string => `${(x * 100).toFixed(0)}%`;

const row = (name: string, r: Measured, base?: Measured): string => {
  const rps = r.requests.average;
  const ratio = base ? percent(rps / base.requests.average) : '100%';
  // Throughput ratio from CPU: bare's CPU per request over this one's.
  const cpuRatio = base ? percent(base.cpuMicrosPerRequest / r.cpuMicrosPerRequest) : '100%';
  const bad = r.non2xx + r.errors + r.timeouts;
  return `${name.padEnd(30)} ${rps.toFixed(0).padStart(8)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)} ${ratio.padStart(8)} ` +
    `${r.cpuMicrosPerRequest.toFixed(0).padStart(9)} ${cpuRatio.padStart(8)} ${String(bad).padStart(7)}`;
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

    console.log(`\n${SECONDS} s each, ${CONNECTIONS} connections, loopback, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`${'run'.padEnd(30)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'vs bare'.padStart(8)} ${'cpu µs/req'.padStart(9)} ${'vs bare'.padStart(8)} ${'non-2xx'.padStart(7)}`);
    const bare = await measured(child, () => run(`${base(ports.bare)}/`));
    console.log(row('bare Koa (JSON hello)', bare));
    const health = await measured(child, () => run(`${base(ports.api)}/health`));
    console.log(row('GET /health', health, bare));
    const assets = await measured(child, () => run(`${base(ports.api)}/v1/assets`));
    console.log(row('GET /v1/assets (warm cache)', assets, bare));

    const fixed = await paced(`${base(ports.limited)}/v1/assets`, 100, SECONDS);
    console.log(`\nGET /v1/assets at a fixed 100 req/s (paced, default rate limits), ${SECONDS} s: p50 ${fixed.p50} ms, p99 ${fixed.p99} ms, max ${fixed.max} ms; ` +
      `${fixed.ok} answered 200, ${fixed.other} not (goal: p99 under 50 ms)`);
    console.log(`/health: ${percent(health.requests.average / bare.requests.average)} of bare Koa by req/s, ${percent(bare.cpuMicrosPerRequest / health.cpuMicrosPerRequest)} by CPU per request (goal: 80% or more)`);
  } finally {
    child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------------------------------------
// Issue 17: a large fleet. `node dist/bench/http.bench.js fleet` (SRE_OPS_BENCH_FLEET_FINDINGS,
// default 200,000 at 80 a instance; SRE_OPS_BENCH_FLEET_SECONDS, default 40; SRE_OPS_BENCH_TTL_SECONDS,
// default 8). For the worker on and off, child processes serve a bare Koa app and the service
// over a synthetic snapshot (the bare app in a process of its own); the service starts its first assessment at once (warm start), and
// its cache expires every TTL. /health is paced at 50 req/s on both for the whole window
// (warm-up included), while /v1/assets is asked every second (each expiry starts a refresh).
// Then the default /v1/assets page and a page of 1,000 full assets, and the child's peak RSS.
// SRE_OPS_BENCH_DIR: where the snapshot goes; SRE_OPS_BENCH_HEAP_MB: the service's heap limit;
// SRE_OPS_BENCH_MODES=worker: the worker run only. SRE_OPS_BENCH_SNAPSHOT: serve that snapshot folder as it is (nothing generated).
// SRE_OPS_BENCH_SERVER_NICE: the servers' niceness (both alike).

const FLEET_FINDINGS = Number(process.env.SRE_OPS_BENCH_FLEET_FINDINGS ?? 200_000);
const FLEET_INSTANCES = Math.max(1, Math.round(FLEET_FINDINGS / 80));
const FLEET_SECONDS = Number(process.env.SRE_OPS_BENCH_FLEET_SECONDS ?? 40);
const TTL_SECONDS = Number(process.env.SRE_OPS_BENCH_TTL_SECONDS ?? 8);
/** SRE_OPS_BENCH_SNAPSHOT: a snapshot folder to serve as it is (read only; its description names its size), instead of generating one. */
const FLEET_SNAPSHOT = process.env.SRE_OPS_BENCH_SNAPSHOT;
const FLEET_DIR = FLEET_SNAPSHOT ?? (process.env.SRE_OPS_BENCH_DIR
  ? join(process.env.SRE_OPS_BENCH_DIR, `snapshot-${FLEET_INSTANCES}-${FLEET_FINDINGS}`)
  : fileURLToPath(new URL(`${import.meta.url.endsWith('.ts') ? '../' : '../../'}.bench-data/snapshot-${FLEET_INSTANCES}-${FLEET_FINDINGS}/`, import.meta.url)));
/** SRE_OPS_BENCH_HEAP_MB: the service's --max-old-space-size (the task sets 75% of its memory: 1536 for a 2 GB task). */
const HEAP_MB = process.env.SRE_OPS_BENCH_HEAP_MB ? Number(process.env.SRE_OPS_BENCH_HEAP_MB) : undefined;
/** SRE_OPS_BENCH_MODES=worker: only the worker run (the event loop one stalls for minutes on a large fleet). */
const MODES = (process.env.SRE_OPS_BENCH_MODES ?? 'worker,event-loop').split(',');

interface FleetPorts { bare: number; api: number }

/**
 * SRE_OPS_BENCH_SERVER_NICE: the niceness of the servers' processes (the service and bare Koa
 * alike), e.g. -5 to run them ahead of the load generator and the machine's other work (root).
 */
const SERVER_NICE = process.env.SRE_OPS_BENCH_SERVER_NICE ? Number(process.env.SRE_OPS_BENCH_SERVER_NICE) : undefined;

function forkServer(flag: string, env: NodeJS.ProcessEnv, execArgv: string[] = process.execArgv): { child: ChildProcess; port: Promise<Record<string, number>> } {
  const child = fork(fileURLToPath(import.meta.url), [flag], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  if (SERVER_NICE !== undefined && child.pid !== undefined) setPriority(child.pid, SERVER_NICE);
  const port = new Promise<Record<string, number>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Record<string, number>));
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  return { child, port };
}

/** The bare Koa app in a process of its own, so that a stalled service does not stall it. */
async function serveBare(): Promise<void> {
  const bare = new Koa();
  bare.use(async (ctx) => {
    ctx.body = { hello: 'world' };
  });
  process.send?.({ bare: await listen(createServer(bare.callback())) });
}

async function serveFleet(): Promise<void> {
  const { offloadReads } = await import('../composition/offloaded-assistant.js');
  const worker = process.env.SRE_OPS_ASSESSMENT_WORKER !== 'off';
  const options = { source: `snapshot:${FLEET_DIR}`, now: '2026-11-20T12:00:00Z', stateStore: { kind: 'sqlite' as const, path: ':memory:' } };
  const main = await createAssistant(options);
  const assistant = worker ? offloadReads(main, { options }) : main;
  const keys = [{ name: 'bench', sha256: sha256Hex(KEY), scopes: ['read' as const] }];
  const logger = createHttpLogger({ destination: pino.destination({ dest: '/dev/null', sync: false }) });
  const api = createHttpApp({ assistant, keys, logger, cache: { ttlMs: TTL_SECONDS * 1000 }, limits: { perSecond: 1e9, burst: 1e9, perDay: 1e12 } });
  api.warm();
  // The CPU time (both threads) the service spent until its first assessment was cached: what sizes the task's vCPU.
  let cpuToReady: number | null = null;
  const watch = setInterval(() => {
    if (api.assistant.isWarm?.() !== true) return;
    const u = process.cpuUsage();
    cpuToReady = (u.user + u.system) / 1e6;
    clearInterval(watch);
  }, 100);
  process.send?.({ api: await listen(createServer(api.callback())) });
  process.on('message', () => process.send?.({ maxRssMb: process.resourceUsage().maxRSS / 1024, warm: api.assistant.isWarm?.() ?? false, upstream: api.assistant.cacheStats?.().misses ?? 0, cpuToReady }));
}

async function timedGet(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const r = await fetch(url, { headers: { 'x-api-key': KEY } });
  const bytes = (await r.arrayBuffer()).byteLength;
  return { ms: Math.round(performance.now() - t0), bytes, status: r.status };
}

async function fleetRun(worker: boolean): Promise<string> {
  const bareServer = forkServer('--serve-bare', process.env);
  const service = forkServer('--serve-fleet', { ...process.env, SRE_OPS_ASSESSMENT_WORKER: worker ? 'on' : 'off' }, [...process.execArgv, ...(HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : [])]);
  const child = service.child;
  try {
    const ports: FleetPorts = { bare: (await bareServer.port).bare as number, api: (await service.port).api as number };
    const base = (p: number): string => `http://127.0.0.1:${p}`;
    const t0 = performance.now();
    let firstAnswerMs: number | null = null;
    let assetsAsked = 0;
    const stop = { now: false };
    const poller = (async () => {
      while (!stop.now) {
        const r = await timedGet(`${base(ports.api)}/ready`);
        if (r.status === 200 && firstAnswerMs === null) firstAnswerMs = Math.round(performance.now() - t0);
        if (firstAnswerMs !== null) {
          await timedGet(`${base(ports.api)}/v1/assets`);
          assetsAsked++;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const [health, bare] = await Promise.all([paced(`${base(ports.api)}/health`, 50, FLEET_SECONDS), paced(`${base(ports.bare)}/`, 50, FLEET_SECONDS)]);
    stop.now = true;
    await poller;
    const page = await timedGet(`${base(ports.api)}/v1/assets`);
    // /health paced while the page of 1,000 full assets is written: does the page hold the loop?
    const fullStarted = performance.now();
    const fullPage = timedGet(`${base(ports.api)}/v1/assets?include=findings&limit=1000`);
    const healthDuringFull: number[] = [];
    let fullDone = false;
    void fullPage.finally(() => (fullDone = true));
    while (!fullDone) {
      const planned = performance.now();
      await timedGet(`${base(ports.api)}/health`);
      healthDuringFull.push(Math.round(performance.now() - planned));
      await new Promise((r) => setTimeout(r, 20));
    }
    const full = await fullPage;
    const fullMs = Math.round(performance.now() - fullStarted);
    const stats = await new Promise<{ maxRssMb: number; upstream: number; cpuToReady: number | null }>((resolve) => {
      child.once('message', (m) => resolve(m as { maxRssMb: number; upstream: number; cpuToReady: number | null }));
      child.send('stats');
    });
    return `${(worker ? 'worker' : 'event loop').padEnd(11)} ${`${health.p50}/${health.p99}/${health.max}`.padStart(20)} ${`${bare.p50}/${bare.p99}/${bare.max}`.padStart(18)} ` +
      `${String(firstAnswerMs ?? 'never').padStart(9)} ${(stats.cpuToReady === null ? 'never' : stats.cpuToReady.toFixed(0)).padStart(10)} ${String(assetsAsked).padStart(6)} ${`${(page.bytes / 1024).toFixed(0)} KiB ${page.ms} ms`.padStart(16)} ` +
      `${`${(full.bytes / 1048576).toFixed(1)} MiB ${fullMs} ms`.padStart(18)} ${`${healthDuringFull.length}/${Math.max(0, ...healthDuringFull)}`.padStart(14)} ` +
      `${String(stats.upstream).padStart(9)} ${stats.maxRssMb.toFixed(0).padStart(8)}`;
  } finally {
    child.kill('SIGTERM');
    bareServer.child.kill('SIGTERM');
  }
}

async function fleetMain(): Promise<void> {
  if (FLEET_SNAPSHOT) {
    const described = (JSON.parse(readFileSync(join(FLEET_SNAPSHOT, 'snapshot.json'), 'utf8')) as { description?: string }).description;
    console.log(`serving ${FLEET_SNAPSHOT} (${described ?? 'no description'}) as it is`);
  } else if (!existsSync(join(FLEET_DIR, 'inspector2-list-findings.json'))) {
    console.log(`generating a synthetic snapshot: ${FLEET_INSTANCES} instances, ${FLEET_FINDINGS} findings -> ${FLEET_DIR}`);
    await generateSyntheticSnapshot(FLEET_DIR, { instances: FLEET_INSTANCES, findings: FLEET_FINDINGS });
  }
  console.log(`\n${FLEET_SNAPSHOT ? 'the snapshot above' : `${FLEET_FINDINGS} findings on ${FLEET_INSTANCES} instances`}; /health and bare Koa paced at 50 req/s for ${FLEET_SECONDS} s from start (warm-up included), ` +
    `cache TTL ${TTL_SECONDS} s, /v1/assets asked every second; node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${'assess on'.padEnd(11)} ${'/health p50/p99/max'.padStart(20)} ${'bare p50/p99/max'.padStart(18)} ${'ready ms'.padStart(9)} ${'CPU s ready'.padStart(10)} ${'assets'.padStart(6)} ${'default page'.padStart(16)} ${'1,000 full assets'.padStart(18)} ${'/health n/max'.padStart(14)} ${'assessed'.padStart(9)} ${'RSS MiB'.padStart(8)}`);
  if (HEAP_MB) console.log(`service heap limit: --max-old-space-size=${HEAP_MB}`);
  if (SERVER_NICE !== undefined) console.log(`servers' niceness: ${SERVER_NICE} (this process: ${getPriority()})`);
  for (const worker of [true, false]) if (MODES.includes(worker ? 'worker' : 'event-loop')) console.log(await fleetRun(worker));
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('(latencies in ms from the planned send time; goal: /health p99 under 50 ms. /health n/max: /health asked one after another while the page of 1,000 full assets was written, and the slowest;' +
    ' CPU s ready: CPU seconds the service (both threads) spent until its first assessment was cached;' +
    ' assessed: fleet assessments the cache asked for (the first and each refresh after an expiry); RSS: the service process\'s peak, worker thread included)');
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--serve-fleet')) await serveFleet();
else if (process.argv.includes('--serve-bare')) await serveBare();
else if (process.argv.includes('fleet')) await fleetMain();
else await main();
