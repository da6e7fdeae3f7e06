/**
 * An organization read on moto_server: 20 accounts x 2 regions x 50 instances (one finding each).
 * Counts the AWS calls of every (account, region) partition against the lower bound of one
 * account's read, and times the same read with the default concurrency (16 overall, 4 an
 * account) and walked sequentially (1 and 1), as a ratio, in one run.
 *
 * EC2, Inspector2, CloudWatch and STS are real SDK calls to moto, counted by SDK middleware; moto
 * lacks SSM DescribeInstanceInformation / DescribeInstancePatchStates, answered per partition by
 * aws-sdk-client-mock (paged as AWS pages) and counted from the mock. moto answers in
 * milliseconds where AWS takes tens to hundreds: the ratio here understates the real gain.
 *
 * Then the same read with Inspector through the delegated administrator (--inspector
 * administrator): the findings seeded once per region in the administrator's account (moto's
 * default, the caller's own) with each member's awsAccountId; the members' Inspector is never
 * called, the administrator once per region and page.
 *
 * Run: npm run build && node dist/bench/organization.bench.js   (ACCOUNTS=5 for a quicker run)
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, DescribeInstancePatchStatesCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsCallRecorder } from '../adapters/outbound/aws/aws-call-recorder.js';
import { createAwsClients, type AwsCredentials } from '../adapters/outbound/aws/aws-clients.js';
import { MAX_QUERIES_PER_CALL } from '../adapters/outbound/aws/cloudwatch-metrics-source.js';
import { MAX_INSTANCES_PAGE } from '../adapters/outbound/aws/ec2-asset-inventory.js';
import { createOrganizationScope } from '../adapters/outbound/aws/organization-scope.js';
import { MAX_INSTANCE_INFORMATION_PAGE, MAX_PATCH_STATE_IDS } from '../adapters/outbound/aws/ssm-patch-compliance.js';
import { HOUR_MS } from '../domain/time.js';
import { runInstances, wireFinding } from '../test/integration/aws/aws-fixtures.js';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, startMoto, type MotoServer } from '../test/support/moto.js';

const ACCOUNTS = Number(process.env.ACCOUNTS ?? 20);
const REGIONS = ['us-east-1', 'eu-west-1'];
const PER_PARTITION = 50;
const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i + 1));

async function actAs(endpoint: string, account: string): Promise<AwsCredentials> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/SreOpsReadRole`, RoleSessionName: 'seed' }))).Credentials!;
  sts.destroy();
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

async function seed(moto: MotoServer): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>();
  for (const account of accountIds) {
    const credentials = await actAs(moto.endpoint, account);
    for (const region of REGIONS) {
      const ec2 = new EC2Client({ endpoint: moto.endpoint, region, credentials });
      const launched = await runInstances(ec2, PER_PARTITION, { Environment: 'prod' });
      ec2.destroy();
      ids.set(`${account}/${region}`, launched);
      await moto.post('/moto-api/static/inspector2/findings-results', { account_id: account, region, results: [launched.map((id, k) => wireFinding(id, k, { awsAccountId: account }))] });
    }
  }
  // The delegated administrator's view: every member's findings, once per region, in its own account.
  for (const region of REGIONS) {
    const all = accountIds.flatMap((account) => (ids.get(`${account}/${region}`) ?? []).map((id, k) => wireFinding(id, k, { awsAccountId: account, findingArn: `arn:aws:inspector2:${region}:${account}:finding/${id}` })));
    await moto.post('/moto-api/static/inspector2/findings-results', { account_id: MOTO_ACCOUNT, region, results: [all] });
  }
  return ids;
}

interface Run {
  readonly ms: number;
  readonly perPartition: Map<string, Record<string, number>>;
  readonly assumeRole: number;
  readonly instances: number;
  readonly findings: number;
  /** inspector2:ListFindings calls to the delegated administrator (0 when the members are read). */
  readonly administratorCalls: number;
}

async function read(endpoint: string, ids: Map<string, string[]>, concurrency: number, accountConcurrency: number, inspector: 'members' | 'administrator' = 'members'): Promise<Run> {
  const administrator = new AwsCallRecorder();
  const perPartition = new Map<string, { recorder: AwsCallRecorder; ssm: ReturnType<typeof mockClient> }>();
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
  const stsRecorder = new AwsCallRecorder().attach(sts);
  const scope = await createOrganizationScope({
    regions: REGIONS, accounts: accountIds, assumeRole: 'SreOpsReadRole', externalId: null, endpointUrl: endpoint, credentials: MOTO_CREDENTIALS,
    maxAttempts: 3, concurrency, accountConcurrency, sts, inspector,
    administratorInspector: (region, credentials) => {
      const client = new Inspector2Client({ region, credentials, endpoint, maxAttempts: 3 });
      administrator.attach(client);
      return client;
    },
    clientsFor: (account, region, credentials) => {
      const clients = createAwsClients({ region, credentials, endpointUrl: endpoint, maxAttempts: 3 });
      const mine = ids.get(`${account}/${region}`) ?? [];
      const ssm = mockClient(clients.ssm);
      ssm.on(DescribeInstanceInformationCommand).callsFake((input: { NextToken?: string }) => {
        const from = Number(input.NextToken ?? 0);
        const to = Math.min(mine.length, from + MAX_INSTANCE_INFORMATION_PAGE);
        return { InstanceInformationList: mine.slice(from, to).map((InstanceId) => ({ InstanceId, PingStatus: 'Online' })), NextToken: to < mine.length ? String(to) : undefined };
      });
      ssm.on(DescribeInstancePatchStatesCommand).callsFake((input: { InstanceIds: string[] }) => ({
        InstancePatchStates: input.InstanceIds.map((InstanceId) => ({ InstanceId, PatchGroup: 'web', BaselineId: 'pb-1', Operation: 'Scan', MissingCount: 1 })),
      }));
      perPartition.set(`${account}/${region}`, { recorder: new AwsCallRecorder().attach(clients.ec2, clients.inspector2, clients.cloudwatch), ssm });
      return clients;
    },
  });
  const now = Date.now();
  const t0 = performance.now();
  const assets = await scope.listAssets();
  let findings = 0;
  for await (const _ of scope.listActiveFindings()) findings++;
  const instanceIds = assets.map((a) => a.instanceId);
  await Promise.all([
    scope.managedInstances(),
    scope.patchStates(instanceIds),
    scope.getInstanceMetrics({ instanceIds, start: now - HOUR_MS, end: now, periodSeconds: 300 }),
  ]);
  const ms = performance.now() - t0;
  if (scope.warnings().length > 0) throw new Error(`partitions failed: ${scope.warnings().join('\n')}`);
  const counts = new Map<string, Record<string, number>>();
  for (const [key, { recorder, ssm }] of perPartition) {
    counts.set(key, {
      'ec2:DescribeInstances': recorder.count('ec2:DescribeInstances'),
      'inspector2:ListFindings': recorder.count('inspector2:ListFindings'),
      'ssm:DescribeInstanceInformation*': ssm.commandCalls(DescribeInstanceInformationCommand).length,
      'ssm:DescribeInstancePatchStates*': ssm.commandCalls(DescribeInstancePatchStatesCommand).length,
      'cloudwatch:GetMetricData': recorder.count('cloudwatch:GetMetricData'),
    });
    ssm.restore();
  }
  scope.close();
  return { ms, perPartition: counts, assumeRole: stsRecorder.count('sts:AssumeRole'), instances: assets.length, findings, administratorCalls: administrator.count('inspector2:ListFindings') };
}

const moto = await startMoto();
try {
  const ids = await seed(moto);
  const n = PER_PARTITION;
  // One account's lower bound, per partition: moto serves the findings in one page (AWS: ceil(F/100)).
  const bound = { 'ec2:DescribeInstances': Math.ceil(n / MAX_INSTANCES_PAGE), 'inspector2:ListFindings': 1, 'ssm:DescribeInstanceInformation*': Math.ceil(n / MAX_INSTANCE_INFORMATION_PAGE), 'ssm:DescribeInstancePatchStates*': Math.ceil(n / MAX_PATCH_STATE_IDS), 'cloudwatch:GetMetricData': Math.ceil((4 * n) / MAX_QUERIES_PER_CALL) };
  const boundTotal = Object.values(bound).reduce((a, b) => a + b, 0);
  // Warm moto's per-account backends once so neither timed run pays for their creation.
  await read(moto.endpoint, ids, 16, 4);
  const parallel = await read(moto.endpoint, ids, 16, 4);
  const sequential = await read(moto.endpoint, ids, 1, 1);

  const partitions = [...parallel.perPartition.values()];
  const totals = partitions.map((c) => Object.values(c).reduce((a, b) => a + b, 0));
  const off = [...parallel.perPartition].filter(([, c]) => Object.entries(bound).some(([k, v]) => c[k] !== v));
  console.log(`Organization read: ${ACCOUNTS} accounts x ${REGIONS.length} regions x ${n} instances = ${parallel.instances} instances, ${parallel.findings} findings (* = aws-sdk-client-mock: moto lacks the call)`);
  console.log(`calls per partition: ${JSON.stringify(partitions[0])}; every partition ${Math.min(...totals)}..${Math.max(...totals)} calls, lower bound ${boundTotal} (${Object.values(bound).join('+')}); partitions off the bound: ${off.length}`);
  console.log(`sts:AssumeRole: ${parallel.assumeRole} for ${ACCOUNTS} accounts (one per account, shared by its regions and clients)`);
  console.log(`wall time: default concurrency (16 overall, 4 an account) ${parallel.ms.toFixed(0)} ms; sequential (1, 1) ${sequential.ms.toFixed(0)} ms; sequential / default = ${(sequential.ms / parallel.ms).toFixed(2)}x`);
  // Inspector through the delegated administrator: the members' ListFindings drop to 0, the administrator's are one per region (and page).
  const viaAdmin = await read(moto.endpoint, ids, 16, 4, 'administrator');
  const adminPartitions = [...viaAdmin.perPartition.values()];
  const adminOff = [...viaAdmin.perPartition].filter(([, c]) => Object.entries(bound).some(([k, v]) => c[k] !== (k === 'inspector2:ListFindings' ? 0 : v)));
  const adminTotal = adminPartitions.reduce((t, c) => t + Object.values(c).reduce((a, b) => a + b, 0), 0) + viaAdmin.administratorCalls;
  const memberTotal = partitions.reduce((t, c) => t + Object.values(c).reduce((a, b) => a + b, 0), 0);
  console.log(`--inspector administrator: ${viaAdmin.findings} findings; inspector2:ListFindings ${viaAdmin.administratorCalls} to the administrator (${REGIONS.length} regions), ${adminPartitions.reduce((t, c) => t + (c['inspector2:ListFindings'] ?? 0), 0)} to the members; calls over the scope ${adminTotal} against ${memberTotal} reading each member; partitions off the bound: ${adminOff.length}`);
  if (off.length > 0 || parallel.assumeRole !== ACCOUNTS || adminOff.length > 0 || viaAdmin.administratorCalls !== REGIONS.length || viaAdmin.findings !== parallel.findings) process.exitCode = 1;
} finally {
  await moto.stop();
}
