import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import { createOrganizationScope, type OrganizationScope } from '../../../adapters/outbound/aws/organization-scope.js';
import { FixedClock } from '../../../adapters/outbound/clock/system-clock.js';
import { NoExploitedCatalog } from '../../../adapters/outbound/memory/no-catalog.js';
import { DEFAULT_POLICY } from '../../../domain/policy.js';
import { AssessFleet } from '../../../ports/use-cases/assessment/assess-fleet.use-case.js';
import type { CoreDependencies } from '../../../ports/use-cases/shared/core-dependencies.js';
import { MOTO_CREDENTIALS, useMoto } from '../../support/moto.js';
import { actAs, MOTO_AWS_ENV, seedAccounts, SEEDED_REGIONS } from '../../support/moto-accounts.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { runCli } from '../../support/run-cli.js';

const NOW = '2026-11-20T12:00:00Z';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const REGIONS = SEEDED_REGIONS;
const MOTO_AWS = MOTO_AWS_ENV;
const seed = seedAccounts;

/**
 * An organization scope against moto_server: moto keeps one backend per account, and credentials
 * from sts:AssumeRole into arn:aws:iam::ACCOUNT:role/NAME act in ACCOUNT (checked first here). The
 * whole path runs through the built CLI; the account that cannot be read is simulated with
 * aws-sdk-client-mock (moto grants AssumeRole into any role, existing or not), in process.
 */
describe('organization scope: accounts x regions on moto', function () {
  this.timeout(180_000);
  const moto = useMoto();
  let scope: OrganizationScope | null = null;
  afterEach(() => {
    scope?.close();
    scope = null;
  });
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-org-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('moto: credentials from AssumeRole into another account act in that account', async () => {
    const credentials = await actAs(moto.server.endpoint, B);
    const sts = new STSClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(me.Account).to.equal(B);
    const [seeded] = await seed(moto.server, [B]);
    const home = new EC2Client({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    const inHome = await home.send(new DescribeInstancesCommand({}));
    home.destroy();
    expect((inHome.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).not.to.include(seeded!.instanceId);
  });

  it('assess --accounts A,B --regions us-east-1,eu-west-1: every asset with its account and region, per-account counts, filters', async () => {
    const seeded = await seed(moto.server, [A, B]);
    const args = ['--source', 'aws', '--endpoint-url', moto.server.endpoint, '--accounts', `${A},${B}`, '--regions', REGIONS.join(','), '--kev', join(DEMO_FLEET, 'kev.json'), '--now', NOW];

    const all = await runCli(['assess', '--json', ...args], MOTO_AWS);
    const onlyA = await runCli(['assess', '--json', '--account', A, '--region', 'eu-west-1', ...args], MOTO_AWS);
    const table = await runCli(['assess', ...args], MOTO_AWS);

    expect(all.code, all.stderr).to.equal(0);
    const report = JSON.parse(all.stdout);
    expect(report.source).to.equal(`aws:${A},${B}:us-east-1,eu-west-1`);
    const got = report.assets.map((a: { instanceId: string; accountId: string; region: string }) => ({ instanceId: a.instanceId, accountId: a.accountId, region: a.region }));
    expect(got).to.have.deep.members(seeded);
    expect(report.summary.byAccount).to.deep.equal({ [A]: 4, [B]: 4 });
    const perRegion: Record<string, number> = {};
    for (const s of seeded) perRegion[s.region] = (perRegion[s.region] ?? 0) + 1;
    expect(report.summary.byRegion).to.deep.equal(perRegion);
    expect(report.summary.findings).to.equal(4);
    // Each finding is on the instance it was seeded for, in its own account.
    for (const s of seeded.filter((_, i) => i % 2 === 0)) {
      const asset = report.assets.find((a: { instanceId: string }) => a.instanceId === s.instanceId);
      expect(asset.findings, s.instanceId).to.have.length(1);
    }
    expect(report.partial).to.equal(undefined);

    expect(onlyA.code, onlyA.stderr).to.equal(0);
    const a = JSON.parse(onlyA.stdout);
    expect(a.assets.map((x: { instanceId: string }) => x.instanceId)).to.have.members(seeded.filter((s) => s.accountId === A && s.region === 'eu-west-1').map((s) => s.instanceId));
    expect(a.summary.byAccount).to.deep.equal({ [A]: 2 });

    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout).to.match(/ACCOUNT +REGION +INSTANCE/);
    expect(table.stdout).to.contain(`by account: ${A} 4, ${B} 4`);
  });

  it('--accounts org: every ACTIVE account Organizations lists (moto: the management account and one created account)', async () => {
    const org = new OrganizationsClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await org.send(new CreateAccountCommand({ AccountName: 'workload', Email: 'workload@example.com' }));
    const member = created.CreateAccountStatus!.AccountId!;
    org.destroy();
    const seeded = await seed(moto.server, [member]);

    const r = await runCli(['assess', '--json', '--source', 'aws', '--endpoint-url', moto.server.endpoint, '--accounts', 'org', '--regions', REGIONS.join(','), '--kev', join(DEMO_FLEET, 'kev.json'), '--now', NOW], MOTO_AWS);

    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(report.source).to.equal('aws:org (2 accounts):us-east-1,eu-west-1');
    expect(report.assets.map((a: { instanceId: string; accountId: string; region: string }) => ({ instanceId: a.instanceId, accountId: a.accountId, region: a.region }))).to.have.deep.members(seeded);
  });

  it('snapshot capture of the scope: ACCOUNT/REGION folders under one manifest; its assessment equals the live one; one folder alone is a snapshot', async () => {
    const seeded = await seed(moto.server, [A, B]);
    const out = join(tmp, 'org-capture');
    const args = ['--source', 'aws', '--endpoint-url', moto.server.endpoint, '--accounts', `${A},${B}`, '--regions', REGIONS.join(','), '--kev', join(DEMO_FLEET, 'kev.json'), '--now', NOW];

    const live = await runCli(['assess', '--json', ...args], MOTO_AWS);
    const capture = await runCli(['snapshot', 'capture', '--out', out, '--json', ...args], MOTO_AWS);
    const offline = await runCli(['assess', '--json', '--source', `snapshot:${out}`, '--now', NOW], MOTO_AWS);
    const one = await runCli(['assess', '--json', '--source', `snapshot:${join(out, B, 'eu-west-1')}`, '--kev', join(DEMO_FLEET, 'kev.json'), '--now', NOW], MOTO_AWS);

    expect(capture.code, capture.stderr).to.equal(0);
    const manifest = JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8'));
    expect(manifest.partitions).to.deep.equal([A, B].flatMap((acct) => ['eu-west-1', 'us-east-1'].map((region) => ({ accountId: acct, region, path: `${acct}/${region}` }))));
    for (const acct of [A, B]) for (const region of REGIONS) expect(existsSync(join(out, acct, region, 'ec2-describe-instances.json')), `${acct}/${region}`).to.equal(true);
    expect(existsSync(join(out, 'kev.json'))).to.equal(true);
    expect(JSON.parse(capture.stdout).counts).to.include({ instances: 8, findings: 4 });

    expect(live.code, live.stderr).to.equal(0);
    expect(offline.code, offline.stderr).to.equal(0);
    const a = JSON.parse(live.stdout);
    const b = JSON.parse(offline.stdout);
    expect(b.assets).to.deep.equal(a.assets);
    expect(b.summary).to.deep.equal(a.summary);

    expect(one.code, one.stderr).to.equal(0);
    expect(JSON.parse(one.stdout).assets.map((x: { instanceId: string }) => x.instanceId)).to.have.members(seeded.filter((s) => s.accountId === B && s.region === 'eu-west-1').map((s) => s.instanceId));
  });

  it('a Name shared across accounts is ambiguous, each candidate with its account and region', async () => {
    await seed(moto.server, [A, B]);
    const r = await runCli(['assess', '--instance', 'web-eu-west-1', '--source', 'aws', '--endpoint-url', moto.server.endpoint, '--accounts', `${A},${B}`, '--regions', 'eu-west-1', '--kev', join(DEMO_FLEET, 'kev.json'), '--now', NOW], MOTO_AWS);

    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`account ${A} eu-west-1`).and.to.contain(`account ${B} eu-west-1`);
  });

  it('bad scope options: one line naming the option, exit 2', async () => {
    const base = ['assess', '--source', 'aws', '--endpoint-url', moto.server.endpoint, '--region', 'us-east-1'];
    const cases: [string[], RegExp][] = [
      [['--accounts', '12345'], /^error: --accounts: expected 12-digit AWS account ids \(or org alone\), got "12345"$/],
      [['--regions', 'us-east-1,eu-west-9'], /^error: --regions: expected AWS regions such as eu-west-1 .*got "eu-west-9"$/],
      [['--accounts', A, '--assume-role', 'arn:aws:iam::111111111111:role/X'], /^error: --assume-role: expected an IAM role name .*not an ARN/],
    ];
    for (const [extra, message] of cases) {
      const r = await runCli([...base, ...extra], MOTO_AWS);
      expect(r.code, extra.join(' ')).to.equal(2);
      const lines = r.stderr.split('\n').filter((l) => l.trim());
      expect(lines, r.stderr).to.have.length(1);
      expect(lines[0]).to.match(message);
    }
  });

  it('patching across accounts: one wave over two accounts sends in each through the patch role, and reads back as one command', async () => {
    const seeded = await seed(moto.server, [A, B]);
    const targets = [seeded.find((s) => s.accountId === A && s.region === 'us-east-1')!, seeded.find((s) => s.accountId === B && s.region === 'eu-west-1')!];
    const sts = new STSClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    const assumed = mockClient(sts);
    const real = new STSClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    // Passes every call to moto; only there to see which roles were assumed.
    assumed.on(AssumeRoleCommand).callsFake((input) => real.send(new AssumeRoleCommand(input)));
    const org = await createOrganizationScope({ regions: [...REGIONS], accounts: [A, B], assumeRole: 'SreOpsReadRole', patchRole: 'OpsPatch', externalId: null, endpointUrl: moto.server.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1, sts });
    scope = org;
    // moto implements GetCommandInvocation, not ListCommandInvocations.
    const runner = org.patchRunner({ invocationReads: 'get' });
    const since = Date.now() - 60_000;

    // The wave names both instances of each partition's reservation: moto lists a command with every
    // instance of the reservation it names, and a command is found again only by exactly its wave's instances.
    const wave = seeded.filter((s) => targets.some((t) => t.accountId === s.accountId && t.region === s.region)).map((s) => s.instanceId);
    const sent = await runner.send({ token: 'tok-1', instanceIds: wave, operation: 'Install', rebootOption: 'RebootIfNeeded', snapshotId: 'snap-1', maxConcurrency: '1', maxErrors: '0', alarmName: null });

    const parts = sent.commandId.split(';');
    expect(parts.map((p) => p.split('/').slice(0, 2).join('/'))).to.deep.equal([`${A}/us-east-1`, `${B}/eu-west-1`]);
    for (const [i, t] of targets.entries()) {
      const ssm = new SSMClient({ endpoint: moto.server.endpoint, region: t.region, credentials: await actAs(moto.server.endpoint, t.accountId) });
      const commands = (await ssm.send(new ListCommandsCommand({}))).Commands ?? [];
      ssm.destroy();
      expect(commands.map((c) => ({ id: c.CommandId, comment: c.Comment }))).to.deep.equal([{ id: parts[i]!.split('/')[2], comment: 'tok-1' }]);
      // moto lists a command with every instance of the reservation it names (its quirk); never one of another account or region.
      const listed = commands[0]!.InstanceIds ?? [];
      expect(listed).to.include(t.instanceId);
      for (const id of listed) expect(seeded.find((s) => s.instanceId === id)).to.deep.include({ accountId: t.accountId, region: t.region });
    }
    expect((await runner.findSent('tok-1', since, wave))?.commandId).to.equal(sent.commandId);
    const states = await runner.invocations(sent.commandId, targets.map((t) => t.instanceId));
    expect(states.map((s) => s.instanceId)).to.have.members(targets.map((t) => t.instanceId));
    const roles = assumed.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn);
    expect(roles).to.include(`arn:aws:iam::${A}:role/OpsPatch`).and.to.include(`arn:aws:iam::${B}:role/OpsPatch`);
    real.destroy();
  });

  describe('an account or region that cannot be read (simulated with aws-sdk-client-mock: moto grants AssumeRole into any role)', () => {
    let scope: OrganizationScope | null = null;
    afterEach(() => scope?.close());

    async function assess(org: OrganizationScope) {
      const deps: CoreDependencies = {
        findings: org, assets: org, compliance: org, metrics: org, activity: org,
        catalog: new NoExploitedCatalog(),
        acceptances: { listAcceptances: async () => [] },
        clock: new FixedClock(Date.parse(NOW)),
        policy: DEFAULT_POLICY,
        source: { label: 'aws:test', notes: [], warnings: () => org.warnings(), gaps: () => org.gaps() },
      };
      return new AssessFleet(deps).execute();
    }

    it('AccessDenied on AssumeRole into one account: the others stand, the account is named, the report is partial', async () => {
      const seeded = await seed(moto.server, [A, B, C]);
      // The STS seam: AssumeRole into account B is denied as AWS denies it; every other call goes to moto.
      const real = new STSClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
      const sts = new STSClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
      const mock = mockClient(sts);
      mock.on(AssumeRoleCommand).callsFake((input) => real.send(new AssumeRoleCommand(input)));
      const denied = Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/SreOps/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${B}:role/SreOpsReadRole`), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      mock.on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${B}:role/SreOpsReadRole` }).rejects(denied);

      scope = await createOrganizationScope({ regions: [...REGIONS], accounts: [A, B, C], assumeRole: 'SreOpsReadRole', externalId: null, endpointUrl: moto.server.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1, sts });
      const report = await assess(scope);
      real.destroy();

      expect(report.assets.map((a) => a.instanceId)).to.have.members(seeded.filter((s) => s.accountId !== B).map((s) => s.instanceId));
      expect(report.summary.byAccount).to.deep.equal({ [A]: 4, [C]: 4 });
      expect(report.partial).to.equal(true);
      const named = report.warnings.filter((w) => w.startsWith(`account ${B} `));
      expect(named).to.have.length(2);
      expect(named[0]).to.contain('AccessDenied').and.to.contain(`arn:aws:iam::${B}:role/SreOpsReadRole`).and.to.contain('left out of the answer');
      // Credentials are cached per account: one AssumeRole for each readable account over both regions and every service.
      const assumed = mock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn);
      expect(assumed.filter((arn) => arn?.includes(A))).to.have.length(1);
      expect(assumed.filter((arn) => arn?.includes(C))).to.have.length(1);
    });

    it('a region disabled in one account (the service seam): that account and region are named, findings never shown as clean', async () => {
      const seeded = await seed(moto.server, [A, C]);
      const optIn = Object.assign(new Error('AWS was not able to validate the provided access credentials'), { name: 'AuthFailure', $metadata: { httpStatusCode: 401 } });
      scope = await createOrganizationScope({
        regions: [...REGIONS], accounts: [A, C], assumeRole: 'SreOpsReadRole', externalId: null, endpointUrl: moto.server.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1,
        clientsFor: (accountId, region, credentials) => {
          const clients = createAwsClients({ region, credentials, endpointUrl: moto.server.endpoint, maxAttempts: 1 });
          if (accountId === C && region === 'eu-west-1') {
            // An opt-in region not enabled in C: its endpoints refuse the account's credentials.
            mockClient(clients.ec2).on(DescribeInstancesCommand).rejects(optIn);
            mockClient(clients.inspector2).on(ListFindingsCommand).rejects(optIn);
          }
          if (accountId === A && region === 'us-east-1') {
            // Inventory readable, findings not: the instances must not be shown without their findings.
            mockClient(clients.inspector2).on(ListFindingsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
          }
          return clients;
        },
      });
      const report = await assess(scope);

      const expected = seeded.filter((s) => !(s.accountId === C && s.region === 'eu-west-1') && !(s.accountId === A && s.region === 'us-east-1'));
      expect(report.assets.map((a) => a.instanceId)).to.have.members(expected.map((s) => s.instanceId));
      expect(report.partial).to.equal(true);
      expect(report.warnings.some((w) => w.startsWith(`account ${C} eu-west-1: `) && w.includes('AuthFailure'))).to.equal(true);
      expect(report.warnings.some((w) => w.startsWith(`account ${A} us-east-1: `) && w.includes('inspector2:ListFindings'))).to.equal(true);
      expect(report.warnings.some((w) => w.startsWith(`account ${A} eu-west-1`))).to.equal(false);
    });
  });
});
