/**
 * Issue 17: memory grows with the number of instances and a small fixed cost per finding. A
 * generated stream of 250,000 Inspector findings (raw JSON, parsed and mapped one at a time as the
 * adapters do; a hundred times the demo fleet, the largest in-memory test) goes through the fleet
 * assessment and the streamed `assess --json` writer, and resident memory is sampled with
 * process.memoryUsage() as it goes. The bound is coarse on purpose (a shared machine, a garbage
 * collector that runs when it likes): at most 1 KB per finding while reading, where a mapped
 * Finding object alone costs some 1.5 KB and the whole assessment used to hold about 4 KB; and
 * writing the report out adds at most a fixed amount, whatever the number of findings.
 * No timing is asserted.
 */
import { Writable } from 'node:stream';
import { retainedMemory } from '../support/retained-memory.js';
import { expect } from 'chai';
import { createAssistant } from '../../composition/index.js';
import { mapFinding } from '../../adapters/outbound/aws-shapes/index.js';
import { writeJson } from '../../adapters/inbound/cli/json-output.js';
import type { Asset, Finding } from '../../domain/fleet-facts.js';
import type { FindingsSource } from '../../ports/outbound/findings-source.port.js';
import { anAsset } from '../builders.js';

const FINDINGS = 250_000;
const INSTANCES = 2_500;
const NOW = '2026-11-20T12:00:00Z';
const MB = 1024 * 1024;

/** Memory the process holds on to after a full collection (for the phases' retained memory, see below). */
const retained = (): number => retainedMemory('external', 1);

const idOf = (i: number): string => `i-${i.toString(16).padStart(17, '0')}`;

/** One raw ListFindings entry as Inspector writes it (about 1.3 KB of JSON), varied by `n`. */
function rawFinding(n: number): string {
  const cve = `CVE-2024-${1000 + (n % 400)}`;
  const pkg = `package-${n % 97}`;
  const vector = n % 3 === 0 ? 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' : 'CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:N';
  return JSON.stringify({
    awsAccountId: '123456789012',
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${n.toString(16).padStart(32, '0')}`,
    type: 'PACKAGE_VULNERABILITY',
    severity: n % 5 === 0 ? 'CRITICAL' : 'HIGH',
    status: 'ACTIVE',
    title: `${cve} - ${pkg}`,
    description: `A flaw was found in ${pkg} that lets a remote attacker do something bad under some conditions. `.repeat(4),
    inspectorScore: 7.5,
    inspectorScoreDetails: { adjustedCvss: { score: 7.5, scoringVector: vector, version: '3.1', adjustments: [] } },
    packageVulnerabilityDetails: {
      vulnerabilityId: cve, source: 'NVD', sourceUrl: `https://nvd.nist.gov/vuln/detail/${cve}`,
      cvss: [{ baseScore: 7.5, scoringVector: vector, source: 'NVD', version: '3.1' }],
      relatedVulnerabilities: [`ALAS-2024-${n % 400}`],
      vulnerablePackages: [{ name: pkg, version: '1.2.3', release: '4.amzn2023', epoch: 0, arch: 'X86_64', packageManager: 'OS', fixedInVersion: '0:1.2.4-1.amzn2023' }],
    },
    remediation: { recommendation: { text: 'Upgrade the package to the fixed version.' } },
    resources: [{ type: 'AWS_EC2_INSTANCE', id: idOf(n % INSTANCES), region: 'us-east-1', partition: 'aws', details: { awsEc2Instance: { type: 't3.medium', platform: 'AMAZON_LINUX_2023' } } }],
    exploitAvailable: n % 7 === 0 ? 'YES' : 'NO',
    fixAvailable: 'YES',
    epss: { score: (n % 100) / 100 },
    firstObservedAt: new Date(Date.parse(NOW) - (1 + (n % 90)) * 86_400_000).toISOString(),
    lastObservedAt: new Date(Date.parse(NOW) - 3_600_000).toISOString(),
    updatedAt: new Date(Date.parse(NOW) - 3_600_000).toISOString(),
  });
}

describe('bounded memory: a stream far larger than any in-memory test', function () {
  this.timeout(600_000);

  it(`assesses and writes out ${FINDINGS.toLocaleString('en-US')} findings with memory retained growing by at most 1 KB per finding`, async () => {
    const rss = (): number => process.memoryUsage().rss;
    let peakRead = 0;
    let peakReadRetained = 0;
    const source: FindingsSource = {
      async *listActiveFindings(): AsyncIterable<Finding> {
        for (let n = 0; n < FINDINGS; n++) {
          const f = mapFinding(JSON.parse(rawFinding(n)), `$.findings[${n}]`);
          if (f !== null) yield f;
          if (n % 5000 === 0) peakRead = Math.max(peakRead, rss());
          if (n % 25_000 === 0) peakReadRetained = Math.max(peakReadRetained, retained());
        }
      },
    };
    const assets: Asset[] = Array.from({ length: INSTANCES }, (_, i) => anAsset({ instanceId: idOf(i), name: `host-${i}`, tags: { Name: `host-${i}`, Environment: i % 2 ? 'prod' : 'dev' } }));
    const assistant = await createAssistant({ source: 'demo', now: NOW, adapters: { findings: source, assets: { listAssets: async () => assets } } });
    const before = rss();
    const retainedAtStart = retained();
    let findingsOut = 0;
    let bytes = 0;
    let peakWrite = 0;
    let afterAssessment: number;
    let retainedBefore: number;
    let peakRetained = 0;
    let nextSample = 0;
    try {
      const stream = await assistant.streamFleet!();
      afterAssessment = rss();
      retainedBefore = retained();
      peakReadRetained = Math.max(peakReadRetained, retainedBefore);
      const sink = new Writable({
        write(chunk: Buffer | string, _enc, done): void {
          bytes += chunk.length;
          peakWrite = Math.max(peakWrite, rss());
          if (bytes >= nextSample) {
            nextSample += 16 * MB;
            peakRetained = Math.max(peakRetained, retained());
          }
          done();
        },
      });
      await writeJson(sink, {
        generatedAt: stream.generatedAt, asOf: stream.asOf, source: stream.source,
        assets: (function* () {
          for (const a of stream.assets) {
            findingsOut += a.findings.length;
            yield a;
          }
        })(),
        summary: stream.summary, warnings: stream.warnings,
      });
      expect(stream.summary().findings).to.equal(FINDINGS);
    } finally {
      await assistant.close();
    }
    expect(findingsOut).to.equal(FINDINGS);
    expect(bytes).to.be.above(FINDINGS * 500); // the report really was written (about 1 KB per finding)

    // Asserted on what is retained after a full collection (sampled every 25,000 findings and at the
    // end of the assessment); resident growth is printed beside it (on a busy machine V8 defers
    // collection and resident memory read 1,040 B a finding in a CI run where 300 B is typical).
    const perFinding = (peakReadRetained - retainedAtStart) / FINDINGS;
    const residentPerFinding = (Math.max(peakRead, afterAssessment) - before) / FINDINGS;
    const writeGrowth = (peakRetained - retainedBefore) / MB;
    console.log(`      growth: ${perFinding.toFixed(0)} B retained (${residentPerFinding.toFixed(0)} B resident) per finding while reading and assessing; while writing ${(bytes / MB).toFixed(0)} MB of report, ${writeGrowth.toFixed(0)} MB retained (${((peakWrite - afterAssessment) / MB).toFixed(0)} MB resident)`);
    expect(perFinding, 'bytes retained per finding').to.be.below(1024);
    // Writing ~250 MB of JSON must not hold it: what the process holds on to (after a full
    // collection, sampled every 16 MB written) grows by a constant far below its size. Resident
    // memory is printed, not asserted, for this phase: under load V8 lets garbage pile up before
    // it collects (a CI run on a busy machine saw 215 MB resident where 13 MB is typical).
    expect(writeGrowth, 'MB retained while writing the report').to.be.below(128);
  });
});
