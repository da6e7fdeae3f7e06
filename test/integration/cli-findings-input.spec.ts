/**
 * The built `sre-ops` binary with `--findings`: a downloaded Inspector2 findings report or a file
 * of archived EventBridge events in place of the snapshot's findings (the rest of the fleet from
 * the snapshot), and the one-line errors for a bad value.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const MINIMAL = join(REPO_ROOT, 'test', 'fixtures', 'snapshots', 'minimal');
const WHEN = 'Wed Nov 18 10:00:00.000 UTC 2026';

function finding(instanceId: string, cve: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    awsAccountId: '123456789012', findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${instanceId}-${cve}`,
    type: 'PACKAGE_VULNERABILITY', severity: 'CRITICAL', status: 'ACTIVE', title: `${cve} - openssl`,
    firstObservedAt: WHEN, lastObservedAt: WHEN, updatedAt: WHEN,
    packageVulnerabilityDetails: { vulnerabilityId: cve, vulnerablePackages: [{ name: 'openssl', version: '3.0.8', fixedInVersion: '1:3.0.8-1.amzn2023.0.12' }] },
    fixAvailable: 'YES', resources: [{ type: 'AWS_EC2_INSTANCE', id: instanceId }], ...over,
  };
}

const event = (detail: Record<string, unknown>): string =>
  JSON.stringify({ version: '0', id: 'x', 'detail-type': 'Inspector2 Finding', source: 'aws.inspector2', account: '123456789012', time: '2026-11-18T10:00:00Z', region: 'us-east-1', resources: [], detail });

interface Fleet {
  source: string;
  assets: { instanceId: string; findings: { vulnerabilityId: string }[] }[];
}

describe('sre-ops CLI: --findings (Inspector2 reports and events as input)', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-findings-input-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('assesses a snapshot\'s fleet with the findings of a downloaded report folder (gzip JSON)', async () => {
    const dir = join(tmp, 'report');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a1b2c3.json.gz'), gzipSync(JSON.stringify({ findings: [finding('i-0aaa000000000001', 'CVE-2026-1111'), finding('i-0aaa000000000003', 'CVE-2026-3333')] })));
    const r = await runCli(['assess', '--source', `snapshot:${MINIMAL}`, '--findings', dir, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const fleet = JSON.parse(r.stdout) as Fleet;
    expect(fleet.source).to.equal(`snapshot:${MINIMAL} + findings:${dir}`);
    const cves = fleet.assets.flatMap((a) => a.findings.map((f) => `${a.instanceId} ${f.vulnerabilityId}`)).sort();
    expect(cves).to.deep.equal(['i-0aaa000000000001 CVE-2026-1111', 'i-0aaa000000000003 CVE-2026-3333']);
  });

  it('replays archived events (JSON lines): the latest event of each finding counts, a closed one drops out', async () => {
    const file = join(tmp, 'events.jsonl');
    writeFileSync(file, [
      event(finding('i-0aaa000000000001', 'CVE-2026-1111')),
      event(finding('i-0aaa000000000001', 'CVE-2026-2222')),
      event(finding('i-0aaa000000000001', 'CVE-2026-1111', { status: 'CLOSED', updatedAt: 'Thu Nov 19 10:00:00.000 UTC 2026' })),
    ].join('\n'));
    const r = await runCli(['assess', '--source', `snapshot:${MINIMAL}`, '--findings', file, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const fleet = JSON.parse(r.stdout) as Fleet;
    expect(fleet.assets.flatMap((a) => a.findings.map((f) => f.vulnerabilityId))).to.deep.equal(['CVE-2026-2222']);
  });

  it('refuses a bad value in one line: another URL scheme (exit 2), a missing file or a broken one (exit 1)', async () => {
    const scheme = await runCli(['assess', '--source', `snapshot:${MINIMAL}`, '--findings', 'https://example.com/r.json']);
    expect([scheme.code, scheme.stderr.trim()]).to.deep.equal([2, 'error: --findings: expected s3://BUCKET/PREFIX or a local file or folder, got "https://example.com/r.json"']);
    const missing = await runCli(['assess', '--source', `snapshot:${MINIMAL}`, '--findings', join(tmp, 'nope')]);
    expect([missing.code, missing.stderr.trim()]).to.deep.equal([1, `error: ${join(tmp, 'nope')}: no such file or folder`]);
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, `{"findings": [\n${JSON.stringify(finding('i-0aaa000000000001', 'CVE-1'))},\n{"findingArn": }\n]}`);
    const bad = await runCli(['assess', '--source', `snapshot:${MINIMAL}`, '--findings', broken]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr.trim().split('\n')).to.have.length(1);
    expect(bad.stderr.trim()).to.match(new RegExp(`^error: ${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON: line 3, column 16 \\(byte \\d+\\): `));
  });
});
