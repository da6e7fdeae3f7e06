import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { SourceError, ValidationError } from '../../../domain/errors.js';
import type { Asset, ChangeEvent, Finding, InstanceMetrics, ManagedInstance, PatchState } from '../../../domain/fleet-facts.js';
import type { Instant } from '../../../domain/time.js';
import {
  decodeJsonBytes, describeValue, mapCloudTrailEvent, mapDescribeInstances, mapFinding, mapManagedInstance, mapMetricDataResults, mapPatchState,
  parseJsonText, parseTimestamp, ShapeError,
} from '../aws-shapes/index.js';
import { JsonSplitError, JsonSplitter, type JsonDocument } from '../aws-shapes/json-splitter.js';
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
  /** The newest lastObservedAt of the last complete read of the findings file (null: no findings). */
  private observed: Instant | null | undefined = undefined;

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

  /** ec2-describe-instances.json, every instance of every reservation, terminated included; streamed. */
  instances(): Promise<readonly Asset[]> {
    return this.streamList<Asset[]>(
      SNAPSHOT_FILES.instances,
      true,
      'Reservations',
      (raw, _path, out) => {
        // A shape error takes the whole-document path, whose error has the exact JSON path.
        for (const a of mapDescribeInstances({ Reservations: [raw] }, '$')) out.push(a);
      },
      () => [],
      (json) => mapDescribeInstances(json, '$'),
    ) as Promise<readonly Asset[]>;
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
   * mapped and handed over on its own (see aws-shapes/json-splitter.ts), so memory does not grow
   * with the file and no raw finding outlives its mapping. Read again on every call.
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

  /**
   * The newest lastObservedAt in the findings file, as of the last time it was read to its end
   * (by any report: the time comes with the read, not from a read of its own); undefined before
   * any such read, null when the file holds no findings.
   */
  newestObservation(): Instant | null | undefined {
    return this.observed;
  }

  /**
   * The newest lastObservedAt in the findings file, read now (synchronously) when no report has
   * read the file yet: for a time asked for before any findings are read (SnapshotCaptureClock).
   * @throws SourceError when the file cannot be read or is not valid JSON.
   */
  newestObservationSync(): Instant | null {
    if (this.observed !== undefined) return this.observed;
    const name = SNAPSHOT_FILES.findings;
    const file = this.pathOf(name);
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw new SourceError(SERVICE, null, `cannot read ${file}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const opened = fstatSync(fd, { bigint: true });
      let real: string;
      let now: BigIntStats;
      try {
        real = realpathSync(file);
        now = statSync(real, { bigint: true });
      } catch {
        throw this.outside(name, 'changed while it was being opened');
      }
      this.checkIdentity(name, real, realpathSync(this.dir), opened, now);
      const size = Number(opened.size);
      // With `into`, read into that buffer (for the splitter, which keeps no reference to a chunk).
      const read = (position: number, into?: Buffer): Buffer | null => {
        const buf = into ?? Buffer.allocUnsafe(Math.min(STREAM_CHUNK, Math.max(64 << 10, size - position + 1)));
        const n = readSync(fd, buf, 0, buf.length, position);
        return n === 0 ? null : buf.subarray(0, n);
      };
      let newest = -Infinity;
      try {
        const split = new JsonSplitter({ member: 'findings' });
        const into = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, Math.max(64 << 10, size + 1)));
        let i = 0;
        let position = 0;
        for (let chunk = read(0, into); chunk !== null; chunk = read(position, into)) {
          position += chunk.length;
          split.push(chunk);
          for (let e = split.next(); e !== null; e = split.next()) {
            const f = mapFinding(JSON.parse(e.text), split.isBare ? `$[${i}]` : `$.findings[${i}]`);
            i++;
            if (f !== null && f.lastObservedAt > newest) newest = f.lastObservedAt;
          }
        }
        split.end();
        if (split.result().member.kind !== 'array') throw new ShapeError(SERVICE, null, '$.findings', 'an array', 'something else');
      } catch (e) {
        if (!(e instanceof ShapeError || e instanceof JsonSplitError || e instanceof SyntaxError)) throw e;
        // The report that follows says exactly what is wrong; here, the whole-document path.
        const parts: Buffer[] = [];
        let position = 0;
        for (let chunk = read(0); chunk !== null; chunk = read(position)) {
          parts.push(chunk);
          position += chunk.length;
        }
        newest = newestOf(mapFindingsFile(parseJsonText(decodeJsonBytes(Buffer.concat(parts)), file, SERVICE)).findings);
      }
      this.observed ??= Number.isFinite(newest) ? newest : null;
      return this.observed;
    } catch (e) {
      if (e instanceof ShapeError) throw e.inFile(SERVICE, file);
      throw e;
    } finally {
      closeSync(fd);
    }
  }

  private async *scanFindings(name: string, file: string): AsyncGenerator<Finding> {
    const opened = (await this.open(name, file, true)) as Opened;
    try {
      let yielded = 0;
      let newest = -Infinity;
      let whole: FindingsFile | null = null;
      try {
        const split = new JsonSplitter({ member: 'findings', keep: NEXT_TOKEN_KEYS });
        let i = 0;
        for await (const chunk of chunksOf(opened, true)) {
          split.push(chunk);
          for (let e = split.next(); e !== null; e = split.next()) {
            const f = mapFinding(JSON.parse(e.text), split.isBare ? `$[${i}]` : `$.findings[${i}]`);
            i++;
            if (f !== null) {
              if (f.lastObservedAt > newest) newest = f.lastObservedAt;
              yielded++;
              yield f;
            }
          }
        }
        split.end();
        const doc = split.result();
        if (doc.member.kind === 'absent') throw new ShapeError(SERVICE, null, '$.findings', 'an array', 'nothing');
        if (doc.member.kind === 'other') throw new ShapeError(SERVICE, null, '$.findings', 'an array', describeValue(JSON.parse(doc.member.text)));
        if (keptNextToken(doc)) this.truncated(file);
      } catch (e) {
        whole = mapFindingsFile(await this.wholeAfter(e, opened, file));
      }
      if (whole !== null) {
        // Reached only when the splitter was stricter than JSON itself: carry on where it stopped.
        for (const f of whole.findings.slice(yielded)) yield f;
        if (whole.nextToken) this.truncated(file);
        newest = newestOf(whole.findings);
      }
      this.observed = Number.isFinite(newest) ? newest : null;
    } finally {
      await opened.fh.close();
    }
  }

  /**
   * After the splitter stopped on `e`: the whole document, parsed, so that broken JSON is reported
   * with its line and column before any shape problem. That costs the file's size in memory, on
   * this path only, and so is not done for a file too large to hold: its error names the byte.
   */
  private async wholeAfter(e: unknown, opened: Opened, file: string): Promise<unknown> {
    if (!(e instanceof ShapeError || e instanceof JsonSplitError || e instanceof SyntaxError)) throw e;
    if (opened.size > WHOLE_FILE_LIMIT && !(e instanceof JsonSplitError && e.utf16)) {
      if (e instanceof ShapeError) throw e;
      const where = e instanceof JsonSplitError ? e.message : `an element is not valid JSON (${e.message.split('\n')[0]})`;
      throw new SourceError(SERVICE, null, `${file} is not valid JSON: ${where}`, { cause: e, code: 'SOURCE_BAD_JSON' });
    }
    return parseJsonText(decodeJsonBytes(await readWhole(opened)), file, SERVICE);
  }

  /**
   * The elements of array member `key` of a capture file, streamed and mapped one at a time (a
   * large inventory is never one parsed tree, which would cost some 15 KB per instance at its
   * peak), or null when an optional file is absent. Anything the splitter does not expect takes
   * the whole-document path (`whole`), whose errors name the line and column or the exact JSON path.
   */
  private streamList<T>(
    name: string,
    required: boolean,
    key: string,
    each: (raw: unknown, path: string, into: T) => void,
    init: () => T,
    whole: (json: unknown) => T,
  ): Promise<T | null> {
    let p = this.cache.get(name) as Promise<T | null> | undefined;
    if (p !== undefined) return p;
    p = (async () => {
      const file = this.pathOf(name);
      const opened = await this.open(name, file, required);
      if (opened === null) return null;
      try {
        try {
          const split = new JsonSplitter({ member: key, keep: NEXT_TOKEN_KEYS });
          const into = init();
          let i = 0;
          for await (const chunk of chunksOf(opened, true)) {
            split.push(chunk);
            for (let e = split.next(); e !== null; e = split.next()) each(JSON.parse(e.text), `$.${key}[${i++}]`, into);
          }
          split.end();
          const doc = split.result();
          if (doc.bare) throw new ShapeError(SERVICE, null, '$', 'an object', 'an array');
          if (doc.member.kind === 'absent') throw new ShapeError(SERVICE, null, `$.${key}`, 'an array', describeValue(undefined));
          if (doc.member.kind === 'other') throw new ShapeError(SERVICE, null, `$.${key}`, 'an array', describeValue(JSON.parse(doc.member.text)));
          if (keptNextToken(doc)) this.truncated(file);
          return into;
        } catch (e) {
          const json = await this.wholeAfter(e, opened, file);
          if (hasNextToken(json)) this.truncated(file);
          return whole(json);
        }
      } catch (e) {
        if (e instanceof ShapeError) throw e.inFile(SERVICE, file);
        throw e;
      } finally {
        await opened.fh.close();
      }
    })();
    this.cache.set(name, p);
    return p;
  }

  /** ssm-describe-instance-information.json by instance id, or null when the file is absent. */
  managedInstances(): Promise<ReadonlyMap<string, ManagedInstance> | null> {
    return this.listById(SNAPSHOT_FILES.instanceInformation, 'InstanceInformationList', mapManagedInstance);
  }

  /** ssm-describe-instance-patch-states.json by instance id, or null when the file is absent. */
  patchStates(): Promise<ReadonlyMap<string, PatchState> | null> {
    return this.listById(SNAPSHOT_FILES.patchStates, 'InstancePatchStates', mapPatchState);
  }

  // An optional SSM capture file, streamed (one entry per managed instance: large on a large fleet).
  private listById<T extends { instanceId: string }>(name: string, key: string, map: (raw: unknown, path: string) => T): Promise<ReadonlyMap<string, T> | null> {
    return this.streamList<Map<string, T>>(
      name,
      false,
      key,
      (raw, path, out) => {
        const item = map(raw, path);
        out.set(item.instanceId, item);
      },
      () => new Map<string, T>(),
      (json) => mapList(json, key, map),
    );
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
    let p = this.cache.get(name);
    if (p === undefined) {
      p = this.load(name, required, map);
      this.cache.set(name, p);
    }
    return p;
  }

  // Records a file the AWS CLI cut short (or, strict, refuses it).
  private truncated(file: string): void {
    if (this.strict) throw new SourceError(SERVICE, null, truncationMessage(file).replace(/; the answer is partial$/, '; refused (--strict)'), { code: 'SOURCE_TRUNCATED' });
    if (!this.truncatedFiles.includes(file)) this.truncatedFiles.push(file);
  }

  /**
   * A file of the snapshot may be a symbolic link, but only to a place inside the folder: a link
   * to /etc/shadow is neither read nor, worse, quoted in an error. The check is made on the file
   * already opened, so that what is read is what was checked: the path, resolved, must lead
   * inside the folder and to that same file (device and inode). A link swapped between the open
   * and the check fails the second test and is refused as well.
   */
  private async checkInside(name: string, file: string, opened: BigIntStats): Promise<void> {
    let real: string;
    let now: BigIntStats;
    try {
      real = await realpath(file);
      now = await stat(real, { bigint: true });
    } catch {
      throw this.outside(name, 'changed while it was being opened');
    }
    this.realDir ??= realpath(this.dir).catch(() => this.dir);
    this.checkIdentity(name, real, await this.realDir, opened, now);
  }

  // The resolved path `real` must lie inside the folder (`root`, resolved) and be the file opened.
  private checkIdentity(name: string, real: string, root: string, opened: BigIntStats, now: BigIntStats): void {
    if (!real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) throw this.outside(name, 'is a symbolic link to a file outside that folder');
    if (now.dev !== opened.dev || now.ino !== opened.ino) throw this.outside(name, 'changed while it was being opened (a symbolic link replaced?)');
  }

  private outside(name: string, why: string): SourceError {
    return new SourceError(SERVICE, null, `${name} in the snapshot directory ${this.dir} ${why}; refused (copy the file into the folder instead)`, {
      code: 'SOURCE_OUTSIDE',
    });
  }

  /**
   * An optional file of the snapshot (e.g. kev.json) for a reader outside this class: its path and
   * the bytes read from the handle that was checked (never opened again by path), or null when it
   * is absent.
   * @throws SourceError when it is a symbolic link leading outside the folder.
   */
  async optionalBytes(name: string): Promise<{ readonly file: string; readonly bytes: Buffer } | null> {
    const opened = await this.open(name, this.pathOf(name), false);
    if (opened === null) return null;
    try {
      return { file: opened.file, bytes: await readWhole(opened) };
    } finally {
      await opened.fh.close();
    }
  }

  private async load(name: string, required: boolean, map: (json: unknown) => unknown): Promise<unknown> {
    const file = this.pathOf(name);
    const opened = await this.open(name, file, required);
    if (opened === null) return null;
    try {
      const json = parseJsonText(decodeJsonBytes(await readWhole(opened)), file, SERVICE);
      if (hasNextToken(json)) this.truncated(file);
      return map(json);
    } catch (e) {
      if (e instanceof ShapeError) throw e.inFile(SERVICE, file);
      throw e;
    } finally {
      await opened.fh.close();
    }
  }

  /**
   * Opens a file of the snapshot once, checks the file opened (see checkInside) and hands over
   * the handle, which the caller reads and closes. Null when an optional file is absent.
   * @throws SourceError when a required file is missing, the folder is not there, or the file
   *   cannot be read or leads outside the folder.
   */
  private async open(name: string, file: string, required: boolean): Promise<Opened | null> {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
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
    try {
      const st = await fh.stat({ bigint: true });
      await this.checkInside(name, file, st);
      if (!st.isFile()) {
        if (!required && st.isDirectory()) {
          await fh.close();
          return null;
        }
        throw new SourceError(SERVICE, null, `cannot read ${file}: not a regular file`);
      }
      return { fh, file, size: Number(st.size) };
    } catch (e) {
      await fh.close();
      throw e;
    }
  }
}

/** A file of the snapshot, open: its handle, path and size when it was opened. */
interface Opened {
  readonly fh: FileHandle;
  readonly file: string;
  readonly size: number;
}

/**
 * The file's bytes in chunks, from its start: a new buffer for each, or with `reuse` (for a
 * JsonSplitter, which keeps no reference to a chunk once pushed) each read into the same buffer,
 * so a large file does not leave megabytes of read buffers for the garbage collector.
 */
async function* chunksOf(opened: Opened, reuse = false): AsyncGenerator<Buffer> {
  let position = 0;
  let shared: Buffer | null = null;
  for (;;) {
    const size = Math.min(STREAM_CHUNK, Math.max(64 << 10, opened.size - position + 1));
    const buf: Buffer = reuse && shared !== null && shared.length >= size ? shared : Buffer.allocUnsafe(size);
    if (reuse) shared = buf;
    const { bytesRead } = await opened.fh.read(buf, 0, size, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    // The shared buffer may be longer than this read: yield only the bytes read now.
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

/** The whole file, from its start, whatever has been read from the handle before. */
async function readWhole(opened: Opened): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunksOf(opened)) parts.push(chunk);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

function newestOf(findings: readonly Finding[]): number {
  let newest = -Infinity;
  for (const f of findings) if (f.lastObservedAt > newest) newest = f.lastObservedAt;
  return newest;
}

/** Whether a kept next-page member (NextToken, nextToken) holds a token. */
function keptNextToken(doc: JsonDocument): boolean {
  for (const [key, text] of doc.kept) if (hasNextToken({ [key]: JSON.parse(text) })) return true;
  return false;
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
