import { expect } from 'chai';
import { alertsFrom } from '../../../../domain/history/alerts.js';
import { compareAssessments } from '../../../../domain/history/changes.js';
import { parseSince } from '../../../../domain/history/look-back.js';
import { decodeRecord, encodeRecord } from '../../../../domain/history/record-codec.js';
import { remediationBetween } from '../../../../domain/history/trend.js';
import { ValidationError } from '../../../../domain/errors.js';
import { DAY_MS, HOUR_MS } from '../../../../domain/time.js';
import { T0 } from '../../../builders.js';
import { aRecord, aRecordedAsset, aRecordedFinding } from '../../../history-builders.js';

const OPTIONS = { dueSoonDays: 3 };
const keys = (list: readonly { finding: { advisoryId: string } }[]): string[] => list.map((c) => c.finding.advisoryId);

describe('compareAssessments', () => {
  const before = aRecord({
    id: 'a', at: T0,
    assets: [aRecordedAsset(), aRecordedAsset({ instanceId: 'i-0002', name: 'api-1', exposed: true, decision: 'routine' })],
    findings: [
      aRecordedFinding({ advisoryId: 'CVE-STAYS' }),
      aRecordedFinding({ advisoryId: 'CVE-GOES' }),
      aRecordedFinding({ advisoryId: 'CVE-KEV', instanceId: 'i-0002' }),
      aRecordedFinding({ advisoryId: 'CVE-CROSSES', dueBy: T0 + DAY_MS }),
      aRecordedFinding({ advisoryId: 'CVE-CALMS', ssvc: 'act', timeline: '3 days' }),
      aRecordedFinding({ advisoryId: 'CVE-FIX', fixAvailable: 'NO' }),
      aRecordedFinding({ advisoryId: 'CVE-ACCEPTED', acceptance: { id: 'acc-1', until: T0 + 4 * DAY_MS } }),
    ],
  });
  const after = aRecord({
    id: 'b', at: T0 + 2 * DAY_MS,
    assets: [aRecordedAsset(), aRecordedAsset({ instanceId: 'i-0002', name: 'api-1', exposed: true, decision: 'patch-now' })],
    findings: [
      aRecordedFinding({ advisoryId: 'CVE-STAYS' }),
      aRecordedFinding({ advisoryId: 'CVE-NEW', ssvc: 'act', timeline: '3 days', dueBy: T0 + 4 * DAY_MS }),
      aRecordedFinding({ advisoryId: 'CVE-KEV', instanceId: 'i-0002', inKev: true }),
      aRecordedFinding({ advisoryId: 'CVE-CROSSES', dueBy: T0 + DAY_MS }),
      aRecordedFinding({ advisoryId: 'CVE-CALMS', ssvc: 'track', timeline: '60 days' }),
      aRecordedFinding({ advisoryId: 'CVE-FIX', fixAvailable: 'YES' }),
      aRecordedFinding({ advisoryId: 'CVE-ACCEPTED', acceptance: { id: 'acc-1', until: T0 + 4 * DAY_MS } }),
    ],
  });
  const c = compareAssessments(before, after, OPTIONS);

  it('names new and resolved findings by instance and advisory', () => {
    expect(keys(c.added)).to.deep.equal(['CVE-NEW']);
    expect(keys(c.resolved)).to.deep.equal(['CVE-GOES']);
  });

  it('names escalations with what moved: KEV, a fix newly available', () => {
    expect(c.escalations.map((e) => [e.finding.advisoryId, e.kinds])).to.deep.equal([['CVE-FIX', ['fix-available']], ['CVE-KEV', ['kev']]]);
  });

  it('names de-escalations: outcome and timeline less urgent', () => {
    expect(c.deEscalations.map((e) => [e.finding.advisoryId, e.kinds])).to.deep.equal([['CVE-CALMS', ['ssvc', 'timeline']]]);
  });

  it('names findings newly past their due date, not those already past it', () => {
    expect(keys(c.newlyOverdue)).to.deep.equal(['CVE-CROSSES']);
    const later = compareAssessments(after, { ...after, id: 'c', at: after.at + DAY_MS }, OPTIONS);
    expect(later.newlyOverdue).to.deep.equal([]);
  });

  it('names findings due within N days of the later assessment, soonest first', () => {
    expect(keys(c.dueSoon)).to.deep.equal(['CVE-NEW']);
    expect(compareAssessments(before, after, { dueSoonDays: 1 }).dueSoon).to.deep.equal([]);
  });

  it('names decisions that changed and acceptances that expire within N days', () => {
    expect(c.decisionsChanged.map((d) => [d.asset.instanceId, d.from, d.to])).to.deep.equal([['i-0002', 'routine', 'patch-now']]);
    expect(keys(c.acceptancesExpiring)).to.deep.equal(['CVE-ACCEPTED']);
    // A suppressed finding is neither new, resolved nor escalated.
    expect([...keys(c.added), ...keys(c.resolved), ...keys(c.escalations)]).not.to.include('CVE-ACCEPTED');
  });

  it('calls for alerts: newly act, newly KEV on an exposed asset, newly patch-now', () => {
    const alerts = alertsFrom(c, after.assets);
    expect(alerts.map((a) => a.key)).to.deep.equal(['i-0001|CVE-NEW#newly-act', 'i-0002|CVE-KEV#newly-kev-exposed', 'i-0002#newly-patch-now']);
    // Not exposed: a KEV listing is escalated but not alerted at once.
    const hidden = alertsFrom(c, after.assets.map((a) => ({ ...a, exposed: false })));
    expect(hidden.map((a) => a.kind)).not.to.include('newly-kev-exposed');
  });

  it('finds nothing between an assessment and itself', () => {
    const same = compareAssessments(after, after, OPTIONS);
    expect([same.added, same.resolved, same.escalations, same.deEscalations, same.newlyOverdue, same.decisionsChanged].every((l) => l.length === 0)).to.equal(true);
  });

  it('tells assets apart by account and region when they are recorded', () => {
    const a = aRecord({ assets: [aRecordedAsset({ accountId: '111111111111' })], findings: [aRecordedFinding({ accountId: '111111111111' })] });
    const b = aRecord({ id: 'b', assets: [aRecordedAsset({ accountId: '222222222222' })], findings: [aRecordedFinding({ accountId: '222222222222' })] });
    const d = compareAssessments(a, b, OPTIONS);
    expect([d.added.length, d.resolved.length]).to.deep.equal([1, 1]);
  });
});

describe('the compact record encoding', () => {
  it('round-trips a record, instants to the minute', () => {
    const r = aRecord({ findings: [aRecordedFinding({ dueBy: T0 + 90_000 })] });
    expect(decodeRecord(encodeRecord(r)).findings[0]?.dueBy).to.equal(T0 + 120_000);
  });

  it('refuses a format it does not know', () => {
    expect(() => decodeRecord(JSON.stringify({ v: 99 }))).to.throw(/format 99/);
  });
});

describe('parseSince', () => {
  const now = T0 + 10 * DAY_MS;

  it('reads durations back from now and instants with a zone', () => {
    expect(parseSince('24h', now)).to.equal(now - 24 * HOUR_MS);
    expect(parseSince('7d', now)).to.equal(now - 7 * DAY_MS);
    expect(parseSince('2026-11-02', now)).to.equal(T0 + DAY_MS);
    expect(parseSince('2026-11-02T12:00:00+01:00', now)).to.equal(T0 + DAY_MS + 11 * HOUR_MS);
  });

  for (const [input, message] of [
    ['2027-01-01', /since: 2027-01-01T00:00:00.000Z is in the future/],
    ['2026-11-02T12:00', /since: .* has no time zone/],
    ['24x', /since: expected a duration such as 24h or 7d/],
    ['0h', /since: expected a duration above zero/],
    ['', /since: expected/],
  ] as const) {
    it(`refuses ${JSON.stringify(input)} naming since`, () => {
      expect(() => parseSince(input, now)).to.throw(ValidationError, message);
    });
  }
});

describe('remediationBetween', () => {
  it('averages first seen to resolved per outcome, ignoring what stays', () => {
    const before = aRecord({ findings: [
      aRecordedFinding({ advisoryId: 'A', ssvc: 'act', firstObservedAt: T0 - 2 * DAY_MS }),
      aRecordedFinding({ advisoryId: 'B', ssvc: 'act', firstObservedAt: T0 - 4 * DAY_MS }),
      aRecordedFinding({ advisoryId: 'C', ssvc: 'attend' }),
    ] });
    const after = aRecord({ id: 'b', at: T0 + DAY_MS, findings: [aRecordedFinding({ advisoryId: 'C', ssvc: 'attend' })] });

    const r = remediationBetween(before, after);

    expect(r.resolved).to.equal(2);
    expect(r.meanHoursToRemediate).to.deep.equal({ act: 96, attend: null, 'track*': null, track: null });
  });
});
