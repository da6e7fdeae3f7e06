/**
 * Issue 4's benchmark.
 * 1. State store throughput: patch runs created, read and updated, audit entries appended and
 *    listed, per second, on SQLite (a temporary file) and on DynamoDB (moto_server on loopback:
 *    a local emulator, so the numbers measure the adapter and the wire, not AWS).
 * 2. The fleet report with 10,000 risk acceptances against the same report with none (goal: the
 *    ratio under 1.10).
 *
 *   node --expose-gc --import tsx bench/state-store.bench.ts   (SRE_OPS_BENCH_OPS, _INSTANCES, _FINDINGS, _ACCEPTANCES, _REPEAT)
 *
 * Prints numbers; asserts nothing (the machine is shared and noisy: read the ratio).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable, DynamoDbStateStore } from '../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { SqliteStateStore } from '../adapters/outbound/sqlite/sqlite-state-store.js';
import type { Asset, Finding, RiskAcceptance } from '../domain/fleet-facts.js';
import { DAY_MS } from '../domain/time.js';
import { AssessFleet } from '../ports/use-cases/assessment/assess-fleet.use-case.js';
import type { StateStore } from '../ports/outbound/state-store.port.js';
import { aFinding, aManagedInstance, anAsset, T0 } from '../test/builders.js';
import { fakeDependencies } from '../test/fakes/memory-ports.js';
import { aRun, anAuditEntry, targets } from '../test/patch-builders.js';
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from '../test/support/moto.js';

const OPS = Number(process.env.SRE_OPS_BENCH_OPS ?? 500);
const INSTANCES = Number(process.env.SRE_OPS_BENCH_INSTANCES ?? 2000);
const FINDINGS = Number(process.env.SRE_OPS_BENCH_FINDINGS ?? 40_000);
const ACCEPTANCES = Number(process.env.SRE_OPS_BENCH_ACCEPTANCES ?? 10_000);
const REPEAT = Number(process.env.SRE_OPS_BENCH_REPEAT ?? 15);
/** Collects garbage between timings when run with --expose-gc, so one run's garbage is not billed to the next. */
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`.padStart(10);
}

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return performance.now() - t0;
}

async function storeThroughput(name: string, store: StateStore): Promise<void> {
  // A realistic run: 20 instances in a few waves.
  const ids = Array.from({ length: OPS }, (_, i) => `r-bench-${String(i).padStart(6, '0')}`);
  const create = await timed(OPS, (i) => store.createRun(aRun({ id: ids[i] as string, now: T0 + i, targets: targets(20) }), { key: `k-${i}`, fingerprint: 'f' }));
  const read = await timed(OPS, (i) => store.getRun(ids[i] as string));
  const update = await timed(OPS, async (i) => {
    const r = await store.getRun(ids[i] as string);
    if (r) await store.updateRun({ ...r, reason: 'updated' });
  });
  const append = await timed(OPS, (i) => store.appendAudit(anAuditEntry({ id: `a-${i}`, at: T0 + i, target: ids[i % 50] as string })));
  const lists = Math.max(1, Math.floor(OPS / 10));
  const listAudit = await timed(lists, () => store.listAudit({ limit: 100 }));
  const listRuns = await timed(lists, () => store.listRuns({ limit: 50 }));
  console.log(
    `${name.padEnd(22)} runs: create ${rate(OPS, create)}  get ${rate(OPS, read)}  get+update ${rate(OPS, update)}` +
      `   audit: append ${rate(OPS, append)}  list 100 ${rate(lists, listAudit)}   list 50 runs ${rate(lists, listRuns)}`,
  );
}

/** A fleet of INSTANCES with FINDINGS spread over them, CVE ids reused across the fleet as in life. */
function fleet(): { assets: Asset[]; findings: Finding[] } {
  const assets = Array.from({ length: INSTANCES }, (_, i) => anAsset({ instanceId: `i-${i.toString(16).padStart(17, '0')}`, name: `host-${i}`, tags: { Name: `host-${i}`, Environment: i % 3 ? 'prod' : 'dev' } }));
  const findings = Array.from({ length: FINDINGS }, (_, i) =>
    aFinding({ findingArn: `arn:f-${i}`, instanceId: assets[i % INSTANCES]?.instanceId as string, vulnerabilityId: `CVE-2024-${10000 + (i % 3000)}`, exploitAvailable: i % 7 === 0 }),
  );
  return { assets, findings };
}

/** Acceptances as a large team accumulates them: most on one instance, some fleet-wide, some expired. */
function acceptances(assets: readonly Asset[], now: number): RiskAcceptance[] {
  return Array.from({ length: ACCEPTANCES }, (_, i) => ({
    id: `acc-${i}`,
    vulnerabilityId: `CVE-2024-${10000 + ((i * 7) % 6000)}`,
    instanceId: i % 10 === 0 ? null : (assets[(i * 13) % assets.length]?.instanceId as string),
    reason: 'bench',
    acceptedBy: 'bench',
    acceptedAt: now - DAY_MS,
    until: i % 5 === 1 ? now - 1 : now + 30 * DAY_MS,
  }));
}

/**
 * CPU time of this process, ms. The report is in-memory and single-threaded, so CPU time is its
 * cost; unlike wall time it does not grow when other processes share the machine.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function fleetReport(): Promise<void> {
  const { assets, findings } = fleet();
  const now = T0 + 20 * DAY_MS;
  const base = { assets, findings, now, managed: assets.map((a) => aManagedInstance({ instanceId: a.instanceId })) };
  const none = new AssessFleet(fakeDependencies({ ...base, acceptances: [] }).deps);
  const many = new AssessFleet(fakeDependencies({ ...base, acceptances: acceptances(assets, now) }).deps);
  const withNone: number[] = [];
  const withMany: number[] = [];
  let accepted = 0;
  await none.execute();
  await many.execute();
  for (let i = 0; i < REPEAT; i++) {
    // Interleaved, so drift on a noisy machine hits both alike.
    collect();
    let t0 = cpuMs();
    await none.execute();
    withNone.push(cpuMs() - t0);
    collect();
    t0 = cpuMs();
    accepted = (await many.execute()).summary.accepted;
    withMany.push(cpuMs() - t0);
  }
  const a = median(withNone);
  const b = median(withMany);
  console.log(`\nfleet report, ${INSTANCES} instances, ${FINDINGS} findings (CPU time, median of ${REPEAT}):`);
  console.log(`  no acceptances             ${a.toFixed(0).padStart(6)} ms`);
  console.log(`  ${ACCEPTANCES.toLocaleString('en-US')} acceptances (${accepted} findings accepted) ${b.toFixed(0).padStart(6)} ms`);
  console.log(`  ratio ${(b / a).toFixed(3)} (goal under 1.10)`);
}

async function main(): Promise<void> {
  console.log(`state store: ${OPS} operations of each kind, one at a time (latency-bound, as a CLI or one Lambda sees it)\n`);
  const dir = mkdtempSync(join(tmpdir(), 'sre-ops-bench-'));
  const sqlite = new SqliteStateStore(join(dir, 'state.db'));
  try {
    await storeThroughput('SQLite (file, WAL)', sqlite);
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const moto = await startMoto();
  const client = new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  try {
    await createStateTable(client, 'sre-ops-bench');
    await storeThroughput('DynamoDB (moto_server)', new DynamoDbStateStore(client, 'sre-ops-bench'));
  } finally {
    client.destroy();
    await moto.stop();
  }
  await fleetReport();
}

await main();
