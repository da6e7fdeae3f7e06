import { expect } from 'chai';
import { mapKevCatalog, parseTimestamp, ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';

describe('parseTimestamp', () => {
  const noon = Date.parse('2026-11-20T12:00:00Z');

  it('reads the forms AWS uses: CLI ISO strings, epoch seconds, SDK Dates', () => {
    expect(parseTimestamp('2026-11-20T12:00:00+00:00')).to.equal(noon);
    expect(parseTimestamp('2026-11-20T12:00:00.000000+00:00')).to.equal(noon);
    expect(parseTimestamp('2026-11-20T12:00:00Z')).to.equal(noon);
    expect(parseTimestamp('2026-11-20T13:00:00+0100')).to.equal(noon);
    expect(parseTimestamp(noon / 1000)).to.equal(noon);
    expect(parseTimestamp(noon / 1000 + 0.25)).to.equal(noon + 250);
    expect(parseTimestamp(new Date(noon))).to.equal(noon);
  });

  it('reads a zone-less date-time as UTC and a date as its UTC midnight', () => {
    expect(parseTimestamp('2026-11-20T12:00:00')).to.equal(noon);
    expect(parseTimestamp('2026-11-20 12:00:00')).to.equal(noon);
    expect(parseTimestamp('2026-11-20')).to.equal(Date.parse('2026-11-20T00:00:00Z'));
  });

  it('returns null for what is not a timestamp', () => {
    for (const v of ['12', 'yesterday', '', null, undefined, Number.NaN, Infinity, new Date('x'), {}, true]) expect(parseTimestamp(v)).to.equal(null);
  });
});

describe('mapKevCatalog (CISA KEV JSON)', () => {
  it('keys entries by upper-case CVE id and ignores fields CISA adds later', () => {
    const c = mapKevCatalog({
      title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2026.11.20', dateReleased: '2026-11-20T10:00:00.0000Z', count: 1,
      vulnerabilities: [{
        cveID: 'cve-2024-1086', vendorProject: 'Linux', product: 'Kernel', vulnerabilityName: 'Linux Kernel Use-After-Free Vulnerability', dateAdded: '2024-05-30',
        shortDescription: '...', requiredAction: '...', dueDate: '2024-06-20', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: ['CWE-416'], forensicTriage: 'new field',
      }],
    });

    expect(c.catalogVersion).to.equal('2026.11.20');
    expect(c.entries.get('CVE-2024-1086')).to.deep.equal({
      cveID: 'CVE-2024-1086', vendorProject: 'Linux', product: 'Kernel', vulnerabilityName: 'Linux Kernel Use-After-Free Vulnerability',
      dateAdded: '2024-05-30', dueDate: '2024-06-20', knownRansomwareCampaignUse: 'Unknown',
    });
  });

  it('refuses an entry without cveID, naming it', () => {
    expect(() => mapKevCatalog({ vulnerabilities: [{ cveID: 'CVE-1', dateAdded: '2024-01-01' }, { dateAdded: '2024-01-01' }] }))
      .to.throw(ShapeError, '$.vulnerabilities[1].cveID: expected a string, found nothing');
    expect(() => mapKevCatalog([])).to.throw(ShapeError, '$: expected an object, found an array of 0');
  });
});
