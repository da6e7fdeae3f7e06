import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeMaintenanceWindowsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsCredentials } from '../../../adapters/outbound/aws/aws-clients.js';
import { createOrganizationScope, type OrganizationScope } from '../../../adapters/outbound/aws/organization-scope.js';
import type { ScheduleSpec } from '../../../domain/patch/schedule.js';
import { MOTO_CREDENTIALS, useMoto } from '../../support/moto.js';
import { runCli } from '../../support/run-cli.js';
import { runInstances } from './aws-fixtures.js';

const A = '111111111111';
const B = '222222222222';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;

async function actAs(endpoint: string, account: string): Promise<AwsCredentials> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
  try {
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/Seed`, RoleSessionName: 'seed' }))).Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  } finally {
    sts.destroy();
  }
}

const spec = (target: ScheduleSpec['target']): ScheduleSpec => ({
  name: 'sre-ops-patch-org', schedule: 'cron(0 3 ? * SUN *)', durationHours: 3, cutoffHours: 1, target, rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '1', alarms: [],
});

/**
 * Schedules across accounts on moto_server: SSM maintenance windows created in each instance's
 * own account and region through the patch role (moto keeps one backend per account, so a window
 * is seen only with that account's credentials).
 */
describe('organization scope: schedules (maintenance windows) across accounts on moto', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let scope: OrganizationScope | null = null;
  afterEach(() => {
    scope?.close();
    scope = null;
  });

  async function windowsIn(account: string, region: string): Promise<string[]> {
    const ssm = new SSMClient({ endpoint: moto.server.endpoint, region, credentials: await actAs(moto.server.endpoint, account) });
    try {
      return ((await ssm.send(new DescribeMaintenanceWindowsCommand({}))).WindowIdentities ?? []).map((w) => w.WindowId!);
    } finally {
      ssm.destroy();
    }
  }

  it('a schedule of instances in two accounts: one window in each of their partitions through the patch role, read back, listed and deleted as one', async () => {
    const ids = new Map<string, string>();
    for (const account of [A, B]) {
      for (const region of REGIONS) {
        const ec2 = new EC2Client({ endpoint: moto.server.endpoint, region, credentials: await actAs(moto.server.endpoint, account) });
        ids.set(`${account}/${region}`, (await runInstances(ec2, 1))[0]!);
        ec2.destroy();
      }
    }
    const sts = new STSClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    const real = new STSClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    // Passes every call to moto; only there to see which roles were assumed.
    const assumed = mockClient(sts);
    assumed.on(AssumeRoleCommand).callsFake((input) => real.send(new AssumeRoleCommand(input)));
    scope = await createOrganizationScope({ regions: [...REGIONS], accounts: [A, B], assumeRole: 'SreOpsReadRole', patchRole: 'OpsPatch', externalId: null, endpointUrl: moto.server.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1, sts });
    const windows = scope.maintenanceWindows();

    const created = await windows.create(spec({ kind: 'instances', instanceIds: [ids.get(`${A}/us-east-1`)!, ids.get(`${B}/eu-west-1`)!] }), 'token-1');
    const parts = created.windowId.split(';');
    const inA = await windowsIn(A, 'us-east-1');
    const inB = await windowsIn(B, 'eu-west-1');
    const elsewhere = [...(await windowsIn(A, 'eu-west-1')), ...(await windowsIn(B, 'us-east-1'))];
    const listed = await windows.list();
    const got = await windows.get(created.windowId);
    await windows.remove(created.windowId);
    const afterA = await windowsIn(A, 'us-east-1');
    const afterB = await windowsIn(B, 'eu-west-1');
    const group = await windows.create(spec({ kind: 'patch-group', tagKey: 'Patch Group', value: 'web' }), 'token-2');
    real.destroy();

    expect(parts.map((p) => p.split('/').slice(0, 2).join('/'))).to.deep.equal([`${A}/us-east-1`, `${B}/eu-west-1`]);
    expect(inA).to.deep.equal([parts[0]!.split('/')[2]]);
    expect(inB).to.deep.equal([parts[1]!.split('/')[2]]);
    expect(elsewhere).to.deep.equal([]);
    expect(listed.map((w) => w.windowId)).to.have.members(parts);
    expect(got?.targets).to.have.members([ids.get(`${A}/us-east-1`), ids.get(`${B}/eu-west-1`)]);
    expect(afterA).to.deep.equal([]);
    expect(afterB).to.deep.equal([]);
    // A patch group: one window in every account and region of the scope.
    expect(group.windowId.split(';').map((p) => p.split('/').slice(0, 2).join('/'))).to.have.members([A, B].flatMap((a) => REGIONS.map((r) => `${a}/${r}`)));
    const roles = assumed.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn);
    expect(roles).to.include(`arn:aws:iam::${A}:role/OpsPatch`).and.to.include(`arn:aws:iam::${B}:role/OpsPatch`);
    // An id of one account's window alone is not one of the scope: refused, naming the form.
    const bad = await windows.get('mw-0123456789abcdef0').then(() => null, (e: Error) => e.message);
    expect(bad).to.match(/is not one of an organization scope \(ACCOUNT\/REGION\/WINDOW-ID/);
  });

  it('through the CLI: schedule NAME --accounts A,B creates the window in the instance\'s own account and region; schedules lists it with its account and region', async () => {
    const ec2 = new EC2Client({ endpoint: moto.server.endpoint, region: 'eu-west-1', credentials: await actAs(moto.server.endpoint, B) });
    const [id] = await runInstances(ec2, 1, { Name: 'db-1' });
    ec2.destroy();
    const home = mkdtempSync(join(tmpdir(), 'sre-ops-org-sched-'));
    const env = {
      AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: '', XDG_CONFIG_HOME: home,
      AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true',
    };
    const args = ['--source', 'aws', '--endpoint-url', moto.server.endpoint, '--accounts', `${A},${B}`, '--regions', REGIONS.join(',')];
    try {
      const created = await runCli(['schedule', 'db-1', '--cron', 'cron(0 3 ? * SUN *)', '--yes', '--json', ...args], env);
      const listed = await runCli(['schedules', '--json', ...args], env);

      expect(created.code, created.stderr).to.equal(0);
      const schedule = JSON.parse(created.stdout) as { windowId: string; targets: string[] };
      expect(schedule.windowId).to.match(new RegExp(`^${B}/eu-west-1/mw-[0-9a-f]+$`));
      expect(schedule.targets).to.deep.equal([id]);
      expect(await windowsIn(B, 'eu-west-1')).to.deep.equal([schedule.windowId.split('/')[2]]);
      expect(listed.code, listed.stderr).to.equal(0);
      expect((JSON.parse(listed.stdout) as { schedules: { windowId: string }[] }).schedules.map((w) => w.windowId)).to.deep.equal([schedule.windowId]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
