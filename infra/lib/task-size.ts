/**
 * The Fargate task's size from the fleet it serves: the table in docs/infrastructure.md ("Task
 * size"), from `npm run bench:http -- fleet` (peak RSS of the service, worker thread included,
 * while it assesses and serves). The memory leaves room above the measured peak for a second
 * answer being computed beside the cached one (stale-while-revalidate keeps the old one until
 * the new one is in), and Node's heap limit is set from it (heapLimitMiB).
 */

export interface TaskSize {
  /** Fargate CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** Rows: fleets of up to `findings` active findings, smallest first. */
export const TASK_SIZES: readonly (TaskSize & { readonly findings: number })[] = [
  { findings: 20_000, cpu: 256, memoryMiB: 1024 },
  { findings: 100_000, cpu: 512, memoryMiB: 2048 },
  { findings: 200_000, cpu: 1024, memoryMiB: 4096 },
  { findings: 500_000, cpu: 2048, memoryMiB: 8192 },
  { findings: 1_000_000, cpu: 2048, memoryMiB: 16_384 },
  { findings: 4_000_000, cpu: 4096, memoryMiB: 30_720 },
];

/** The fleet size the infrastructure is configured for when the context does not say. */
export const DEFAULT_FLEET_FINDINGS = 100_000;

/** The smallest row that holds `findings`. @throws Error naming fleetFindings beyond the table. */
export function taskSizeFor(findings: number): TaskSize {
  const row = TASK_SIZES.find((r) => findings <= r.findings);
  if (!row) throw new Error(`context fleetFindings: expected at most ${TASK_SIZES.at(-1)?.findings} findings (the largest Fargate task), got ${findings}`);
  return { cpu: row.cpu, memoryMiB: row.memoryMiB };
}

/**
 * Node's old-generation limit for a task of `memoryMiB`: 75 %, leaving the rest for the young
 * generation, buffers, the worker thread's own young space and the runtime. (Node 20+ would
 * otherwise size its heap from the host's memory, not the container's.)
 */
export function heapLimitMiB(memoryMiB: number): number {
  return Math.floor(memoryMiB * 0.75);
}
