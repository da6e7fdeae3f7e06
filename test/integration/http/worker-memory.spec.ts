/**
 * Issue 17: the service's worker doubled peak memory. The worker built the whole fleet report
 * (about 1.6 KB per finding: a FindingReport's reasons are text built per finding) and copied it
 * to the main thread, which kept its own copy of the same size beside the one it already cached.
 * Now the worker builds each asset's report as it sends it and the main thread keeps the
 * findings packed (composition/packed-report.ts), unpacked when read.
 *
 * Measured as a coarse bound on what the main thread keeps per finding (heap and ArrayBuffers) after a fleet
 * report has crossed (after a full garbage collection; no timing): the design before, still
 * selectable (packFleet: false), keeps over 1 KB; the packed one must keep under 500 bytes. The
 * report must still read the same: its JSON equals the in-process report's.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retainedMemory } from '../../support/retained-memory.js';
import { createAssistant } from '../../../composition/index.js';
import { offloadReads } from '../../../composition/offloaded-assistant.js';
import type { FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import { generateSyntheticSnapshot } from '../../../scripts/generate-demo-fleet.js';
import { NOW } from './http-test-kit.js';

// external: the packed findings sit in ArrayBuffers, outside the JavaScript heap.
const heap = (): number => retainedMemory('external');

describe('HTTP service: the worker keeps no second copy of a fleet report (issue 17)', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-worker-memory-'));
    await generateSyntheticSnapshot(join(dir, 'snap'), { instances: 300, findings: 15_000 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Bytes (heap and external) the main thread keeps per finding of the report that crossed, and the report's JSON. */
  async function crossed(packFleet: boolean): Promise<{ perFinding: number; json: string }> {
    const options = { source: `snapshot:${join(dir, 'snap')}`, now: NOW };
    const assistant = offloadReads(await createAssistant(options), { options, packFleet });
    try {
      await assistant.listFindings({ instance: 'i-nothing' }).catch(() => undefined); // the worker started
      const before = heap();
      let report: FleetReport | null = await assistant.assessFleet();
      const perFinding = (heap() - before) / report.summary.findings;
      const json = JSON.stringify(report);
      report = null;
      return { perFinding, json };
    } finally {
      await assistant.close();
    }
  }

  it('keeps the findings of a crossed report packed: under 500 bytes a finding on the main thread, where the design before kept over 1 KB', async () => {
    const local = await createAssistant({ source: `snapshot:${join(dir, 'snap')}`, now: NOW });
    const expected = JSON.stringify(await local.assessFleet());
    await local.close();
    const before = await crossed(false);
    const packed = await crossed(true);
    console.log(`      main-thread memory kept per finding: ${before.perFinding.toFixed(0)} B as objects, ${packed.perFinding.toFixed(0)} B packed`);
    expect(before.json).to.equal(expected);
    expect(packed.json, 'the same JSON contract').to.equal(expected);
    expect(before.perFinding, 'the design before (the defect)').to.be.above(1024);
    expect(packed.perFinding, 'bytes of main-thread memory per finding').to.be.below(500);
  });
});
