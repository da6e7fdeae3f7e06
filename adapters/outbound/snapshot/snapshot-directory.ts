import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SourceError, ValidationError } from '../../../domain/errors.js';
import type { Asset, ChangeEvent, Finding, InstanceMetrics, ManagedInstance, PatchState } from '../../../domain/inputs.js';
import type { Instant } from '../../../domain/time.js';
import {
  decodeJsonBytes, describeValue, mapCloudTrailEvent, mapDescribeInstances, mapFinding, mapManagedInstance, mapMetricDataResults, mapPatchState,
  parseJsonText, parseTimestamp, ShapeError,
} from '../aws-shapes/index.js';
import { findMember, MalformedJson } from './json-array-elements.js';
import { SNAPSHOT_FILES } from '../aws-shapes/snapshot-files.js';

export { SNAPSHOT_FILES };

/** How each required file is captured, quoted in the error when it is missing. */
const CAPTURE: Readonly<Record<string, string>> = {
  [SNAPSHOT_FILES.instances]: 'aws ec2 describe-instances --output json',
  [SNAPSHOT_FILES.findings]: 'aws inspector2 list-findings --output json',
};

/**
 * EC2 instance ids as EC2 issues them (8 or 17 hex digits; anything in between is tolerated).
 * Ids become file names, so nothing else may pass: "../" or a path separator would leave the folder.
 */
export const INSTANCE_ID_PATTERN = /^i-[0-9a-f]{8,17}$/;

/** snapshot.json: optional facts about the capture, all optional. */
export interface SnapshotManifest {
  readonly capturedAt: Instant | null;
  readonly region: string | null;
  readonly accountId: string | null;
  readonly description: string | null;
}

const SERVICE = 'snapshot';

/**
 * A folder of AWS CLI JSON output. Each file is read, parsed and mapped to domain types on first
 * use and at most once (the promise is cached, so concurrent callers share one read): share one
 * instance between the snapshot adapters. Parsed JSON is dropped once mapped, so a large findings
 * file is never held twice.
 */
export class SnapshotDirectory {
  /** The folder, resolved to an absolute path (error messages name it). */
  readonly dir: string;
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Absolute path of a file of the snapshot. */
  pathOf(name: string): string {
    return join(this.dir, name);
  }

  /** Whether an optional file (e.g. kev.json) is present. */
  async has(name: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(name))).isFile();
    } catch {
      return false;
    }
  }

  /** ec2-describe-instances.json, every instance of every reservation, terminated included. */
  instances(): Promise<readonly Asset[]> {
    return this.once(SNAPSHOT_FILES.instances, true, (json) => mapDescribeInstances(json, '$')) as Promise<readonly Asset[]>;
  }

  /**
   * inspector2-list-findings.json: findings on EC2 instances, every status. Parsed one finding at
   * a time (see json-array-elements.ts), so a file of 100,000 findings is never one parsed tree.
   */
  findings(): Promise<readonly Finding[]> {
    return this.onceBytes(SNAPSHOT_FILES.findings, true, mapFindingsBytes) as Promise<readonly Finding[]>;
  }

  /** ssm-describe-instance-information.json by instance id, or null when the file is absent. */
  managedInstances(): Promise<ReadonlyMap<string, ManagedInstance> | null> {
    return this.once(SNAPSHOT_FILES.instanceInformation, false, (json) =>
      mapList(json, 'InstanceInformationList', mapManagedInstance),
    ) as Promise<ReadonlyMap<string, ManagedInstance> | null>;
  }

  /** ssm-describe-instance-patch-states.json by instance id, or null when the file is absent. */
  patchStates(): Promise<ReadonlyMap<string, PatchState> | null> {
    return this.once(SNAPSHOT_FILES.patchStates, false, (json) =>
      mapList(json, 'InstancePatchStates', mapPatchState),
    ) as Promise<ReadonlyMap<string, PatchState> | null>;
  }

  /**
   * cloudwatch/<instance-id>.json, or null when absent.
   * @throws ValidationError when the id is not an EC2 instance id.
   */
  metrics(instanceId: string): Promise<InstanceMetrics | null> {
    const name = `${SNAPSHOT_FILES.metricsDir}/${checkedInstanceId(instanceId)}.json`;
    return this.once(name, false, (json) => {
      const root = asRoot(json);
      return mapMetricDataResults(root.MetricDataResults ?? [], '$.MetricDataResults');
    }) as Promise<InstanceMetrics | null>;
  }

  /**
   * cloudtrail/<instance-id>.json, in file order, or null when absent.
   * @throws ValidationError when the id is not an EC2 instance id.
   */
  events(instanceId: string): Promise<readonly ChangeEvent[] | null> {
    const name = `${SNAPSHOT_FILES.activityDir}/${checkedInstanceId(instanceId)}.json`;
    return this.once(name, false, (json) => {
      const events = listOf(asRoot(json), 'Events');
      const out: ChangeEvent[] = [];
      for (let i = 0; i < events.length; i++) out.push(mapCloudTrailEvent(events[i], `$.Events[${i}]`));
      return out;
    }) as Promise<readonly ChangeEvent[] | null>;
  }

  /** snapshot.json, or null when absent. */
  manifest(): Promise<SnapshotManifest | null> {
    return this.once(SNAPSHOT_FILES.manifest, false, mapManifest) as Promise<SnapshotManifest | null>;
  }

  private once(name: string, required: boolean, map: (json: unknown) => unknown): Promise<unknown> {
    return this.onceBytes(name, required, (bytes, file) => map(parseJsonText(decodeJsonBytes(bytes), file, SERVICE)));
  }

  private onceBytes(name: string, required: boolean, map: (bytes: Buffer, file: string) => unknown): Promise<unknown> {
    let p = this.cache.get(name);
    if (p === undefined) {
      p = this.load(name, required, map);
      this.cache.set(name, p);
    }
    return p;
  }

  private async load(name: string, required: boolean, map: (bytes: Buffer, file: string) => unknown): Promise<unknown> {
    const file = this.pathOf(name);
    const bytes = await this.read(name, file, required);
    if (bytes === null) return null;
    try {
      return map(bytes, file);
    } catch (e) {
      if (e instanceof ShapeError) throw e.inFile(SERVICE, file);
      throw e;
    }
  }

  private async read(name: string, file: string, required: boolean): Promise<Buffer | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        if (!required) return null;
        if (!(await isDirectory(this.dir))) {
          throw new SourceError(SERVICE, null, `snapshot directory ${this.dir} does not exist or is not a directory`, { cause: e });
        }
        const how = CAPTURE[name];
        throw new SourceError(
          SERVICE,
          null,
          `${name} is required but was not found in the snapshot directory ${this.dir}` + (how ? ` (capture it with: ${how} > ${name})` : ''),
          { cause: e, code: 'SOURCE_MISSING' },
        );
      }
      throw new SourceError(SERVICE, null, `cannot read ${file}: ${(e as Error).message}`, { cause: e });
    }
    return bytes;
  }
}

/** Refuses anything but an EC2 instance id before it becomes part of a file name. */
export function checkedInstanceId(instanceId: string): string {
  if (typeof instanceId !== 'string' || !INSTANCE_ID_PATTERN.test(instanceId)) {
    throw new ValidationError(
      'instanceId',
      'an EC2 instance id (i- and 8 to 17 lower-case hex digits)',
      `not an EC2 instance id: ${JSON.stringify(instanceId)} (expected i- and 8 to 17 lower-case hex digits)`,
    );
  }
  return instanceId;
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

function asRoot(json: unknown): Record<string, unknown> {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
  throw new ShapeError(SERVICE, null, '$', 'an object', describeValue(json));
}

function listOf(root: Record<string, unknown>, key: string): unknown[] {
  const v = root[key];
  if (Array.isArray(v)) return v;
  throw new ShapeError(SERVICE, null, `$.${key}`, 'an array', describeValue(v));
}

function mapList<T extends { instanceId: string }>(json: unknown, key: string, map: (raw: unknown, path: string) => T): Map<string, T> {
  const list = listOf(asRoot(json), key);
  const out = new Map<string, T>();
  for (let i = 0; i < list.length; i++) {
    const item = map(list[i], `$.${key}[${i}]`);
    out.set(item.instanceId, item);
  }
  return out;
}

// The fast path: each finding is decoded, parsed and mapped on its own, straight from the file's
// bytes. Anything the scan does not expect (a UTF-16 file, broken JSON) takes the whole-document
// path, whose parse error names the line and column.
function mapFindingsBytes(bytes: Buffer, file: string): Finding[] {
  const utf16 = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
  if (!utf16) {
    const b = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    const decode = (start: number, end: number): string => b.toString('utf8', start, end);
    try {
      const member = findMember(b, 'findings', decode);
      if (member.kind === 'absent') throw new ShapeError(SERVICE, null, '$.findings', 'an array', 'nothing');
      if (member.kind === 'other') throw new ShapeError(SERVICE, null, '$.findings', 'an array', describeValue(JSON.parse(decode(member.start, member.end))));
      const out: Finding[] = [];
      let i = 0;
      for (const [start, end] of member.elements) {
        const f = mapFinding(JSON.parse(decode(start, end)), `$.findings[${i++}]`);
        if (f !== null) out.push(f);
      }
      member.finish();
      return out;
    } catch (e) {
      // A whole-document parse reports broken JSON before any shape problem; on this (rare) path
      // the cost of parsing everything to keep that order does not matter.
      if (e instanceof ShapeError) parseJsonText(decodeJsonBytes(bytes), file, SERVICE);
      if (!(e instanceof MalformedJson || e instanceof SyntaxError)) throw e;
    }
  }
  return mapFindingsFile(parseJsonText(decodeJsonBytes(bytes), file, SERVICE));
}

// The whole-document path. Each raw finding is released as soon as it is mapped, so the parsed
// tree shrinks while the mapped list grows.
function mapFindingsFile(json: unknown): Finding[] {
  const list = listOf(asRoot(json), 'findings');
  const out: Finding[] = [];
  for (let i = 0; i < list.length; i++) {
    const f = mapFinding(list[i], `$.findings[${i}]`);
    list[i] = undefined;
    if (f !== null) out.push(f);
  }
  return out;
}

function mapManifest(json: unknown): SnapshotManifest {
  const root = asRoot(json);
  const str = (key: string): string | null => {
    const v = root[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    throw new ShapeError(SERVICE, null, `$.${key}`, 'a string', describeValue(v));
  };
  let capturedAt: Instant | null = null;
  if (root.capturedAt !== undefined && root.capturedAt !== null) {
    capturedAt = parseTimestamp(root.capturedAt);
    if (capturedAt === null) {
      throw new ShapeError(SERVICE, null, '$.capturedAt', 'a timestamp (ISO 8601 string or epoch seconds)', describeValue(root.capturedAt));
    }
  }
  return { capturedAt, region: str('region'), accountId: str('accountId'), description: str('description') };
}
