/**
 * The list writer of the HTTP API (adapters/inbound/http/paging.ts): the same text as
 * JSON.stringify, and turns of the event loop while a long list is written, even when every
 * item's JSON is ready at once (`/v1/assets/{id}/findings` pages of up to 5,000 findings).
 */
import { expect } from 'chai';
import { jsonInPieces } from '../../../../../adapters/inbound/http/paging.js';

async function collect(pieces: AsyncIterable<string | Uint8Array>, onPiece: () => void = () => undefined): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of pieces) {
    onPiece();
    parts.push(Buffer.from(p));
  }
  return Buffer.concat(parts).toString('utf8');
}

describe('HTTP list writer (jsonInPieces)', () => {
  const object = { generatedAt: '2026-11-20T12:00:00Z', skipped: undefined, findings: [] as unknown[], summary: { n: 3 } };

  it('writes JSON.stringify\'s text: the list in its place, undefined members left out, extra last', async () => {
    const items = [{ a: 1 }, { b: 'é"\n' }, { c: [1, 2] }];
    const text = await collect(jsonInPieces(object, 'findings', items, { page: { total: 3 } }, (i) => JSON.stringify(i)));
    expect(text).to.equal(JSON.stringify({ ...object, findings: items, page: { total: 3 } }));
    expect(await collect(jsonInPieces(object, 'findings', [], {}, (i) => JSON.stringify(i)))).to.equal(JSON.stringify(object));
  });

  it('takes items written elsewhere (bytes, later) in their order, whatever order they finish in', async () => {
    const items = [30, 0, 20, 10, 5];
    const write = (ms: number): Promise<Uint8Array> => new Promise((resolve) => setTimeout(() => resolve(Buffer.from(JSON.stringify({ ms }))), ms));
    const text = await collect(jsonInPieces(object, 'findings', items, {}, write));
    expect(text).to.equal(JSON.stringify({ ...object, findings: items.map((ms) => ({ ms })) }));
  });

  it('gives the event loop turns while a long list of ready items is written', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ i, text: 'x'.repeat(2000) }));
    let turns = 0;
    let writing = true;
    const tick = (): void => {
      if (!writing) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const text = await collect(jsonInPieces(object, 'findings', items, {}, (i) => JSON.stringify(i)));
    writing = false;
    expect(text).to.equal(JSON.stringify({ ...object, findings: items }));
    // About 10 MB at a turn every 64 KiB.
    expect(turns).to.be.at.least(100);
  });

  it('fails with the item that failed, and only then', async () => {
    const items = [1, 2, 3];
    const write = (i: number): Promise<Uint8Array> => (i === 3 ? Promise.reject(new Error('item 3')) : Promise.resolve(Buffer.from(String(i))));
    const seen: string[] = [];
    const gen = jsonInPieces(object, 'findings', items, {}, write);
    let error: unknown;
    try {
      for await (const p of gen) seen.push(Buffer.from(p).toString('utf8'));
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.equal('item 3');
    expect(seen.join('')).to.equal('{"generatedAt":"2026-11-20T12:00:00Z","findings":[1,2');
  });
});
