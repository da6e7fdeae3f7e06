import { expect } from 'chai';
import { JsonSplitError, JsonSplitter, type JsonDocument, type JsonElement, type JsonSplitOptions } from '../../../../../adapters/outbound/aws-shapes/json-splitter.js';

/**
 * Feeds `bytes` cut at `cuts` (sorted offsets); the elements, parsed, and the document. With
 * `reuse`, every chunk is copied into one buffer, overwritten as soon as push returns (as the
 * snapshot reader reads each chunk into the same buffer).
 */
function split(bytes: Buffer, options: JsonSplitOptions, cuts: readonly number[], reuse = false): { elements: JsonElement[]; doc: JsonDocument } {
  const s = new JsonSplitter(options);
  const elements: JsonElement[] = [];
  const scratch = Buffer.alloc(bytes.length);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (reuse) {
      bytes.copy(scratch, 0, from, cut);
      s.push(scratch.subarray(0, cut - from));
      scratch.fill(0x22); // quotes: any byte still read from it breaks the element
    } else {
      s.push(bytes.subarray(from, cut));
    }
    for (let e = s.next(); e !== null; e = s.next()) elements.push(e);
    from = cut;
  }
  s.end();
  for (let e = s.next(); e !== null; e = s.next()) elements.push(e);
  return { elements, doc: s.result() };
}

function inChunks(text: string | Buffer, size: number, options: JsonSplitOptions = { member: 'findings' }): { values: unknown[]; doc: JsonDocument } {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const cuts: number[] = [];
  for (let i = size; i < bytes.length; i += size) cuts.push(i);
  const r = split(bytes, options, cuts);
  return { values: r.elements.map((e) => JSON.parse(e.text) as unknown), doc: r.doc };
}

/** A small deterministic generator (mulberry32): the same documents on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces of strings that exercise the scan: quotes, backslashes, brackets and commas inside
// strings, escapes of every kind, and 2-, 3- and 4-byte UTF-8 characters.
const STRING_PIECES = ['a', 'findings', '"', '\\', '\\"', '"]}', '{[', ',', ':', ' ', '\n', '\t', '\u0001', 'é', '漢字', '🚀', '\u2028', 'nextToken', '\\u00e9'];

function randomString(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += STRING_PIECES[Math.floor(r() * STRING_PIECES.length)];
  return s;
}

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 5 : 7));
  switch (k) {
    case 0: return randomString(r);
    case 1: return Math.floor((r() - 0.5) * 1e6);
    case 2: return [(r() - 0.5) * 1e-3, 1.5e300, 0, 12345678901234][Math.floor(r() * 4)];
    case 3: return [true, false, null][Math.floor(r() * 3)];
    case 4: return randomString(r);
    case 5: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 4);
      for (let i = 0; i < n; i++) o[randomString(r)] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function randomObject(r: () => number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) o[randomString(r)] = randomValue(r, 1);
  return o;
}

/** JSON text with random white space between tokens (what other writers than JSON.stringify do). */
function serialize(v: unknown, r: () => number): string {
  const ws = (): string => [' ', '', '\n', '\r\n  ', '\t', ''][Math.floor(r() * 6)] as string;
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => `${ws()}${serialize(x, r)}${ws()}`).join(',')}${ws()}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${ws()}${Object.entries(v).map(([k, x]) => `${ws()}${JSON.stringify(k)}${ws()}:${ws()}${serialize(x, r)}${ws()}`).join(',')}${ws()}}`;
  }
  return JSON.stringify(v);
}

/** Every single cut, then random sets of cuts (1 to 8 of them). */
function cutsOf(n: number, r: () => number): number[][] {
  const out: number[][] = [];
  for (let k = 1; k < n; k++) out.push([k]);
  for (let t = 0; t < 40; t++) {
    const set = new Set<number>();
    const m = 1 + Math.floor(r() * 8);
    for (let j = 0; j < m; j++) set.add(1 + Math.floor(r() * (n - 1)));
    out.push([...set].sort((a, b) => a - b));
  }
  return out;
}

describe('JsonSplitter (the one chunked splitter of every JSON input)', () => {
  it('yields exactly what JSON.parse yields, for random documents cut at every byte and at random bytes', () => {
    const r = random(17);
    let checked = 0;
    for (let doc = 0; doc < 60; doc++) {
      const findings = Array.from({ length: Math.floor(r() * 4) }, () => (r() < 0.8 ? randomObject(r) : randomValue(r, 1)));
      const before = r() < 0.5 ? { nextToken: r() < 0.5 ? null : randomString(r), other: randomValue(r, 1) } : {};
      const after = r() < 0.5 ? { NextToken: randomValue(r, 2), [randomString(r)]: randomValue(r, 1) } : {};
      const bare = r() < 0.3;
      const value = bare ? findings : { ...before, findings, ...after };
      const text = (r() < 0.2 ? '\uFEFF' : '') + serialize(value, r) + (r() < 0.5 ? '\n' : '');
      const bytes = Buffer.from(text);
      const expected = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
      const wantFindings = bare ? expected : expected.findings;
      for (const cuts of cutsOf(bytes.length, r)) {
        const got = split(bytes, { member: 'findings', keep: ['nextToken', 'NextToken'] }, cuts);
        const where = `document ${doc} cut at ${cuts.join(',')}: ${text}`;
        expect(got.elements.map((e) => JSON.parse(e.text) as unknown), where).to.deep.equal(wantFindings);
        expect(got.elements.map((e) => e.index)).to.deep.equal(got.elements.map((_, i) => i));
        expect(got.doc.bare, where).to.equal(bare);
        const kept = Object.fromEntries([...got.doc.kept].map(([k, t]) => [k, JSON.parse(t) as unknown]));
        const wantKept = bare ? {} : Object.fromEntries(['nextToken', 'NextToken'].filter((k) => k in expected).map((k) => [k, expected[k]]));
        expect(kept, where).to.deep.equal(wantKept);
        // Each element's offset is where its text starts in the bytes.
        for (const e of got.elements) expect(bytes.toString('utf8', e.offset, e.offset + Buffer.byteLength(e.text)), where).to.equal(e.text);
        checked++;
      }
    }
    expect(checked).to.be.above(5000);
  });

  it('keeps no reference to a chunk once push returns: the same elements when every chunk is read into one buffer', () => {
    const r = random(29);
    let checked = 0;
    for (let doc = 0; doc < 20; doc++) {
      const findings = Array.from({ length: 1 + Math.floor(r() * 4) }, () => randomObject(r));
      const value = { nextToken: randomString(r), findings, NextToken: randomValue(r, 2) };
      const bytes = Buffer.from(serialize(value, r));
      for (const cuts of cutsOf(bytes.length, r)) {
        const options = { member: 'findings', keep: ['nextToken', 'NextToken'] };
        const want = split(bytes, options, cuts);
        const got = split(bytes, options, cuts, true);
        expect(got.elements, `document ${doc} cut at ${cuts.join(',')}`).to.deep.equal(want.elements);
        expect(got.doc).to.deep.equal(want.doc);
        checked++;
      }
    }
    expect(checked).to.be.above(1000);
  });

  it('reads JSON lines (objects, and reports among them) the same way, cut anywhere', () => {
    const r = random(4);
    for (let doc = 0; doc < 30; doc++) {
      const objects = Array.from({ length: 1 + Math.floor(r() * 4) }, () => randomObject(r));
      const lines: unknown[] = [];
      const expected: unknown[] = [];
      for (const o of objects) {
        if (r() < 0.3) {
          const report = { findings: [randomObject(r), randomObject(r)], nextToken: null };
          lines.push(report);
          expected.push(...report.findings);
        } else {
          // An object whose `findings` is not an array is an element itself.
          if (r() < 0.2 || Array.isArray(o.findings)) o.findings = { not: 'an array' };
          lines.push(o);
          expected.push(o);
        }
      }
      const text = lines.map((l) => serialize(l, r)).join(r() < 0.5 ? '\n' : '\r\n') + '\n';
      const bytes = Buffer.from(text);
      for (const cuts of cutsOf(bytes.length, r)) {
        const got = split(bytes, { member: 'findings', lines: true, objectsOnly: true }, cuts);
        expect(got.elements.map((e) => JSON.parse(e.text) as unknown), `cut at ${cuts.join(',')}: ${text}`).to.deep.equal(expected);
      }
    }
  });

  it('says when the member is absent or not an array', () => {
    expect(inChunks('{"nextToken": null}', 3).doc.member).to.deep.equal({ kind: 'absent' });
    expect(inChunks('{}', 1).doc.member).to.deep.equal({ kind: 'absent' });
    expect(inChunks('{"findings": {"a": 1}}', 4).doc.member).to.deep.equal({ kind: 'other', text: '{"a": 1}' });
    expect(inChunks('{"findings": 12}', 2).doc.member).to.deep.equal({ kind: 'other', text: '12' });
    expect(inChunks('{"findings": "x,]"}', 2).doc.member).to.deep.equal({ kind: 'other', text: '"x,]"' });
    expect(inChunks(' [ ] ', 1).doc).to.deep.include({ bare: true, member: { kind: 'array' } });
  });

  it('reads a member name written with escapes as the name it stands for', () => {
    expect(inChunks('{"find\\u0069ngs": [1, 2]}', 3).values).to.deep.equal([1, 2]);
  });

  it('refuses broken structure, cut anywhere, naming the byte offset, line and column', () => {
    const broken: [string, string][] = [
      ['{"findings": [{"a": 1}', 'line 1, column 23 (byte 22): the input ends inside a value (cut short?)'],
      ['{"findings": [{"a": 1} {"b": 2}]}', 'line 1, column 24 (byte 23): expected , or ] in an array'],
      ['{"findings": [{"a": 1}]} trailing', 'line 1, column 26 (byte 25): expected the end of the input'],
      ['{"findings": [{"a": 1}],}', 'line 1, column 25 (byte 24): expected a member name'],
      ['{"findings": [,]}', 'line 1, column 15 (byte 14): expected a value (a comma too many?)'],
      ['{"findings": [{"a": "unterminated}]}', 'line 1, column 37 (byte 36): the input ends inside a value (cut short?)'],
      ['"just a string"', 'line 1, column 1 (byte 0): expected an object or an array'],
      ['{findings: []}', 'line 1, column 2 (byte 1): expected a member name'],
      ['{"findings" []}', 'line 1, column 13 (byte 12): expected : after a member name'],
      ['{"findings":[\n{"a":1}\n, {"b":2]}', 'line 3, column 9 (byte 30): expected }, found ]'],
      ['[1, 2] [3]', 'line 1, column 8 (byte 7): expected the end of the input after the top-level array'],
      ['  \n ', 'line 2, column 2 (byte 4): the input is empty'],
      ['', 'line 1, column 1 (byte 0): the input is empty'],
    ];
    for (const [text, message] of broken) {
      for (const size of [1, 4, 1 << 20]) {
        expect(() => inChunks(text, size), `${text} in chunks of ${size}`).to.throw(JsonSplitError, message);
      }
    }
  });

  it('refuses, with lines and objectsOnly, an element that is not an object and an array after objects', () => {
    const options = { member: 'findings', lines: true, objectsOnly: true };
    expect(() => inChunks('[{"a":1}, 2]', 3, options)).to.throw(JsonSplitError, 'line 1, column 11 (byte 10): expected an object (each finding or event is a JSON object)');
    expect(() => inChunks('{"a":1}\n[{"b":2}]', 3, options)).to.throw(JsonSplitError, 'line 2, column 1 (byte 8): expected an object: an array after objects');
    expect(() => inChunks('nonsense', 3, options)).to.throw(JsonSplitError, 'line 1, column 1 (byte 0): expected an object or an array');
  });

  it('skips a UTF-8 byte order mark, even cut, and refuses a UTF-16 one as utf16', () => {
    for (const size of [1, 2, 3, 64]) expect(inChunks('\uFEFF[{"a":"é"}]', size).values).to.deep.equal([{ a: 'é' }]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"findings":[]}', 'utf16le')]);
    try {
      inChunks(utf16, 64);
      expect.fail('no error');
    } catch (e) {
      expect(e).to.be.instanceOf(JsonSplitError);
      expect((e as JsonSplitError).utf16).to.equal(true);
    }
  });

  it('says where each element starts, in lines and columns of the whole stream, multi-byte characters included', () => {
    const bytes = Buffer.from('{"findings":[\n  {"t":"é"},\n  {"u":1}\n]}');
    const got = split(bytes, { member: 'findings' }, [4, 8, 19, 20]);
    expect(got.elements.map((e) => [e.line, e.column, e.offset, e.text])).to.deep.equal([[2, 3, 16, '{"t":"é"}'], [3, 3, 30, '{"u":1}']]);
  });

  it('keeps no more than the element being read across chunks', () => {
    // 2,000 elements fed in 100-byte chunks: what is carried over never grows past an element.
    const elements = Array.from({ length: 2000 }, (_, i) => ({ i, pad: 'x'.repeat(40) }));
    const bytes = Buffer.from(JSON.stringify({ findings: elements }));
    const s = new JsonSplitter({ member: 'findings' });
    let most = 0;
    let n = 0;
    for (let i = 0; i < bytes.length; i += 100) {
      s.push(bytes.subarray(i, i + 100));
      most = Math.max(most, (s as unknown as { parts: Buffer[] }).parts.reduce((t, p) => t + p.length, 0));
      while (s.next() !== null) n++;
    }
    s.end();
    expect(n).to.equal(2000);
    expect(most).to.be.below(100);
  });
});
