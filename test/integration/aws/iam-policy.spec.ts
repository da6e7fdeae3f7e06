import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsCallRecorder } from '../../../adapters/outbound/aws/aws-call-recorder.js';
import { createAwsSources } from '../../../adapters/outbound/aws/aws-sources.js';
import { SsmMaintenanceWindows } from '../../../adapters/outbound/aws/ssm-maintenance-windows.js';
import { SsmPatchRunner } from '../../../adapters/outbound/aws/ssm-patch-runner.js';
import { scheduleSpec } from '../../../domain/patch/schedule.js';
import { DEFAULT_POLICY } from '../../../domain/policy.js';
import { BOB } from '../../patch-builders.js';
import { HOUR_MS } from '../../../domain/time.js';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../adapters/outbound/aws/aws-clients.js';
import { s3FindingsSource } from '../../../adapters/outbound/aws/s3-findings-objects.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { motoClients, runInstances, wireFinding } from './aws-fixtures.js';
import { REPO_ROOT } from '../../support/paths.js';

interface Statement {
  readonly Sid: string;
  readonly Effect: string;
  readonly Action: readonly string[];
  readonly Resource: string;
}

// AWS lets any caller ask who it is: sts:GetCallerIdentity needs no permission.
const NEEDS_NO_PERMISSION = new Set(['sts:GetCallerIdentity']);

describe('docs/iam-policy.json', () => {
  const moto = useMoto();

  it('grants exactly the read actions the adapters and the capture send', async function () {
    this.timeout(30_000);
    const clients = motoClients(moto.endpoint);
    const recorder = new AwsCallRecorder().attach(...Object.values(clients));
    const [id] = await runInstances(clients.ec2, 1);
    await moto.server.post('/moto-api/static/inspector2/findings-results', { results: [[wireFinding(id as string, 1)]] });
    recorder.reset();
    const sources = createAwsSources(clients);
    const now = Date.now();
    // moto lacks the SSM and CloudTrail reads: those calls fail, but they were sent, and the
    // recorder (SDK middleware, before the request goes out) has counted them.
    const tolerate = async (p: Promise<unknown>): Promise<void> => {
      await p.catch(() => undefined);
    };

    await sources.assets.listAssets();
    for await (const _ of sources.findings.listActiveFindings()) void _;
    for await (const _ of sources.findings.listActiveFindings({ instanceIds: [id as string] })) void _;
    await tolerate(sources.patchCompliance.managedInstances());
    await tolerate(sources.patchCompliance.patchStates([id as string]));
    await sources.metrics.getInstanceMetrics({ instanceIds: [id as string], start: now - HOUR_MS, end: now, periodSeconds: 300 });
    await tolerate(sources.activity.lookupInstanceEvents(id as string, now - HOUR_MS, now));
    const dir = await mkdtemp(join(tmpdir(), 'sre-ops-iam-'));
    try {
      await sources.capture.capture({ outDir: join(dir, 'snap') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const policy = JSON.parse(await readFile(join(REPO_ROOT, 'docs', 'iam-policy.json'), 'utf8')) as { Version: string; Statement: Statement[] };
    const read = policy.Statement.find((s) => s.Sid === 'SreOpsRead');
    const sent = recorder.actions().filter((a) => !NEEDS_NO_PERMISSION.has(a));
    expect(policy.Version).to.equal('2012-10-17');
    expect(read).to.deep.include({ Effect: 'Allow', Resource: '*' });
    expect([...(read?.Action ?? [])].sort()).to.deep.equal(sent);
    expect(new Set(read?.Action).size).to.equal(read?.Action.length);
    expect(policy.Statement.map((s) => s.Sid).filter((sid) => sid !== 'SreOpsRead').every((sid) => sid === 'SreOpsPatch')).to.equal(true);
  });

  it('docs/iam-policy-findings-reports.json grants exactly the actions findings reports need (--findings s3://..., snapshot capture --findings-report)', async function () {
    this.timeout(30_000);
    const s3 = await createS3Client({ endpointUrl: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'reports' }));
      await s3.send(new PutObjectCommand({ Bucket: 'reports', Key: 'r/report.json', Body: JSON.stringify({ findings: [wireFinding('i-0aaa000000000001', 1)] }) }));
      const recorder = new AwsCallRecorder().attach(s3);
      for await (const _ of s3FindingsSource(s3, { bucket: 'reports', prefix: 'r/' }).listActiveFindings()) void _;
      // S3's IAM actions are not named after every operation: ListObjectsV2 needs s3:ListBucket.
      const S3_ACTION: Record<string, string> = { 's3:ListObjectsV2': 's3:ListBucket', 's3:GetObject': 's3:GetObject' };
      const sent = recorder.actions().map((a) => S3_ACTION[a] ?? a);
      // moto lacks CreateFindingsReport and GetFindingsReportStatus (the capture's tests mock
      // them, so they send nothing to record): named here. kms:Decrypt is what S3 asks of the
      // reader for an object Inspector encrypted with the report's KMS key.
      const expected = [...sent, 'inspector2:CreateFindingsReport', 'inspector2:GetFindingsReportStatus', 'kms:Decrypt'].sort();
      const policy = JSON.parse(await readFile(join(REPO_ROOT, 'docs', 'iam-policy-findings-reports.json'), 'utf8')) as { Statement: Statement[] };
      const reports = policy.Statement.find((s) => s.Sid === 'SreOpsFindingsReports');
      expect([...(reports?.Action ?? [])].sort()).to.deep.equal(expected);
    } finally {
      s3.destroy();
    }
  });

  it('grants exactly the patch actions the runner and the maintenance windows send', async function () {
    this.timeout(30_000);
    const clients = motoClients(moto.endpoint);
    const [id] = await runInstances(clients.ec2, 1);
    const recorder = new AwsCallRecorder().attach(clients.ssm);
    const tolerate = async (p: Promise<unknown>): Promise<void> => {
      await p.catch(() => undefined);
    };
    const runner = new SsmPatchRunner(clients.ssm, { invocationReads: 'get' });
    const listing = new SsmPatchRunner(clients.ssm, { invocationReads: 'list' });
    const windows = new SsmMaintenanceWindows(clients.ssm);

    const { commandId } = await runner.send({
      token: 'iam', instanceIds: [id as string], operation: 'Install', rebootOption: 'RebootIfNeeded', snapshotId: 's', maxConcurrency: '1', maxErrors: '1', alarmName: null,
    });
    await runner.findSent('iam', Date.now() - HOUR_MS, [id as string]);
    await runner.invocations(commandId, [id as string]);
    // moto lacks ListCommandInvocations and CancelCommand: sent (and recorded) all the same.
    await tolerate(listing.invocations(commandId, [id as string]));
    await tolerate(runner.cancel(commandId));
    const created = await windows.create(scheduleSpec({ instanceIds: [id as string], schedule: 'rate(7 days)', actor: BOB, policy: DEFAULT_POLICY, suffix: 'iam' }), 'iam');
    await windows.get(created.windowId);
    await windows.remove(created.windowId);

    const policy = JSON.parse(await readFile(join(REPO_ROOT, 'docs', 'iam-policy.json'), 'utf8')) as { Statement: Statement[] };
    const patch = policy.Statement.find((s) => s.Sid === 'SreOpsPatch');
    expect(patch).to.deep.include({ Effect: 'Allow', Resource: '*' });
    expect([...(patch?.Action ?? [])].sort((a, b) => a.localeCompare(b))).to.deep.equal(recorder.actions());
    expect(new Set(patch?.Action).size).to.equal(patch?.Action.length);
  });
});
