/**
 * `snapshot capture --findings-report s3://... --kms-key ARN`: CreateFindingsReport, a wait on
 * GetFindingsReportStatus with progress, then the report read from S3 into the snapshot.
 *
 * moto has neither CreateFindingsReport nor GetFindingsReportStatus: the Inspector2 client alone
 * answers through aws-sdk-client-mock (and, when the mocked report "succeeds", the test writes the
 * report object into moto's S3 as Inspector would). EC2, STS and S3 are moto, with the real SDK
 * clients; the S3 reading is the real one.
 */
import { expect } from 'chai';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mockClient } from 'aws-sdk-client-mock';
import { CreateFindingsReportCommand, GetFindingsReportStatusCommand, type GetFindingsReportStatusCommandOutput } from '@aws-sdk/client-inspector2';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../adapters/outbound/aws/aws-clients.js';
import type { AwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import { AwsSnapshotCapture } from '../../../adapters/outbound/aws/aws-snapshot-capture.js';
import { SnapshotDirectory } from '../../../adapters/outbound/snapshot/snapshot-directory.js';
import { createAssistant } from '../../../composition/index.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { withEnv } from '../../support/with-env.js';
import { motoClients, runInstances, wireFinding } from './aws-fixtures.js';

const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const EVENT_TIME = 'Wed Sep 04 16:59:44.356 UTC 2024';

/** A finding as the JSON report writes it (Inspector's timestamp format). */
const reportFinding = (instanceId: string, n: number, over: Record<string, unknown> = {}): Record<string, unknown> =>
  wireFinding(instanceId, n, { firstObservedAt: EVENT_TIME, lastObservedAt: EVENT_TIME, updatedAt: EVENT_TIME, ...over });

describe('snapshot capture --findings-report (CreateFindingsReport mocked at the Inspector2 seam, S3 on moto)', () => {
  const moto = useMoto();
  let clients: AwsClients;
  let ids: string[];
  const s3Clients: S3Client[] = [];
  const s3 = async (): Promise<S3Client> => {
    const c = await createS3Client({ endpointUrl: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    s3Clients.push(c);
    return c;
  };

  beforeEach(async () => {
    clients = motoClients(moto.endpoint);
    ids = [...(await runInstances(clients.ec2, 1, { Name: 'web-1' })), ...(await runInstances(clients.ec2, 1, { Name: 'db-1' }))];
    const admin = await s3();
    await admin.send(new CreateBucketCommand({ Bucket: 'inspector-reports' }));
  });
  afterEach(() => {
    for (const c of s3Clients.splice(0)) c.destroy();
  });

  /** Inspector2 answers IN_PROGRESS `polls` times, then `final`; on SUCCEEDED the report object is in S3 first. */
  function mockInspector(final: Partial<GetFindingsReportStatusCommandOutput>, polls = 2, report?: { key: string; body: Uint8Array | string }) {
    const inspector = mockClient(clients.inspector2);
    inspector.on(CreateFindingsReportCommand).resolves({ reportId: 'report-0001' });
    let calls = 0;
    inspector.on(GetFindingsReportStatusCommand).callsFake(async () => {
      if (calls++ < polls) return { reportId: 'report-0001', status: 'IN_PROGRESS' };
      if (report !== undefined) await (await s3()).send(new PutObjectCommand({ Bucket: 'inspector-reports', Key: report.key, Body: report.body }));
      return { reportId: 'report-0001', ...final };
    });
    return inspector;
  }

  function capture(): { run: (request?: { instanceIds?: string[] }) => Promise<Awaited<ReturnType<AwsSnapshotCapture['capture']>>>; progress: string[]; outDir: Promise<string> } {
    const progress: string[] = [];
    let t = Date.parse('2026-11-20T12:00:00Z');
    const outDir = mkdtemp(join(tmpdir(), 'sre-ops-report-capture-')).then((d) => join(d, 'snap'));
    const c = new AwsSnapshotCapture(clients, { s3, now: () => t, report: { sleep: async (ms) => void (t += ms), now: () => t, pollIntervalMs: 5000, maxWaitMs: 60_000 } });
    return {
      progress,
      outDir,
      run: async (request = {}) => c.capture({
        outDir: await outDir, metrics: false, activity: false,
        findingsReport: { s3Url: 's3://inspector-reports/exports/', kmsKeyArn: KMS },
        onProgress: (p) => progress.push(`[${p.step}] ${p.message}`),
        ...request,
      }),
    };
  }

  it('starts the report with the capture\'s filter, waits with progress, and copies the report\'s ACTIVE findings into the snapshot', async () => {
    const body = gzipSync(JSON.stringify({ findings: [reportFinding(ids[0] as string, 1), reportFinding(ids[1] as string, 2), reportFinding(ids[1] as string, 3, { status: 'SUPPRESSED' })] }));
    const inspector = mockInspector({ status: 'SUCCEEDED' }, 2, { key: 'exports/report-0001.json.gz', body });
    const c = capture();

    const result = await c.run();

    expect(result.counts.findings).to.equal(2);
    const create = inspector.commandCalls(CreateFindingsReportCommand)[0]?.args[0].input;
    expect(create).to.deep.equal({
      reportFormat: 'JSON',
      filterCriteria: { findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }], resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }] },
      s3Destination: { bucketName: 'inspector-reports', kmsKeyArn: KMS, keyPrefix: 'exports' },
    });
    expect(inspector.commandCalls(GetFindingsReportStatusCommand)).to.have.length(3);
    expect(c.progress.filter((p) => p.startsWith('[findings]'))).to.deep.equal([
      `[findings] exporting findings (inspector2:CreateFindingsReport) of 2 instances to s3://inspector-reports/exports/`,
      '[findings] findings report report-0001 started (inspector2:CreateFindingsReport), writing to s3://inspector-reports/exports',
      '[findings] findings report report-0001: IN_PROGRESS (0 s)',
      '[findings] findings report report-0001: IN_PROGRESS (5 s)',
      '[findings] findings report report-0001 ready after 10 s; reading it from S3',
    ]);
    // The snapshot reads back like any other: the report's timestamps included.
    const findings = await new SnapshotDirectory(await c.outDir).findings();
    expect(findings.map((f) => [f.instanceId, f.status, f.firstObservedAt])).to.deep.equal([
      [ids[0], 'ACTIVE', Date.parse('2024-09-04T16:59:44.356Z')],
      [ids[1], 'ACTIVE', Date.parse('2024-09-04T16:59:44.356Z')],
    ]);
  });

  it('asks for the instances of --instance, and keeps only theirs', async () => {
    const body = JSON.stringify({ findings: [reportFinding(ids[0] as string, 1), reportFinding(ids[1] as string, 2)] });
    const inspector = mockInspector({ status: 'SUCCEEDED' }, 0, { key: 'exports/report-0001.json', body });
    const c = capture();
    const result = await c.run({ instanceIds: [ids[1] as string] });
    expect(result.counts.findings).to.equal(1);
    expect(inspector.commandCalls(CreateFindingsReportCommand)[0]?.args[0].input.filterCriteria?.resourceId).to.deep.equal([{ comparison: 'EQUALS', value: ids[1] }]);
  });

  for (const [status, errorCode, errorMessage] of [['FAILED', 'INVALID_PERMISSIONS', 'Inspector cannot write to the bucket'], ['CANCELLED', undefined, undefined]] as const) {
    it(`fails with Inspector's reason when the report is ${status}, leaving nothing behind`, async () => {
      mockInspector({ status, ...(errorCode ? { errorCode } : {}), ...(errorMessage ? { errorMessage } : {}) }, 1);
      const c = capture();
      const err = await c.run().then(() => null, (e: Error) => e);
      expect(err?.message).to.equal(status === 'FAILED'
        ? 'findings report report-0001 FAILED (INVALID_PERMISSIONS: Inspector cannot write to the bucket)'
        : 'findings report report-0001 CANCELLED');
      const left = await stat(await c.outDir).then(() => true, () => false);
      expect(left).to.equal(false);
    });
  }

  it('writes an empty findings file when Inspector found nothing to export (NO_FINDINGS_FOUND)', async () => {
    mockInspector({ status: 'FAILED', errorCode: 'NO_FINDINGS_FOUND', errorMessage: 'No findings found' }, 0);
    const c = capture();
    const result = await c.run();
    expect(result.counts.findings).to.equal(0);
    expect(JSON.parse(await readFile(join(await c.outDir, 'inspector2-list-findings.json'), 'utf8'))).to.deep.equal({ findings: [] });
  });

  it('gives up after the longest wait, saying how to read the report later', async () => {
    mockInspector({ status: 'SUCCEEDED' }, 1000);
    const err = await capture().run().then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('findings report report-0001 still IN_PROGRESS after 60 s; gave up waiting (it may still finish: read it later with --findings s3://inspector-reports/exports)');
  });

  it('says which object was expected when the report succeeded but is not in S3', async () => {
    mockInspector({ status: 'SUCCEEDED' }, 0);
    const err = await capture().run().then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('findings report report-0001 SUCCEEDED but no object of it (a key containing report-0001) is under s3://inspector-reports/exports/');
  });

  it('refuses a missing or malformed KMS key before anything is called, naming the option', async () => {
    const restore = withEnv({ AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    try {
      const assistant = await createAssistant({ source: 'aws', aws: { endpointUrl: moto.endpoint, region: MOTO_REGION } });
      try {
        const dir = await mkdtemp(join(tmpdir(), 'sre-ops-report-capture-'));
        const err = await assistant.captureSnapshot({ outDir: join(dir, 'x'), findingsReport: { s3Url: 's3://inspector-reports/exports/', kmsKeyArn: '' } }).then(() => null, (e: Error & { field?: string }) => e);
        expect(err).to.include({ field: 'kmsKey' });
        expect(err?.message).to.match(/^kmsKey: expected the ARN of a KMS key/);
      } finally {
        await assistant.close();
      }
    } finally {
      restore();
    }
  });
});
