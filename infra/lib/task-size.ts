/**
 * The Fargate task's size from the fleet it serves: the table in docs/infrastructure.md ("Task
 * size"), from `node dist/bench/http.bench.js fleet`: the service's peak RSS (both threads) while
 * it warms, serves, and refreshes its cache, and the CPU seconds it spent until its first
 * assessment was cached.
 *
 * Memory: the smallest size Fargate allows for the row's CPU that is at least HEADROOM times the
 * measured peak. Stale-while-revalidate is inside the measurement (each run lasts through at
 * least one refresh, so the cached answer and the one being computed coexist at the peak); the
 * headroom covers real findings' longer texts than the synthetic ones, V8 letting the heap grow
 * towards its limit before it collects, and pages of full assets being written meanwhile.
 *
 * CPU: the smallest that warms the cache within WARM_UP_BUDGET_SECONDS (the service reports
 * ready only once warm, and the health-check grace is 300 s). One worker thread assesses, so
 * beyond 1 vCPU the warm-up gets no faster: a row that needs more than that gets 2 vCPU (a core
 * for the worker, one for the requests) and a longer grace (see healthCheckGraceSeconds).
 */

export interface TaskSize {
  /** Fargate CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  readonly memoryMiB: number;
}

export interface TaskSizeRow extends TaskSize {
  /** Fleets of up to this many active findings. */
  readonly findings: number;
  /** The service's peak RSS in MiB, measured or (basis 'projected') projected. */
  readonly peakRssMiB: number;
  /** CPU seconds (both threads) until the first assessment was cached, measured or projected. */
  readonly cpuSecondsToReady: number;
  readonly basis: 'measured' | 'projected';
}

/** Memory over the measured peak (see the module note). */
export const HEADROOM = 2;

/** The longest warm-up a row's CPU may take (half the 300 s health-check grace, less a margin for slower cores). */
export const WARM_UP_BUDGET_SECONDS = 120;

/** Fargate's valid memory (MiB) for each CPU size. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192),
  2048: range(4096, 16_384),
  4096: range(8192, 30_720),
};

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += 1024) out.push(m);
  return out;
}

/**
 * Rows, smallest first. Measured 2026-12-07 on the shared 2-core development machine (the
 * runs are in docs/infrastructure.md, "Task size"; where a size ran twice, the larger of each
 * figure); projected rows are linear in the findings from the measured 200,000 and 1,000,000 rows.
 */
export const TASK_SIZES: readonly TaskSizeRow[] = [
  { findings: 20_000, cpu: 256, memoryMiB: 512, peakRssMiB: 224, cpuSecondsToReady: 4, basis: 'measured' },
  { findings: 100_000, cpu: 256, memoryMiB: 1024, peakRssMiB: 318, cpuSecondsToReady: 10, basis: 'measured' },
  { findings: 200_000, cpu: 256, memoryMiB: 1024, peakRssMiB: 380, cpuSecondsToReady: 20, basis: 'measured' },
  { findings: 500_000, cpu: 512, memoryMiB: 2048, peakRssMiB: 589, cpuSecondsToReady: 42, basis: 'projected' },
  { findings: 1_000_000, cpu: 1024, memoryMiB: 2048, peakRssMiB: 936, cpuSecondsToReady: 78, basis: 'measured' },
  { findings: 4_000_000, cpu: 2048, memoryMiB: 6144, peakRssMiB: 3021, cpuSecondsToReady: 296, basis: 'projected' },
];

/** The fleet size the infrastructure is configured for when the context does not say. */
export const DEFAULT_FLEET_FINDINGS = 100_000;

/** The size the rule gives for a measurement (see the module note); the table's rows are checked against it. */
export function sizeFromMeasurement(peakRssMiB: number, cpuSecondsToReady: number): TaskSize {
  const cpus = Object.keys(FARGATE_MEMORY).map(Number).sort((a, b) => a - b);
  // Past 1 vCPU the warm-up is no faster; when even that is too slow, 2 vCPU, so that the main
  // thread keeps a core of its own while the worker spends minutes on every refresh.
  const fast = cpus.find((c) => c <= 1024 && cpuSecondsToReady / (c / 1024) <= WARM_UP_BUDGET_SECONDS) ?? 2048;
  for (const cpu of cpus.filter((c) => c >= fast)) {
    const memoryMiB = (FARGATE_MEMORY[cpu] ?? []).find((m) => m >= peakRssMiB * HEADROOM);
    if (memoryMiB !== undefined) return { cpu, memoryMiB };
  }
  throw new Error(`no Fargate task holds ${HEADROOM} x ${peakRssMiB} MiB`);
}

/** The smallest row that holds `findings`. @throws Error naming fleetFindings beyond the table. */
export function taskSizeFor(findings: number): TaskSize {
  const { cpu, memoryMiB } = rowFor(findings);
  return { cpu, memoryMiB };
}

/** The row that holds `findings` (see taskSizeFor). */
function rowFor(findings: number): TaskSizeRow {
  const row = TASK_SIZES.find((r) => findings <= r.findings);
  if (!row) throw new Error(`context fleetFindings: expected at most ${TASK_SIZES.at(-1)?.findings} findings (the largest Fargate task), got ${findings}`);
  return row;
}

/**
 * The health-check grace for a fleet: 300 s, or twice the row's warm-up at its CPU when that is
 * longer (a task reports ready only once its first assessment is cached).
 */
export function healthCheckGraceSeconds(findings: number): number {
  const row = rowFor(findings);
  const warmUp = row.cpuSecondsToReady / Math.min(row.cpu / 1024, 1);
  return Math.max(300, Math.ceil((2 * warmUp) / 60) * 60);
}

/**
 * Node's old-generation limit for a task of `memoryMiB`: 75 %, leaving the rest for the young
 * generation, buffers, the worker thread's own young space and the runtime. (Node 20+ would
 * otherwise size its heap from the host's memory, not the container's.) The table's peaks were
 * measured with this limit for the row's memory.
 */
export function heapLimitMiB(memoryMiB: number): number {
  return Math.floor(memoryMiB * 0.75);
}
