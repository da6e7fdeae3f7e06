import { mkdir, mkdtemp, open, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Reservation } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { isSourceError, SourceError, sourceWarning, ValidationError } from '../../../domain/errors.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';
import type { Instant } from '../../../domain/time.js';
import type { CapturedManifest as SnapshotManifest, CaptureRequest, CaptureResult, FindingsReportTarget, SnapshotCapture } from '../../../ports/outbound/snapshot-capture.port.js';
import { readFindingsObject } from '../aws-shapes/findings-input.js';
import { SNAPSHOT_FILES } from '../aws-shapes/snapshot-files.js';
import type { AwsClients } from './aws-clients.js';
import { callAws } from './aws-errors.js';
import { CloudTrailActivityLog } from './cloudtrail-activity-log.js';
import { CloudWatchMetricsSource } from './cloudwatch-metrics-source.js';
import { Ec2AssetInventory } from './ec2-asset-inventory.js';
import { Inspector2FindingsReport, type FindingsReportOptions, type FinishedReport } from './inspector2-findings-report.js';
import { Inspector2FindingsSource } from './inspector2-findings-source.js';
import { parseS3Url } from './s3-findings-objects.js';
import type { Limiter, RequestPacer } from './resilience.js';
import { createLimiter, mapLimited } from './resilience.js';
import { SsmPatchCompliance } from './ssm-patch-compliance.js';

export { SNAPSHOT_FILES };

export type { CapturedManifest as SnapshotManifest, CaptureProgress, CaptureRequest, CaptureResult, CaptureStep } from '../../../ports/outbound/snapshot-capture.port.js';

/** Limits and clock shared with the live adapters. */
export interface AwsSnapshotCaptureOptions {
  /** Caps parallel calls; share the one the live adapters use. Default 4 at once. */
  readonly limiter?: Limiter;
  /** CloudTrail's pacer; share the one the live CloudTrailActivityLog uses. */
  readonly cloudTrailPacer?: RequestPacer;
  readonly now?: () => Instant;
  /** Builds the S3 client a findings report is read with (only when a capture asks for one). */
  readonly s3?: () => Promise<S3Client>;
  /** How the wait for a findings report is paced (tests inject a sleeper and a clock). */
  readonly report?: FindingsReportOptions;
}

/**
 * Writes a live account into the snapshot folder format, from the same SDK calls the live
 * adapters make, as raw AWS shapes with ISO 8601 timestamps (as the AWS CLI writes them). The
 * folder is built under a temporary name beside the target and renamed at the end, so a failed
 * capture leaves nothing half-written. EC2, Inspector2 and STS are required; SSM, CloudWatch,
 * CloudTrail and the KEV feed are left out with a warning when they fail.
 */
export class AwsSnapshotCapture implements SnapshotCapture {
  private readonly limiter: Limiter;
  private readonly now: () => Instant;
  private readonly inventory: Ec2AssetInventory;
  private readonly findings: Inspector2FindingsSource;
  private readonly ssm: SsmPatchCompliance;
  private readonly metrics: CloudWatchMetricsSource;
  private readonly activity: CloudTrailActivityLog;
  private readonly s3: (() => Promise<S3Client>) | null;
  private readonly reportOptions: FindingsReportOptions;

  constructor(
    private readonly clients: AwsClients,
    options: AwsSnapshotCaptureOptions = {},
  ) {
    this.limiter = options.limiter ?? createLimiter(4);
    this.now = options.now ?? Date.now;
    this.inventory = new Ec2AssetInventory(clients.ec2);
    this.findings = new Inspector2FindingsSource(clients.inspector2);
    this.ssm = new SsmPatchCompliance(clients.ssm, { limiter: this.limiter });
    this.metrics = new CloudWatchMetricsSource(clients.cloudwatch, { limiter: this.limiter, now: this.now });
    this.activity = new CloudTrailActivityLog(clients.cloudtrail, options.cloudTrailPacer ? { pacer: options.cloudTrailPacer } : {});
    this.s3 = options.s3 ?? null;
    this.reportOptions = options.report ?? {};
  }

  /**
   * @throws ValidationError when outDir exists and is not empty.
   * @throws SourceError when a required source (STS, EC2, Inspector2) fails; nothing is written.
   */
  async capture(request: CaptureRequest): Promise<CaptureResult> {
    const outDir = resolve(request.outDir);
    await assertUsable(outDir);
    const progress = request.onProgress ?? (() => undefined);
    const capturedAt = this.now();
    const warnings: string[] = [];

    progress({ step: 'account', message: 'reading the account (sts:GetCallerIdentity)' });
    const identity = await callAws('sts', 'GetCallerIdentity', () => this.clients.sts.send(new GetCallerIdentityCommand({})));
    const region = await this.clients.ec2.config.region();
    const manifest: SnapshotManifest = { capturedAt: new Date(capturedAt).toISOString(), region, accountId: identity.Account ?? 'unknown' };

    await mkdir(dirname(outDir), { recursive: true });
    const tmp = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-`));
    try {
      progress({ step: 'instances', message: 'listing instances (ec2:DescribeInstances)' });
      const wanted = request.instanceIds === undefined ? null : new Set(request.instanceIds);
      const reservations = keepInstances(await this.inventory.reservations(), wanted);
      const instanceIds = reservations.flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId ?? '')).filter((id) => id !== '');
      if (wanted !== null) {
        for (const id of wanted) if (!instanceIds.includes(id)) warnings.push(`instance ${id} not found (or terminated); left out`);
      }
      await writeJson(join(tmp, SNAPSHOT_FILES.instances), { Reservations: reservations });

      let findingCount: number;
      if (request.findingsReport !== undefined) {
        progress({ step: 'findings', message: `exporting findings (inspector2:CreateFindingsReport) of ${instanceIds.length} instances to ${request.findingsReport.s3Url}` });
        findingCount = await this.writeReportFindings(join(tmp, SNAPSHOT_FILES.findings), wanted === null ? undefined : instanceIds, request.findingsReport, (message) => progress({ step: 'findings', message }));
      } else {
        progress({ step: 'findings', message: `reading findings (inspector2:ListFindings) of ${instanceIds.length} instances` });
        findingCount = await this.writeFindings(join(tmp, SNAPSHOT_FILES.findings), wanted === null ? undefined : instanceIds);
      }

      progress({ step: 'managed-instances', message: 'reading managed instances (ssm:DescribeInstanceInformation)' });
      const info = await secondary(warnings, () => this.ssm.instanceInformation());
      if (info !== null) {
        const kept = info.filter((i) => wanted === null || wanted.has(i.InstanceId ?? ''));
        await writeJson(join(tmp, SNAPSHOT_FILES.instanceInformation), { InstanceInformationList: kept });
      }

      progress({ step: 'patch-states', message: 'reading patch states (ssm:DescribeInstancePatchStates)' });
      const states = await secondary(warnings, () => this.ssm.instancePatchStates(instanceIds));
      if (states !== null) await writeJson(join(tmp, SNAPSHOT_FILES.patchStates), { InstancePatchStates: states });

      let metricFiles: number | null = null;
      if (request.metrics !== false) {
        const window = request.metrics ?? { start: capturedAt - 14 * DAY_MS, end: capturedAt, periodSeconds: HOUR_MS / 1000 };
        progress({ step: 'metrics', message: 'reading metrics (cloudwatch:GetMetricData)' });
        const results = await secondary(warnings, () => this.metrics.metricDataResults({ instanceIds, ...window }));
        if (results !== null) {
          await mkdir(join(tmp, SNAPSHOT_FILES.metricsDir));
          for (const [id, list] of results) await writeJson(join(tmp, SNAPSHOT_FILES.metricsDir, `${id}.json`), { MetricDataResults: list });
          metricFiles = results.size;
        }
      }

      let activityFiles: number | null = null;
      if (request.activity !== false) {
        const window = request.activity ?? { start: capturedAt - 14 * DAY_MS, end: capturedAt };
        progress({ step: 'activity', message: `reading CloudTrail events (cloudtrail:LookupEvents) of ${instanceIds.length} instances, about 2 calls a second` });
        // All or nothing: a cloudtrail/ folder missing some instances would read as "no events".
        const events = await secondary(warnings, () =>
          mapLimited(instanceIds, this.limiter, async (id) => [id, await this.activity.events(id, window.start, window.end)] as const),
        );
        if (events !== null) {
          await mkdir(join(tmp, SNAPSHOT_FILES.activityDir));
          for (const [id, list] of events) await writeJson(join(tmp, SNAPSHOT_FILES.activityDir, `${id}.json`), { Events: list });
          activityFiles = events.length;
        }
      }

      if (request.kevFeed !== undefined) {
        progress({ step: 'kev', message: 'storing the KEV catalog' });
        const feed = request.kevFeed;
        const text = await secondary(warnings, () => feed());
        if (text !== null && text !== undefined) await writeFile(join(tmp, SNAPSHOT_FILES.kev), text);
      }

      await writeJson(join(tmp, SNAPSHOT_FILES.manifest), manifest);
      await moveInto(tmp, outDir);
      progress({ step: 'done', message: `snapshot written to ${outDir}` });
      return {
        outDir,
        manifest,
        warnings,
        counts: {
          instances: instanceIds.length,
          findings: findingCount,
          managedInstances: info === null ? null : info.length,
          patchStates: states === null ? null : states.length,
          metricFiles,
          activityFiles,
        },
      };
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  // Exports the findings with CreateFindingsReport, waits for the report, and copies it in.
  private async writeReportFindings(path: string, instanceIds: readonly string[] | undefined, target: FindingsReportTarget, onProgress: (message: string) => void): Promise<number> {
    const location = parseS3Url(target.s3Url, 'findingsReport');
    if (this.s3 === null) throw new ValidationError('findingsReport', 'an S3 client', 'findingsReport: this capture has no S3 client to read the report with');
    const s3 = await this.s3();
    try {
      const report = await new Inspector2FindingsReport(this.clients.inspector2, s3, this.reportOptions).run({
        location, kmsKeyArn: target.kmsKeyArn, ...(instanceIds === undefined ? {} : { instanceIds }), onProgress,
      });
      return await writeReportInto(path, report, instanceIds === undefined ? null : new Set(instanceIds));
    } finally {
      s3.destroy();
    }
  }

  // Streams findings to the file a page at a time: a fleet may have 100,000 of them.
  private async writeFindings(path: string, instanceIds: readonly string[] | undefined): Promise<number> {
    const file = await open(path, 'w');
    let count = 0;
    try {
      await file.write('{\n  "findings": [');
      for await (const page of this.findings.pages(instanceIds === undefined ? {} : { instanceIds })) {
        let text = '';
        for (const { raw } of page) text += `${count++ === 0 ? '' : ','}\n    ${JSON.stringify(raw)}`;
        await file.write(text);
      }
      await file.write(`${count === 0 ? '' : '\n  '}]\n}\n`);
    } finally {
      await file.close();
    }
    return count;
  }
}

/**
 * A findings report's findings (those on the instances wanted, ACTIVE) written into the snapshot's
 * findings file as the report holds them, one at a time: the report is never held whole.
 */
async function writeReportInto(path: string, report: FinishedReport, wanted: ReadonlySet<string> | null): Promise<number> {
  const file = await open(path, 'w');
  let count = 0;
  try {
    await file.write('{\n  "findings": [');
    let text = '';
    for await (const object of report.objects()) {
      for await (const record of readFindingsObject(object, 's3')) {
        if (record.kind !== 'finding' || record.raw === null) {
          throw new SourceError('s3', null, `${object.name}: not a JSON findings report (a capture asks Inspector for JSON)`, { code: 'SOURCE_BAD_INPUT' });
        }
        const f = record.finding;
        if (f.status !== 'ACTIVE' || (wanted !== null && !wanted.has(f.instanceId))) continue;
        text += `${count++ === 0 ? '' : ','}\n    ${record.raw}`;
        if (text.length > 1 << 16) {
          await file.write(text);
          text = '';
        }
      }
    }
    await file.write(`${text}${count === 0 ? '' : '\n  '}]\n}\n`);
  } finally {
    await file.close();
  }
  return count;
}

/** Reads a secondary source; its SourceError becomes a warning and the result null. */
async function secondary<T>(warnings: string[], read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (!isSourceError(e)) throw e;
    warnings.push(sourceWarning(e, null, 'left out of the snapshot'));
    return null;
  }
}

function keepInstances(reservations: Reservation[], wanted: ReadonlySet<string> | null): Reservation[] {
  if (wanted === null) return reservations;
  return reservations
    .map((r) => ({ ...r, Instances: (r.Instances ?? []).filter((i) => wanted.has(i.InstanceId ?? '')) }))
    .filter((r) => r.Instances.length > 0);
}

// Date values serialize through Date.prototype.toJSON: ISO 8601 in UTC.
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Refuses an out folder that is a file or not empty. @throws ValidationError naming out. */
export async function assertUsable(outDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ValidationError('out', 'a folder', `${outDir} is a file, not a folder`);
    throw e;
  }
  if (entries.length > 0) throw new ValidationError('out', 'a new or empty folder', `${outDir} is not empty; choose a new folder for the snapshot`);
}

/** Renames the finished temporary folder onto the (absent or empty) out folder. */
export async function moveInto(tmp: string, outDir: string): Promise<void> {
  // rename() cannot replace a directory; an empty one (checked before the capture) goes first.
  await rmdir(outDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await rename(tmp, outDir);
}
