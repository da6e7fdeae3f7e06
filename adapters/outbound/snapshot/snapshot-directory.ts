import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { SourceError, ValidationError } from '../../../domain/errors.js';
import type { Asset, ChangeEvent, Finding, InstanceMetrics, ManagedInstance, PatchState } from '../../../domain/fleet-facts.js';
import type { Instant } from '../../../domain/time.js';
import {
  decodeJsonBytes, describeValue, mapCloudTrailEvent, mapDescribeInstances, mapFinding, mapManagedInstance, mapMetricDataResults, mapPatchState,
  parseJsonText, parseTimestamp, ShapeError,
} from '../aws-shapes/index.js';
import { findMember, MalformedJson, topLevelArray } from './json-array-elements.js';
import { ArrayMemberScanner } from './json-stream-elements.js';
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

/** Bytes read at a time when a findings file is streamed. */
const STREAM_CHUNK = 4 << 20;

/** Above this size a broken findings file is not read whole to say where it is broken. */
const WHOLE_FILE_LIMIT = 256 << 20;

/** How a snapshot is read. */
export interface SnapshotDirectoryOptions {
  /**
   * A capture file that still carries a next token (the AWS CLI's --max-items or --no-paginate
   * stopped early) fails the read (SOURCE_TRUNCATED) instead of adding a warning. Default false.
   */
  readonly strict?: boolean;
}

/** The member names under which the AWS CLI writes the token of the next page. */
const NEXT_TOKEN_KEYS: readonly string[] = ['NextToken', 'nextToken'];

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
  private readonly strict: boolean;
  private readonly truncatedFiles: string[] = [];
  private realDir: Promise<string> | null = null;

  constructor(dir: string, options: SnapshotDirectoryOptions = {}) {
    this.dir = resolve(dir);
    this.strict = options.strict === true;
  }

  /**
   * One warning per capture file read so far that still carries a next token: the file holds only
   * the first pages, so every answer built on it is partial. Reports add these after their reads.
   */
  warnings(): readonly string[] {
    return this.truncatedFiles.map((file) => truncationMessage(file));
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
    return this.onceBytes(SNAPSHOT_FILES.instances, true, (bytes, file) => mapInstancesBytes(bytes, file, () => this.truncated(file))) as Promise<readonly Asset[]>;
  }

  /**
   * inspector2-list-findings.json: findings on EC2 instances, every status, all of them in one
   * list, read once and cached. A report reads them with streamFindings instead, which holds none.
   */
  findings(): Promise<readonly Finding[]> {
    let p = this.cache.get(SNAPSHOT_FILES.findings) as Promise<readonly Finding[]> | undefined;
    if (p === undefined) {
      p = (async () => {
        const out: Finding[] = [];
        for await (const f of this.streamFindings()) out.push(f);
        return out;
      })();
      this.cache.set(SNAPSHOT_FILES.findings, p);
    }
    return p;
  }

  /**
   * inspector2-list-findings.json, streamed: the file is read in chunks and each finding parsed,
   * mapped and handed over on its own (see json-stream-elements.ts), so memory does not grow with
   * the file and no raw finding outlives its mapping. Read again on every call.
   * @throws SourceError when the file is missing or is not valid JSON; ShapeError (naming the file)
   *   when a finding has the wrong shape.
   */
  async *streamFindings(): AsyncGenerator<Finding> {
    const name = SNAPSHOT_FILES.findings;
    const file = this.pathOf(name);
    try {
      yield* this.scanFindings(name, file);
    } catch (e) {
      if (e instanceof ShapeError) throw e.inFile(SERVICE, file);
      throw e;
    }
  }

  private async *scanFindings(name: string, file: string): AsyncGenerator<Finding> {
    await this.checkInside(name, file);
    if (!(await this.has(name))) await this.read(name, file, true); // throws the error that says what is missing
    let nextToken = false;
    const scan = new ArrayMemberScanner('findings', (member, text) => {
      if (NEXT_TOKEN_KEYS.includes(member) && hasNextToken({ [member]: JSON.parse(text) })) nextToken = true;
    });
    let elements = 0;
    let yielded = 0;
    const mapOne = (text: string): Finding | null => {
      const i = elements++;
      return mapFinding(JSON.parse(text), scan.bare ? `$[${i}]` : `$.findings[${i}]`);
    };
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: STREAM_CHUNK })) {
        scan.push(chunk as Buffer);
        for (let t = scan.next(); t !== null; t = scan.next()) {
          const f = mapOne(t);
          if (f !== null) {
            yielded++;
            yield f;
          }
        }
      }
      scan.end();
      for (let t = scan.next(); t !== null; t = scan.next()) {
        const f = mapOne(t);
        if (f !== null) {
          yielded++;
          yield f;
        }
      }
      const doc = scan.result();
      if (doc.member.kind === 'absent') throw new ShapeError(SERVICE, null, '$.findings', 'an array', 'nothing');
      if (doc.member.kind === 'other') throw new ShapeError(SERVICE, null, '$.findings', 'an array', describeValue(JSON.parse(doc.member.text)));
    } catch (e) {
      if (!(e instanceof ShapeError || e instanceof MalformedJson || e instanceof SyntaxError)) throw e;
      // The whole-file path names the line and column of broken JSON (and reports it before any
      // shape problem). It costs the file's size in memory, on this path only, and so is not taken
      // for a file too large to hold.
      if ((await stat(file)).size > WHOLE_FILE_LIMIT) {
        if (e instanceof ShapeError) throw e;
        throw new SourceError(SERVICE, null, `${file} is not valid JSON: ${e.message} (after ${elements} findings)`, { cause: e });
      }
      const whole = mapFindingsBytes((await this.read(name, file, true)) as Buffer, file);
      // Reached only when the scan was stricter than JSON itself: carry on where it stopped.
      for (const f of whole.findings.slice(yielded)) yield f;
      nextToken = whole.nextToken;
    }
    if (nextToken) this.truncated(file);
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
    return this.onceBytes(name, required, (bytes, file) => {
      const json = parseJsonText(decodeJsonBytes(bytes), file, SERVICE);
      if (hasNextToken(json)) this.truncated(file);
      return map(json);
    });
  }

  // Records a file the AWS CLI cut short (or, strict, refuses it).
  private truncated(file: string): void {
    if (this.strict) throw new SourceError(SERVICE, null, truncationMessage(file).replace(/; the answer is partial$/, '; refused (--strict)'), { code: 'SOURCE_TRUNCATED' });
    if (!this.truncatedFiles.includes(file)) this.truncatedFiles.push(file);
  }

  private onceBytes(name: string, required: boolean, map: (bytes: Buffer, file: string) => unknown): Promise<unknown> {
    let p = this.cache.get(name);
    if (p === undefined) {
      p = this.load(name, required, map);
      this.cache.set(name, p);
    }
    return p;
  }

  // A file of the snapshot may be a symbolic link, but only to a place inside the folder: a link
  // to /etc/shadow is neither read nor, worse, quoted in an error.
  private async checkInside(name: string, file: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      return; // absent (or a dangling link): reading it reports that
    }
    this.realDir ??= realpath(this.dir).catch(() => this.dir);
    const root = await this.realDir;
    if (!real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) {
      throw new SourceError(SERVICE, null, `${name} in the snapshot directory ${this.dir} is a symbolic link to a file outside that folder; refused (copy the file into the folder instead)`, {
        code: 'SOURCE_OUTSIDE',
      });
    }
  }

  /**
   * The path of an optional file of the snapshot (e.g. kev.json) for a reader outside this class,
   * or null when it is absent.
   * @throws SourceError when it is a symbolic link leading outside the folder.
   */
  async optionalFile(name: string): Promise<string | null> {
    const file = this.pathOf(name);
    if (!(await this.has(name))) return null;
    await this.checkInside(name, file);
    return file;
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
      await this.checkInside(name, file);
      bytes = await readFile(file);
    } catch (e) {
      if (e instanceof SourceError) throw e;
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

function truncationMessage(file: string): string {
  return `${file} still carries a next token: the AWS CLI stopped before the last page (--max-items or --no-paginate), ` +
    'so it holds only part of the data; capture it again without them; the answer is partial';
}

/** Whether a parsed capture's top level has a next-page token that is not empty. */
function hasNextToken(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  for (const key of NEXT_TOKEN_KEYS) {
    const v = (json as Record<string, unknown>)[key];
    if (v !== undefined && v !== null && v !== '') return true;
  }
  return false;
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

/** The findings of inspector2-list-findings.json, and whether it still carries a next token. */
interface FindingsFile {
  readonly findings: Finding[];
  readonly nextToken: boolean;
}

// The fast path: each finding is decoded, parsed and mapped on its own, straight from the file's
// bytes. Anything the scan does not expect (a UTF-16 file, broken JSON) takes the whole-document
// path, whose parse error names the line and column. The file is what `aws inspector2
// list-findings` prints ({"findings": [...], "nextToken": ...}) or, with `--query findings`, the
// bare array.
function mapFindingsBytes(bytes: Buffer, file: string): FindingsFile {
  const utf16 = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
  if (!utf16) {
    const b = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    const decode = (start: number, end: number): string => b.toString('utf8', start, end);
    try {
      let nextToken = false;
      const visit = (name: string, start: number, end: number): void => {
        if (NEXT_TOKEN_KEYS.includes(name) && hasNextToken({ [name]: JSON.parse(decode(start, end)) })) nextToken = true;
      };
      const member = topLevelArray(b) ?? findMember(b, 'findings', decode, visit);
      if (member.kind === 'absent') throw new ShapeError(SERVICE, null, '$.findings', 'an array', 'nothing');
      if (member.kind === 'other') throw new ShapeError(SERVICE, null, '$.findings', 'an array', describeValue(JSON.parse(decode(member.start, member.end))));
      const bare = b[skipSpaces(b)] === 0x5b;
      const out: Finding[] = [];
      let i = 0;
      for (const [start, end] of member.elements) {
        const f = mapFinding(JSON.parse(decode(start, end)), bare ? `$[${i++}]` : `$.findings[${i++}]`);
        if (f !== null) out.push(f);
      }
      member.finish();
      return { findings: out, nextToken };
    } catch (e) {
      // A whole-document parse reports broken JSON before any shape problem; on this (rare) path
      // the cost of parsing everything to keep that order does not matter.
      if (e instanceof ShapeError) parseJsonText(decodeJsonBytes(bytes), file, SERVICE);
      if (!(e instanceof MalformedJson || e instanceof SyntaxError)) throw e;
    }
  }
  return mapFindingsFile(parseJsonText(decodeJsonBytes(bytes), file, SERVICE));
}

// ec2-describe-instances.json one reservation at a time: a large inventory (70 MB at 25,000
// instances) is never one parsed tree, which would cost some 15 KB per instance at its peak.
// Anything unexpected takes the whole-document path, whose errors name the line and column or the
// exact JSON path.
function mapInstancesBytes(bytes: Buffer, file: string, onNextToken: () => void): Asset[] {
  try {
    let nextToken = false;
    const scan = new ArrayMemberScanner('Reservations', (name, text) => {
      if (NEXT_TOKEN_KEYS.includes(name) && hasNextToken({ [name]: JSON.parse(text) })) nextToken = true;
    });
    scan.push(bytes);
    scan.end();
    const out: Asset[] = [];
    for (let t = scan.next(); t !== null; t = scan.next()) {
      for (const a of mapDescribeInstances({ Reservations: [JSON.parse(t)] }, '$')) out.push(a);
    }
    const doc = scan.result();
    if (doc.bare || doc.member.kind !== 'array') throw new MalformedJson('Reservations is not an array');
    if (nextToken) onNextToken();
    return out;
  } catch (e) {
    if (!(e instanceof ShapeError || e instanceof MalformedJson || e instanceof SyntaxError)) throw e;
  }
  const json = parseJsonText(decodeJsonBytes(bytes), file, SERVICE);
  if (hasNextToken(json)) onNextToken();
  return mapDescribeInstances(json, '$');
}

function skipSpaces(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return i;
}

// The whole-document path. Each raw finding is released as soon as it is mapped, so the parsed
// tree shrinks while the mapped list grows.
function mapFindingsFile(json: unknown): FindingsFile {
  const bare = Array.isArray(json);
  const list = bare ? json : listOf(asRoot(json), 'findings');
  const out: Finding[] = [];
  for (let i = 0; i < list.length; i++) {
    const f = mapFinding(list[i], bare ? `$[${i}]` : `$.findings[${i}]`);
    list[i] = undefined;
    if (f !== null) out.push(f);
  }
  return { findings: out, nextToken: hasNextToken(json) };
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
