/**
 * BENCHMARK BASELINE ONLY: one of the three scanners that aws-shapes/json-splitter.ts replaced,
 * as it was at 58924ba, kept so that bench/json-splitter.bench.ts can compare the two in one run.
 * Nothing outside bench/ imports it.
 */
/**
 * Splits a stream of JSON bytes into the objects a findings input is made of, one at a time,
 * without ever holding the whole document: memory is one chunk plus the object being read.
 *
 * The shapes it reads:
 * - `{"findings": [ {...}, ... ], ...}`: an Inspector2 findings report (CreateFindingsReport,
 *   JSON) or `aws inspector2 list-findings` output: each element of `findings` is an item;
 * - `[ {...}, ... ]`: a bare array (of findings, or of EventBridge events): each element;
 * - `{...}\n{...}\n...`: JSON lines, or any sequence of top-level objects (events archived one
 *   per line): each object that has no `findings` array is an item.
 *
 * The scan only finds where each object starts and ends (UTF-8 bytes: no byte of a multi-byte
 * character can be mistaken for a quote or a bracket); the caller parses each item, and
 * {@link itemSyntaxError} turns a parse failure into the line and column of the whole stream.
 */
import { lineColumn, locateJsonError } from '../../adapters/outbound/aws-shapes/json-text.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
/** itemDepth once a top-level array has closed: nothing may follow it. */
const ENDED = Number.MAX_SAFE_INTEGER;

/** One object of the stream, as text, with where it starts (1-based line and column, 0-based byte offset). */
export interface JsonItem {
  readonly text: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** 0-based position among the items of the stream. */
  readonly index: number;
}

/** The stream is not JSON of a shape this reader knows, at `line`:`column` (byte `offset`). */
export class JsonItemsError extends Error {
  constructor(readonly line: number, readonly column: number, readonly offset: number, readonly reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'JsonItemsError';
  }
}

/** Largest member name kept while looking for `findings` (longer names are skipped, not kept). */
const MAX_KEY_BYTES = 64;

function isSpace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

/**
 * The items of a JSON byte stream (see the module comment). A UTF-8 byte order mark is skipped.
 * @throws JsonItemsError when the structure is broken (an unbalanced bracket, text between
 *   items, a non-object element, the stream ending inside a value).
 */
export async function* jsonItems(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<JsonItem> {
  // Position.
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  // Structure.
  const stack: number[] = []; // LBRACE or LBRACKET per open container
  let inString = false;
  let escaped = false;
  // Depth at which items are elements: 1 in a top-level array, 2 in a top-level object's
  // findings array, 0 for top-level objects (JSON lines); -1 before the first value.
  let itemDepth = -1;
  // The top-level object: member names at depth 1, to find `findings`.
  let rootIsObject = false;
  let keyExpected = false;
  let keyBytes: number[] | null = null;
  let lastKey: string | null = null;
  let rootIsReport = false;
  // The item being captured.
  let capturing = false;
  let parts: Uint8Array[] = [];
  let itemLine = 0;
  let itemColumn = 0;
  let itemOffset = 0;
  let index = 0;
  let first = true;

  const fail = (reason: string): never => {
    throw new JsonItemsError(line, offset - lineStart + 1, offset, reason);
  };

  for await (const raw of chunks) {
    let chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (first) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        offset += 3;
        lineStart += 3;
      }
    }
    const ready: JsonItem[] = [];
    const base = offset;
    let captureFrom = 0; // index in the current chunk where the item (or its rest) starts
    const n = chunk.length;
    // The next quote and backslash at or after the scan, found with indexOf (native) rather than
    // byte by byte: most of a finding's bytes are inside strings. A raw line break inside a
    // string is not JSON (the item's parse reports it), so strings are skipped without counting lines.
    let nextQuote = -1;
    let nextBackslash = -1;
    for (let i = 0; i < n; i++) {
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        if (nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i) >>> 0;
        if (nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i) >>> 0;
        const stop = Math.min(nextQuote, nextBackslash, n);
        if (keyBytes !== null) {
          if (keyBytes.length + (stop - i) <= MAX_KEY_BYTES) for (let j = i; j < stop; j++) keyBytes.push(chunk[j] as number);
          else keyBytes = null;
        }
        i = stop;
        if (i >= n) break;
        if (chunk[i] === BACKSLASH) escaped = true;
        else {
          inString = false;
          if (keyBytes !== null) {
            lastKey = Buffer.from(keyBytes).toString('utf8');
            keyBytes = null;
          }
        }
        continue;
      }
      const c = chunk[i] as number;
      offset = base + i;
      if (c === NEWLINE) {
        line++;
        lineStart = base + i + 1;
        continue;
      }
      if (isSpace(c)) continue;
      const depth = stack.length;
      // A value starting where items live.
      if (depth === itemDepth && !capturing && c !== COMMA && c !== RBRACKET && !(depth === 0 && c === LBRACKET)) {
        if (c !== LBRACE) fail(depth === 0 ? 'expected an object or an array' : 'expected an object (each finding or event is a JSON object)');
        capturing = true;
        captureFrom = i;
        parts = [];
        itemLine = line;
        itemColumn = offset - lineStart + 1;
        itemOffset = offset;
      }
      if (c === QUOTE) {
        inString = true;
        // A member name of the top-level object.
        if (depth === 1 && rootIsObject && keyExpected && itemDepth !== 2) keyBytes = [];
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        if (depth === 0) {
          if (itemDepth === -1 || itemDepth === 0) {
            if (c === LBRACKET) {
              if (itemDepth === 0) fail('expected an object: an array after objects');
              itemDepth = 1;
              rootIsObject = false;
            } else {
              // A top-level object: an item itself (JSON lines) unless it turns out to be a report.
              if (!capturing) {
                capturing = true;
                captureFrom = i;
                parts = [];
                itemLine = line;
                itemColumn = offset - lineStart + 1;
                itemOffset = offset;
              }
              itemDepth = 0;
              rootIsObject = true;
              rootIsReport = false;
              keyExpected = true;
              lastKey = null;
            }
          } else {
            fail('expected the end of the input after the top-level array');
          }
        } else if (depth === 1 && rootIsObject && c === LBRACKET && lastKey === 'findings' && !keyExpected) {
          // {"findings": [ ... ]}: a report; its elements are the items, the object is not one.
          rootIsReport = true;
          capturing = false;
          parts = [];
          itemDepth = 2;
        }
        stack.push(c);
        continue;
      }
      if (c === RBRACE || c === RBRACKET) {
        const open = stack.pop();
        if (open === undefined) fail(`unexpected ${c === RBRACE ? '}' : ']'}`);
        if ((open === LBRACE) !== (c === RBRACE)) fail(`expected ${open === LBRACE ? '}' : ']'}, found ${c === RBRACE ? '}' : ']'}`);
        const after = stack.length;
        if (capturing && after === Math.max(itemDepth, 0)) {
          // The item just closed.
          parts.push(chunk.subarray(captureFrom, i + 1));
          ready.push({ text: Buffer.concat(parts).toString('utf8'), line: itemLine, column: itemColumn, offset: itemOffset, index: index++ });
          parts = [];
          capturing = false;
        }
        if (after === 1 && itemDepth === 2 && rootIsObject) {
          // The end of the findings array: the rest of the object is read, not kept.
          itemDepth = 0;
          keyExpected = false;
        }
        if (after === 0 && rootIsObject) {
          if (rootIsReport) itemDepth = 0;
          rootIsObject = false;
        }
        if (after === 0 && itemDepth === 1) itemDepth = ENDED;
        continue;
      }
      if (depth === 0) fail(itemDepth === ENDED ? 'expected the end of the input after the top-level array' : 'expected an object or an array');
      if (depth === 1 && rootIsObject) {
        if (c === COLON) keyExpected = false;
        else if (c === COMMA) {
          keyExpected = true;
          lastKey = null;
        }
      }
    }
    offset = base + n;
    if (capturing) parts.push(chunk.subarray(captureFrom));
    for (const item of ready) yield item;
  }
  if (inString || stack.length > 0) fail('the input ends inside a value (cut short?)');
  if (first || itemDepth === -1) fail('the input is empty');
}

/**
 * Where an item that JSON.parse refused is broken, in the stream's lines and columns and in words
 * that never quote the text (locateJsonError's).
 */
export function itemSyntaxError(item: JsonItem): JsonItemsError {
  const found = locateJsonError(item.text) ?? { offset: item.text.length, reason: 'not valid JSON' };
  const { line, column } = lineColumn(item.text, found.offset);
  const absLine = item.line + line - 1;
  const absColumn = line === 1 ? item.column + column - 1 : column;
  return new JsonItemsError(absLine, absColumn, item.offset + Buffer.byteLength(item.text.slice(0, found.offset)), found.reason);
}
