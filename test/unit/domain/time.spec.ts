import { expect } from 'chai';
import { ValidationError } from '../../../domain/errors.js';
import { DAY_MS, parseInstant } from '../../../domain/time.js';

describe('parseInstant (every instant a person types)', () => {
  it('reads a plain date as UTC, at the start or the end of that day', () => {
    expect(parseInstant('2026-11-20', 'now')).to.equal(Date.UTC(2026, 10, 20));
    expect(parseInstant(' 2026-11-20 ', 'until', { date: 'end-of-day' })).to.equal(Date.UTC(2026, 10, 21) - 1);
  });

  it('takes a date-time with Z or an offset (with or without a colon), seconds and fractions optional', () => {
    const noon = Date.UTC(2026, 10, 20, 12);
    expect(parseInstant('2026-11-20T12:00:00Z', 'now')).to.equal(noon);
    expect(parseInstant('2026-11-20t12:00z', 'now')).to.equal(noon);
    expect(parseInstant('2026-11-20T14:00:00+02:00', 'now')).to.equal(noon);
    expect(parseInstant('2026-11-20T07:30:00-0430', 'now')).to.equal(noon);
    expect(parseInstant('2026-11-20 12:00:00.5Z', 'now')).to.equal(noon + 500);
    expect(parseInstant('2026-11-20T12:00:00.123456789Z', 'now')).to.equal(noon + 123);
  });

  it('refuses a date-time without a zone, saying to add Z or an offset, whatever the host zone', () => {
    const saved = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      expect(() => parseInstant('2026-11-20T12:00:00', 'now'))
        .to.throw(ValidationError, 'now: "2026-11-20T12:00:00" has no time zone; add Z for UTC or an offset such as +02:00 (e.g. 2026-11-20T12:00:00Z)')
        .with.property('field', 'now');
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });

  it('a policy file may opt into reading a zone-less date-time as UTC', () => {
    expect(parseInstant('2026-11-20T12:00', 'freezeWindows[0].start', { zoneless: 'utc' })).to.equal(Date.UTC(2026, 10, 20, 12));
  });

  it('refuses impossible dates and times by name instead of rolling them over', () => {
    const cases: [string, string][] = [
      ['2026-02-30', 'since: 2026-02-30 is not a date (February 2026 has 28 days)'],
      ['2028-02-30T00:00:00Z', 'since: 2028-02-30 is not a date (February 2028 has 29 days)'],
      ['2026-04-31', 'since: 2026-04-31 is not a date (April 2026 has 30 days)'],
      ['2026-13-01', 'since: 2026-13-01 is not a date (there is no month 13)'],
      ['2026-00-10', 'since: 2026-00-10 is not a date (there is no month 00)'],
      ['2026-11-20T24:00:00Z', 'since: 24:00:00 is not a time of day'],
      ['2026-11-20T12:60Z', 'since: 12:60 is not a time of day'],
      ['2026-11-20T12:00:00+25:00', 'since: +25:00 is not a time zone offset'],
    ];
    for (const [text, message] of cases) expect(() => parseInstant(text, 'since'), text).to.throw(ValidationError, message);
    expect(parseInstant('2028-02-29', 'since')).to.equal(Date.UTC(2028, 1, 29));
  });

  it('refuses what is not ISO 8601, quoting it', () => {
    for (const text of ['yesterday', '20/11/2026', '2026-11-20T12', '1732104000', '']) {
      expect(() => parseInstant(text, 'now'), text).to.throw(ValidationError, `now: expected an ISO 8601 date (2026-11-20, UTC) or date-time with a zone (2026-11-20T12:00:00Z or +02:00), got ${JSON.stringify(text)}`);
    }
  });

  it('agrees with Date.parse on every valid zoned instant of a leap year', () => {
    for (let t = Date.UTC(2028, 0, 1, 5, 7, 9); t < Date.UTC(2029, 0, 1); t += DAY_MS + 3_600_000 + 61_000) {
      const iso = new Date(t).toISOString();
      expect(parseInstant(iso, 'now'), iso).to.equal(Date.parse(iso));
    }
  });
});
