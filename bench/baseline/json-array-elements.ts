/**
 * BENCHMARK BASELINE ONLY: one of the three scanners that aws-shapes/json-splitter.ts replaced,
 * as it was at 58924ba, kept so that bench/json-splitter.bench.ts can compare the two in one run.
 * Nothing outside bench/ imports it.
 */
/**
 * Finds the elements of one array member of a top-level JSON object without parsing the whole
 * document: `{"findings": [ {...}, {...} ], "nextToken": null}` yields the byte range of each
 * finding, which the caller parses and maps one at a time. A 200 MB findings file then never
 * exists as one parsed tree (or as one 200 MB string) next to its mapped findings.
 *
 * Works on UTF-8 bytes: every byte of a multi-byte character is >= 0x80, so it can never be
 * mistaken for a quote, bracket or comma. The scan only finds boundaries; JSON.parse still
 * validates each element, and any surprise is reported as MalformedJson so the caller can fall
 * back to a full parse, whose error message says where the document is broken.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** The document is not well-formed where the scan looked (the full parse will say exactly where). */
export class MalformedJson extends Error {}

/** What the member holds, when it is not an array of elements to iterate. */
export type MemberLookup =
  | {
    readonly kind: 'array';
    readonly elements: Iterable<readonly [start: number, end: number]>;
    /** After the elements: checks that the rest of the document is well-formed too. */
    readonly finish: () => void;
  }
  | { readonly kind: 'other'; readonly start: number; readonly end: number }
  | { readonly kind: 'absent' };

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/** Index just past the closing quote of the string starting at b[i] === '"'. */
function stringEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  for (let j = i + 1; j < n; j++) {
    const c = b[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  throw new MalformedJson('unterminated string');
}

/** Index just past the value starting at b[i] (no leading space). */
function valueEnd(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    const n = b.length;
    for (let j = i; j < n; j++) {
      const x = b[j];
      if (x === QUOTE) {
        j = stringEnd(b, j) - 1;
      } else if (x === LBRACE || x === LBRACKET) {
        depth++;
      } else if (x === RBRACE || x === RBRACKET) {
        if (--depth === 0) return j + 1;
      }
    }
    throw new MalformedJson('unterminated object or array');
  }
  // A number or a literal: up to the next delimiter.
  let j = i;
  while (j < b.length && b[j] !== COMMA && b[j] !== RBRACE && b[j] !== RBRACKET && !isSpace(b[j])) j++;
  if (j === i) throw new MalformedJson('missing value');
  return j;
}

function* arrayElements(b: Uint8Array, open: number, done: { end: number }): Generator<readonly [number, number]> {
  let i = skipSpace(b, open + 1);
  if (b[i] === RBRACKET) {
    done.end = i + 1;
    return;
  }
  for (;;) {
    const end = valueEnd(b, i);
    yield [i, end];
    i = skipSpace(b, end);
    if (b[i] === COMMA) {
      i = skipSpace(b, i + 1);
      continue;
    }
    if (b[i] === RBRACKET) {
      done.end = i + 1;
      return;
    }
    throw new MalformedJson('expected , or ] in array');
  }
}

/** Sees every other top-level member: its name and the byte range of its value. */
export type MemberVisitor = (name: string, start: number, end: number) => void;

/** From just after a member's value: the remaining members, the closing brace, then only space. */
function checkTail(b: Uint8Array, from: number, decode: (start: number, end: number) => string, visit?: MemberVisitor): void {
  let i = skipSpace(b, from);
  while (b[i] === COMMA) {
    i = skipSpace(b, i + 1);
    if (b[i] !== QUOTE) throw new MalformedJson('expected a member name');
    const nameEnd = stringEnd(b, i);
    const name = visit ? (JSON.parse(decode(i, nameEnd)) as string) : '';
    i = skipSpace(b, nameEnd);
    if (b[i] !== COLON) throw new MalformedJson('expected :');
    const start = skipSpace(b, i + 1);
    const end = valueEnd(b, start);
    visit?.(name, start, end);
    i = skipSpace(b, end);
  }
  if (b[i] !== RBRACE || skipSpace(b, i + 1) !== b.length) throw new MalformedJson('expected } at the end');
}

/**
 * The elements of a document that is one top-level array (`aws inspector2 list-findings --query
 * findings` writes the findings bare).
 * @returns null when the top level is not an array.
 */
export function topLevelArray(b: Uint8Array): Extract<MemberLookup, { kind: 'array' }> | null {
  const i = skipSpace(b, 0);
  if (b[i] !== LBRACKET) return null;
  return arrayLookup(b, i, (end) => {
    if (skipSpace(b, end) !== b.length) throw new MalformedJson('expected nothing after the array');
  });
}

/**
 * The array starting at `i`: its elements, and a `finish` that checks it was read to its end and
 * then hands the offset after it to `checkRest`.
 */
function arrayLookup(b: Uint8Array, i: number, checkRest: (end: number) => void): Extract<MemberLookup, { kind: 'array' }> {
  const done = { end: -1 };
  return {
    kind: 'array',
    elements: arrayElements(b, i, done),
    finish: () => {
      if (done.end < 0) throw new MalformedJson('array not read to its end');
      checkRest(done.end);
    },
  };
}

/**
 * Locates member `key` of the top-level object in `b` (UTF-8, no BOM). `visit` sees every other
 * member, before and after `key` (after it only once `finish` runs), without a second pass.
 * @throws MalformedJson when the top level is not an object or the scan meets broken JSON.
 */
export function findMember(b: Uint8Array, key: string, decode: (start: number, end: number) => string, visit?: MemberVisitor): MemberLookup {
  let i = skipSpace(b, 0);
  if (b[i] !== LBRACE) throw new MalformedJson('top level is not an object');
  i = skipSpace(b, i + 1);
  if (b[i] === RBRACE) return { kind: 'absent' };
  for (;;) {
    if (b[i] !== QUOTE) throw new MalformedJson('expected a member name');
    const nameEnd = stringEnd(b, i);
    const name = JSON.parse(decode(i, nameEnd)) as string;
    i = skipSpace(b, nameEnd);
    if (b[i] !== COLON) throw new MalformedJson('expected :');
    i = skipSpace(b, i + 1);
    if (name === key) {
      if (b[i] === LBRACKET) return arrayLookup(b, i, (end) => checkTail(b, end, decode, visit));
      return { kind: 'other', start: i, end: valueEnd(b, i) };
    }
    const end = valueEnd(b, i);
    visit?.(name, i, end);
    i = skipSpace(b, end);
    if (b[i] === COMMA) {
      i = skipSpace(b, i + 1);
      continue;
    }
    if (b[i] === RBRACE) return { kind: 'absent' };
    throw new MalformedJson('expected , or } in object');
  }
}
