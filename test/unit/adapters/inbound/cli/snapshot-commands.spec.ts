import { expect } from 'chai';
import { runCli } from '../../../../../adapters/inbound/cli/cli-app.js';
import type { GlobalOptions } from '../../../../../adapters/inbound/cli/command-context.js';
import type { Assistant } from '../../../../../ports/inbound/assistant.port.js';
import type { CaptureSnapshotRequest } from '../../../../../ports/inbound/assessment/capture-snapshot.port.js';

/** The CLI in process over an Assistant that records what the capture was asked. */
async function cli(...argv: string[]): Promise<{ code: number; stderr: string; request: CaptureSnapshotRequest | null; options: GlobalOptions | null }> {
  let stderr = '';
  let request: CaptureSnapshotRequest | null = null;
  let options: GlobalOptions | null = null;
  const assistant = {
    captureSnapshot: (r: CaptureSnapshotRequest) => {
      request = r;
      return Promise.resolve({ outDir: r.outDir, manifest: { capturedAt: '2026-11-20T12:00:00Z', region: 'us-east-1', accountId: '123456789012' }, warnings: [], counts: { instances: 1, findings: 2, managedInstances: null, patchStates: null, metricFiles: null, activityFiles: null } });
    },
    close: () => Promise.resolve(),
  } as unknown as Assistant;
  const code = await runCli(argv, {
    stdout: { write: () => true },
    stderr: { write: (s: string) => void (stderr += s) },
    env: { NO_COLOR: '1' },
    version: 'test',
    createAssistant: (o) => {
      options = o;
      return Promise.resolve(assistant);
    },
  });
  return { code, stderr, request, options };
}

describe('CLI: snapshot capture --findings-report, and --findings', () => {
  it('passes the report location and the KMS key to the capture', async () => {
    const kms = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const r = await cli('snapshot', 'capture', '--source', 'aws', '--out', '/tmp/x', '--findings-report', 's3://reports/exports/', '--kms-key', kms);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.request?.findingsReport).to.deep.equal({ s3Url: 's3://reports/exports/', kmsKeyArn: kms });
  });

  it('refuses --kms-key without --findings-report (exit 2, naming the option)', async () => {
    const r = await cli('snapshot', 'capture', '--source', 'aws', '--out', '/tmp/x', '--kms-key', 'arn:aws:kms:us-east-1:123456789012:key/x');
    expect([r.code, r.stderr.trim()]).to.deep.equal([2, 'error: --kms-key: only with --findings-report (the key Inspector encrypts the report with)']);
  });

  it('hands --findings to the composition root with the other global options', async () => {
    const r = await cli('snapshot', 'capture', '--source', 'aws', '--out', '/tmp/x', '--findings', 's3://reports/r/');
    expect(r.options?.findings).to.equal('s3://reports/r/');
  });
});
