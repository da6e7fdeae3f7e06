import { expect } from 'chai';
import { page } from '../../../../../adapters/inbound/mcp/shapes.js';
import { errorMessage } from '../../../../../adapters/inbound/mcp/tool-result.js';
import { AmbiguousError, NotFoundError, ValidationError } from '../../../../../domain/errors.js';

const items = Array.from({ length: 7 }, (_, i) => i + 1);

describe('MCP result bounds (page)', () => {
  it('returns everything without a note when it fits', () => {
    expect(page(items, { limit: 10, offset: 0 }, 'assets', 'highest risk first')).to.deep.equal({
      items,
      page: { total: 7, offset: 0, returned: 7, truncated: false, note: null },
    });
  });

  it('cuts at the limit and names the offset of the next page', () => {
    const r = page(items, { limit: 3, offset: 0 }, 'assets', 'highest risk first');

    expect(r.items).to.deep.equal([1, 2, 3]);
    expect(r.page).to.deep.equal({ total: 7, offset: 0, returned: 3, truncated: true, note: 'showing assets 1-3 of 7, highest risk first; 4 more: call again with offset 3' });
  });

  it('says a middle page and a last page are partial views', () => {
    expect(page(items, { limit: 3, offset: 3 }, 'events', 'newest first').page.note).to.equal('showing events 4-6 of 7, newest first; 1 more: call again with offset 6');
    expect(page(items, { limit: 3, offset: 6 }, 'events', 'newest first').page.note).to.equal('showing events 7-7 of 7, newest first');
  });

  it('says so when the offset is past the end', () => {
    const r = page(items, { limit: 3, offset: 9 }, 'events', 'newest first');

    expect(r.items).to.deep.equal([]);
    expect(r.page).to.deep.equal({ total: 7, offset: 7, returned: 0, truncated: true, note: 'no events shown (offset 9 is past the end)' });
  });
});

describe('MCP tool error messages', () => {
  it('lead with the argument the tool takes', () => {
    expect(errorMessage(new ValidationError('minSeverity', 'a severity', 'min-severity: expected one of low, high, got "x"'))).to.equal('minSeverity: expected one of low, high, got "x"');
    expect(errorMessage(new ValidationError('hours', 'hours', 'hours: expected a whole number'))).to.equal('hours: expected a whole number');
    expect(errorMessage(new NotFoundError('instance', 'wbe-1', ['web-1 (i-1)']))).to.equal('instance: no instance matches "wbe-1"; did you mean "web-1 (i-1)"?');
    expect(errorMessage(new AmbiguousError('instance', 'web', ['i-1 (web)', 'i-2 (web)']))).to.equal('instance: "web" names 2 instances: i-1 (web), i-2 (web); use an instance id');
  });
});
