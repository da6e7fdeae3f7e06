/**
 * Two recorded assessments of changed snapshots (test/fixtures/snapshots/history-1 and -2: one
 * finding added, one resolved, one newly in KEV on an exposed instance, two crossing their due
 * date) through the CLI in process, over the real composition and a temporary state file.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangesReport, TrendReport } from '../../../ports/inbound/history/history.port.js';
import { runCliInProcess, type CliRun } from '../../support/cli-in-process.js';
import { REPO_ROOT } from '../../support/paths.js';

const DAY1 = join(REPO_ROOT, 'test', 'fixtures', 'snapshots', 'history-1');
const DAY2 = join(REPO_ROOT, 'test', 'fixtures', 'snapshots', 'history-2');

describe('history: assess --record, changes, trend (in process, real composition, SQLite file)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-history-flow-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...argv: string[]): Promise<CliRun> => runCliInProcess(['--state', join(dir, 'state.db'), ...argv], { localUser: 'carol' });

  const ids: string[] = [];
  before(async () => {
    for (const day of [DAY1, DAY2]) {
      const r = await cli('assess', '--record', '--json', '--source', `snapshot:${day}`);
      expect(r.code, r.stderr).to.equal(0);
      const id = /recorded assessment (\S+)/.exec(r.stderr)?.[1];
      expect(id, r.stderr).to.be.a('string');
      ids.push(id as string);
      // --json stays the fleet contract.
      expect(JSON.parse(r.stdout)).to.have.property('assets');
    }
  });

  async function changes(...argv: string[]): Promise<ChangesReport> {
    const r = await cli('changes', '--json', '--source', `snapshot:${DAY2}`, ...argv);
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as ChangesReport;
  }

  it('changes --since names the added, resolved, newly-KEV and newly-overdue findings', async () => {
    const r = await changes('--since', '2d');

    expect(r.from?.id).to.equal(ids[0]);
    expect(r.to?.id).to.equal(ids[1]);
    expect(r.added.map((f) => f.advisoryId)).to.deep.equal(['CVE-2025-55555']);
    expect(r.resolved.map((f) => [f.name, f.advisoryId])).to.deep.equal([['lone-track', 'CVE-2025-44444']]);
    const kev = r.escalations.find((f) => f.advisoryId === 'CVE-2025-66666');
    expect(kev?.moved).to.include('kev');
    expect(kev?.before?.inKev).to.equal(false);
    expect(r.newlyOverdue.map((f) => f.advisoryId).sort()).to.deep.equal(['CVE-2024-3400', 'KB5023697']);
    expect(r.alerts.map((a) => a.key)).to.include('i-0bbb000000000003|CVE-2025-66666#newly-kev-exposed');
    expect(r.counts).to.deep.include({ added: 1, resolved: 1, newlyOverdue: 2 });
  });

  it('changes --between two ids (either order) and between two instants say the same', async () => {
    const byId = await changes('--between', ids[1] as string, ids[0] as string);
    const byTime = await changes('--between', '2026-11-20T12:00:00Z', '2026-11-22');

    expect(byId.from?.id).to.equal(ids[0]);
    expect({ ...byTime, generatedAt: '' }).to.deep.equal({ ...byId, generatedAt: '' });
  });

  it('prints a readable table without --json', async () => {
    const r = await cli('changes', '--source', `snapshot:${DAY2}`, '--since', '2d');

    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/1 new, 1 resolved/).and.match(/Newly overdue \(2\)/).and.match(/CVE-2025-66666 on exposed edge-1 .* is now in the CISA KEV catalog/);
  });

  for (const [args, message] of [
    [['--since', '2030-01-01'], /^error: --since: 2030-01-01T00:00:00.000Z is in the future/],
    [['--since', '2026-11-21T12:00'], /^error: --since: .* has no time zone/],
    [['--since', '3x'], /^error: --since: expected a duration such as 24h or 7d/],
    [['--between', 'only-one'], /^error: --between: expected two recorded assessments/],
    [['--between', 'nope', '2026-11-22'], /^error: --between: no recorded assessment has the id "nope"/],
    [['--since', '2d', '--between', 'a', 'b'], /^error: --between: give either since or between/],
  ] as const) {
    it(`refuses ${args.join(' ')} with one line naming the option, exit 2`, async () => {
      const r = await cli('changes', '--source', `snapshot:${DAY2}`, ...args);

      expect(r.code).to.equal(2);
      expect(r.stderr.trim().split('\n')[0]).to.match(message);
      expect(r.stdout).to.equal('');
    });
  }

  it('trend --json counts each day and what was remediated since the day before', async () => {
    const r = await cli('trend', '--json', '--days', '7', '--source', `snapshot:${DAY2}`);

    expect(r.code, r.stderr).to.equal(0);
    const t = JSON.parse(r.stdout) as TrendReport;
    expect(t.series.map((d) => [d.day, d.findings, d.resolved])).to.deep.equal([['2026-11-20', 7, 0], ['2026-11-22', 7, 1]]);
    // lone-track's CVE-2025-44444 (track), first seen 2026-11-10, resolved by 2026-11-22T12:00.
    expect(t.series[1]?.meanHoursToRemediate.track).to.equal(12 * 24 + 12);
    expect(t.series[1]?.overdue).to.be.greaterThan(t.series[0]?.overdue ?? 0);
  });

  it('refuses assess --record with --instance (the history keeps whole fleets)', async () => {
    const r = await cli('assess', '--record', '--instance', 'win-1', '--source', `snapshot:${DAY2}`);

    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^error: --record: records the whole fleet/);
  });
});
