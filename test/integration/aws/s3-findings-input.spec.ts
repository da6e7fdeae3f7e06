/**
 * Findings from Inspector2's own exports in S3 (`--findings s3://bucket/prefix`), read with the
 * real S3 client from moto's S3: gzip and plain objects, several objects, a CSV report, and the
 * errors a person meets (no such bucket, nothing under the prefix, a malformed object).
 */
import { expect } from 'chai';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createS3Client } from '../../../adapters/outbound/aws/aws-clients.js';
import { parseS3Url, s3FindingsSource } from '../../../adapters/outbound/aws/s3-findings-objects.js';
import { localFindingsSource } from '../../../adapters/outbound/findings-files/local-findings-objects.js';
import { createAssistant } from '../../../composition/index.js';
import type { Finding } from '../../../domain/fleet-facts.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { REPO_ROOT } from '../../support/paths.js';
import { withEnv } from '../../support/with-env.js';
import { wireFinding } from './aws-fixtures.js';

async function collect(it: AsyncIterable<Finding>): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of it) out.push(f);
  return out;
}

const CSV_HEADER = 'AWS Account Id,Severity,Fix Available,Finding Type,Title,Finding ARN,First Seen,Last Seen,Resource ID,Resource Type,Affected Packages,Package Installed Version,Fixed in Version,Status,Vulnerability Id';
const csvRow = (instanceId: string, n: number): string =>
  `123456789012,CRITICAL,YES,PACKAGE_VULNERABILITY,CVE-2024-${7000 + n} - openssl,arn:aws:inspector2:us-east-1:123456789012:finding/csv-${n},Wed Sep 04 16:59:44.356 UTC 2024,Wed Sep 04 16:59:44.476 UTC 2024,${instanceId},AWS_EC2_INSTANCE,openssl,3.0.8,0:3.0.8-1.amzn2023.0.12,ACTIVE,CVE-2024-${7000 + n}`;

describe('Findings reports in S3 (moto S3, real @aws-sdk/client-s3)', () => {
  const moto = useMoto();
  let s3: S3Client;

  const put = (key: string, body: string | Uint8Array): Promise<unknown> => s3.send(new PutObjectCommand({ Bucket: 'reports', Key: key, Body: body }));

  beforeEach(async () => {
    s3 = await createS3Client({ endpointUrl: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'reports' }));
  });
  afterEach(() => s3.destroy());

  it('reads every report object under the prefix: gzip JSON, plain JSON and CSV, skipping other names and other prefixes', async () => {
    // A large gzip object, so that it arrives in many chunks and findings straddle them.
    const many = Array.from({ length: 400 }, (_, i) => wireFinding('i-0aaa000000000001', i));
    await put('inspector/2026-11-20/report-a.json.gz', gzipSync(JSON.stringify({ findings: many })));
    await put('inspector/2026-11-20/report-b.json', JSON.stringify({ findings: [wireFinding('i-0aaa000000000002', 1000), wireFinding('i-0aaa000000000002', 1001, { status: 'CLOSED' })] }));
    await put('inspector/2026-11-20/report-c.csv', `${CSV_HEADER}\n${csvRow('i-0aaa000000000003', 1)}\n`);
    await put('inspector/2026-11-20/_manifest.txt', 'not a report');
    await put('elsewhere/report.json', JSON.stringify({ findings: [wireFinding('i-0aaa000000000009', 1)] }));

    const findings = await collect(s3FindingsSource(s3, parseS3Url('s3://reports/inspector/2026-11-20/', 'findings')).listActiveFindings());

    expect(findings).to.have.length(402);
    expect(findings.filter((f) => f.instanceId === 'i-0aaa000000000001')).to.have.length(400);
    expect(findings.map((f) => f.findingArn)).to.include.members([
      'arn:aws:inspector2:us-east-1:123456789012:finding/i-0aaa000000000002-1000',
      'arn:aws:inspector2:us-east-1:123456789012:finding/csv-1',
    ]);
    expect(findings.find((f) => f.findingArn.endsWith('csv-1'))).to.deep.include({ severity: 'CRITICAL', lastObservedAt: Date.parse('2024-09-04T16:59:44.476Z') });
  });

  it('follows ListObjectsV2 pages: every object of a prefix listed over several pages is read, in key order', async () => {
    for (let i = 0; i < 5; i++) await put(`paged/part-${i}.json`, JSON.stringify({ findings: [wireFinding('i-0aaa000000000001', i)] }));
    const findings = await collect(s3FindingsSource(s3, parseS3Url('s3://reports/paged/', 'findings'), 2).listActiveFindings());
    expect(findings.map((f) => f.vulnerabilityId)).to.deep.equal(['CVE-2024-6000', 'CVE-2024-6001', 'CVE-2024-6002', 'CVE-2024-6003', 'CVE-2024-6004']);
  });

  it('names a bucket that does not exist, in one line', async () => {
    const err = await collect(s3FindingsSource(s3, parseS3Url('s3://no-such-reports/x/', 'findings')).listActiveFindings()).then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('s3://no-such-reports/x/: no such bucket "no-such-reports" (NoSuchBucket): check the name and the region');
  });

  it('says so when nothing under the prefix is a report', async () => {
    await put('inspector/notes.txt', 'x');
    const err = await collect(s3FindingsSource(s3, parseS3Url('s3://reports/inspector/', 'findings')).listActiveFindings()).then(() => null, (e: Error) => e);
    expect(err?.message).to.match(/^s3:\/\/reports\/inspector\/: no \.json, \.json\.gz, \.jsonl, \.csv or \.csv\.gz objects of an Inspector2 findings report or archived "Inspector2 Finding" events under this prefix$/);
  });

  it('names the malformed object and the line where it breaks (after the gunzip)', async () => {
    await put('r/1-good.json', JSON.stringify({ findings: [wireFinding('i-0aaa000000000001', 1)] }));
    const bad = `{"findings": [\n${JSON.stringify(wireFinding('i-0aaa000000000001', 2))},\n{"findingArn": "x",, "type": 1}\n]}`;
    await put('r/2-bad.json.gz', gzipSync(bad));
    const err = await collect(s3FindingsSource(s3, parseS3Url('s3://reports/r/', 'findings')).listActiveFindings()).then(() => null, (e: Error) => e);
    // The byte offset is in the gunzipped stream.
    const byte = Buffer.byteLength(bad.slice(0, bad.indexOf('{"findingArn": "x"'))) + 19;
    expect(err?.message).to.equal(`s3://reports/r/2-bad.json.gz: not valid JSON: line 3, column 20 (byte ${byte}): expected a double-quoted property name, found ','`);
  });

  it('refuses an s3 URL that is not one, naming the option', () => {
    expect(() => parseS3Url('s3://Bad_Bucket/x', 'findings')).to.throw(/^findings: expected s3:\/\/BUCKET\/PREFIX/);
  });

  it('wires --findings into the assistant: findings from S3, the rest of the fleet from a snapshot', async () => {
    await put('inspector/report.json.gz', gzipSync(JSON.stringify({ findings: [wireFinding('i-0aaa000000000001', 1), wireFinding('i-0aaa000000000003', 2)] })));
    const restore = withEnv({ AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    try {
      const assistant = await createAssistant({
        source: `snapshot:${join(REPO_ROOT, 'test', 'fixtures', 'snapshots', 'minimal')}`,
        findings: 's3://reports/inspector/',
        aws: { endpointUrl: moto.endpoint, region: MOTO_REGION },
      });
      try {
        const fleet = await assistant.assessFleet({});
        expect(fleet.source).to.match(/^snapshot:.* \+ findings:s3:\/\/reports\/inspector\/$/);
        const arns = fleet.assets.flatMap((a) => a.findings.map((f) => f.findingArn)).sort();
        expect(arns).to.deep.equal([
          'arn:aws:inspector2:us-east-1:123456789012:finding/i-0aaa000000000001-1',
          'arn:aws:inspector2:us-east-1:123456789012:finding/i-0aaa000000000003-2',
        ]);
      } finally {
        await assistant.close();
      }
    } finally {
      restore();
    }
  });

  it('reads a downloaded report from a local folder the same way (gzip and CSV)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-ops-report-'));
    writeFileSync(join(dir, 'report.json.gz'), gzipSync(JSON.stringify({ findings: [wireFinding('i-0aaa000000000001', 1)] })));
    writeFileSync(join(dir, 'report.csv'), `${CSV_HEADER}\n${csvRow('i-0aaa000000000002', 2)}\n`);
    writeFileSync(join(dir, 'README.txt'), 'ignored');
    const findings = await collect(localFindingsSource(dir).listActiveFindings());
    expect(findings.map((f) => f.instanceId)).to.deep.equal(['i-0aaa000000000002', 'i-0aaa000000000001']);
    const missing = await collect(localFindingsSource(join(dir, 'nope')).listActiveFindings()).then(() => null, (e: Error) => e);
    expect(missing?.message).to.equal(`${join(dir, 'nope')}: no such file or folder`);
  });
});
