/**
 * A findings report is never held whole: 20,000 findings with long descriptions (about 90 MB of
 * JSON, generated as it is read) go through the reader while the memory in use is sampled. A
 * reader that kept the text, or the findings, would grow by far more than the bound; a streaming
 * one stays within a few chunks and one finding. A coarse bound on memory, not a timing.
 */
import { expect } from 'chai';
import { FindingsInputSource } from '../../../../../adapters/outbound/aws-shapes/findings-input.js';

const COUNT = 20_000;
const DESCRIPTION = 'x'.repeat(4000);

function finding(i: number): string {
  return JSON.stringify({
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${i}`, type: 'PACKAGE_VULNERABILITY', severity: 'HIGH', status: 'ACTIVE',
    description: DESCRIPTION, firstObservedAt: 'Wed Sep 04 16:59:44.356 UTC 2024', lastObservedAt: 'Wed Sep 04 16:59:44.356 UTC 2024',
    packageVulnerabilityDetails: { vulnerabilityId: `CVE-2024-${i}`, vulnerablePackages: [{ name: 'openssl', version: '3.0.8', fixedInVersion: '1:3.0.9' }] },
    resources: [{ type: 'AWS_EC2_INSTANCE', id: `i-${String(i % 500).padStart(17, '0')}` }],
  });
}

/** The report, generated 64 KB at a time as the reader asks for it. */
async function* report(): AsyncGenerator<Uint8Array> {
  let pending = '{"findings": [';
  for (let i = 0; i < COUNT; i++) {
    pending += `${i === 0 ? '' : ','}\n${finding(i)}`;
    if (pending.length >= 1 << 16) {
      yield Buffer.from(pending);
      pending = '';
    }
  }
  yield Buffer.from(`${pending}]}`);
}

const inUse = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

describe('findings input memory', () => {
  it('stays bounded while a report far larger than the bound streams through', async function () {
    this.timeout(120_000);
    const source = new FindingsInputSource(async function* () {
      yield { name: 'generated.json', open: () => Promise.resolve(report()) };
    }, 'findings');
    const baseline = inUse();
    let peak = baseline;
    let n = 0;
    let bytes = 0;
    for await (const f of source.listActiveFindings()) {
      n++;
      bytes += DESCRIPTION.length;
      if (n % 250 === 0) peak = Math.max(peak, inUse());
      void f;
    }
    expect(n).to.equal(COUNT);
    // About 90 MB passed through; a reader holding it would grow by at least that much.
    expect(bytes).to.be.greaterThan(75 * 1024 * 1024);
    expect(peak - baseline, `grew by ${((peak - baseline) / 1048576).toFixed(1)} MB`).to.be.lessThan(40 * 1024 * 1024);
  });
});
