import { expect } from 'chai';
import fc from 'fast-check';
import type { Finding } from '../../../../domain/fleet-facts.js';
import { assessAsset } from '../../../../domain/asset-assessment.js';
import type { AssetAssessment } from '../../../../domain/asset-assessment.js';
import type { FindingAssessment, ScoreReason } from '../../../../domain/risk/finding-assessment.js';
import { aManagedInstance, anAcceptance, anAsset, aFinding, aCatalog, aCvss } from '../../../builders.js';
import type { AssetFactors, Factors } from './helpers.js';
import { aContext, assessFactors, assetFactorsArb, factorsArb, findingFor, kevContext, raise, RAISES, vector } from './helpers.js';

function sumOf(reasons: readonly ScoreReason[]): number {
  return reasons.reduce((s, r) => s + r.points, 0);
}

function assetOf(a: AssetFactors, findings: readonly Finding[]): AssetAssessment {
  const asset = anAsset({ tags: { Name: 'web-1', criticality: a.mission }, publicIpv4: a.exposed ? '203.0.113.7' : null });
  return assessAsset({ asset, findings, managedInstance: aManagedInstance(), patchState: null }, kevContext);
}

function findingsOf(fs: readonly Factors[]): Finding[] {
  return fs.map((f, i) => findingFor(f, `arn:aws:inspector2:us-east-1:123456789012:finding/f${i}`));
}

/** The same finding, made unable to reach SSVC act: a PoC never does, in any mission. */
function notAct(f: Factors): Factors {
  return f.exploitation === 'active' || f.inKev ? { ...f, exploitation: 'public poc', inKev: false } : f;
}

const raiseArb = fc.constantFrom(...RAISES);
const amountArb = fc.double({ min: 0, max: 1, noNaN: true });

describe('risk score of a finding (properties)', () => {
  it('is bounded to 0..100, has one decimal, and is deterministic', () => {
    fc.assert(fc.property(factorsArb, assetFactorsArb, (f, a) => {
      const first = assessFactors(f, a);
      const again = assessFactors(f, a);

      expect(first.riskScore).to.be.within(0, 100);
      expect(Math.abs(first.riskScore * 10 - Math.round(first.riskScore * 10))).to.be.below(1e-9);
      expect(again).to.deep.equal(first);
    }));
  });

  it("its reasons' points add up to the score and are never negative", () => {
    fc.assert(fc.property(factorsArb, assetFactorsArb, (f, a) => {
      const r = assessFactors(f, a);

      expect(sumOf(r.reasons)).to.be.closeTo(r.riskScore, 1e-9);
      for (const reason of r.reasons) expect(reason.points).to.be.at.least(0);
      expect(r.reasons[0]?.factor).to.equal('ssvc');
    }));
  });

  it('is monotonic: raising CVSS, EPSS, exploitation, KEV, automatable, impact, exposure or mission never lowers it', () => {
    fc.assert(fc.property(factorsArb, assetFactorsArb, raiseArb, amountArb, (f, a, what, amount) => {
      const raised = raise(what, f, a, amount);

      const before = assessFactors(f, a).riskScore;
      const after = assessFactors(raised.f, raised.a).riskScore;

      expect(after, `raising ${what}`).to.be.at.least(before);
    }), { numRuns: 500 });
  });

  it('a KEV-listed finding strictly outranks an otherwise identical unlisted one', () => {
    fc.assert(fc.property(factorsArb, assetFactorsArb, (f, a) => {
      const unlisted = assessFactors({ ...f, inKev: false }, a);
      const listed = assessFactors({ ...f, inKev: true }, a);

      expect(listed.riskScore).to.be.above(unlisted.riskScore);
    }));
  });

  it('KEV still counts when both are already active through lastKnownExploitAt', () => {
    fc.assert(fc.property(factorsArb, assetFactorsArb, (f, a) => {
      const active = { ...f, exploitation: 'active' as const };

      const unlisted = assessFactors({ ...active, inKev: false }, a);
      const listed = assessFactors({ ...active, inKev: true }, a);

      expect(unlisted.exploitation).to.equal('active');
      expect(listed.riskScore).to.be.above(unlisted.riskScore);
    }));
  });

  it('an act finding outranks every finding that is not act', () => {
    fc.assert(fc.property(factorsArb, assetFactorsArb, factorsArb, assetFactorsArb, (f1, a1, f2, a2) => {
      const one = assessFactors(f1, a1);
      const other = assessFactors(notAct(f2), a2);
      fc.pre(one.ssvc === 'act');

      expect(one.riskScore).to.be.above(other.riskScore);
    }));
  });
});

describe('risk score of a finding (examples)', () => {
  it('explains itself in sentences', () => {
    const asset = anAsset({ tags: { Environment: 'prod' }, publicIpv4: '203.0.113.7' });
    const finding = aFinding({ epss: 0.97, cvss: [aCvss(vector({ AV: 'N', PR: 'N', UI: 'N', C: 'H', I: 'H' }), 9.8)] });

    const result = assessAsset({ asset, findings: [finding], managedInstance: aManagedInstance(), patchState: null }, aContext({ catalog: aCatalog('CVE-2024-6387') }));
    const texts = result.findings[0]?.reasons.map((r) => r.text) ?? [];

    expect(texts).to.include.members([
      'in CISA KEV (added 2024-07-01)',
      'EPSS 0.97',
      'public IPv4 address 203.0.113.7',
      'mission high (tag Environment=prod)',
      'CVSS 3.1 base score 9.8',
      'exploited in the wild (CISA KEV)',
      'automatable (AV:N, PR:N, UI:N)',
      'total technical impact (C:H, I:H)',
    ]);
    expect(texts[0]).to.equal('SSVC act, BOD 26-04 3 days and forensic investigation: priority band 80 to 100');
  });

  it("uses Inspector's score, saying so, when there is no CVSS v3 record", () => {
    const r = assessFactors({ cvss: 0, epss: 0, exploitation: 'none', inKev: false, automatable: false, total: false, fix: 'YES' }, { mission: 'low', exposed: false });
    const noV3 = assessAsset({ asset: anAsset(), findings: [aFinding({ cvss: [], inspectorScore: 7.5 })], managedInstance: undefined, patchState: null }, aContext());

    expect(r.reasons.find((x) => x.factor === 'cvss')).to.equal(undefined);
    expect(noV3.findings[0]?.reasons.find((x) => x.factor === 'cvss')?.text).to.equal('Inspector score 7.5 (no CVSS v3 base score)');
  });
});

describe('risk score of an asset (properties)', () => {
  const findingsArb = fc.array(factorsArb, { minLength: 1, maxLength: 20 });

  it('is bounded to 0..100, and its reasons add up to it', () => {
    fc.assert(fc.property(assetFactorsArb, findingsArb, (a, fs) => {
      const r = assetOf(a, findingsOf(fs));

      expect(r.riskScore).to.be.within(0, 100);
      expect(sumOf(r.reasons)).to.be.closeTo(r.riskScore, 1e-9);
    }));
  });

  it('is monotonic in every input of any one of its findings, and in its mission and exposure', () => {
    fc.assert(fc.property(assetFactorsArb, findingsArb, fc.nat(), raiseArb, amountArb, (a, fs, pick, what, amount) => {
      const k = pick % fs.length;
      const raised = raise(what, fs[k] as Factors, a, amount);
      const raisedFs = fs.map((f, i) => (i === k ? raised.f : f));

      const before = assetOf(a, findingsOf(fs)).riskScore;
      const after = assetOf(raised.a, findingsOf(raisedFs)).riskScore;

      expect(after, `raising ${what} of finding ${k}`).to.be.at.least(before);
    }), { numRuns: 300 });
  });

  it('one more counted finding never lowers it', () => {
    fc.assert(fc.property(assetFactorsArb, findingsArb, factorsArb, (a, fs, extra) => {
      const before = assetOf(a, findingsOf(fs)).riskScore;
      const after = assetOf(a, findingsOf([...fs, extra])).riskScore;

      expect(after).to.be.at.least(before);
    }));
  });

  it('no number of findings short of act outranks an asset with one act finding', () => {
    const actArb = fc.tuple(factorsArb, assetFactorsArb).filter(([f, a]) => assessFactors(f, a).ssvc === 'act');
    fc.assert(fc.property(actArb, assetFactorsArb, fc.array(factorsArb, { minLength: 1, maxLength: 60 }), ([f, a1], a2, many) => {
      const withAct = assetOf(a1, findingsOf([f]));
      const withoutAct = assetOf(a2, findingsOf(many.map(notAct)));

      expect(withAct.riskScore).to.be.above(withoutAct.riskScore);
    }), { numRuns: 200 });
  });

  it('findings that are not counted score nothing and do not move the asset score', () => {
    fc.assert(fc.property(assetFactorsArb, findingsArb, factorsArb, fc.constantFrom('SUPPRESSED', 'CLOSED', 'accepted'), (a, fs, extra, why) => {
      const base = findingsOf(fs);
      const f = findingFor(extra, 'arn:aws:inspector2:us-east-1:123456789012:finding/extra');
      const notCounted = why === 'accepted' ? { ...f, vulnerabilityId: 'CVE-2098-0001' } : { ...f, status: why };
      const asset = anAsset({ tags: { criticality: a.mission }, publicIpv4: a.exposed ? '203.0.113.7' : null });
      const ctx = aContext({ catalog: kevContext.catalog, acceptances: [anAcceptance({ vulnerabilityId: 'CVE-2098-0001' })] });

      const before = assessAsset({ asset, findings: base, managedInstance: undefined, patchState: null }, ctx);
      const after = assessAsset({ asset, findings: [...base, notCounted], managedInstance: undefined, patchState: null }, ctx);

      expect(after.riskScore).to.equal(before.riskScore);
      expect(after.excluded).to.have.length(1);
      expect((after.excluded[0] as FindingAssessment).riskScore).to.equal(0);
    }));
  });
});

describe('risk score of an asset (examples)', () => {
  const medium: Factors = { cvss: 5.5, epss: 0.02, exploitation: 'none', inKev: false, automatable: false, total: false, fix: 'YES' };
  const low: Factors = { ...medium, cvss: 3.1, epss: 0.001 };
  const place: AssetFactors = { mission: 'medium', exposed: false };

  it('many medium findings outrank one low finding', () => {
    const many = assetOf(place, findingsOf(Array.from({ length: 20 }, () => medium)));
    const one = assetOf(place, findingsOf([low]));

    expect(many.riskScore).to.be.above(one.riskScore);
  });

  it('many findings in one band outrank one stronger finding in the same band', () => {
    const strong: Factors = { ...medium, cvss: 9.8, epss: 0.9 };

    const many = assetOf(place, findingsOf(Array.from({ length: 30 }, () => medium)));
    const one = assetOf(place, findingsOf([strong]));

    expect(many.riskScore).to.be.above(one.riskScore);
  });

  it('an asset without counted findings scores 0', () => {
    const r = assetOf(place, [{ ...findingFor(medium), status: 'CLOSED' }]);

    expect(r.riskScore).to.equal(0);
    expect(r.reasons).to.deep.equal([{ factor: 'count', points: 0, text: 'no counted findings' }]);
  });

  it('names its strongest finding, its lift into the band, the further findings, mission and exposure', () => {
    const r = assessAsset({
      asset: anAsset({ tags: { Environment: 'prod' }, publicIpv4: '203.0.113.7' }),
      findings: [aFinding({ findingArn: 'a', epss: 0.9 }), ...[1, 2, 3, 4, 5].map((k) => aFinding({ findingArn: `b${k}`, vulnerabilityId: `CVE-2023-000${k}` }))],
      managedInstance: aManagedInstance(), patchState: null,
    }, aContext());

    expect(r.reasons.map((x) => x.factor)).to.deep.equal(['ssvc', 'strongest', 'count', 'mission', 'exposure']);
    expect(r.reasons[0]?.text).to.match(/^strongest finding CVE-2024-6387: SSVC attend/);
    expect(r.reasons[1]?.text).to.match(/^1 point for a counted finding, plus [\d.]+ points of CVE-2024-6387 \(score [\d.]+\) into its band$/);
    expect(r.reasons[2]?.text).to.match(/^5 more counted findings, combined 0\.\d+ of the head room/);
    expect(r.reasons[3]?.text).to.equal('mission high (tag Environment=prod)');
    expect(r.reasons[4]?.text).to.equal('public IPv4 address 203.0.113.7');
  });

  // Issue 12, defect 1: a lone track finding (CVSS 9.1, public exploit, automatable, total impact)
  // gave its asset 0.0, like an asset with none; 55- and 41-point findings gave 40.7 and 40.4.
  it('a lone strong track finding lifts its asset visibly above an asset with none', () => {
    const strongTrack: Factors = { cvss: 9.1, epss: 0.3, exploitation: 'public poc', inKev: false, automatable: true, total: true, fix: 'YES' };
    const lowPlace: AssetFactors = { mission: 'low', exposed: false };
    const f = assessFactors(strongTrack, lowPlace);
    const one = assetOf(lowPlace, findingsOf([strongTrack]));
    const none = assetOf(lowPlace, [{ ...findingFor(strongTrack), status: 'CLOSED' }]);

    expect(f.ssvc).to.equal('track');
    expect(one.riskScore).to.be.at.least(1 + f.riskScore);
    expect(one.riskScore - none.riskScore).to.be.at.least(1);
  });

  it('single-finding assets in band 2 are as far apart as their findings', () => {
    const weak: Factors = { cvss: 4, epss: 0.01, exploitation: 'none', inKev: false, automatable: true, total: false, fix: 'YES' };
    const strong: Factors = { ...weak, cvss: 9.8, epss: 0.9, exploitation: 'public poc' };
    const place: AssetFactors = { mission: 'medium', exposed: true };
    const fw = assessFactors(weak, place);
    const fs = assessFactors(strong, place);
    expect([fw.ssvc, fw.timeline, fs.timeline]).to.deep.equal(['track', '14 days', '14 days']);

    const gap = assetOf(place, findingsOf([strong])).riskScore - assetOf(place, findingsOf([weak])).riskScore;

    expect(gap).to.be.closeTo(fs.riskScore - fw.riskScore, 1e-9);
  });
});

describe('risk score of an asset: resolution within a band (properties)', () => {
  it('an asset with any counted finding scores at least one point above its band floor', () => {
    fc.assert(fc.property(assetFactorsArb, fc.array(factorsArb, { minLength: 1, maxLength: 10 }), (a, fs) => {
      const r = assetOf(a, findingsOf(fs));
      const floor = (r.reasons[0] as ScoreReason).points;

      expect(floor % 20).to.equal(0);
      expect(r.riskScore).to.be.at.least(floor + 1);
      expect(r.riskScore).to.be.below(floor + 20);
    }));
  });

  it('single-finding assets with the same mission and exposure follow their findings in strict order within a band', () => {
    fc.assert(fc.property(assetFactorsArb, factorsArb, factorsArb, (a, f1, f2) => {
      const s1 = assessFactors(f1, a);
      const s2 = assessFactors(f2, a);
      fc.pre(Math.floor(s1.riskScore / 20) === Math.floor(s2.riskScore / 20) && s1.riskScore !== s2.riskScore);
      const [hi, lo] = s1.riskScore > s2.riskScore ? [f1, f2] : [f2, f1];

      const above = assetOf(a, findingsOf([hi])).riskScore;
      const below = assetOf(a, findingsOf([lo])).riskScore;

      expect(above).to.be.above(below);
      expect(Math.round(above * 10)).to.be.above(Math.round(below * 10));
    }), { numRuns: 500 });
  });
});
