/**
 * The HistoryStore contract: one suite the SQLite file, the DynamoDB table (moto_server) and the
 * in-memory store all pass. Call it inside a describe block with a factory that makes a fresh,
 * empty store and a second handle on the same storage (another connection, another client).
 */
import { expect } from 'chai';
import { findingKey, type AssessmentRecord } from '../../domain/history/assessment-record.js';
import { DAY_MS } from '../../domain/time.js';
import type { HistoryStore } from '../../ports/outbound/history-store.port.js';
import { T0 } from '../builders.js';
import { aLargeRecord, aRecord, aRecordedAsset, aRecordedFinding } from '../history-builders.js';

export interface HistoryFixture {
  readonly store: HistoryStore;
  second(): Promise<HistoryStore>;
  cleanup(): Promise<void>;
}

const byKey = (a: { k: string }, b: { k: string }): number => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
const sorted = (r: AssessmentRecord): AssessmentRecord => ({ ...r, findings: r.findings.map((f) => ({ f, k: findingKey(f) })).sort(byKey).map(({ f }) => f) });

export function historyStoreContract(make: () => Promise<HistoryFixture>): void {
  let f: HistoryFixture;
  beforeEach(async () => {
    f = await make();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('stores an assessment and reads it back as it was (findings in key order)', async () => {
    const record = aRecord({
      assets: [aRecordedAsset(), aRecordedAsset({ instanceId: 'i-0002', name: null, decision: 'patch-now', exposed: true, accountId: '123456789012', region: 'eu-west-1' })],
      findings: [
        aRecordedFinding({ advisoryId: 'CVE-2026-0009', ssvc: 'act', timeline: '3 days', inKev: true, acceptance: { id: 'acc-1', until: T0 + 2 * DAY_MS } }),
        aRecordedFinding({ instanceId: 'i-0002', accountId: '123456789012', region: 'eu-west-1', timeline: null, dueBy: null, firstObservedAt: null, fixAvailable: 'PARTIAL', severity: 'UNTRIAGED' }),
        aRecordedFinding(),
      ],
    });

    const header = await f.store.recordAssessment(record);

    expect(header).to.deep.include({ id: 'a-1', at: T0, assets: 2, findings: 3, origin: 'cli', source: 'demo' });
    expect(header.summary.byDecision['patch-now']).to.equal(1);
    expect(header.summary.accepted).to.equal(1);
    expect(sorted((await f.store.getAssessment('a-1')) as AssessmentRecord)).to.deep.equal(sorted(record));
  });

  it('answers null for an assessment it does not have', async () => {
    expect(await f.store.getAssessment('nope')).to.equal(null);
  });

  it('keeps the first of two recordings with the same id', async () => {
    await f.store.recordAssessment(aRecord());
    await (await f.second()).recordAssessment(aRecord({ findings: [] }));

    expect((await f.store.getAssessment('a-1'))?.findings).to.have.length(1);
    expect(await f.store.listAssessments()).to.have.length(1);
  });

  it('lists headers newest first, between two instants, up to a limit', async () => {
    for (let k = 0; k < 5; k++) await f.store.recordAssessment(aRecord({ id: `a-${k}`, at: T0 + k * DAY_MS }));

    expect((await f.store.listAssessments()).map((h) => h.id)).to.deep.equal(['a-4', 'a-3', 'a-2', 'a-1', 'a-0']);
    expect((await f.store.listAssessments({ since: T0 + DAY_MS, until: T0 + 3 * DAY_MS })).map((h) => h.id)).to.deep.equal(['a-3', 'a-2', 'a-1']);
    expect((await f.store.listAssessments({ limit: 2 })).map((h) => h.id)).to.deep.equal(['a-4', 'a-3']);
    expect((await f.store.listAssessments({ until: T0 - 1 }))).to.deep.equal([]);
  });

  it('prunes assessments and alert claims older than an instant, and nothing newer', async () => {
    for (let k = 0; k < 4; k++) await f.store.recordAssessment(aRecord({ id: `a-${k}`, at: T0 + k * DAY_MS }));
    await f.store.claimAlert('old', T0);
    await f.store.claimAlert('new', T0 + 3 * DAY_MS);

    const removed = await f.store.pruneHistory(T0 + 2 * DAY_MS);

    expect(removed).to.equal(2);
    expect((await f.store.listAssessments()).map((h) => h.id)).to.deep.equal(['a-3', 'a-2']);
    expect(await f.store.getAssessment('a-0')).to.equal(null);
    expect(await f.store.claimAlert('old', T0 + 3 * DAY_MS)).to.equal(true);
    expect(await f.store.claimAlert('new', T0 + 3 * DAY_MS)).to.equal(false);
  });

  it('grants an alert key once, to one of two handles, until it is released', async () => {
    const other = await f.second();

    const claims = await Promise.all([f.store.claimAlert('i-1|CVE-1#newly-act', T0), other.claimAlert('i-1|CVE-1#newly-act', T0)]);

    expect(claims.filter(Boolean)).to.have.length(1);
    expect(await f.store.claimAlert('i-1|CVE-1#newly-act', T0 + 1)).to.equal(false);
    await f.store.releaseAlert('i-1|CVE-1#newly-act');
    expect(await other.claimAlert('i-1|CVE-1#newly-act', T0 + 2)).to.equal(true);
  });

  it('round-trips an assessment of 20,000 findings (several DynamoDB chunks)', async function () {
    this.timeout(60_000);
    const big = aLargeRecord(20_000, { id: 'big' });

    await f.store.recordAssessment(big);

    // Compared as text: chai's deep equality over 20,000 objects is slow, and the text says the same.
    const back = (await f.store.getAssessment('big')) as AssessmentRecord;
    expect(back.findings).to.have.length(20_000);
    expect(JSON.stringify(sorted(back))).to.equal(JSON.stringify(sorted(big)));
  });
}
