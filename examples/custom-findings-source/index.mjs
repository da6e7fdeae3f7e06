// Findings from another scanner, everything else from the bundled demo fleet: a custom outbound
// adapter passed through createAssistant, typed against the FindingsSource port.
//   node examples/custom-findings-source/index.mjs [--json]
import { readFile } from 'node:fs/promises';
import { createAssistant } from 'sre-ops-assistant';

/** Reads a scanner's CSV export (one row per vulnerable package) and yields domain Findings. */
class CsvFindingsSource {
  constructor(path, observedAt) {
    this.path = path;
    this.observedAt = observedAt;
  }

  /** @param {{ instanceIds?: readonly string[] }} [filter] */
  async *listActiveFindings(filter = {}) {
    const [header, ...rows] = (await readFile(this.path, 'utf8')).trim().split('\n');
    const cols = header.split(',');
    for (const line of rows) {
      const r = Object.fromEntries(line.split(',').map((v, i) => [cols[i], v]));
      if (filter.instanceIds && !filter.instanceIds.includes(r.instance_id)) continue;
      yield {
        findingArn: `csv:${r.instance_id}:${r.cve}:${r.package}`,
        type: 'PACKAGE_VULNERABILITY',
        severity: r.severity,
        status: 'ACTIVE',
        title: `${r.cve} - ${r.package}`,
        instanceId: r.instance_id,
        vulnerabilityId: r.cve,
        inspectorScore: Number(r.cvss_score),
        adjustedCvss: null,
        cvss: [{ baseScore: Number(r.cvss_score), scoringVector: r.cvss_vector, version: '3.1' }],
        epss: Number(r.epss),
        exploitAvailable: r.exploit_seen === 'yes',
        lastKnownExploitAt: null,
        fixAvailable: r.fixed ? 'YES' : 'NO',
        packages: [{ name: r.package, version: r.installed, fixedInVersion: r.fixed || null }],
        firstObservedAt: this.observedAt,
        lastObservedAt: this.observedAt,
        networkReachability: null,
      };
    }
  }
}

const now = Date.parse('2026-11-20T12:00:00Z');
const assistant = await createAssistant({
  now,
  adapters: { findings: new CsvFindingsSource(new URL('./scan.csv', import.meta.url), now - 2 * 86_400_000) },
});
const report = await assistant.assessFleet({ decisions: ['patch-now', 'next-window', 'routine'] });
await assistant.close();

if (process.argv.includes('--json')) console.log(JSON.stringify(report));
else for (const a of report.assets) console.log(`${a.riskScore.toFixed(1).padStart(5)}  ${a.name}  ${a.decision}  ${a.findings.map((f) => `${f.vulnerabilityId} (${f.ssvc}, ${f.timeline})`).join(', ')}`);
