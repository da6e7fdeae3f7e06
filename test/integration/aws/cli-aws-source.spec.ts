import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_REGION, useMoto } from '../../support/moto.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { runCli } from '../../support/run-cli.js';
import { motoClients, runInstances, wireFinding } from './aws-fixtures.js';

const NOW = '2026-11-20T12:00:00Z';
// The environment of a user with no AWS setup at all: no variables, no files, no instance
// metadata (which would otherwise be tried over the network).
const NO_AWS = {
  AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_REGION: '', AWS_DEFAULT_REGION: '',
  AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true',
};
const MOTO_AWS = { ...NO_AWS, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };

/**
 * `--source aws` through the built CLI against moto_server: the real SDK clients end to end.
 * moto lacks SSM DescribeInstanceInformation / DescribeInstancePatchStates and CloudTrail
 * LookupEvents, so those come back as partial-answer warnings here (their adapters are tested
 * with aws-sdk-client-mock in their own specs).
 */
describe('sre-ops --source aws (CLI against moto)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-aws-cli-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const aws = (endpoint: string) => ['--source', 'aws', '--endpoint-url', endpoint, '--region', MOTO_REGION, '--kev', join(DEMO_FLEET, 'kev.json'), '--now', NOW];

  async function seed(): Promise<string[]> {
    const clients = motoClients(moto.endpoint);
    const web = await runInstances(clients.ec2, 2, { Environment: 'prod', Name: 'web' });
    const dev = await runInstances(clients.ec2, 1, { Environment: 'dev', Name: 'dev-1' });
    await moto.server.post('/moto-api/static/inspector2/findings-results', {
      results: [[
        wireFinding(web[0]!, 1, { packageVulnerabilityDetails: { vulnerabilityId: 'CVE-2021-44228', source: 'NVD', cvss: [{ baseScore: 10, scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', version: '3.1', source: 'NVD' }], vulnerablePackages: [{ name: 'log4j-core', version: '2.14.1', fixedInVersion: '2.17.1', packageManager: 'JAR' }] } }),
        wireFinding(web[1]!, 2),
        wireFinding(dev[0]!, 3),
      ]],
    });
    return [...web, ...dev];
  }

  it('assesses the live account, and its capture gives the same assessment', async () => {
    const ids = await seed();
    const out = join(tmp, 'capture');

    const live = await runCli(['assess', '--json', ...aws(moto.endpoint)], MOTO_AWS);
    const capture = await runCli(['snapshot', 'capture', '--out', out, '--json', ...aws(moto.endpoint)], MOTO_AWS);
    const offline = await runCli(['assess', '--json', '--source', `snapshot:${out}`, '--now', NOW], MOTO_AWS);

    expect(live.code, live.stderr).to.equal(0);
    expect(capture.code, capture.stderr).to.equal(0);
    expect(offline.code, offline.stderr).to.equal(0);
    const a = JSON.parse(live.stdout);
    const b = JSON.parse(offline.stdout);
    expect(a.source).to.equal(`aws:${MOTO_REGION}`);
    expect(a.assets.map((x: { instanceId: string }) => x.instanceId)).to.have.members(ids);
    expect(a.assets[0].findings[0].vulnerabilityId).to.equal('CVE-2021-44228');
    expect(a.assets[0].findings[0].inKev).to.equal(true);
    // Identical but for source and generatedAt; the warnings differ only in wording of the same
    // gap (live: the SSM call failed; offline: the capture left the SSM file out).
    expect(b.assets).to.deep.equal(a.assets);
    expect(b.summary).to.deep.equal(a.summary);
    expect(JSON.parse(capture.stdout).counts).to.include({ instances: 3, findings: 3 });
    expect(capture.stderr).to.contain('[instances]');
  });

  it('a partial answer names the service, operation and error code', async () => {
    await seed();

    const r = await runCli(['compliance', '--json', ...aws(moto.endpoint)], MOTO_AWS);

    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).warnings.join('\n')).to.match(/^ssm:DescribeInstanceInformation failed \(/m);
  });

  it('no credentials is one clear line, not a stack trace (exit 1)', async () => {
    const r = await runCli(['assess', ...aws(moto.endpoint)], NO_AWS);

    expect(r.code).to.equal(1);
    const lines = r.stderr.split('\n').filter((l) => l.trim() && !/NodeVersionSupportWarning|node --trace-warnings|AWS SDK for JavaScript/.test(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^error: .*credentials/i);
  });

  it('no region is a usage error naming the option', async () => {
    const r = await runCli(['assess', '--source', 'aws', '--endpoint-url', moto.endpoint], MOTO_AWS);

    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('region: no AWS region configured; pass --region or set AWS_REGION');
  });

  it('snapshot capture refuses a non-AWS source', async () => {
    const r = await runCli(['snapshot', 'capture', '--out', join(tmp, 'x')]);

    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('snapshot capture reads a live account: use --source aws');
  });
});
