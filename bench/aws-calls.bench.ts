/**
 * Counts the AWS calls of one fleet read (instances, findings, managed instances, patch states and
 * metrics of every instance) for 10, 100 and 1,000 instances, beside the lower bound, with wall
 * time. EC2, Inspector2 and CloudWatch are real SDK calls to moto_server, counted by SDK
 * middleware. moto lacks SSM DescribeInstanceInformation / DescribeInstancePatchStates and
 * CloudTrail LookupEvents: those are answered by aws-sdk-client-mock (AWS-shaped, paged as AWS
 * pages) and counted from the mock.
 *
 * Run: npx tsx bench/aws-calls.bench.ts
 */
import { mockClient } from 'aws-sdk-client-mock';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstanceInformationCommand, DescribeInstancePatchStatesCommand } from '@aws-sdk/client-ssm';
import { AwsCallRecorder } from '../adapters/outbound/aws/aws-call-recorder.js';
import { createAwsSources } from '../adapters/outbound/aws/aws-sources.js';
import { MAX_QUERIES_PER_CALL } from '../adapters/outbound/aws/cloudwatch-metrics-source.js';
import { MAX_INSTANCES_PAGE } from '../adapters/outbound/aws/ec2-asset-inventory.js';
import { MAX_FINDINGS_PAGE } from '../adapters/outbound/aws/inspector2-findings-source.js';
import { MAX_INSTANCE_INFORMATION_PAGE, MAX_PATCH_STATE_IDS } from '../adapters/outbound/aws/ssm-patch-compliance.js';
import { HOUR_MS } from '../domain/time.js';
import { motoClients, runInstances, wireFinding } from '../test/integration/aws/aws-fixtures.js';
import { startMoto } from '../test/support/moto.js';

const FLEETS = [10, 100, 1000];
const FINDINGS_PER_INSTANCE = 3;

interface Row {
  readonly n: number;
  readonly calls: Record<string, number>;
  readonly total: number;
  readonly bound: number;
  readonly boundNote: string;
  readonly ms: number;
}

async function fleetRead(endpoint: string, post: (path: string, body: unknown) => Promise<void>, n: number): Promise<Row> {
  const clients = motoClients(endpoint, 3);
  const ids: string[] = [];
  // Reservations of up to 100 instances, as several launches would make them.
  for (let left = n; left > 0; left -= 100) ids.push(...(await runInstances(clients.ec2, Math.min(100, left), { Environment: 'prod' })));
  const findings = ids.flatMap((id, i) => Array.from({ length: FINDINGS_PER_INSTANCE }, (_, k) => wireFinding(id, i * FINDINGS_PER_INSTANCE + k)));
  await post('/moto-api/static/inspector2/findings-results', { results: [findings] });

  // SSM as AWS pages it: instance information 50 a page, patch states per requested ids.
  const ssm = mockClient(clients.ssm);
  ssm.on(DescribeInstanceInformationCommand).callsFake((input: { NextToken?: string }) => {
    const from = Number(input.NextToken ?? 0);
    const to = Math.min(ids.length, from + MAX_INSTANCE_INFORMATION_PAGE);
    return {
      InstanceInformationList: ids.slice(from, to).map((InstanceId) => ({ InstanceId, PingStatus: 'Online' })),
      NextToken: to < ids.length ? String(to) : undefined,
    };
  });
  ssm.on(DescribeInstancePatchStatesCommand).callsFake((input: { InstanceIds: string[] }) => ({
    InstancePatchStates: input.InstanceIds.map((InstanceId) => ({ InstanceId, PatchGroup: 'web', BaselineId: 'pb-1', Operation: 'Scan', MissingCount: 1 })),
  }));
  const recorder = new AwsCallRecorder().attach(clients.ec2, clients.inspector2, clients.cloudwatch);
  const sources = createAwsSources(clients);
  const now = Date.now();

  const t0 = performance.now();
  const assets = await sources.assets.listAssets();
  let findingCount = 0;
  for await (const _ of sources.findings.listActiveFindings()) findingCount++;
  const instanceIds = assets.map((a) => a.instanceId);
  await sources.patchCompliance.managedInstances();
  await sources.patchCompliance.patchStates(instanceIds);
  await sources.metrics.getInstanceMetrics({ instanceIds, start: now - HOUR_MS, end: now, periodSeconds: 300 });
  const ms = performance.now() - t0;
  if (assets.length !== n || findingCount !== findings.length) throw new Error(`read ${assets.length} instances and ${findingCount} findings, seeded ${n} and ${findings.length}`);

  const calls = {
    'ec2:DescribeInstances': recorder.count('ec2:DescribeInstances'),
    'inspector2:ListFindings': recorder.count('inspector2:ListFindings'),
    'ssm:DescribeInstanceInformation*': ssm.commandCalls(DescribeInstanceInformationCommand).length,
    'ssm:DescribeInstancePatchStates*': ssm.commandCalls(DescribeInstancePatchStatesCommand).length,
    'cloudwatch:GetMetricData': recorder.count('cloudwatch:GetMetricData'),
  };
  ssm.restore();
  // moto serves every finding in one page; AWS would serve ceil(findings / 100).
  const findingPages = 1;
  const instancePages = Math.ceil(n / MAX_INSTANCES_PAGE);
  const infoPages = Math.ceil(n / MAX_INSTANCE_INFORMATION_PAGE);
  const patchCalls = Math.ceil(n / MAX_PATCH_STATE_IDS);
  const metricCalls = Math.ceil((4 * n) / MAX_QUERIES_PER_CALL);
  return {
    n,
    calls,
    total: Object.values(calls).reduce((a, b) => a + b, 0),
    bound: findingPages + instancePages + infoPages + patchCalls + metricCalls,
    boundNote: `${findingPages}+${instancePages}+${infoPages}+${patchCalls}+${metricCalls}`,
    ms,
  };
}

async function paced(n: number): Promise<{ calls: number; ms: number }> {
  const clients = motoClients('http://127.0.0.1:9', 1);
  const cloudtrail = mockClient(clients.cloudtrail);
  cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
  const sources = createAwsSources(clients);
  const now = Date.now();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => sources.activity.lookupInstanceEvents(`i-${i}`, now - 24 * HOUR_MS, now)));
  const ms = performance.now() - t0;
  const calls = cloudtrail.commandCalls(LookupEventsCommand).length;
  cloudtrail.restore();
  return { calls, ms };
}

const moto = await startMoto();
try {
  const rows: Row[] = [];
  for (const n of FLEETS) {
    await moto.reset();
    rows.push(await fleetRead(moto.endpoint, moto.post, n));
  }
  const names = Object.keys(rows[0]?.calls ?? {});
  const header = ['instances', ...names, 'total', 'lower bound', 'wall ms'];
  const table = rows.map((r) => [String(r.n), ...names.map((k) => String(r.calls[k] ?? 0)), String(r.total), `${r.bound} = ${r.boundNote}`, r.ms.toFixed(0)]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ');
  console.log(`AWS calls for one fleet read (${FINDINGS_PER_INSTANCE} findings an instance; * = aws-sdk-client-mock, moto lacks the call)`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
  console.log(
    `lower bound = pages of findings (moto serves 1; AWS ceil(F/${MAX_FINDINGS_PAGE})) + ceil(N/${MAX_INSTANCES_PAGE}) instance pages` +
      ` + ceil(N/${MAX_INSTANCE_INFORMATION_PAGE}) instance-information pages + ceil(N/${MAX_PATCH_STATE_IDS}) patch-state calls + ceil(4N/${MAX_QUERIES_PER_CALL}) metric calls`,
  );
  const ct = await paced(10);
  console.log(`CloudTrail LookupEvents* for 10 instances, paced at 2 calls a second: ${ct.calls} calls in ${ct.ms.toFixed(0)} ms`);
  const bad = rows.filter((r) => r.total !== r.bound);
  if (bad.length > 0) process.exitCode = 1;
} finally {
  await moto.stop();
}
