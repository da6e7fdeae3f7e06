import { retainedMemory } from '../../support/retained-memory.js';
import { expect } from 'chai';
import fc from 'fast-check';
import { RowLists } from '../../../domain/row-lists.js';

describe('RowLists (each instance\'s rows of the FindingTable)', () => {
  it('gives each key its rows in the order added, and their count, as a map of arrays would', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'i-1', 'acct/region/i-1', ''), { maxLength: 300 }), (keys) => {
        const lists = new RowLists();
        const expected = new Map<string, number[]>();
        keys.forEach((key, row) => {
          lists.add(key, row);
          (expected.get(key) ?? expected.set(key, []).get(key)!).push(row);
        });
        expect([...lists.groups.keys()]).to.deep.equal([...expected.keys()]);
        for (const [key, rows] of expected) {
          const g = lists.groups.get(key)!;
          expect(lists.rowsOf(g)).to.deep.equal(rows);
          expect(lists.countOf(g)).to.equal(rows.length);
        }
      }),
    );
  });

  it('links rows across its blocks of 16,384 rows, and across the growth of its group columns', () => {
    const lists = new RowLists();
    const n = 3 * 16_384 + 5;
    for (let row = 0; row < n; row++) lists.add(`i-${row % 1000}`, row);
    expect(lists.groups.size).to.equal(1000);
    expect(lists.rowsOf(lists.groups.get('i-999')!)).to.deep.equal(Array.from({ length: 49 }, (_, k) => 999 + 1000 * k));
    expect(lists.countOf(lists.groups.get('i-4')!)).to.equal(50);
  });

  it('refuses a group or row that is not one', () => {
    const lists = new RowLists();
    lists.add('a', 0);
    expect(() => lists.rowsOf(1)).to.throw(RangeError, 'no group 1');
    expect(() => lists.countOf(-1)).to.throw(RangeError, 'no group -1');
    expect(() => lists.add('a', -1)).to.throw(RangeError, 'no row -1');
  });

  it('costs at most 10 bytes a row at 20 rows an instance (a JavaScript array per instance cost about 20)', () => {
    const used = (): number => retainedMemory();
    const instances = 16_384;
    const n = 20 * instances; // 20 whole blocks of rows
    const keys = Array.from({ length: instances }, (_, k) => `123456789012/us-east-1/i-${k.toString(16).padStart(17, '0')}`);
    const before = used();
    const lists = new RowLists();
    for (let row = 0; row < n; row++) lists.add(keys[row % instances]!, row);
    const perRow = (used() - before) / n;
    console.log(`      ${perRow.toFixed(1)} B a row`);
    expect(lists.countOf(0)).to.equal(20);
    expect(perRow, 'bytes a row').to.be.below(10);
  });
});
