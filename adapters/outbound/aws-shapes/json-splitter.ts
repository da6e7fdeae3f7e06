/**
 * The one chunked JSON splitter every large input is read with: it finds where each element of a
 * document starts and ends, chunk by chunk, without ever holding the whole document. Memory is one
 * chunk plus the element being read. The snapshot reader (inspector2-list-findings.json,
 * ec2-describe-instances.json, the SSM files) and the findings-report reader (`--findings`) both
 * use it.
 *
 * The shapes it reads, with `member` the name of the list (e.g. `findings`):
 * - `{"findings": [ {...}, ... ], "nextToken": ...}`: each element of the member's array; the
 *   members named in `keep` are kept as JSON text (the AWS CLI's next-page token);
 * - `[ {...}, ... ]`: a bare top-level array (`--query findings`): each element;
 * - with `lines`: `{...}\n{...}\n...`, JSON lines or any sequence of top-level objects (archived
 *   EventBridge events): each object that has no `member` array is an element itself, and one
 *   that has one (a report) gives its array's elements.
 *
 * It works on UTF-8 bytes: every byte of a multi-byte character is >= 0x80, so it is never taken
 * for a quote, a bracket or a comma, and an element cut between chunks is joined as bytes before
 * it is decoded. A UTF-8 byte order mark is skipped; a UTF-16 one is refused (utf16 on the error).
 * The top level (members, commas, colons) is checked and brackets must balance; inside an element
 * only strings and brackets are followed, and the caller's JSON.parse validates the rest.
 *
 * Errors name the byte offset, line and column (1-based, in bytes) in the whole stream.
 */
import { lineColumn, locateJsonError } from './json-text.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

// What the top-level grammar expects next (outside any element or skipped value).
const TOP = 0; // a top-level value (or, with lines, the end)
const FIRST_NAME = 1; // a member name or `}`
const NAME = 2; // a member name
const COLON_NEXT = 3; // `:`
const MEMBER_VALUE = 4; // a member's value
const AFTER_MEMBER = 5; // `,` or `}`
const FIRST_ELEMENT = 6; // an element or `]`
const ELEMENT = 7; // an element
const AFTER_ELEMENT = 8; // `,` or `]`
const END = 9; // nothing but white space

// What the string being read is.
const STRING_INNER = 0; // inside an element or a member's value
const STRING_NAME = 1; // a member name of a top-level object
const STRING_VALUE = 2; // an element or a member's value itself

// What the value being read is.
const VALUE_ELEMENT = 0; // an element: captured and yielded
const VALUE_KEPT = 1; // a member's value kept as text (`keep`, or `member` when not an array)
const VALUE_SKIPPED = 2; // any other member's value

/** One element, as JSON text, with where it starts in the stream. */
export interface JsonElement {
  readonly text: string;
  /** 0-based byte offset. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in bytes. */
  readonly column: number;
  /** 0-based position among the elements of the stream. */
  readonly index: number;
}

/** The stream is not JSON of the shape asked for, at byte `offset` (`line`:`column`). */
export class JsonSplitError extends Error {
  constructor(
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    /** The stream starts with a UTF-16 byte order mark (a whole-document reader may decode it). */
    readonly utf16 = false,
  ) {
    super(`line ${line}, column ${column} (byte ${offset}): ${reason}`);
    this.name = 'JsonSplitError';
  }
}

/** What to split. */
export interface JsonSplitOptions {
  /** The member of a top-level object whose array elements are wanted, e.g. `findings`. */
  readonly member: string;
  /** Other members of the top-level object to keep as JSON text (see JsonDocument.kept). */
  readonly keep?: readonly string[];
  /** A sequence of top-level objects (JSON lines): each one without the member array is an element. */
  readonly lines?: boolean;
  /** Every element must be an object (an error names the first that is not). */
  readonly objectsOnly?: boolean;
}

/** What the stream held besides the elements, known once it has been read to its end. */
export interface JsonDocument {
  /** The top level is a bare array rather than an object. */
  readonly bare: boolean;
  /** What `member` held: an array (its elements were yielded), nothing, or another value's JSON text. */
  readonly member: { readonly kind: 'array' } | { readonly kind: 'absent' } | { readonly kind: 'other'; readonly text: string };
  /** The JSON text of each `keep` member present. */
  readonly kept: ReadonlyMap<string, string>;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Splits chunks as they come: `push` a chunk, take its elements with `next` until it returns null,
 * and after the last chunk `end()`, `next` until null, then `result()`.
 */
export class JsonSplitter {
  private readonly member: string;
  private readonly keep: readonly string[];
  private readonly lines: boolean;
  private readonly objectsOnly: boolean;

  // Position.
  private offset = 0; // of the current chunk's first byte
  private line = 1;
  private lineStart = 0;
  private started = false;
  private bom = 0; // bytes of a UTF-8 byte order mark seen so far (it may be cut)
  private ended = false;

  // Structure.
  private expect = TOP;
  private readonly stack: number[] = [];
  /** Stack depth at which the element or skipped value being read closes; -1 when none. */
  private valueDepth = -1;
  private inString = false;
  private escaped = false;
  private inScalar = false;
  private stringRole = STRING_INNER;
  private valueKind = VALUE_SKIPPED;
  /** With lines: the current top-level object is itself an element (no member array seen). */
  private rootIsElement = false;
  private sawValue = false;

  // The member name being read, and the name of the member whose value follows.
  private nameParts: Uint8Array[] = [];
  private nameFrom = -1;
  private memberName = '';

  // The text being captured.
  private capturing = false;
  private parts: Uint8Array[] = [];
  private captureFrom = -1;
  private capOffset = 0;
  private capLine = 0;
  private capColumn = 0;

  // Results.
  private readonly ready: JsonElement[] = [];
  private readyAt = 0;
  private index = 0;
  private bare = false;
  private memberResult: JsonDocument['member'] = { kind: 'absent' };
  private readonly kept = new Map<string, string>();

  constructor(options: JsonSplitOptions) {
    this.member = options.member;
    this.keep = options.keep ?? [];
    this.lines = options.lines === true;
    this.objectsOnly = options.objectsOnly === true;
  }

  /** The top level is a bare array (known once its first byte has been read). */
  get isBare(): boolean {
    return this.bare;
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.offset;
  }

  /** The next element read, or null when the chunks pushed so far hold no more. */
  next(): JsonElement | null {
    if (this.readyAt < this.ready.length) {
      const e = this.ready[this.readyAt] as JsonElement;
      this.ready[this.readyAt++] = undefined as unknown as JsonElement;
      if (this.readyAt === this.ready.length) {
        this.ready.length = 0;
        this.readyAt = 0;
      }
      return e;
    }
    return null;
  }

  /** What the document held besides its elements; valid after `end()`. */
  result(): JsonDocument {
    if (!this.ended) throw new Error('JsonSplitter.result() before end()');
    return { bare: this.bare, member: this.memberResult, kept: this.kept };
  }

  private fail(at: number, reason: string, utf16 = false): never {
    throw new JsonSplitError(at, this.line, at - this.lineStart + 1, reason, utf16);
  }

  /** No more chunks: checks that the document is complete. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const at = this.offset;
    if (this.inScalar) {
      // A scalar runs to the end only at depth 0, which the grammar refuses earlier; be safe.
      this.fail(at, 'the input ends inside a value (cut short?)');
    }
    if (this.inString || this.stack.length > 0 || this.valueDepth >= 0) this.fail(at, 'the input ends inside a value (cut short?)');
    if (!this.sawValue) this.fail(at, 'the input is empty');
    if (this.expect !== END && this.expect !== TOP) this.fail(at, 'the input ends inside a value (cut short?)');
  }

  /**
   * Reads one more chunk; its elements are then taken with `next` (already decoded). The chunk is
   * not kept: the caller may read the next chunk into the same buffer once push returns.
   */
  push(raw: Uint8Array): void {
    if (this.ended) throw new Error('JsonSplitter.push() after end()');
    let chunk = asBuffer(raw);
    const n0 = chunk.length;
    if (n0 === 0) return;
    let skipped = 0;
    if (!this.started) {
      // A byte order mark, possibly cut across chunks: UTF-8's is skipped, UTF-16's refused.
      while (skipped < chunk.length && this.bom < 3) {
        const c = chunk[skipped] as number;
        const want = this.bom === 0 ? 0xef : this.bom === 1 ? 0xbb : 0xbf;
        if (this.bom === 0 && (c === 0xff || c === 0xfe)) this.fail(this.offset, 'the input is UTF-16 (expected UTF-8)', true);
        if (c !== want) {
          if (this.bom > 0) this.fail(this.offset + skipped, 'expected an object or an array');
          this.bom = 3;
          break;
        }
        this.bom++;
        skipped++;
      }
      if (this.bom < 3) {
        this.offset += chunk.length;
        this.lineStart = this.offset;
        return;
      }
      this.started = true;
      if (skipped > 0) {
        this.offset += skipped;
        this.lineStart = this.offset;
        chunk = chunk.subarray(skipped);
      }
    }
    this.scan(chunk);
  }

  private scan(b: Buffer): void {
    const n = b.length;
    const base = this.offset;
    if (this.capturing) this.captureFrom = 0;
    if (this.nameFrom >= 0) this.nameFrom = 0;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        // A string (a member name, a value, or one cut by the last chunk): to its closing quote.
        let j = this.escaped ? i + 1 : i;
        this.escaped = false;
        for (; j < n; j++) {
          const x = b[j];
          if (x === BACKSLASH) j++;
          else if (x === QUOTE) break;
        }
        if (j >= n) {
          this.escaped = j > n; // the chunk ended on a backslash
          break;
        }
        i = j + 1;
        this.inString = false;
        if (this.stringRole !== STRING_INNER) this.stringDone(b, i);
        continue;
      }
      const c = b[i] as number;
      if (this.inScalar) {
        if (c !== COMMA && c !== RBRACE && c !== RBRACKET && !isSpace(c)) {
          i++;
          continue;
        }
        this.inScalar = false;
        this.valueDone(b, i);
        // The delimiter is read below.
      }
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = base + i + 1;
        i++;
        continue;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (this.valueDepth >= 0) {
        i = this.skipInside(b, i, base);
        continue;
      }
      this.structural(b, i, c, base);
      i++;
    }
    this.offset = base + n;
    // Whatever is being captured continues in the next chunk: its bytes are copied, so the chunk
    // is not referenced once push returns and the caller may read the next one into it.
    if (this.capturing && this.captureFrom >= 0 && this.captureFrom < n) this.parts.push(Buffer.from(b.subarray(this.captureFrom)));
    if (this.nameFrom >= 0 && this.nameFrom < n) this.nameParts.push(Buffer.from(b.subarray(this.nameFrom)));
  }

  /**
   * Inside an element or a skipped value, from b[i] (not white space): only strings and brackets
   * matter. The hot loop, on locals. Returns where it stopped: past the value's closing bracket,
   * or the end of the chunk.
   */
  private skipInside(b: Buffer, i: number, base: number): number {
    const n = b.length;
    const stack = this.stack;
    const stop = this.valueDepth;
    let line = this.line;
    let lineStart = this.lineStart;
    while (i < n) {
      const c = b[i] as number;
      if (c === QUOTE) {
        let j = i + 1;
        for (; j < n; j++) {
          const x = b[j];
          if (x === BACKSLASH) j++;
          else if (x === QUOTE) break;
        }
        if (j >= n) {
          // The string goes on in the next chunk (after an escape when its backslash ended this one).
          this.inString = true;
          this.stringRole = STRING_INNER;
          this.escaped = j > n;
          i = n;
          break;
        }
        i = j + 1;
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        stack.push(c);
      } else if (c === RBRACE || c === RBRACKET) {
        this.line = line;
        this.lineStart = lineStart;
        this.close(c, base + i);
        if (stack.length === stop) {
          this.valueDepth = -1;
          this.valueDone(b, i + 1);
          return i + 1;
        }
      } else if (c === NEWLINE) {
        line++;
        lineStart = base + i + 1;
      }
      i++;
    }
    this.line = line;
    this.lineStart = lineStart;
    return i;
  }

  // Pops the innermost bracket, which must match `c`.
  private close(c: number, at: number): void {
    const open = this.stack.pop();
    if (open === undefined) this.fail(at, `unexpected ${c === RBRACE ? '}' : ']'}`);
    if ((open === LBRACE) !== (c === RBRACE)) this.fail(at, `expected ${open === LBRACE ? '}' : ']'}, found ${c === RBRACE ? '}' : ']'}`);
  }

  // The top-level grammar, for a byte that is not white space, outside strings and elements.
  private structural(b: Buffer, i: number, c: number, base: number): void {
    const at = base + i;
    const expect = this.expect;
    if (expect === TOP) {
      if (c === LBRACE) {
        this.sawValue = true;
        this.stack.push(c);
        this.expect = FIRST_NAME;
        if (this.lines) {
          // An element itself, unless it turns out to hold the member array (a report).
          this.rootIsElement = true;
          this.startCapture(i, base);
        }
        return;
      }
      if (c === LBRACKET) {
        if (this.sawValue) this.fail(at, this.lines ? 'expected an object: an array after objects' : 'expected the end of the input');
        this.sawValue = true;
        this.stack.push(c);
        this.bare = true;
        this.memberResult = { kind: 'array' };
        this.expect = FIRST_ELEMENT;
        return;
      }
      this.fail(at, 'expected an object or an array');
    }
    if (expect === FIRST_NAME || expect === NAME) {
      if (expect === FIRST_NAME && c === RBRACE) return this.closeRoot(b, i, base);
      if (c !== QUOTE) this.fail(at, 'expected a member name');
      this.inString = true;
      this.stringRole = STRING_NAME;
      this.nameFrom = i + 1;
      this.nameParts = [];
      return;
    }
    if (expect === COLON_NEXT) {
      if (c !== COLON) this.fail(at, 'expected : after a member name');
      this.expect = MEMBER_VALUE;
      return;
    }
    if (expect === MEMBER_VALUE) {
      const name = this.memberName;
      if (name === this.member && c === LBRACKET) {
        this.stack.push(c);
        this.expect = FIRST_ELEMENT;
        if (this.lines) {
          // A report: its elements are the elements, the object is not one.
          this.rootIsElement = false;
          this.capturing = false;
          this.parts = [];
        } else {
          this.memberResult = { kind: 'array' };
        }
        return;
      }
      // The value is read (kept as text when asked for), or only skipped.
      const wanted = !this.lines && (name === this.member || this.keep.includes(name));
      if (wanted) this.startCapture(i, base);
      this.startValue(c, at, wanted ? VALUE_KEPT : VALUE_SKIPPED);
      return;
    }
    if (expect === AFTER_MEMBER) {
      if (c === COMMA) this.expect = NAME;
      else if (c === RBRACE) this.closeRoot(b, i, base);
      else this.fail(at, 'expected , or } after a member');
      return;
    }
    if (expect === FIRST_ELEMENT || expect === ELEMENT) {
      if (expect === FIRST_ELEMENT && c === RBRACKET) return this.closeElements(at);
      if (this.objectsOnly && c !== LBRACE) this.fail(at, 'expected an object (each finding or event is a JSON object)');
      this.startCapture(i, base);
      this.startValue(c, at, VALUE_ELEMENT);
      return;
    }
    if (expect === AFTER_ELEMENT) {
      if (c === COMMA) this.expect = ELEMENT;
      else if (c === RBRACKET) this.closeElements(at);
      else this.fail(at, 'expected , or ] in an array');
      return;
    }
    this.fail(at, this.bare ? 'expected the end of the input after the top-level array' : 'expected the end of the input');
  }

  // A value starts at `at` (an element or a member's value): a container, a string or a scalar.
  private startValue(c: number, at: number, kind: number): void {
    this.valueKind = kind;
    if (c === LBRACE || c === LBRACKET) {
      this.valueDepth = this.stack.length;
      this.stack.push(c);
    } else if (c === QUOTE) {
      this.inString = true;
      this.stringRole = STRING_VALUE;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
      this.inScalar = true; // a number, true, false or null: up to the next delimiter
    } else {
      this.fail(at, c === COMMA || c === RBRACE || c === RBRACKET ? 'expected a value (a comma too many?)' : 'expected a value');
    }
  }

  // A member name or a string value just closed (`end` is past its quote).
  private stringDone(b: Buffer, end: number): void {
    if (this.stringRole === STRING_NAME) {
      const tail = b.subarray(this.nameFrom, end - 1);
      let name = (this.nameParts.length === 0 ? tail : Buffer.concat([...this.nameParts, tail])).toString('utf8');
      if (name.includes('\\')) name = JSON.parse(`"${name}"`) as string;
      this.memberName = name;
      this.nameParts = [];
      this.nameFrom = -1;
      this.expect = COLON_NEXT;
    } else {
      this.valueDone(b, end);
    }
    this.stringRole = STRING_INNER;
  }

  // The element or member value being read ended just before b[end].
  private valueDone(b: Buffer, end: number): void {
    const kind = this.valueKind;
    if (kind === VALUE_ELEMENT) {
      this.emit(this.endCapture(b, end));
      this.expect = AFTER_ELEMENT;
      return;
    }
    if (kind === VALUE_KEPT) {
      const text = this.endCapture(b, end);
      if (this.memberName === this.member) this.memberResult = { kind: 'other', text };
      else this.kept.set(this.memberName, text);
    }
    this.expect = AFTER_MEMBER;
  }

  private emit(text: string): void {
    this.ready.push({ text, offset: this.capOffset, line: this.capLine, column: this.capColumn, index: this.index++ });
  }

  // The `]` of the array of elements.
  private closeElements(at: number): void {
    this.close(RBRACKET, at);
    this.expect = this.bare ? END : AFTER_MEMBER;
  }

  // The `}` of a top-level object.
  private closeRoot(b: Buffer, i: number, base: number): void {
    this.close(RBRACE, base + i);
    if (this.lines) {
      if (this.rootIsElement) this.emit(this.endCapture(b, i + 1));
      this.rootIsElement = false;
      this.expect = TOP;
    } else {
      this.expect = END;
    }
  }

  private startCapture(i: number, base: number): void {
    this.capturing = true;
    this.captureFrom = i;
    this.parts = [];
    this.capOffset = base + i;
    this.capLine = this.line;
    this.capColumn = base + i - this.lineStart + 1;
  }

  // The captured text, from its start to just before b[end].
  private endCapture(b: Buffer, end: number): string {
    const from = this.captureFrom;
    this.capturing = false;
    this.captureFrom = -1;
    if (this.parts.length === 0) return b.toString('utf8', from, end);
    this.parts.push(b.subarray(from, end));
    const text = Buffer.concat(this.parts).toString('utf8');
    this.parts = [];
    return text;
  }
}

/**
 * The elements of a byte stream (see the module comment), one at a time.
 * @param done receives what the document held besides its elements, once it has been read.
 * @throws JsonSplitError when the stream is not JSON of that shape.
 */
export async function* splitJson(chunks: AsyncIterable<Uint8Array>, options: JsonSplitOptions, done?: (doc: JsonDocument) => void): AsyncGenerator<JsonElement> {
  const s = new JsonSplitter(options);
  for await (const chunk of chunks) {
    s.push(chunk);
    for (let e = s.next(); e !== null; e = s.next()) yield e;
  }
  s.end();
  done?.(s.result());
}

/**
 * Where an element that JSON.parse refused is broken, in the whole stream's bytes, lines and
 * columns, in words that never quote the text (locateJsonError's).
 */
export function elementSyntaxError(element: JsonElement): JsonSplitError {
  const found = locateJsonError(element.text) ?? { offset: element.text.length, reason: 'not valid JSON' };
  const { line } = lineColumn(element.text, found.offset);
  // Columns count bytes, as the splitter's do.
  const before = element.text.slice(0, found.offset);
  const lineBytes = Buffer.byteLength(before.slice(before.lastIndexOf('\n') + 1));
  const absLine = element.line + line - 1;
  const absColumn = line === 1 ? element.column + lineBytes : lineBytes + 1;
  return new JsonSplitError(element.offset + Buffer.byteLength(before), absLine, absColumn, found.reason);
}
