import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { writeJson } from '../../../../../adapters/inbound/cli/json-output.js';

/** A stdout stand-in: collects what is written; `full` makes write() ask the caller to wait for drain. */
class FakeOut extends EventEmitter {
  text = '';
  writes = 0;
  constructor(readonly isTTY: boolean, private readonly full = false) {
    super();
  }
  write(chunk: string): boolean {
    this.text += chunk;
    this.writes++;
    return !this.full;
  }
}

const report = {
  generatedAt: '2026-11-20T12:00:00.000Z',
  nothing: undefined,
  assets: Array.from({ length: 150 }, (_, i) => ({ id: i, reasons: [`r${i}`, 'line\nbreak'], nested: { deep: [i, { x: null }] } })),
  empty: [],
  emptyObject: {},
  summary: { assets: 150, byDecision: { a: 1 } },
  warnings: ['w'],
};

function* lazy<T>(items: readonly T[], seen: { n: number }): Generator<T> {
  for (const it of items) {
    seen.n++;
    yield it;
  }
}

describe('writeJson (the CLI\'s --json output)', () => {
  for (const tty of [false, true]) {
    it(`writes exactly JSON.stringify's bytes (${tty ? 'pretty, on a terminal' : 'compact, piped'}), lazy members resolved where they stand`, async () => {
      const expected = `${JSON.stringify(report, null, tty ? 2 : undefined)}\n`;
      const plain = new FakeOut(tty);
      await writeJson(plain, report);
      expect(plain.text).to.equal(expected);

      // The same document with its assets as a generator and its summary as a function called
      // after the assets were written (as a streamed fleet report counts its summary).
      const seen = { n: 0 };
      let summaryCalledAfter = -1;
      const streamed = new FakeOut(tty);
      await writeJson(streamed, {
        ...report,
        assets: lazy(report.assets, seen),
        empty: lazy([], seen),
        summary: () => {
          summaryCalledAfter = seen.n;
          return report.summary;
        },
      });
      expect(streamed.text).to.equal(expected);
      expect(summaryCalledAfter).to.equal(150);
    });
  }

  for (const tty of [false, true]) {
    it(`streams lists nested in an object or a short array (a plan's byDecision and waves) with JSON.stringify's bytes (${tty ? 'pretty' : 'compact'})`, async () => {
      const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ instanceId: `${tag}-${i}`, window: i % 2 ? null : { start: 's', why: 'w\nx' }, gone: undefined }));
      const plan = {
        generatedAt: 'g',
        byDecision: { 'patch-now': rows(150, 'a'), routine: rows(3, 'b'), none: [], skip: undefined },
        waves: [{ number: 1, instanceIds: Array.from({ length: 250 }, (_, i) => `i-${i}`) }, { number: 2, instanceIds: [] }],
        notes: [],
      };
      const expected = `${JSON.stringify(plan, null, tty ? 2 : undefined)}\n`;
      const plain = new FakeOut(tty);
      await writeJson(plain, plan);
      expect(plain.text).to.equal(expected);
      // Lazy lists inside an object are written element by element, not as "{}" (JSON.stringify of a generator).
      const seen = { n: 0 };
      const lazyOut = new FakeOut(tty);
      await writeJson(lazyOut, { ...plan, byDecision: { ...plan.byDecision, 'patch-now': lazy(plan.byDecision['patch-now'], seen), none: lazy([], seen) } });
      expect(lazyOut.text).to.equal(expected);
      expect(seen.n).to.equal(150);
    });
  }

  it('writes scalars, arrays and empty objects as JSON.stringify does', async () => {
    for (const tty of [false, true]) {
      for (const v of [null, 3, 'x', [1, [2]], {}, { a: [] }]) {
        const out = new FakeOut(tty);
        await writeJson(out, v);
        expect(out.text).to.equal(`${JSON.stringify(v, null, tty ? 2 : undefined)}\n`);
      }
    }
  });

  it('waits for drain when the reader is slow, and never holds the whole document as one write', async () => {
    const out = new FakeOut(false, true);
    const big = { assets: lazy(Array.from({ length: 30_000 }, (_, i) => ({ i, pad: 'p'.repeat(100) })), { n: 0 }) };
    let done = false;
    const writing = writeJson(out, big).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).to.equal(false);
    const before = out.writes;
    expect(before).to.equal(1); // waiting for the first drain
    while (!done) {
      out.emit('drain');
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    expect(out.writes).to.be.above(2);
    expect(JSON.parse(out.text)).to.have.nested.property('assets.length', 30_000);
  });

  it('stops quietly, and stops building elements, when the reader has gone (EPIPE)', async () => {
    const out = new FakeOut(false, true);
    const seen = { n: 0 };
    const writing = writeJson(out, { assets: lazy(Array.from({ length: 100_000 }, (_, i) => ({ i, pad: 'p'.repeat(100) })), seen) });
    await new Promise((r) => setImmediate(r));
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    out.emit('close');
    await writing;
    expect(seen.n).to.be.below(100_000);
  });
});
