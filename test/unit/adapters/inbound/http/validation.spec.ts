import { expect } from 'chai';
import { z } from 'zod';
import { HttpError } from '../../../../../adapters/inbound/http/http-errors.js';
import { normalizeQuery, parseInput } from '../../../../../adapters/inbound/http/validation.js';

function failure(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(HttpError);
    return err as HttpError;
  }
  throw new Error('expected an HttpError');
}

describe('input validation', () => {
  const query = z.strictObject({ tag: z.array(z.string()).optional(), limit: z.coerce.number().int().optional(), on: z.string().optional() });

  it('list parameters accept repeats and commas; blanks are dropped', () => {
    expect(normalizeQuery(query, { tag: ['a,b', ' c '], on: 'x' })).to.deep.equal({ tag: ['a', 'b', 'c'], on: 'x' });
    expect(normalizeQuery(query, { tag: 'a,,b,' })).to.deep.equal({ tag: ['a', 'b'] });
  });

  it('a scalar parameter given twice is refused rather than one of them taken silently', () => {
    const e = failure(() => normalizeQuery(query, { limit: ['1', '2'] }));

    expect(e.status).to.equal(400);
    expect(e.details).to.deep.include({ field: 'query.limit' });
  });

  it('names the field with its path, says what was expected and what came; lists every issue', () => {
    const body = z.strictObject({ items: z.array(z.strictObject({ id: z.string().min(2, 'expected an id') })), n: z.number() });
    const e = failure(() => parseInput(body, 'body', { items: [{ id: 'ok' }, { id: 'x' }], n: 'three' }));

    expect(e.message).to.equal('body.items[1].id: expected an id, got "x"');
    expect(e.details).to.deep.equal({
      field: 'body.items[1].id',
      issues: [
        { field: 'body.items[1].id', message: 'expected an id, got "x"' },
        { field: 'body.n', message: 'expected number, received string, got "three"' },
      ],
    });
  });

  it('a missing field is "required"; unknown fields are named; long inputs are cut in the message', () => {
    const body = z.strictObject({ name: z.string(), size: z.number().max(1) });

    expect(failure(() => parseInput(body, 'body', { size: 0 })).message).to.equal('body.name: required');
    expect(failure(() => parseInput(body, 'body', { name: 'a', size: 0, colour: 1, shape: 2 })).message).to.equal('body.colour: unknown fields "colour", "shape"');
    expect(failure(() => parseInput(z.strictObject({ a: z.literal('x') }), 'query', { a: 'y'.repeat(500) })).message).to.match(/got "y{57}\.\.\."$/);
  });

  it('answers the parsed (coerced, defaulted) value when valid', () => {
    expect(parseInput(z.strictObject({ n: z.coerce.number().default(5) }), 'query', {})).to.deep.equal({ n: 5 });
    expect(parseInput(z.strictObject({ n: z.coerce.number() }), 'query', { n: '7' })).to.deep.equal({ n: 7 });
  });
});
