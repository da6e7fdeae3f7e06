import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListFindingsCommand } from '@aws-sdk/client-inspector2';
import type { Inspector2Client } from '@aws-sdk/client-inspector2';
import { DescribeInstanceInformationCommand, DescribeInstancePatchStatesCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import { AwsSnapshotCapture } from '../../../adapters/outbound/aws/aws-snapshot-capture.js';
import type { CaptureProgress } from '../../../adapters/outbound/aws/aws-snapshot-capture.js';
import { CloudTrailActivityLog } from '../../../adapters/outbound/aws/cloudtrail-activity-log.js';
import { CloudWatchMetricsSource } from '../../../adapters/outbound/aws/cloudwatch-metrics-source.js';
import { Ec2AssetInventory } from '../../../adapters/outbound/aws/ec2-asset-inventory.js';
import { Inspector2FindingsSource } from '../../../adapters/outbound/aws/inspector2-findings-source.js';
import { RequestPacer } from '../../../adapters/outbound/aws/resilience.js';
import { SsmPatchCompliance } from '../../../adapters/outbound/aws/ssm-patch-compliance.js';
import {
  mapCloudTrailEvent, mapDescribeInstances, mapFinding, mapManagedInstance, mapMetricDataResults, mapPatchState,
} from '../../../adapters/outbound/aws-shapes/index.js';
import { SourceError, ValidationError } from '../../../domain/errors.js';
import type { Finding } from '../../../domain/fleet-facts.js';
import { HOUR_MS } from '../../../domain/time.js';
import { MOTO_ACCOUNT, MOTO_REGION, useMoto } from '../../support/moto.js';
import { awsError, motoClients, runInstances, wireFinding } from './aws-fixtures.js';

const NOW = Date.parse('2026-11-20T00:00:00Z');
const METRICS = { start: NOW - 6 * HOUR_MS, end: NOW, periodSeconds: 3600 };
const ACTIVITY = { start: NOW - 48 * HOUR_MS, end: NOW };

// moto lacks SSM DescribeInstanceInformation / DescribeInstancePatchStates and CloudTrail
// LookupEvents: those two clients answer through aws-sdk-client-mock, the rest through moto.
function mockSecondaries(clients: AwsClients, ids: readonly string[]): { ssm: AwsClientStub<SSMClient>; cloudtrail: AwsClientStub<CloudTrailClient> } {
  const ssm = mockClient(clients.ssm);
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: ids.map((id, i) => ({
      InstanceId: id, PingStatus: i === 0 ? 'Online' : 'ConnectionLost', LastPingDateTime: new Date(NOW - HOUR_MS), PlatformName: 'Amazon Linux', AgentVersion: '3.3.0.0',
    })),
  });
  ssm.on(DescribeInstancePatchStatesCommand).callsFake((input: { InstanceIds: string[] }) => ({
    InstancePatchStates: input.InstanceIds.map((id) => ({
      InstanceId: id, PatchGroup: 'web', BaselineId: 'pb-0123', MissingCount: 2, InstalledPendingRebootCount: 1, Operation: 'Scan',
      OperationStartTime: new Date(NOW - 5 * HOUR_MS), OperationEndTime: new Date(NOW - 5 * HOUR_MS + 60_000),
    })),
  }));
  const cloudtrail = mockClient(clients.cloudtrail);
  cloudtrail.on(LookupEventsCommand).callsFake((input: { LookupAttributes: { AttributeValue: string }[] }) => ({
    Events: [
      {
        EventId: `${input.LookupAttributes[0]?.AttributeValue}-e1`, EventName: 'StopInstances', EventTime: new Date(NOW - 2 * HOUR_MS), Username: 'root',
        CloudTrailEvent: JSON.stringify({ userIdentity: { type: 'Root', arn: `arn:aws:iam::${MOTO_ACCOUNT}:root` }, sourceIPAddress: '198.51.100.1', readOnly: false }),
      },
    ],
  }));
  return { ssm, cloudtrail };
}

async function seed(clients: AwsClients, post: (path: string, body: unknown) => Promise<void>): Promise<string[]> {
  const [a] = await runInstances(clients.ec2, 1, { Name: 'web-1', Environment: 'prod' });
  const [b] = await runInstances(clients.ec2, 1, { Name: 'db-1', criticality: 'high' });
  const ids = [a as string, b as string];
  // moto serves one queued list per distinct request and keeps it: every identical ListFindings
  // call (live adapter and capture alike) gets this list.
  await post('/moto-api/static/inspector2/findings-results', { results: [[wireFinding(ids[0] as string, 1), wireFinding(ids[1] as string, 2), wireFinding(ids[1] as string, 3)]] });
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/EC2',
      MetricData: ids.flatMap((id, i) => [
        { MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }], Timestamp: new Date(NOW - 3 * HOUR_MS), Value: 10 + i },
        { MetricName: 'NetworkOut', Dimensions: [{ Name: 'InstanceId', Value: id }], Timestamp: new Date(NOW - 2 * HOUR_MS), Value: 1000 * (i + 1) },
      ]),
    }),
  );
  return ids;
}

async function readJson(path: string): Promise<Record<string, unknown[]>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown[]>;
}

describe('AwsSnapshotCapture', () => {
  const moto = useMoto();
  let dir = '';
  let clients: AwsClients;
  let restore: (() => void)[] = [];
  const fastPacer = (): RequestPacer => new RequestPacer({ perSecond: 1000 });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sre-ops-capture-'));
    clients = motoClients(moto.endpoint);
  });
  afterEach(async () => {
    for (const r of restore) r();
    restore = [];
    await rm(dir, { recursive: true, force: true });
  });

  it('writes files that map back to exactly what the live adapters return (round trip)', async () => {
    const ids = await seed(clients, moto.server.post);
    const mocks = mockSecondaries(clients, ids);
    restore.push(() => mocks.ssm.restore(), () => mocks.cloudtrail.restore());
    const out = join(dir, 'snap');

    const live = {
      assets: await new Ec2AssetInventory(clients.ec2).listAssets(),
      findings: await (async () => {
        const list: Finding[] = [];
        for await (const f of new Inspector2FindingsSource(clients.inspector2).listActiveFindings()) list.push(f);
        return list;
      })(),
      managed: await new SsmPatchCompliance(clients.ssm).managedInstances(),
      patch: await new SsmPatchCompliance(clients.ssm).patchStates(ids),
      metrics: await new CloudWatchMetricsSource(clients.cloudwatch, { now: () => NOW }).getInstanceMetrics({ instanceIds: ids, ...METRICS }),
      events: await Promise.all(ids.map((id) => new CloudTrailActivityLog(clients.cloudtrail, { pacer: fastPacer() }).lookupInstanceEvents(id, ACTIVITY.start, ACTIVITY.end))),
    };
    const result = await new AwsSnapshotCapture(clients, { now: () => NOW, cloudTrailPacer: fastPacer() }).capture({
      outDir: out, metrics: METRICS, activity: ACTIVITY, kevFeed: async () => '{"vulnerabilities":[]}',
    });

    expect(result.warnings).to.deep.equal([]);
    expect(result.counts).to.deep.equal({ instances: 2, findings: 3, managedInstances: 2, patchStates: 2, metricFiles: 2, activityFiles: 2 });
    expect((await readdir(out)).sort()).to.deep.equal([
      'cloudtrail', 'cloudwatch', 'ec2-describe-instances.json', 'inspector2-list-findings.json', 'kev.json', 'snapshot.json',
      'ssm-describe-instance-information.json', 'ssm-describe-instance-patch-states.json',
    ]);
    expect(await readJson(join(out, 'snapshot.json'))).to.deep.equal({ capturedAt: '2026-11-20T00:00:00.000Z', region: MOTO_REGION, accountId: MOTO_ACCOUNT });

    const instances = await readJson(join(out, 'ec2-describe-instances.json'));
    expect(mapDescribeInstances(instances, '$')).to.deep.equal(live.assets);
    const launch = (instances.Reservations?.[0] as { Instances: { LaunchTime: unknown }[] }).Instances[0]?.LaunchTime;
    expect(launch).to.be.a('string').and.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

    const findings = (await readJson(join(out, 'inspector2-list-findings.json'))).findings ?? [];
    expect(findings.map((f, i) => mapFinding(f, `$.findings[${i}]`))).to.deep.equal(live.findings);

    const info = (await readJson(join(out, 'ssm-describe-instance-information.json'))).InstanceInformationList ?? [];
    expect(new Map(info.map((r, i) => { const m = mapManagedInstance(r, `$[${i}]`); return [m.instanceId, m]; }))).to.deep.equal(live.managed);
    const states = (await readJson(join(out, 'ssm-describe-instance-patch-states.json'))).InstancePatchStates ?? [];
    expect(new Map(states.map((r, i) => { const m = mapPatchState(r, `$[${i}]`); return [m.instanceId, m]; }))).to.deep.equal(live.patch);

    for (const [n, id] of ids.entries()) {
      const cw = await readJson(join(out, 'cloudwatch', `${id}.json`));
      expect(cw.MetricDataResults?.map((r) => (r as { Id: string }).Id)).to.deep.equal(['cpu', 'networkIn', 'networkOut', 'statusCheckFailed']);
      expect(mapMetricDataResults(cw.MetricDataResults, '$.MetricDataResults')).to.deep.equal(live.metrics.get(id));
      const ct = (await readJson(join(out, 'cloudtrail', `${id}.json`))).Events ?? [];
      expect(ct.map((e, i) => mapCloudTrailEvent(e, `$.Events[${i}]`))).to.deep.equal(live.events[n]);
    }
    // The data is not trivially empty: the comparison above compared something.
    expect(live.metrics.get(ids[1] as string)?.cpu).to.deep.equal([{ t: NOW - 3 * HOUR_MS, v: 11 }]);
    expect(live.findings).to.have.length(3);
  });

  it('captures only the instances asked for', async () => {
    const ids = await seed(clients, moto.server.post);
    const mocks = mockSecondaries(clients, ids);
    restore.push(() => mocks.ssm.restore(), () => mocks.cloudtrail.restore());
    const out = join(dir, 'one');

    const result = await new AwsSnapshotCapture(clients, { now: () => NOW, cloudTrailPacer: fastPacer() }).capture({
      outDir: out, instanceIds: [ids[1] as string, 'i-0000000000000dead'], metrics: METRICS, activity: ACTIVITY,
    });

    const assets = mapDescribeInstances(await readJson(join(out, 'ec2-describe-instances.json')), '$');
    expect(assets.map((a) => a.instanceId)).to.deep.equal([ids[1]]);
    const findings = (await readJson(join(out, 'inspector2-list-findings.json'))).findings ?? [];
    expect(findings.map((f, i) => mapFinding(f, `$[${i}]`)?.instanceId)).to.deep.equal([ids[1], ids[1]]);
    expect(await readdir(join(out, 'cloudwatch'))).to.deep.equal([`${ids[1]}.json`]);
    expect(result.warnings).to.deep.equal(['instance i-0000000000000dead not found (or terminated); left out']);
  });

  it('leaves a failed secondary source out with a warning naming service, operation and code', async () => {
    const ids = await seed(clients, moto.server.post);
    const mocks = mockSecondaries(clients, ids);
    restore.push(() => mocks.ssm.restore(), () => mocks.cloudtrail.restore());
    mocks.ssm.on(DescribeInstanceInformationCommand).rejects(awsError('AccessDeniedException', 'denied'));
    const out = join(dir, 'partial');
    const steps: CaptureProgress['step'][] = [];

    const result = await new AwsSnapshotCapture(clients, { now: () => NOW, cloudTrailPacer: fastPacer() }).capture({
      outDir: out, metrics: METRICS, activity: false, onProgress: (p) => steps.push(p.step),
    });

    expect(result.warnings).to.have.length(1);
    // The service, operation and code once (the message names them), not twice.
    expect(result.warnings[0]).to.match(/^access denied: the caller lacks IAM permission "ssm:DescribeInstanceInformation" \(AccessDeniedException\).*; left out of the snapshot$/);
    const files = await readdir(out);
    expect(files).not.to.include('ssm-describe-instance-information.json');
    expect(files).to.include('ssm-describe-instance-patch-states.json');
    expect(files).not.to.include('cloudtrail');
    expect(steps).to.deep.equal(['account', 'instances', 'findings', 'managed-instances', 'patch-states', 'metrics', 'done']);
  });

  it('writes nothing when a required source fails', async () => {
    await seed(clients, moto.server.post);
    const inspector = mockClient(clients.inspector2 as Inspector2Client);
    restore.push(() => inspector.restore());
    inspector.on(ListFindingsCommand).rejects(awsError('AccessDeniedException', 'denied'));
    const out = join(dir, 'never');

    const error = await new AwsSnapshotCapture(clients, { now: () => NOW }).capture({ outDir: out, metrics: false, activity: false }).then(() => null, (e: unknown) => e);

    expect(error).to.be.instanceOf(SourceError);
    expect(error).to.include({ service: 'inspector2', operation: 'ListFindings' });
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('refuses a folder that is not empty', async () => {
    const out = join(dir, 'used');
    await mkdir(out);
    await writeFile(join(out, 'keep.txt'), 'mine');

    const error = await new AwsSnapshotCapture(clients, { now: () => NOW }).capture({ outDir: out }).then(() => null, (e: unknown) => e);

    expect(error).to.be.instanceOf(ValidationError);
    expect(await readdir(out)).to.deep.equal(['keep.txt']);
  });
});
