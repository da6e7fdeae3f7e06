import { expect } from 'chai';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../domain/policy.js';
import type { Asset, ExploitedCatalog, Finding } from '../../../../domain/fleet-facts.js';
import type { Policy } from '../../../../domain/policy.js';
import { findingKeys } from '../../../../domain/risk/advisory-ids.js';
import {
  automatableFrom, exploitationFrom, parseCvssV3, readCvss, resolveExposure, resolveMission, technicalImpactFrom,
} from '../../../../domain/risk/proxies.js';
import { aCatalog, aCvss, aFinding, anAsset, T0 } from '../../../builders.js';

// The proxies as assessment composes them, through the public functions only.
const isAutomatable = (vector: string | null): boolean => automatableFrom(parseCvssV3(vector));
const technicalImpactOf = (vector: string | null): string => technicalImpactFrom(parseCvssV3(vector));
const selectCvss = (f: Finding): Finding['cvss'][number] | null => readCvss(f)?.cvss ?? null;
const isInKev = (f: Finding, catalog: ExploitedCatalog | null): boolean => catalog !== null && findingKeys(f).some((k) => catalog.entries.has(k));
const exploitationOf = (f: Finding, catalog: ExploitedCatalog | null): string => exploitationFrom(f, isInKev(f, catalog));
const missionOf = (asset: Asset, policy: Policy): string => resolveMission(asset, policy).mission;
const isExposed = (asset: Asset, findings: readonly Finding[]): boolean => resolveExposure(asset, findings).exposed;

const FULL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describe('parseCvssV3', () => {
  it('reads the base metrics of a prefixed 3.1 vector', () => {
    const m = parseCvssV3(FULL);

    expect(m).to.deep.equal({ AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' });
  });

  it('accepts metrics in any order, without the prefix, in lower case and with a 3.0 label', () => {
    expect(parseCvssV3('C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U')).to.deep.include({ AV: 'N', C: 'H' });
    expect(parseCvssV3('cvss:3.0/av:a/ac:l/pr:l/ui:r/s:c/c:l/i:n/a:n')).to.deep.include({ AV: 'A', PR: 'L', UI: 'R', S: 'C' });
    expect(parseCvssV3(' (AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H) ')).to.deep.include({ AV: 'N' });
  });

  it('tolerates temporal and environmental metrics after the base ones', () => {
    expect(parseCvssV3(`${FULL}/E:F/RL:O/RC:C/CR:H/MAV:L`)).to.deep.include({ AV: 'N', I: 'H' });
  });

  const malformed: ReadonlyArray<[string, string | null]> = [
    ['null', null],
    ['empty', ''],
    ['a v2 vector', 'AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['a v4 vector', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'],
    ['a missing base metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'],
    ['a repeated base metric', 'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a value outside the specification', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a token that is not NAME:VALUE', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/junk'],
    ['a label in the middle', 'AV:N/CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['prose', 'not a vector at all'],
  ];
  for (const [what, v] of malformed) {
    it(`counts ${what} as absent`, () => {
      expect(parseCvssV3(v)).to.equal(null);
    });
  }
});

describe('isAutomatable and technicalImpactOf', () => {
  it('automatable only with AV:N, PR:N and UI:N', () => {
    expect(isAutomatable(FULL)).to.equal(true);
    expect(isAutomatable('CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).to.equal(false);
    expect(isAutomatable('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).to.equal(false);
    expect(isAutomatable('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H')).to.equal(false);
  });

  it('AC and scope do not matter to automatable', () => {
    expect(isAutomatable('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:N/A:N')).to.equal(true);
  });

  it('no vector or a malformed one: not automatable, partial impact', () => {
    expect(isAutomatable(null)).to.equal(false);
    expect(isAutomatable('AV:N/PR:N/UI:N')).to.equal(false);
    expect(technicalImpactOf(null)).to.equal('partial');
    expect(technicalImpactOf('CVSS:3.1/C:H/I:H')).to.equal('partial');
  });

  it('total impact needs both C:H and I:H', () => {
    expect(technicalImpactOf(FULL)).to.equal('total');
    expect(technicalImpactOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:H')).to.equal('partial');
    expect(technicalImpactOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:H')).to.equal('partial');
  });
});

describe('selectCvss', () => {
  const v2 = aCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C', 10, '2.0');
  const first = aCvss('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, '3.1');
  const second = aCvss(FULL, 9.8, '3.0');
  const adjusted = aCvss('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1, '3.1');

  it('prefers Inspector adjusted CVSS when it has a vector', () => {
    expect(selectCvss(aFinding({ adjustedCvss: adjusted, cvss: [first] }))).to.equal(adjusted);
  });

  it('falls back to the first v3 entry when the adjusted record has no vector', () => {
    const noVector = { baseScore: 5, scoringVector: null, version: '3.1' };

    expect(selectCvss(aFinding({ adjustedCvss: noVector, cvss: [v2, first, second] }))).to.equal(first);
  });

  it('takes the first v3 entry, skipping v2', () => {
    expect(selectCvss(aFinding({ cvss: [v2, first, second] }))).to.equal(first);
  });

  it('recognises v3 by the vector label when the version is missing', () => {
    const unlabelled = { baseScore: 9.8, scoringVector: FULL, version: null };

    expect(selectCvss(aFinding({ cvss: [v2, unlabelled] }))).to.equal(unlabelled);
  });

  it('skips a v3 entry whose vector is missing or malformed', () => {
    const broken = aCvss('CVSS:3.1/AV:N/garbage', 9.8, '3.1');
    const missing = { baseScore: 9.8, scoringVector: null, version: '3.1' };

    expect(selectCvss(aFinding({ cvss: [broken, missing, second] }))).to.equal(second);
  });

  it('v2 only, or nothing: null (and the proxies then read no vector)', () => {
    expect(selectCvss(aFinding({ cvss: [v2] }))).to.equal(null);
    expect(selectCvss(aFinding({ cvss: [] }))).to.equal(null);
  });
});

describe('exploitationOf and isInKev', () => {
  const catalog = aCatalog('CVE-2024-6387');

  it('in KEV: active, and the id matches without regard to case', () => {
    const f = aFinding({ vulnerabilityId: 'cve-2024-6387' });

    expect(isInKev(f, catalog)).to.equal(true);
    expect(exploitationOf(f, catalog)).to.equal('active');
  });

  it('lastKnownExploitAt: active even without a catalog', () => {
    expect(exploitationOf(aFinding({ lastKnownExploitAt: T0 }), null)).to.equal('active');
  });

  it('exploitAvailable alone: public poc', () => {
    expect(exploitationOf(aFinding({ exploitAvailable: true }), aCatalog('CVE-1999-0001'))).to.equal('public poc');
  });

  it('EPSS 0.99 without evidence of exploitation stays none', () => {
    expect(exploitationOf(aFinding({ epss: 0.99, exploitAvailable: false, lastKnownExploitAt: null }), aCatalog('CVE-1999-0001'))).to.equal('none');
  });

  it('no catalog, or a finding without an id, is never in KEV', () => {
    expect(isInKev(aFinding(), null)).to.equal(false);
    expect(isInKev(aFinding({ vulnerabilityId: null }), catalog)).to.equal(false);
  });
});

describe('missionOf', () => {
  const cases: ReadonlyArray<[string, Record<string, string>, string]> = [
    ['criticality tag', { criticality: 'low' }, 'low'],
    ['criticality beats environment', { Criticality: 'low', Environment: 'prod' }, 'low'],
    ['tag keys and values without regard to case', { ENVIRONMENT: 'Production' }, 'high'],
    ['criticality in upper case', { CRITICALITY: 'HIGH', env: 'dev' }, 'high'],
    ['the env tag', { env: 'staging' }, 'medium'],
    ['environment before env (policy order)', { env: 'dev', environment: 'prod' }, 'high'],
    ['an unknown environment value falls back to the default', { Environment: 'qa-blue' }, 'medium'],
    ['an unknown criticality value falls through to the environment', { criticality: 'extreme', env: 'sandbox' }, 'low'],
    ['a value naming an Object.prototype member is unknown', { environment: 'constructor' }, 'medium'],
    ['no tags: the default', {}, 'medium'],
  ];
  for (const [what, tags, expected] of cases) {
    it(`${what} -> ${expected}`, () => {
      expect(missionOf(anAsset({ tags }), DEFAULT_POLICY)).to.equal(expected);
    });
  }

  it('the policy default and mapping are overridable', () => {
    const policy = resolvePolicy({ mission: { default: 'low', environment: { qa: 'high' } } });

    expect(missionOf(anAsset({ tags: {} }), policy)).to.equal('low');
    expect(missionOf(anAsset({ tags: { Environment: 'QA' } }), policy)).to.equal('high');
  });

  it('says which tag decided', () => {
    expect(resolveMission(anAsset({ tags: { Environment: 'prod' } }), DEFAULT_POLICY)).to.deep.equal({ mission: 'high', why: 'tag Environment=prod' });
  });
});

describe('isExposed', () => {
  const reach = (status: string) => aFinding({ type: 'NETWORK_REACHABILITY', status, vulnerabilityId: null, cvss: [], networkReachability: { openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' } });

  it('a public IPv4 address exposes', () => {
    expect(isExposed(anAsset({ publicIpv4: '203.0.113.7' }), [])).to.equal(true);
  });

  it('an IPv6 address alone exposes', () => {
    expect(isExposed(anAsset({ publicIpv4: null, ipv6: ['2600:1f18::1'] }), [])).to.equal(true);
  });

  it('a private instance with only package findings is not exposed', () => {
    expect(isExposed(anAsset(), [aFinding()])).to.equal(false);
  });

  it('an ACTIVE NETWORK_REACHABILITY finding exposes; a SUPPRESSED one does not', () => {
    expect(isExposed(anAsset(), [reach('ACTIVE')])).to.equal(true);
    expect(isExposed(anAsset(), [reach('SUPPRESSED')])).to.equal(false);
    expect(isExposed(anAsset(), [reach('CLOSED')])).to.equal(false);
  });

  it('says why', () => {
    expect(resolveExposure(anAsset(), [reach('ACTIVE')]).why).to.equal('reachable from the network (TCP port 22, Inspector network reachability)');
    expect(resolveExposure(anAsset({ publicIpv4: '203.0.113.7' }), []).why).to.equal('public IPv4 address 203.0.113.7');
  });
});
