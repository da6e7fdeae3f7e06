import { expect } from 'chai';
import { retainedMemory } from '../../support/retained-memory.js';
import { assessAsset } from '../../../domain/asset-assessment.js';
import { FindingTable } from '../../../domain/finding-table.js';
import type { Finding } from '../../../domain/fleet-facts.js';
import { aCvss, aFinding, anAsset } from '../../builders.js';
import { aContext } from './risk/helpers.js';

const V_NET = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

function roundTrip(findings: readonly Finding[]): Finding[] {
  const t = new FindingTable();
  const rows = findings.map((f) => t.add(f));
  return rows.map((r) => t.get(r));
}

describe('FindingTable (the compact resident form of findings)', () => {
  it('gives back every field of every finding as it was added, nulls, empty lists and open values included', () => {
    const findings: Finding[] = [
      aFinding(),
      aFinding({
        findingArn: 'arn:aws:inspector2:eu-west-1:111122223333:finding/abc', type: 'NETWORK_REACHABILITY', severity: 'SOMETHING_NEW', status: 'SUPPRESSED',
        title: null, vulnerabilityId: null, relatedVulnerabilities: [], inspectorScore: null, adjustedCvss: null, cvss: [], epss: null,
        exploitAvailable: true, lastKnownExploitAt: 1_700_000_000_123, fixAvailable: 'PARTIAL', packages: [],
        networkReachability: { openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' },
      }),
      aFinding({ findingArn: 'no-slash-at-all', relatedVulnerabilities: ['ALAS-2024-1', 'CVE-2024-2'], adjustedCvss: aCvss(V_NET, 9.8), fixAvailable: 'NO', epss: 0 }),
      aFinding({ networkReachability: { openPortRange: null, protocol: null }, packages: [{ name: 'a', version: null, fixedInVersion: null }, { name: 'b', version: '1', fixedInVersion: '2' }] }),
      aFinding({ inspectorScore: 0, firstObservedAt: 0, lastObservedAt: -5 }),
      aFinding({ inspectorScore: -0, epss: 0 }),
    ];
    expect(roundTrip(findings)).to.deep.equal(findings);
  });

  it('takes a finding from a JavaScript source that leaves out the fields that can be empty, with their neutral values', () => {
    // The custom-findings-source example (plain JavaScript) yields findings without
    // relatedVulnerabilities; the table threw a TypeError on them.
    const full = aFinding({ findingArn: 'arn:x/finding/js', relatedVulnerabilities: [], adjustedCvss: null, networkReachability: null });
    const loose: Record<string, unknown> = { ...full };
    for (const k of ['relatedVulnerabilities', 'adjustedCvss', 'networkReachability', 'epss', 'lastKnownExploitAt']) delete loose[k];
    const table = new FindingTable();

    const row = table.add(loose as unknown as Finding);

    expect(table.get(row)).to.deep.equal({ ...full, epss: null, lastKnownExploitAt: null });
  });

  it('a JavaScript source\'s finding without fixAvailable (or with a value outside YES, NO, PARTIAL) keeps its exploit flag; the fix is inferred from its packages', () => {
    // indexOf gave -1 for it, which set every flag bit: exploitAvailable came back true.
    const table = new FindingTable();
    const fixed = [{ name: 'openssl', version: '1', fixedInVersion: '2' }];
    const missing: Record<string, unknown> = { ...aFinding({ exploitAvailable: false, packages: fixed }) };
    delete missing.fixAvailable;
    const odd = { ...aFinding({ exploitAvailable: false, packages: [{ name: 'x', version: '1', fixedInVersion: null }] }), fixAvailable: 'MAYBE' };

    const a = table.get(table.add(missing as unknown as Finding));
    const b = table.get(table.add(odd as unknown as Finding));

    expect([a.exploitAvailable, a.fixAvailable]).to.deep.equal([false, 'YES']);
    expect([b.exploitAvailable, b.fixAvailable]).to.deep.equal([false, 'NO']);
  });

  it('keeps each repeating value once, however many findings carry it', () => {
    const t = new FindingTable();
    for (let i = 0; i < 5000; i++) {
      t.add(aFinding({ findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${i.toString(16).padStart(32, '0')}`, instanceId: `i-${(i % 50).toString(16).padStart(17, '0')}` }));
    }
    expect(t.size).to.equal(5000);
    // 50 instance ids, one ARN prefix, and the type, severity, status, title, advisory id and package strings.
    expect(t.distinctStrings).to.be.below(70);
    const a = t.get(1);
    const b = t.get(4999);
    expect(a.packages).to.equal(b.packages); // the same object, not an equal copy
    expect(a.cvss).to.equal(b.cvss);
    expect(a.title).to.equal(b.title);
    expect(a.findingArn).to.not.equal(b.findingArn);
  });

  it('holds no reference to the objects it was given (they are released after add)', () => {
    const f = aFinding({ adjustedCvss: aCvss(V_NET), networkReachability: { openPortRange: { begin: 1, end: 2 }, protocol: 'UDP' } });
    const back = roundTrip([f])[0] as Finding;
    expect(back.packages).to.not.equal(f.packages);
    expect(back.packages[0]).to.not.equal(f.packages[0]);
    expect(back.cvss).to.not.equal(f.cvss);
    expect(back.adjustedCvss).to.not.equal(f.adjustedCvss);
    expect(back.networkReachability).to.not.equal(f.networkReachability);
  });

  it('never shares an adjusted CVSS record with an equal cvss[] one: the assessment tells them apart by identity', () => {
    // Equal content, as Inspector often reports it: the adjusted record must stay the adjusted one.
    const same = aCvss(V_NET, 9.8);
    const f = aFinding({ adjustedCvss: { ...same }, cvss: [{ ...same }] });
    const back = roundTrip([f])[0] as Finding;
    expect(back.adjustedCvss).to.not.equal(back.cvss[0]);
    // An adjusted record with no usable vector: the cvss[] record is read, and said to be.
    const g = aFinding({ adjustedCvss: aCvss('not a vector', 9.8), cvss: [aCvss(V_NET, 9.8)] });
    const ctx = aContext();
    for (const finding of [f, g]) {
      const input = { asset: anAsset(), managedInstance: null, patchState: null };
      expect(assessAsset({ ...input, findings: roundTrip([finding]) }, ctx)).to.deep.equal(assessAsset({ ...input, findings: [finding] }, ctx));
    }
  });

  it('answers the instance, status and last observation of a row without building the finding, and refuses a row it does not have', () => {
    const t = new FindingTable();
    t.add(aFinding({ instanceId: 'i-0aaaaaaaaaaaaaaaa', status: 'CLOSED', lastObservedAt: 42 }));
    expect([t.instanceIdOf(0), t.statusOf(0), t.lastObservedAtOf(0)]).to.deep.equal(['i-0aaaaaaaaaaaaaaaa', 'CLOSED', 42]);
    expect(() => t.get(1)).to.throw(RangeError, 'no row 1 (size 1)');
    expect(() => t.get(-1)).to.throw(RangeError);
  });

  it('spans many column blocks (rows past the first 16,384) without mixing rows up', () => {
    const t = new FindingTable();
    const n = 40_000;
    for (let i = 0; i < n; i++) t.add(aFinding({ findingArn: `arn:x/${i}`, epss: i / n, firstObservedAt: i }));
    for (const i of [0, 16_383, 16_384, 32_768, n - 1]) {
      const f = t.get(i);
      expect([f.findingArn, f.epss, f.firstObservedAt]).to.deep.equal([`arn:x/${i}`, i / n, i]);
    }
    let count = 0;
    for (const f of t) expect(f.firstObservedAt).to.equal(count++);
    expect(count).to.equal(n);
  });

  it('gives back Inspector\'s hex finding ids and every other id exactly, across blocks', () => {
    const hex = (i: number): string => (i * 2_654_435_761).toString(16).padStart(8, '0').repeat(4).slice(0, 32);
    const arns = [
      `arn:aws:inspector2:us-east-1:123456789012:finding/${'0'.repeat(32)}`,
      `arn:aws:inspector2:us-east-1:123456789012:finding/${'f'.repeat(32)}`,
      `arn:aws:inspector2:us-east-1:123456789012:finding/${'A'.repeat(32)}`, // upper case: kept as text
      `arn:aws:inspector2:us-east-1:123456789012:finding/${'a'.repeat(31)}`, // 31 digits
      `arn:aws:inspector2:us-east-1:123456789012:finding/${'a'.repeat(33)}`,
      'arn:aws:inspector2:us-east-1:123456789012:finding/',
      ...Array.from({ length: 20_000 }, (_, i) => `arn:aws:inspector2:eu-west-1:111122223333:finding/${hex(i)}`),
    ];
    const t = new FindingTable();
    for (const a of arns) t.add(aFinding({ findingArn: a }));
    arns.forEach((a, row) => expect(t.get(row).findingArn).to.equal(a));
  });

  it('costs at most 88 bytes a row for findings with Inspector\'s hex ids (the ARN id held as 16 bytes, not as a string; the few-valued fields as one column)', () => {
    const used = (): number => retainedMemory();
    const n = 4 * 16_384; // whole column blocks: nothing over-allocated
    const findings = Array.from({ length: 64 }, (_, k) => aFinding({ instanceId: `i-${k}` }));
    const before = used();
    const t = new FindingTable();
    for (let i = 0; i < n; i++) {
      const f = findings[i % 64]!;
      t.add({ ...f, findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${i.toString(16).padStart(32, '0')}` });
    }
    const perRow = (used() - before) / n;
    expect(t.size).to.equal(n);
    expect(perRow, 'bytes a row').to.be.below(88);
  });
});
