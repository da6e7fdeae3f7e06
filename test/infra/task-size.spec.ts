/** Issue 17 (c): the task's size comes from the fleet it serves (docs/infrastructure.md, "Task size"). */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { readConfig } from '../../infra/lib/config.js';
import { heapLimitMiB, TASK_SIZES, taskSizeFor } from '../../infra/lib/task-size.js';
import { REPO_ROOT } from '../support/paths.js';
import { INPUTS } from './support/synth.js';

/** Fargate's valid memory for each CPU size (MiB). */
const FARGATE: Record<number, [number, number]> = { 256: [512, 2048], 512: [1024, 4096], 1024: [2048, 8192], 2048: [4096, 16_384], 4096: [8192, 30_720] };

describe('infra: task size from the fleet size', () => {
  it('picks the smallest row that holds the fleet, and refuses a fleet beyond the table naming fleetFindings', () => {
    expect(taskSizeFor(1)).to.deep.equal({ cpu: 256, memoryMiB: 1024 });
    expect(taskSizeFor(100_000)).to.deep.equal({ cpu: 512, memoryMiB: 2048 });
    expect(taskSizeFor(100_001)).to.deep.equal({ cpu: 1024, memoryMiB: 4096 });
    expect(() => taskSizeFor(5_000_000)).to.throw(/context fleetFindings: expected at most 4000000/);
  });

  it('every row is a valid Fargate combination, growing with the fleet; the heap is 75 % of the memory', () => {
    for (const r of TASK_SIZES) {
      const [min, max] = FARGATE[r.cpu] ?? [0, -1];
      expect(r.memoryMiB, `${r.findings}`).to.be.within(min, max);
    }
    for (let i = 1; i < TASK_SIZES.length; i++) expect(TASK_SIZES[i]!.memoryMiB).to.be.greaterThan(TASK_SIZES[i - 1]!.memoryMiB);
    expect(heapLimitMiB(2048)).to.equal(1536);
  });

  it('the table in docs/infrastructure.md is the table the code uses', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'infrastructure.md'), 'utf8');
    for (const r of TASK_SIZES) {
      const row = `| ${r.findings.toLocaleString('en-US')} | ${r.cpu / 1024} | ${r.memoryMiB.toLocaleString('en-US')} | ${heapLimitMiB(r.memoryMiB).toLocaleString('en-US')} |`;
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
