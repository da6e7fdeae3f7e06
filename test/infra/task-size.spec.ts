/**
 * Issue 17 (c): the task's size comes from the fleet it serves, from measurement
 * (docs/infrastructure.md, "Task size"): each row is the smallest valid Fargate task that holds
 * twice the peak the service benchmark measured and warms within the budget. Before, the table
 * sat far above the measured peaks (16 GiB for 1,000,000 findings where the service peaked under
 * 1 GiB from a 2 GiB task's heap limit).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { readConfig } from '../../infra/lib/config.js';
import { HEADROOM, healthCheckGraceSeconds, heapLimitMiB, sizeFromMeasurement, TASK_SIZES, taskSizeFor, WARM_UP_BUDGET_SECONDS } from '../../infra/lib/task-size.js';
import { REPO_ROOT } from '../support/paths.js';
import { INPUTS } from './support/synth.js';

/** Fargate's valid memory for each CPU size (MiB). */
const FARGATE: Record<number, [number, number]> = { 256: [512, 2048], 512: [1024, 4096], 1024: [2048, 8192], 2048: [4096, 16_384], 4096: [8192, 30_720] };

describe('infra: task size from the fleet size', () => {
  it('picks the smallest row that holds the fleet, and refuses a fleet beyond the table naming fleetFindings', () => {
    expect(taskSizeFor(1)).to.deep.equal({ cpu: 256, memoryMiB: 512 });
    expect(taskSizeFor(100_000)).to.deep.equal({ cpu: 256, memoryMiB: 1024 });
    expect(taskSizeFor(200_000)).to.deep.equal({ cpu: 256, memoryMiB: 1024 });
    expect(taskSizeFor(200_001)).to.deep.equal({ cpu: 512, memoryMiB: 2048 });
    expect(taskSizeFor(1_000_000)).to.deep.equal({ cpu: 1024, memoryMiB: 2048 });
    expect(taskSizeFor(4_000_000)).to.deep.equal({ cpu: 2048, memoryMiB: 6144 });
    expect(() => taskSizeFor(5_000_000)).to.throw(/context fleetFindings: expected at most 4000000/);
  });

  it('every row is a valid Fargate combination, growing with the fleet; the heap is 75 % of the memory', () => {
    for (const r of TASK_SIZES) {
      const [min, max] = FARGATE[r.cpu] ?? [0, -1];
      expect(r.memoryMiB, `${r.findings}`).to.be.within(min, max);
      // 0.25 vCPU takes 512, 1,024 or 2,048 MiB; larger sizes whole GiB.
      expect(r.cpu === 256 ? [512, 1024, 2048] : [r.memoryMiB - (r.memoryMiB % 1024)], `${r.findings}`).to.include(r.memoryMiB);
    }
    for (let i = 1; i < TASK_SIZES.length; i++) {
      expect(TASK_SIZES[i]!.memoryMiB).to.be.at.least(TASK_SIZES[i - 1]!.memoryMiB);
      expect(TASK_SIZES[i]!.cpu).to.be.at.least(TASK_SIZES[i - 1]!.cpu);
      expect(TASK_SIZES[i]!.peakRssMiB).to.be.greaterThan(TASK_SIZES[i - 1]!.peakRssMiB);
    }
    expect(heapLimitMiB(2048)).to.equal(1536);
  });

  it('each row is the smallest task that holds twice its peak and warms within the budget, not more', () => {
    for (const r of TASK_SIZES) {
      expect(r.peakRssMiB, `${r.findings}: a measured or projected peak`).to.be.greaterThan(0);
      expect({ cpu: r.cpu, memoryMiB: r.memoryMiB }, `${r.findings}`).to.deep.equal(sizeFromMeasurement(r.peakRssMiB, r.cpuSecondsToReady));
      expect(r.memoryMiB, `${r.findings}: headroom`).to.be.at.least(HEADROOM * r.peakRssMiB);
      // The heap limit the task sets holds the measured peak (it was measured with that limit).
      expect(heapLimitMiB(r.memoryMiB), `${r.findings}: heap limit`).to.be.greaterThan(r.peakRssMiB);
    }
    // The rule: 1,000,000 findings peaked at 936 MiB with 78 CPU seconds to warm: 1 vCPU, 2 GiB (it was 2 vCPU, 16 GiB).
    expect(sizeFromMeasurement(936, 78)).to.deep.equal({ cpu: 1024, memoryMiB: 2048 });
    expect(sizeFromMeasurement(318, 8)).to.deep.equal({ cpu: 256, memoryMiB: 1024 });
    expect(sizeFromMeasurement(300, 60), 'slower than the budget at 0.25 vCPU').to.deep.equal({ cpu: 512, memoryMiB: 1024 });
    expect(sizeFromMeasurement(3000, 2 * WARM_UP_BUDGET_SECONDS), 'slower than the budget at 1 vCPU: 2 vCPU').to.deep.equal({ cpu: 2048, memoryMiB: 6144 });
  });

  it('projected rows lie on the line through the measured 200,000 and 1,000,000 rows', () => {
    const at = (n: number) => TASK_SIZES.find((r) => r.findings === n)!;
    const [a, b] = [at(200_000), at(1_000_000)];
    expect([a.basis, b.basis]).to.deep.equal(['measured', 'measured']);
    for (const r of TASK_SIZES.filter((x) => x.basis === 'projected')) {
      const t = (r.findings - a.findings) / (b.findings - a.findings);
      expect(r.peakRssMiB, `${r.findings}`).to.be.closeTo(a.peakRssMiB + t * (b.peakRssMiB - a.peakRssMiB), 1);
      expect(r.cpuSecondsToReady, `${r.findings}`).to.be.closeTo(a.cpuSecondsToReady + t * (b.cpuSecondsToReady - a.cpuSecondsToReady), 1);
    }
  });

  it('the health-check grace covers twice the warm-up: 300 s, 600 s for 4,000,000 findings', () => {
    expect(healthCheckGraceSeconds(100_000)).to.equal(300);
    expect(healthCheckGraceSeconds(1_000_000)).to.equal(300);
    expect(healthCheckGraceSeconds(4_000_000)).to.equal(600);
  });

  it('the table in docs/infrastructure.md is the table the code uses', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'infrastructure.md'), 'utf8');
    for (const r of TASK_SIZES) {
      const row = `| ${r.findings.toLocaleString('en-US')} | ${r.cpu / 1024} | ${r.memoryMiB.toLocaleString('en-US')} | ${heapLimitMiB(r.memoryMiB).toLocaleString('en-US')} | ` +
        `${r.peakRssMiB.toLocaleString('en-US')} | ${r.cpuSecondsToReady} | ${r.basis} |`;
      expect(doc, row).to.contain(row);
    }
  });

  it('reads fleetFindings from the context and refuses a malformed one', () => {
    const config = (ctx: Record<string, unknown>) => readConfig(new App({ context: { ...INPUTS, ...ctx } }).node, REPO_ROOT);
    expect(config({}).fleetFindings).to.equal(100_000);
    expect(config({ fleetFindings: '1000000' }).fleetFindings).to.equal(1_000_000);
    expect(() => config({ fleetFindings: 'many' })).to.throw(/context fleetFindings: expected a whole number/);
    expect(() => config({ fleetFindings: 9_000_000 })).to.throw(/context fleetFindings: expected at most/);
  });
});
