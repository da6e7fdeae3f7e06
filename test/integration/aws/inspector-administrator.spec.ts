import { expect } from 'chai';
import { join } from 'node:path';
import { Inspector2Client, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsCallRecorder } from '../../../adapters/outbound/aws/aws-call-recorder.js';
import { createAwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import { createOrganizationScope, type OrganizationScope } from '../../../adapters/outbound/aws/organization-scope.js';
import type { Finding } from '../../../domain/fleet-facts.js';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, useMoto, type MotoServer } from '../../support/moto.js';
import { MOTO_AWS_ENV, seedInstances, SEEDED_REGIONS, type Seeded } from '../../support/moto-accounts.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { runCli } from '../../support/run-cli.js';
import { wireFinding } from './aws-fixtures.js';

const NOW = '2026-11-20T12:00:00Z';
const A = '111111111111';
const B = '222222222222';
/** In the organization, outside the scope: the administrator sees its findings too. */
const OUTSIDE = '999999999999';
const REGIONS = SEEDED_REGIONS;
const MOTO_AWS = MOTO_AWS_ENV;

/**
 * Two instances per member account and region; the findings live in the delegated
 * administrator's Inspector (moto's default account, the caller's own), each with its member's
 * awsAccountId, one finding of an account outside the scope among them. The members' own
 * Inspector holds nothing: a read that asks the members finds no finding at all.
 */
async function seed(moto: MotoServer): Promise<Seeded[]> {
  const out: Seeded[] = [];
  for (const region of REGIONS) {
    const findings: Record<string, unknown>[] = [];
    for (const accountId of [A, B]) {
      const ids = await seedInstances(moto, accountId, region, { Environment: 'prod' });
      for (const instanceId of ids) out.push({ instanceId, accountId, region });
      findings.push(wireFinding(ids[0]!, 1, { awsAccountId: accountId, findingArn: `arn:aws:inspector2:${region}:${accountId}:finding/${ids[0]}` }));
    }
    findings.push(wireFinding('i-0outside0000000001', 2, { awsAccountId: OUTSIDE, findingArn: `arn:aws:inspector2:${region}:${OUTSIDE}:finding/x` }));
    await moto.post('/moto-api/static/inspector2/findings-results', { account_id: MOTO_ACCOUNT, region, results: [findings] });
  }
  return out;
}

describe('organization scope: Inspector through the delegated administrator (moto)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  let scope: OrganizationScope | null = null;
  afterEach(() => {
    scope?.close();
    scope = null;
  });

  it('reads findings once per region from the administrator, routes them to their account, never asks a member\'s Inspector', async () => {
    const seeded = await seed(moto.server);
    const members = new AwsCallRecorder();
    const admin = new AwsCallRecorder();
    const adminFilters: unknown[] = [];
    scope = await createOrganizationScope({
      regions: [...REGIONS], accounts: [A, B], assumeRole: 'SreOpsReadRole', externalId: null, endpointUrl: moto.server.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1,
      inspector: 'administrator',
      clientsFor: (_account, region, credentials) => {
        const clients = createAwsClients({ region, credentials, endpointUrl: moto.server.endpoint, maxAttempts: 1 });
        members.attach(clients.inspector2);
        return clients;
      },
      administratorInspector: (region, credentials) => {
        const client = new Inspector2Client({ region, credentials, endpoint: moto.server.endpoint, maxAttempts: 1 });
        admin.attach(client);
        client.middlewareStack.add((next) => async (args) => {
          adminFilters.push((args.input as { filterCriteria?: unknown }).filterCriteria);
          return next(args);
        }, { step: 'initialize' });
        return client;
      },
    });

    const assets = await scope.listAssets();
    const findings: Finding[] = [];
    for await (const f of scope.listActiveFindings()) findings.push(f);

    expect(assets).to.have.length(8);
    // One finding on the first instance of each account and region; the outside account's is dropped.
    const firsts = [A, B].flatMap((acct) => REGIONS.map((region) => seeded.find((s) => s.accountId === acct && s.region === region)!.instanceId));
    expect(findings.map((f) => f.instanceId)).to.have.members(firsts);
    expect(admin.count('inspector2:ListFindings')).to.equal(REGIONS.length);
    expect(members.count('inspector2:ListFindings')).to.equal(0);
    // At most 10 accounts: sent as an awsAccountId filter.
    expect(adminFilters[0]).to.deep.include({ awsAccountId: [{ comparison: 'EQUALS', value: A }, { comparison: 'EQUALS', value: B }] });
    expect(scope.warnings()).to.deep.equal([]);
  });

  it('the administrator\'s read failing in one region (aws-sdk-client-mock on its client: moto cannot deny) names every account of that region; the other region stands', async () => {
    const seeded = await seed(moto.server);
    scope = await createOrganizationScope({
      regions: [...REGIONS], accounts: [A, B], assumeRole: 'SreOpsReadRole', externalId: null, endpointUrl: moto.server.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1,
      inspector: 'administrator',
      administratorInspector: (region, credentials) => {
        const client = new Inspector2Client({ region, credentials, endpoint: moto.server.endpoint, maxAttempts: 1 });
        if (region === 'eu-west-1') mockClient(client).on(ListFindingsCommand).rejects(Object.assign(new Error('not the delegated administrator'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
        return client;
      },
    });
    await scope.listAssets();
    const findings: Finding[] = [];
    for await (const f of scope.listActiveFindings()) findings.push(f);

    expect(findings.map((f) => f.instanceId)).to.have.members([A, B].map((acct) => seeded.find((s) => s.accountId === acct && s.region === 'us-east-1')!.instanceId));
    expect(scope.gaps().partial).to.equal(true);
    const warnings = scope.warnings();
    expect(warnings.filter((w) => w.includes('eu-west-1'))).to.have.length(2);
    expect(warnings.find((w) => w.startsWith(`account ${B} eu-west-1: `))).to.contain('AccessDeniedException');
  });

  it('assess --inspector administrator through the CLI: every asset with its own account\'s findings; a bad value exits 2 naming the option', async () => {
    const seeded = await seed(moto.server);
    const args = ['--source', 'aws', '--endpoint-url', moto.server.endpoint, '--accounts', `${A},${B}`, '--regions', REGIONS.join(','), '--kev', join(DEMO_FLEET, 'kev.json'), '--now', NOW];
    const r = await runCli(['assess', '--json', '--inspector', 'administrator', ...args], MOTO_AWS);
    const bad = await runCli(['assess', '--inspector', 'admin', ...args], MOTO_AWS);

    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout) as { assets: { instanceId: string; accountId: string; findings: { findingArn: string }[] }[]; summary: { findings: number } };
    expect(report.summary.findings).to.equal(4);
    for (const a of report.assets) {
      const first = seeded.find((s) => s.accountId === a.accountId && s.instanceId === a.instanceId)!;
      const expected = seeded.findIndex((s) => s.accountId === first.accountId && s.region === first.region) === seeded.indexOf(first) ? 1 : 0;
      expect(a.findings, a.instanceId).to.have.length(expected);
      for (const f of a.findings) expect(f.findingArn).to.contain(`:${a.accountId}:`);
    }
    expect(bad.code).to.equal(2);
    expect(bad.stderr.trim()).to.match(/^error: --inspector: expected members or administrator/);
  });
});
