/**
 * Issue 12: advisory ids (a finding is known by its vulnerabilityId and related ids), network
 * reachability as exposure evidence, overdue escalation, the KEV clock and Windows update reboots.
 * Each example fails on the code before the issue.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { newAcceptance } from '../../../../domain/patch/acceptance.js';
import { decidePatch } from '../../../../domain/patch/decision.js';
import { DEFAULT_POLICY } from '../../../../domain/policy.js';
import { findingKeys, isAdvisoryId, nearMatches } from '../../../../domain/risk/advisory-ids.js';
import { assessAsset, assessFinding } from '../../../../domain/asset-assessment.js';
import { timelineClock } from '../../../../domain/risk/timeline.js';
import { DAY_MS } from '../../../../domain/time.js';
import { aCatalog, aCvss, aFinding, aKevEntry, aManagedInstance, anAcceptance, anAsset, aPatchState, T0 } from '../../../builders.js';
import { BOB } from '../../../patch-builders.js';
import { aContext, vectorFor } from './helpers.js';

const managed = { managed: true, managedInstance: aManagedInstance(), patchState: aPatchState() };
const KB_FINDING = aFinding({
  findingArn: 'arn:kb', vulnerabilityId: 'KB5023697', relatedVulnerabilities: ['CVE-2023-21674', 'CVE-2023-21768'], title: 'KB5023697',
  packages: [{ name: 'KB5023697', version: null, fixedInVersion: 'KB5023697' }],
  cvss: [aCvss(vectorFor(false, true), 7.8)],
});

describe('advisory ids: a finding is known by its vulnerabilityId and its related ids', () => {
  it('a Windows KB finding whose related CVE is in KEV is in KEV, active, and its timeline and reason say so', () => {
    const asset = anAsset({ platform: 'Windows', tags: { Environment: 'prod' }, publicIpv4: '203.0.113.9' });
    const r = assessAsset({ asset, findings: [KB_FINDING], managedInstance: aManagedInstance({ platformName: 'Microsoft Windows Server 2022' }), patchState: aPatchState() },
      aContext({ catalog: aCatalog('CVE-2023-21768') }));
    const f = r.findings[0];

    expect(f?.inKev).to.equal(true);
    expect(f?.exploitation).to.equal('active');
    expect(f?.timeline).to.equal('3 days and forensic investigation');
    expect(f?.reasons.map((x) => x.text)).to.include('in CISA KEV as related CVE-2023-21768 (added 2024-07-01)');
    expect(r.decision.forensicTriage).to.equal(true);
  });

  it('a Windows update (KB) among the driving fixes expects a reboot', () => {
    const r = assessAsset({ asset: anAsset({ platform: 'Windows' }), findings: [KB_FINDING], managedInstance: aManagedInstance(), patchState: aPatchState() },
      aContext({ catalog: aCatalog('CVE-2023-21768') }));

    expect(r.decision.rebootExpected).to.equal(true);
    expect(r.decision.reasons).to.include('reboot expected: Windows update KB5023697 among the fixes');
  });

  it('an acceptance of an ALAS id suppresses the CVE finding that relates it', () => {
    const f = aFinding({ vulnerabilityId: 'CVE-2025-1234', relatedVulnerabilities: ['ALAS2-2025-2879'] });
    const ctx = aContext({ acceptances: [anAcceptance({ vulnerabilityId: 'ALAS2-2025-2879', instanceId: null })] });

    const r = assessAsset({ asset: anAsset(), findings: [f], managedInstance: undefined, patchState: null }, ctx);

    expect(r.findings).to.have.length(0);
    expect(r.excluded[0]?.acceptedBy?.vulnerabilityId).to.equal('ALAS2-2025-2879');
  });

  it('keys are upper case, the own id first, without repeats', () => {
    expect(findingKeys({ vulnerabilityId: 'kb5023697', relatedVulnerabilities: ['cve-2023-1', 'CVE-2023-1', 'KB5023697'] })).to.deep.equal(['KB5023697', 'CVE-2023-1']);
  });

  it('accepts every advisory id form Inspector uses', () => {
    for (const id of ['CVE-2024-6387', 'KB5023697', 'ALAS-2024-1234', 'ALAS2-2025-2879', 'ALAS2023-2025-123', 'ALASKERNEL-5.10-2024-055', 'GHSA-jfh8-c2jp-5v3q', 'RHSA-2024:1234', 'ELSA-2024-1234', 'USN-6000-1', 'DSA-5000-1', 'DLA-3000-1', 'SUSE-SU-2024:1234-1', 'MS17-010']) {
      const a = newAcceptance({ id: 'a', vulnerabilityId: id, instanceId: null, until: '2026-11-30', reason: 'r', actor: BOB, now: T0, policy: DEFAULT_POLICY });
      expect(a.vulnerabilityId, id).to.equal(id.toUpperCase());
    }
    for (const bad of ['KB', 'hello', 'CVE 2024', '2024-1234', '-CVE-1']) expect(isAdvisoryId(bad.toUpperCase()), bad).to.equal(false);
  });

  it('near matches: same digits under another prefix, or a couple of edits', () => {
    const known = ['ALAS2-2025-2879', 'CVE-2024-6387', 'KB5023697', 'CVE-2021-3156'];

    expect(nearMatches('ALAS-2025-2879', known)).to.deep.equal(['ALAS2-2025-2879']);
    expect(nearMatches('CVE-2024-6386', known)).to.deep.equal(['CVE-2024-6387']);
    expect(nearMatches('KB5023698', known)).to.deep.equal(['KB5023697']);
    expect(nearMatches('CVE-1999-0001', known)).to.deep.equal([]);
  });
});

describe('network reachability is exposure evidence only', () => {
  const reach = aFinding({
    findingArn: 'arn:reach', type: 'NETWORK_REACHABILITY', vulnerabilityId: null, cvss: [], packages: [], title: 'Port 22 is reachable',
    networkReachability: { openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' }, firstObservedAt: T0 - 90 * DAY_MS,
  });

  it('makes the asset exposed with its port and protocol in the reasons, with no timeline, due date, overdue or patch', () => {
    const pkg = aFinding({ findingArn: 'arn:pkg', cvss: [aCvss(vectorFor(false, false), 5)], epss: 0.01 });
    const r = assessAsset({ asset: anAsset(), findings: [reach, pkg], managedInstance: aManagedInstance(), patchState: null }, aContext({ now: T0 + 200 * DAY_MS }));
    const ev = r.excluded.find((f) => f.finding.findingArn === 'arn:reach');

    expect(r.exposed).to.equal(true);
    expect(r.findings.map((f) => f.finding.findingArn)).to.deep.equal(['arn:pkg']);
    expect(ev).to.include({ timeline: null, dueBy: null, due: null, counted: false, riskScore: 0 });
    expect(ev?.reasons[0]?.text).to.match(/^exposure evidence only \(reachable from the network \(TCP port 22/);
    expect(r.findings[0]?.reasons.map((x) => x.text)).to.include('reachable from the network (TCP port 22, Inspector network reachability)');
    expect(r.decision.drivers.map((f) => f.finding.findingArn)).to.not.include('arn:reach');
  });

  it('alone, it leaves nothing to patch and nothing overdue', () => {
    const r = assessAsset({ asset: anAsset(), findings: [reach], managedInstance: aManagedInstance(), patchState: null }, aContext({ now: T0 + 200 * DAY_MS }));

    expect(r.decision.kind).to.equal('none');
    expect(r.decision.overdue).to.equal(false);
    expect(r.riskScore).to.equal(0);
  });
});

describe('overdue escalation', () => {
  // routine: track, 60 days (not KEV, not exposed, automatable, partial, mission low)
  const routine = aFinding({ vulnerabilityId: 'CVE-2023-1111', cvss: [aCvss(vectorFor(true, false), 6.5)], firstObservedAt: T0 });

  it('an overdue routine finding makes its instance patch-now, naming the finding and how late', () => {
    const now = T0 + 65 * DAY_MS;
    const f = assessFinding(routine, { mission: 'low', exposed: false }, aContext({ now }));
    expect([f.ssvc, f.timeline]).to.deep.equal(['track', '60 days']);

    const d = decidePatch([f], managed, now);

    expect(d.kind).to.equal('patch-now');
    expect(d.overdue).to.equal(true);
    expect(d.reasons).to.include('overdue: CVE-2023-1111 was due 2026-12-31, 5 days ago');
  });

  it('not yet due: the findings alone decide', () => {
    const now = T0 + 30 * DAY_MS;
    const f = assessFinding(routine, { mission: 'low', exposed: false }, aContext({ now }));

    expect(decidePatch([f], managed, now)).to.include({ kind: 'routine', overdue: false });
  });

  it('blocked and mitigate still win over the escalation', () => {
    const now = T0 + 65 * DAY_MS;
    const f = assessFinding(routine, { mission: 'low', exposed: false }, aContext({ now }));
    const nofix = assessFinding({ ...routine, fixAvailable: 'NO' }, { mission: 'low', exposed: false }, aContext({ now }));

    expect(decidePatch([f], { managed: false, managedInstance: null, patchState: null }, now).kind).to.equal('blocked');
    expect(decidePatch([nofix], managed, now).kind).to.equal('mitigate');
  });

  it('property: any counted finding past due makes a managed instance with fixes patch-now', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 400 }), fc.boolean(), fc.boolean(), (days, auto, total) => {
      const now = T0 + days * DAY_MS;
      const f = assessFinding({ ...routine, cvss: [aCvss(vectorFor(auto, total), 6.5)] }, { mission: 'medium', exposed: true }, aContext({ now }));
      const d = decidePatch([f], managed, now);
      if (f.dueBy !== null && f.dueBy < now) expect(d.kind).to.equal('patch-now');
    }));
  });
});

describe('KEV clock: a timeline the KEV listing drives starts at the later of firstObservedAt and dateAdded', () => {
  const rest = { exposed: true, automatable: true, technicalImpact: 'partial' as const };

  it('listed after the finding was first observed: counts from the listing, saying so', () => {
    const c = timelineClock('3 days', T0, { dateAdded: '2026-11-20' }, rest, DEFAULT_POLICY);

    expect(c.from).to.equal('kevDateAdded');
    expect(c.dueBy).to.equal(Date.parse('2026-11-23T00:00:00Z'));
    expect(c.text).to.equal('due 2026-11-23: 3 days from the CISA KEV listing on 2026-11-20 (later than first observed 2026-11-01)');
  });

  it('listed before: counts from first observation', () => {
    const c = timelineClock('3 days', T0, { dateAdded: '2024-07-01' }, rest, DEFAULT_POLICY);

    expect(c.from).to.equal('firstObservedAt');
    expect(c.dueBy).to.equal(T0 + 3 * DAY_MS);
  });

  it('assessment: a finding observed long before its CVE entered KEV is not overdue the moment it is listed', () => {
    const kev = { catalogVersion: null, dateReleased: null, entries: new Map([['CVE-2024-6387', aKevEntry('CVE-2024-6387', { dateAdded: '2026-11-20' })]]) };
    const f = aFinding({ firstObservedAt: T0 - 90 * DAY_MS });
    const now = Date.parse('2026-11-21T00:00:00Z');

    const a = assessFinding(f, { mission: 'high', exposed: true }, aContext({ catalog: kev, now }));

    expect(a.dueBy).to.be.greaterThan(now);
    expect(a.due).to.match(/from the CISA KEV listing on 2026-11-20/);
  });

  it('property: the due date never comes before firstObservedAt + days nor before dateAdded + days', () => {
    fc.assert(fc.property(fc.integer({ min: -200, max: 200 }), (offsetDays) => {
      const added = new Date(T0 + offsetDays * DAY_MS).toISOString().slice(0, 10);
      const c = timelineClock('3 days', T0, { dateAdded: added }, rest, DEFAULT_POLICY);
      expect(c.dueBy).to.be.at.least(T0 + 3 * DAY_MS);
      expect(c.dueBy).to.be.at.least(Date.parse(`${added}T00:00:00Z`) + 3 * DAY_MS);
    }));
  });
});
