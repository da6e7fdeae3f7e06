/**
 * Findings from files of Inspector2's own exports, wherever the bytes come from (S3 objects, a
 * local file or folder): the findings report of CreateFindingsReport (JSON or CSV), the output of
 * `aws inspector2 list-findings`, and archived EventBridge "Inspector2 Finding" events (JSON
 * lines or a JSON array). Gzip is recognised by its magic bytes, whatever the name says.
 *
 * Everything streams: an object is read chunk by chunk, gunzipped as it arrives, and split into
 * one finding (or event) at a time; no report is ever held whole. Report findings are passed on
 * as they are read. Events are different: each is a change of one finding, so the latest event of
 * each finding ARN is kept (the mapped finding, not the event) and the survivors are passed on at
 * the end; a finding whose latest event says CLOSED or SUPPRESSED is dropped, as any inactive one.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../../../domain/errors.js';
import type { Finding } from '../../../domain/fleet-facts.js';
import type { Instant } from '../../../domain/time.js';
import type { FindingsFilter, FindingsSource } from '../../../ports/outbound/findings-source.port.js';
import { CsvError, csvRecords } from './csv-records.js';
import { mapFinding } from './inspector2.js';
import { CsvShapeError, csvColumns, mapReportCsvRow, type CsvColumns } from './inspector2-report-csv.js';
import { elementSyntaxError, JsonSplitError, splitJson, type JsonElement } from './json-splitter.js';
import { isObject, parseTimestamp } from './read.js';
import { ShapeError } from './shape-error.js';

/** One file or object of an input: its name (for errors) and a way to read its bytes. */
export interface FindingsObject {
  /** e.g. `s3://bucket/prefix/report.json.gz` or a file path. */
  readonly name: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** What one object held: findings as they are (a report), or a finding as of an event. */
export type InputRecord =
  /** `raw`: the finding's JSON text as the object holds it (null for a CSV row). */
  | { readonly kind: 'finding'; readonly finding: Finding; readonly raw: string | null }
  | { readonly kind: 'event'; readonly finding: Finding; readonly at: Instant };

/** The detail-type of the events this reader takes; Inspector2's other events (coverage, scans) are skipped. */
export const FINDING_EVENT = 'Inspector2 Finding';

/** Names read as CSV; everything else is read as JSON (a report, list-findings output, events). */
const CSV_NAME = /\.csv(\.gz)?$/i;

/** Names an input folder or prefix is read for (see isInputName). */
export const INPUT_NAME = /\.(json|jsonl|ndjson|csv)(\.gz)?$/i;

/**
 * Whether an object or file is read as input: a name ending in .json, .jsonl, .ndjson or .csv
 * (each optionally .gz), or a name with no extension at all (optionally .gz), which is how
 * Kinesis Data Firehose names what it delivers to S3 (`stream-1-2024-09-04-16-59-44-<uuid>`);
 * such objects are read as JSON. Anything else (a manifest, a README, `_SUCCESS` markers aside)
 * is skipped.
 */
export function isInputName(key: string): boolean {
  const base = key.slice(key.lastIndexOf('/') + 1);
  if (base === '' || base.startsWith('_') || base.startsWith('.')) return false;
  return INPUT_NAME.test(base) || /^[^.]+(\.gz)?$/i.test(base);
}

/**
 * The bytes of `chunks`, gunzipped when they start with gzip's magic bytes (1f 8b).
 */
export async function* maybeGunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const head = await it.next();
  if (head.done === true) return;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: () => it.next(),
      return: async () => (it.return ? it.return() : { done: true, value: undefined }),
    }),
  };
  const firstChunk = head.value;
  if (!(firstChunk.length >= 2 && firstChunk[0] === 0x1f && firstChunk[1] === 0x8b)) {
    yield firstChunk;
    yield* rest;
    return;
  }
  const source = Readable.from((async function* () {
    yield firstChunk;
    yield* rest;
  })(), { objectMode: false });
  const gunzip = createGunzip();
  const done = pipeline(source, gunzip);
  done.catch(() => {}); // the iteration below sees the same error
  for await (const chunk of gunzip) yield chunk as Buffer;
  await done;
}

/**
 * The findings and events of one object.
 * @param service the SourceError service, e.g. "s3" or "findings".
 * @throws SourceError naming the object, and the line (and column) where it is broken or which
 *   field is wrong.
 */
export async function* readFindingsObject(object: FindingsObject, service: string): AsyncGenerator<InputRecord> {
  const fail = (where: string, what: string, cause?: unknown): never => {
    throw new SourceError(service, null, `${object.name}: ${where}${what}`, { code: 'SOURCE_BAD_INPUT', cause });
  };
  let bytes: AsyncIterable<Uint8Array>;
  try {
    bytes = maybeGunzip(await object.open());
  } catch (e) {
    if (e instanceof SourceError) throw e;
    return fail('', `cannot be read: ${(e as Error).message}`, e);
  }
  try {
    if (CSV_NAME.test(object.name)) {
      let columns: CsvColumns | null = null;
      for await (const record of csvRecords(bytes)) {
        if (columns === null) {
          columns = csvColumns(record.fields);
          continue;
        }
        try {
          const finding = mapReportCsvRow(record.fields, columns);
          if (finding !== null) yield { kind: 'finding', finding, raw: null };
        } catch (e) {
          if (e instanceof CsvShapeError) fail(`line ${record.line}: `, e.message, e);
          throw e;
        }
      }
      if (columns === null) fail('', 'is empty (expected a CSV findings report with a header row)');
      return;
    }
    for await (const item of splitJson(bytes, { member: 'findings', lines: true, objectsOnly: true })) {
      const record = recordOf(item, object.name, service);
      if (record !== null) yield record;
    }
  } catch (e) {
    if (e instanceof SourceError) throw e;
    if (e instanceof JsonSplitError) fail('', `is not a findings report, findings or events as JSON: ${e.message}`, e);
    if (e instanceof CsvError) fail('', `is not valid CSV: ${e.message}`, e);
    if (e instanceof CsvShapeError) fail('header row: ', e.message, e);
    // A gzip stream that is not one, or a read that failed midway.
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) fail('', `is not valid gzip (${code})`, e);
    fail('', `cannot be read: ${(e as Error).message}`, e);
  }
}

// One JSON item: an event (it has detail-type) or a finding.
function recordOf(item: JsonElement, name: string, service: string): InputRecord | null {
  let json: unknown;
  try {
    json = JSON.parse(item.text);
  } catch (e) {
    const where = elementSyntaxError(item);
    throw new SourceError(service, null, `${name}: not valid JSON: ${where.message}`, { code: 'SOURCE_BAD_JSON', cause: e });
  }
  const at = `line ${item.line}, column ${item.column}`;
  try {
    if (isObject(json) && 'detail-type' in json) {
      if (json['detail-type'] !== FINDING_EVENT) return null;
      const finding = mapFinding(json.detail, '$.detail');
      if (finding === null) return null;
      // The order of changes: the finding's updatedAt (milliseconds), else the event's time.
      const detail = json.detail as Record<string, unknown>;
      const when = parseTimestamp(detail.updatedAt) ?? parseTimestamp(json.time) ?? finding.lastObservedAt;
      return { kind: 'event', finding, at: when };
    }
    const finding = mapFinding(json, '$');
    return finding === null ? null : { kind: 'finding', finding, raw: item.text };
  } catch (e) {
    if (e instanceof ShapeError) {
      throw new SourceError(service, null, `${name}: the object at ${at}: ${e.jsonPath}: expected ${e.expected}, found ${e.found}`, { code: 'SOURCE_SHAPE', cause: e });
    }
    throw e;
  }
}

/**
 * A FindingsSource over the objects of an input, read again on every listing (a report is never
 * cached whole).
 */
export class FindingsInputSource implements FindingsSource {
  /**
   * @param objects the objects, listed anew for each read (a folder's files, a prefix's objects).
   * @param service the SourceError service for errors.
   */
  constructor(
    private readonly objects: () => AsyncIterable<FindingsObject>,
    private readonly service: string,
  ) {}

  async *listActiveFindings(filter: FindingsFilter = {}): AsyncGenerator<Finding> {
    const only = filter.instanceIds === undefined ? null : new Set(filter.instanceIds);
    const wanted = (f: Finding): boolean => f.status === 'ACTIVE' && (only === null || only.has(f.instanceId));
    // The latest event of each finding, when the input holds events.
    const latest = new Map<string, { finding: Finding; at: Instant }>();
    for await (const object of this.objects()) {
      for await (const record of readFindingsObject(object, this.service)) {
        if (record.kind === 'finding') {
          if (wanted(record.finding)) yield record.finding;
          continue;
        }
        const held = latest.get(record.finding.findingArn);
        // Equal instants: the later in the input wins (it was archived after).
        if (held === undefined || record.at >= held.at) latest.set(record.finding.findingArn, { finding: record.finding, at: record.at });
      }
    }
    for (const { finding } of latest.values()) if (wanted(finding)) yield finding;
  }
}
