import { SourceError } from '../../../domain/errors.js';

/**
 * JSON.parse for files people capture and edit: a failure names the file and the line and
 * column, with code SOURCE_BAD_JSON.
 *
 * The place and the reason come from locateJsonError, not from V8's message: Node 20's messages
 * often carry no position at all (and the position of a streamed parse is relative to one
 * element, not the file), Node 22's differ again, and both quote the text around the error,
 * which must never reach a log when the "JSON" file is something else (a symlink to a secret).
 * @param service the SourceError service, e.g. "snapshot" or "kev".
 */
export function parseJsonText(text: string, file: string, service: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badJson(text, file, service, e);
  }
}

/** The SOURCE_BAD_JSON error for `text`, which JSON.parse refused. */
export function badJson(text: string, file: string, service: string, cause: unknown): SourceError {
  const { offset, reason } = locateJsonError(text) ?? { offset: text.length, reason: 'not valid JSON' };
  const { line, column } = lineColumn(text, offset);
  return new SourceError(service, null, `${file} is not valid JSON: line ${line}, column ${column}: ${reason}`, {
    cause,
    code: 'SOURCE_BAD_JSON',
  });
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Bytes of a captured file as text. Windows PowerShell 5 redirects output as UTF-16LE with a byte
 * order mark, and some editors add a UTF-8 one: both are accepted rather than reported as bad JSON.
 */
export function decodeJsonBytes(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.toString('utf16le', 2);
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.toString('utf8', 3);
  return b.toString('utf8');
}

/** What the scanner expects next. */
const enum Want {
  Value,
  /** A value, or `]` right after `[`. */
  FirstElement,
  /** A member name, or `}` right after `{`. */
  FirstKey,
  Key,
  Colon,
  /** `,` or the closing bracket of the innermost container, or the end of the document. */
  After,
}

/**
 * Where `text` stops being JSON (RFC 8259) and why, in words that never quote the text: the
 * character at fault is named only when it is JSON punctuation or another ASCII symbol.
 * Iterative, so a deeply nested document cannot overflow the stack.
 * @returns null when the text is valid JSON.
 */
export function locateJsonError(text: string): { offset: number; reason: string } | null {
  const n = text.length;
  const stack: number[] = []; // 0x5b [ or 0x7b {
  let want = Want.Value;
  let i = 0;
  const fail = (offset: number, reason: string) => ({ offset, reason });
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) {
      if (want === Want.After && stack.length === 0) return null;
      return fail(n, text.trim() === '' ? 'the file is empty' : 'unexpected end of the file (something is cut off or not closed)');
    }
    const c = text.charCodeAt(i);
    switch (want) {
      case Want.Colon:
        if (c !== 0x3a) return fail(i, `expected : after a member name, found ${describeChar(text, i)}`);
        i++;
        want = Want.Value;
        continue;
      case Want.After: {
        const top = stack[stack.length - 1];
        if (top === undefined) return fail(i, `found ${describeChar(text, i)} after the end of the JSON document`);
        if (c === 0x2c) {
          i++;
          want = top === 0x7b ? Want.Key : Want.Value;
          continue;
        }
        if ((top === 0x5b && c === 0x5d) || (top === 0x7b && c === 0x7d)) {
          stack.pop();
          i++;
          continue;
        }
        return fail(i, top === 0x5b ? `expected , or ] after an array element, found ${describeChar(text, i)}` : `expected , or } after an object member, found ${describeChar(text, i)}`);
      }
      case Want.FirstKey:
      case Want.Key:
        if (c === 0x7d && want === Want.FirstKey) {
          stack.pop();
          i++;
          want = Want.After;
          continue;
        }
        if (c !== 0x22) {
          return fail(i, `expected a double-quoted property name, found ${describeChar(text, i)}${c === 0x7d ? ' (a comma before it?)' : ''}`);
        }
        {
          const end = stringEnd(text, i);
          if (typeof end !== 'number') return end;
          i = end;
        }
        want = Want.Colon;
        continue;
      case Want.Value:
      case Want.FirstElement:
        if (c === 0x5d && want === Want.FirstElement) {
          stack.pop();
          i++;
          want = Want.After;
          continue;
        }
        if (c === 0x7b || c === 0x5b) {
          stack.push(c);
          i++;
          want = c === 0x7b ? Want.FirstKey : Want.FirstElement;
          continue;
        }
        if (c === 0x22) {
          const end = stringEnd(text, i);
          if (typeof end !== 'number') return end;
          i = end;
        } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          const end = numberEnd(text, i);
          if (end < 0) return fail(i, 'a malformed number');
          i = end;
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          i += 4;
        } else if (text.startsWith('false', i)) {
          i += 5;
        } else {
          const hint = c === 0x5d || c === 0x7d ? ' (a comma before it?)' : isLetter(c) ? ' (strings need double quotes; the only bare words are true, false and null)' : '';
          return fail(i, `expected a value, found ${describeChar(text, i)}${hint}`);
        }
        want = Want.After;
        continue;
    }
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Index just past the string starting at text[i] === '"', or the error inside it. */
function stringEnd(text: string, i: number): number | { offset: number; reason: string } {
  const n = text.length;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { offset: j, reason: 'a control character (a line break, a tab ...) inside a string: escape it as \\n, \\t ...' };
    if (c === 0x5c) {
      const e = text.charCodeAt(j + 1);
      if (e === 0x75) {
        for (let k = j + 2; k < j + 6; k++) if (!isHex(text.charCodeAt(k))) return { offset: j, reason: 'an invalid \\u escape in a string (four hex digits expected)' };
        j += 5;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        j++;
      } else if (j + 1 >= n) {
        break;
      } else {
        return { offset: j, reason: 'an invalid escape in a string (a backslash must be written \\\\)' };
      }
    }
  }
  return { offset: n, reason: 'unexpected end of the file inside a string (a missing closing quote?)' };
}

/** Index just past the number starting at text[i], or -1 when it is malformed. */
function numberEnd(text: string, i: number): number {
  const digits = (j: number): number => {
    let k = j;
    while (k < text.length && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) k++;
    return k;
  };
  let j = i;
  if (text.charCodeAt(j) === 0x2d) j++;
  if (text.charCodeAt(j) === 0x30) j++;
  else {
    const k = digits(j);
    if (k === j) return -1;
    j = k;
  }
  if (text.charCodeAt(j) === 0x2e) {
    const k = digits(j + 1);
    if (k === j + 1) return -1;
    j = k;
  }
  const e = text.charCodeAt(j);
  if (e === 0x65 || e === 0x45) {
    j++;
    if (text.charCodeAt(j) === 0x2b || text.charCodeAt(j) === 0x2d) j++;
    const k = digits(j);
    if (k === j) return -1;
    j = k;
  }
  const next = text.charCodeAt(j);
  if (next >= 0x30 && next <= 0x39) return -1; // a leading zero: 012
  return j;
}

// Names the character without quoting the file: punctuation and ASCII symbols as themselves,
// anything else by its kind only.
function describeChar(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c >= 0x21 && c <= 0x7e && !isLetter(c) && !(c >= 0x30 && c <= 0x39)) return `'${String.fromCharCode(c)}'`;
  if (isLetter(c)) return 'a letter';
  if (c >= 0x30 && c <= 0x39) return 'a digit';
  if (c < 0x20 || c === 0x7f) return 'a control character';
  return 'a non-ASCII character';
}
