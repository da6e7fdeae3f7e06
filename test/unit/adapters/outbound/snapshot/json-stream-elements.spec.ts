import { expect } from 'chai';
import { MalformedJson } from '../../../../../adapters/outbound/snapshot/json-array-elements.js';
import { ArrayMemberScanner, Utf16Json, type StreamedDocument } from '../../../../../adapters/outbound/snapshot/json-stream-elements.js';

/** Feeds `text` in chunks of `size` bytes; returns the elements (parsed), the other members and the shape. */
function scan(text: string | Buffer, size: number, key = 'findings'): { elements: unknown[]; members: [string, unknown][]; doc: StreamedDocument } {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const members: [string, unknown][] = [];
  const s = new ArrayMemberScanner(key, (name, t) => members.push([name, JSON.parse(t)]));
  const elements: unknown[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    s.push(bytes.subarray(i, i + size));
    for (let e = s.next(); e !== null; e = s.next()) elements.push(JSON.parse(e));
  }
  s.end();
  for (let e = s.next(); e !== null; e = s.next()) elements.push(JSON.parse(e));
  return { elements, members, doc: s.result() };
}

const SIZES = [1, 2, 3, 5, 7, 16, 64, 1 << 20];

describe('ArrayMemberScanner (the findings file read in chunks)', () => {
  const tricky = [
    { findingArn: 'a"b\\', title: 'braces } ] [ { and, commas', n: 1 },
    { title: 'multi-byte: é 漢字 🚀', nested: { a: [1, [2, { b: '"]' }]] }, e: -1.5e3 },
    { empty: {}, list: [], t: true, f: false, z: null },
  ];

  it('yields each element whole, wherever the chunks cut it, with the members before and after the array', () => {
    const doc = `\uFEFF {"nextToken" : "before",\n"findings" :\n[ ${tricky.map((t) => JSON.stringify(t, null, 2)).join(' ,\n')} ] , "other": {"x": [1,2]}, "NextToken": null }  \n`;
    for (const size of SIZES) {
      const r = scan(doc, size);
      expect(r.elements, `chunks of ${size}`).to.deep.equal(tricky);
      expect(r.members).to.deep.equal([['nextToken', 'before'], ['other', { x: [1, 2] }], ['NextToken', null]]);
      expect(r.doc).to.deep.equal({ bare: false, member: { kind: 'array' } });
    }
  });

  it('reads a bare top-level array, of objects or of scalars, and an empty one', () => {
    for (const size of SIZES) {
      expect(scan(JSON.stringify(tricky), size).elements).to.deep.equal(tricky);
      expect(scan('[1, -2.5e10 ,"x", true,null]', size).elements).to.deep.equal([1, -2.5e10, 'x', true, null]);
      const empty = scan(' [ ] ', size);
      expect(empty.elements).to.deep.equal([]);
      expect(empty.doc.bare).to.equal(true);
    }
  });

  it('says when the member is absent or not an array', () => {
    expect(scan('{"nextToken": null}', 3).doc.member).to.deep.equal({ kind: 'absent' });
    expect(scan('{}', 1).doc.member).to.deep.equal({ kind: 'absent' });
    expect(scan('{"findings": {"a": 1}}', 4).doc.member).to.deep.equal({ kind: 'other', text: '{"a": 1}' });
    expect(scan('{"findings": 12}', 2).doc.member).to.deep.equal({ kind: 'other', text: '12' });
  });

  it('reports broken JSON as MalformedJson, cut anywhere (the caller then names the line and column)', () => {
    const broken = [
      '{"findings": [{"a": 1}', // unterminated array
      '{"findings": [{"a": 1} {"b": 2}]}', // missing comma
      '{"findings": [{"a": 1}]} trailing',
      '{"findings": [{"a": 1}],}',
      '{"findings": [,]}',
      '{"findings": [{"a": "unterminated}]}',
      '"just a string"',
      '{findings: []}',
      '',
    ];
    for (const text of broken) {
      for (const size of [1, 4, 1 << 20]) {
        expect(() => scan(text, size), `${text} in chunks of ${size}`).to.throw(MalformedJson);
      }
    }
  });

  it('refuses a UTF-16 file at its first bytes', () => {
    expect(() => scan(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"findings":[]}', 'utf16le')]), 64)).to.throw(Utf16Json);
  });

  it('keeps no more than the unread part of the current chunk', () => {
    // 2,000 elements fed in 100-byte chunks: the buffer held never grows past a chunk and an element.
    const elements = Array.from({ length: 2000 }, (_, i) => ({ i, pad: 'x'.repeat(40) }));
    const bytes = Buffer.from(JSON.stringify({ findings: elements }));
    const s = new ArrayMemberScanner('findings');
    let most = 0;
    let n = 0;
    for (let i = 0; i < bytes.length; i += 100) {
      s.push(bytes.subarray(i, i + 100));
      most = Math.max(most, (s as unknown as { b: Buffer }).b.length);
      while (s.next() !== null) n++;
    }
    s.end();
    while (s.next() !== null) n++;
    expect(n).to.equal(2000);
    expect(most).to.be.below(200);
  });
});
