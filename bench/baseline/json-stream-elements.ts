/**
 * BENCHMARK BASELINE ONLY: one of the three scanners that aws-shapes/json-splitter.ts replaced,
 * as it was at 58924ba, kept so that bench/json-splitter.bench.ts can compare the two in one run.
 * Nothing outside bench/ imports it.
 */
/**
 * The elements of one array member of a JSON document read in chunks: the streaming form of
 * json-array-elements.ts. `{"findings": [ {...}, {...} ], "nextToken": null}` (or a bare top-level
 * array) yields the text of each element as soon as its closing brace has been read, so a findings
 * file of any size is never in memory as a whole: at most one chunk and one element are.
 *
 * Works on UTF-8 bytes (every byte of a multi-byte character is >= 0x80, never a quote, bracket or
 * comma). The scan only finds boundaries; JSON.parse still validates each element. Anything the
 * scan does not expect is reported as MalformedJson (or Utf16Json for a UTF-16 file), so the caller
 * can fall back to a full parse whose error names the line and column.
 */
import { MalformedJson } from './json-array-elements.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEED_MORE = -1;

/** The document starts with a UTF-16 byte order mark: this scanner reads UTF-8 only. */
export class Utf16Json extends MalformedJson {}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index past the closing quote of the string at b[i], or NEED_MORE. */
function stringEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  for (let j = i + 1; j < n; j++) {
    const c = b[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  return NEED_MORE;
}

/** Index past the value at b[i], or NEED_MORE when it may continue in the next chunk. */
function valueEnd(b: Uint8Array, i: number, eof: boolean): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    const n = b.length;
    for (let j = i; j < n; j++) {
      const x = b[j];
      if (x === QUOTE) {
        const e = stringEnd(b, j);
        if (e === NEED_MORE) return NEED_MORE;
        j = e - 1;
      } else if (x === LBRACE || x === LBRACKET) {
        depth++;
      } else if (x === RBRACE || x === RBRACKET) {
        if (--depth === 0) return j + 1;
      }
    }
    return NEED_MORE;
  }
  if (c === COMMA || c === RBRACE || c === RBRACKET || c === COLON) throw new MalformedJson('missing value');
  let j = i;
  while (j < b.length && b[j] !== COMMA && b[j] !== RBRACE && b[j] !== RBRACKET && !isSpace(b[j])) j++;
  return j === b.length && !eof ? NEED_MORE : j;
}

type Phase = 'start' | 'firstMember' | 'member' | 'afterMember' | 'firstElement' | 'element' | 'afterElement' | 'end';

/** What the scan found besides the elements, known once the document has been read to its end. */
export interface StreamedDocument {
  /** The top level is an array (a bare list of elements) rather than an object. */
  readonly bare: boolean;
  /** What member `key` held when it is not an array: absent, or the JSON text of the value. */
  readonly member: { readonly kind: 'array' } | { readonly kind: 'absent' } | { readonly kind: 'other'; readonly text: string };
}

/**
 * Scans chunks as they come: `push` a chunk, then take elements with `next` until it returns
 * null (more bytes needed); `end()` when there are no more chunks, then `next` until null.
 */
export class ArrayMemberScanner {
  private b: Buffer = Buffer.alloc(0);
  private i = 0;
  private eof = false;
  private phase: Phase = 'start';
  private isBare = false;
  private member: StreamedDocument['member'] = { kind: 'absent' };

  /** Whether the top level is a bare array (known once the first byte has been scanned). */
  get bare(): boolean {
    return this.isBare;
  }

  /**
   * @param key the member of the top-level object whose array elements are wanted
   * @param visit sees every other top-level member (its name and JSON text)
   */
  constructor(private readonly key: string, private readonly visit?: (name: string, text: string) => void) {}

  push(chunk: Buffer): void {
    this.b = this.i >= this.b.length ? chunk : Buffer.concat([this.b.subarray(this.i), chunk]);
    this.i = 0;
  }

  end(): void {
    this.eof = true;
  }

  /** The document's shape; valid once `next` returned null after `end()`. */
  result(): StreamedDocument {
    if (this.phase !== 'end' || !this.eof) throw new MalformedJson('document not read to its end');
    return { bare: this.isBare, member: this.member };
  }

  /** The next element's JSON text, or null when more bytes are needed (or the document ended). */
  next(): string | null {
    const b = this.b;
    for (;;) {
      let i = this.i;
      while (i < b.length && isSpace(b[i])) i++;
      this.i = i;
      if (i >= b.length) {
        if (this.eof && this.phase !== 'end') throw new MalformedJson('unexpected end of document');
        return null;
      }
      const c = b[i];
      switch (this.phase) {
        case 'start':
          // A byte order mark: UTF-8's is skipped, UTF-16's refused (possibly cut across chunks).
          if (c === 0xef || c === 0xff) {
            if (b.length - i < (c === 0xef ? 3 : 2)) return this.needMore();
            if (c === 0xff && b[i + 1] === 0xfe) throw new Utf16Json('UTF-16 document');
            if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) {
              this.i = i + 3;
              break;
            }
          }
          if (c === LBRACE) this.phase = 'firstMember';
          else if (c === LBRACKET) {
            this.isBare = true;
            this.member = { kind: 'array' };
            this.phase = 'firstElement';
          } else throw new MalformedJson('top level is neither an object nor an array');
          this.i = i + 1;
          break;
        case 'firstMember':
          if (c === RBRACE) {
            this.i = i + 1;
            this.phase = 'end';
            break;
          }
          this.phase = 'member';
          break;
        case 'member': {
          // "name" : value, read as one unit (restarted from the name when a chunk cuts it).
          if (c !== QUOTE) throw new MalformedJson('expected a member name');
          const nameEnd = stringEnd(b, i);
          if (nameEnd === NEED_MORE) return this.needMore();
          let j = nameEnd;
          while (j < b.length && isSpace(b[j])) j++;
          if (j >= b.length) return this.needMore();
          if (b[j] !== COLON) throw new MalformedJson('expected :');
          j++;
          while (j < b.length && isSpace(b[j])) j++;
          if (j >= b.length) return this.needMore();
          const name = JSON.parse(b.toString('utf8', i, nameEnd)) as string;
          if (name === this.key && b[j] === LBRACKET) {
            this.member = { kind: 'array' };
            this.i = j + 1;
            this.phase = 'firstElement';
            break;
          }
          const end = valueEnd(b, j, this.eof);
          if (end === NEED_MORE) return this.needMore();
          const text = b.toString('utf8', j, end);
          if (name === this.key) this.member = { kind: 'other', text };
          else this.visit?.(name, text);
          this.i = end;
          this.phase = 'afterMember';
          break;
        }
        case 'afterMember':
          if (c === COMMA) this.phase = 'member';
          else if (c === RBRACE) this.phase = 'end';
          else throw new MalformedJson('expected , or } after a member');
          this.i = i + 1;
          break;
        case 'firstElement':
          if (c === RBRACKET) {
            this.i = i + 1;
            this.phase = this.isBare ? 'end' : 'afterMember';
            break;
          }
          this.phase = 'element';
          break;
        case 'element': {
          const end = valueEnd(b, i, this.eof);
          if (end === NEED_MORE) return this.needMore();
          this.i = end;
          this.phase = 'afterElement';
          return b.toString('utf8', i, end);
        }
        case 'afterElement':
          if (c === COMMA) this.phase = 'element';
          else if (c === RBRACKET) this.phase = this.isBare ? 'end' : 'afterMember';
          else throw new MalformedJson('expected , or ] in array');
          this.i = i + 1;
          break;
        case 'end':
          throw new MalformedJson('expected nothing after the document');
      }
    }
  }

  private needMore(): null {
    if (this.eof) throw new MalformedJson('unexpected end of document');
    return null;
  }
}
