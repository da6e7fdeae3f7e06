import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { AmbiguousError, NotFoundError, SourceError, ValidationError } from '../../../../../domain/errors.js';
import { AssessFleet } from '../../../../../ports/use-cases/assessment/assess-fleet.use-case.js';
import { AssessInstance } from '../../../../../ports/use-cases/assessment/assess-instance.use-case.js';
import { ListFindings } from '../../../../../ports/use-cases/assessment/list-findings.use-case.js';
import { aCatalog, aCvss, aFinding, aManagedInstance, anAcceptance, anAsset, aPatchState, T0 } from '../../../../builders.js';
import { fakeDependencies, type FakeWorld } from '../../../../fakes/memory-ports.js';

chai.use(chaiAsPromised);
const { expect } = chai;
const DAY = 86_400_000;

const WEB = 'i-0000000000000web1';
const DB = 'i-00000000000000db1';
const DEV = 'i-0000000000000dev1';
const NET_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const LOCAL_VECTOR = 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N';

function world(over: Partial<FakeWorld> = {}): FakeWorld {
  return {
    now: T0 + 10 * DAY,
    assets: [
      anAsset({ instanceId: WEB, name: 'web-1', tags: { Name: 'web-1', Environment: 'prod' }, publicIpv4: '198.51.100.7' }),
      anAsset({ instanceId: DB, name: 'db-primary', tags: { Name: 'db-primary', Environment: 'prod' } }),
      anAsset({ instanceId: DEV, name: 'dev-box', tags: { Name: 'dev-box', env: 'dev' } }),
    ],
    findings: [
      // Exploited (KEV), network-automatable, total impact, on a public prod host: act / 3 days.
      aFinding({ findingArn: 'arn:f1', instanceId: WEB, vulnerabilityId: 'CVE-2021-44228', cvss: [aCvss(NET_VECTOR, 10)], severity: 'CRITICAL', epss: 0.97 }),
      aFinding({ findingArn: 'arn:f2', instanceId: DB, vulnerabilityId: 'CVE-2023-0001', cvss: [aCvss(LOCAL_VECTOR, 4.4)], severity: 'MEDIUM', epss: 0.01 }),
      aFinding({ findingArn: 'arn:f3', instanceId: DB, vulnerabilityId: 'CVE-2023-0002', cvss: [aCvss(LOCAL_VECTOR, 3.3)], severity: 'LOW', epss: 0.01 }),
      aFinding({ findingArn: 'arn:f4', instanceId: DEV, vulnerabilityId: 'CVE-2023-0003', status: 'CLOSED' }),
      aFinding({ findingArn: 'arn:orphan', instanceId: 'i-00000000000dead01' }),
    ],
    managed: [aManagedInstance({ instanceId: WEB }), aManagedInstance({ instanceId: DB }), aManagedInstance({ instanceId: DEV })],
    patchStates: [aPatchState({ instanceId: WEB, installedPendingRebootCount: 1 })],
    catalog: aCatalog('CVE-2021-44228'),
    ...over,
  };
}

describe('AssessFleet', () => {
  it('ranks the fleet highest risk first, with the JSON contract fields', async () => {
    const { deps } = fakeDependencies(world());

    const r = await new AssessFleet(deps).execute();

    expect(r.assets.map((a) => a.instanceId)).to.deep.equal([WEB, DB, DEV]);
    const web = r.assets[0]!;
    expect(web).to.include({ name: 'web-1', mission: 'high', exposed: true, managed: true, decision: 'patch-now', rebootExpected: true });
    expect(web.riskScore).to.be.within(0, 100);
    expect(web.dueBy).to.equal(new Date(T0 + 3 * DAY).toISOString());
    const f = web.findings[0]!;
    expect(f).to.include({ vulnerabilityId: 'CVE-2021-44228', exploitation: 'active', automatable: true, technicalImpact: 'total', inKev: true, ssvc: 'act', fixAvailable: 'YES' });
    expect(f.timeline).to.equal('3 days and forensic investigation');
    expect(web.forensicTriage).to.equal(true);
    expect(f.reasons).to.be.an('array').that.is.not.empty;
    expect(r.assets[2]).to.include({ decision: 'none', riskScore: 0 });
    expect(r.generatedAt).to.equal(new Date(T0 + 10 * DAY).toISOString());
    expect(r.source).to.equal('test');
  });

  it('counts decisions, SSVC outcomes and overdue findings in the summary', async () => {
    const { deps } = fakeDependencies(world());

    const r = await new AssessFleet(deps).execute();

    expect(r.summary.assets).to.equal(3);
    expect(r.summary.findings).to.equal(3);
    expect(r.summary.byDecision['patch-now']).to.equal(1);
    expect(r.summary.byDecision.none).to.equal(1);
    expect(r.summary.bySsvc.act).to.equal(1);
    // The 3-day finding observed at T0 is overdue at T0 + 10 days.
    expect(r.summary.overdue).to.be.at.least(1);
  });

  it('warns about findings on instances missing from the inventory', async () => {
    const { deps } = fakeDependencies(world());

    const r = await new AssessFleet(deps).execute();

    expect(r.warnings.join('\n')).to.match(/1 findings are on instances not in the inventory/);
  });

  it('degrades to a warning when SSM fails, and then blocks no instance', async () => {
    const { deps } = fakeDependencies(world({ failing: ['ssm'], managed: [] }));

    const r = await new AssessFleet(deps).execute();

    expect(r.warnings.some((w) => /^ssm:DescribeInstanceInformation \(ServiceUnavailable\)/.test(w))).to.equal(true);
    expect(r.assets.every((a) => a.managed === null && a.decision !== 'blocked')).to.equal(true);
  });

  it('reports an instance SSM does not manage as blocked', async () => {
    const { deps } = fakeDependencies(world({ managed: [aManagedInstance({ instanceId: DB })] }));

    const r = await new AssessFleet(deps).execute();

    expect(r.assets.find((a) => a.instanceId === WEB)).to.include({ managed: false, decision: 'blocked' });
  });

  it('says managed state is unknown when the source has none', async () => {
    const { deps } = fakeDependencies(world({ managed: undefined }));

    const r = await new AssessFleet(deps).execute();

    expect(r.warnings.join('\n')).to.contain('SSM managed state unknown');
  });

  it('fails with the source error when findings cannot be read', async () => {
    const { deps } = fakeDependencies(world({ failing: ['inspector2'] }));

    await expect(new AssessFleet(deps).execute()).to.be.rejectedWith(SourceError, /ListFindings/);
  });

  it('does not count a finding under an unexpired risk acceptance, and lists it as accepted', async () => {
    const { deps } = fakeDependencies(world({ acceptances: [anAcceptance({ vulnerabilityId: 'CVE-2021-44228', instanceId: WEB, until: T0 + 30 * DAY })] }));

    const r = await new AssessFleet(deps).execute();

    const web = r.assets.find((a) => a.instanceId === WEB)!;
    expect(web.findings).to.have.length(0);
    expect(web.accepted.map((f) => f.vulnerabilityId)).to.deep.equal(['CVE-2021-44228']);
    expect(web.decision).to.equal('none');
    expect(r.summary.accepted).to.equal(1);
  });

  it('filters by decision, mission and exposure', async () => {
    const { deps } = fakeDependencies(world());
    const uc = new AssessFleet(deps);

    expect((await uc.execute({ decisions: ['patch-now'] })).assets.map((a) => a.instanceId)).to.deep.equal([WEB]);
    expect((await uc.execute({ missions: ['low'] })).assets.map((a) => a.instanceId)).to.deep.equal([DEV]);
    expect((await uc.execute({ exposed: false })).assets.map((a) => a.instanceId)).to.deep.equal([DB, DEV]);
    await expect(uc.execute({ decisions: ['later' as never] })).to.be.rejectedWith(ValidationError, /decision: expected one of patch-now/);
  });

  it('reads only the named instance\'s findings when asked about one instance', async () => {
    const { deps, calls } = fakeDependencies(world());

    const r = await new AssessFleet(deps).execute({ instance: 'db-primary' });

    expect(r.assets.map((a) => a.instanceId)).to.deep.equal([DB]);
    expect(calls.findingFilters).to.deep.equal([{ instanceIds: [DB] }]);
  });
});

describe('AssessInstance', () => {
  it('names near matches for an unknown instance', async () => {
    const { deps } = fakeDependencies(world());

    await expect(new AssessInstance(deps).execute('web-2')).to.be.rejectedWith(NotFoundError, /did you mean "web-1 \(i-0000000000000web1\)"/);
  });

  it('lists the candidates of an ambiguous name', async () => {
    const w = world();
    w.assets!.push(anAsset({ instanceId: 'i-0000000000000web2', name: 'web-1', tags: { Name: 'web-1' } }));
    const { deps } = fakeDependencies(w);

    await expect(new AssessInstance(deps).execute('web-1')).to.be.rejectedWith(AmbiguousError, /i-0000000000000web1 \(web-1\), i-0000000000000web2 \(web-1\)/);
  });
});

describe('ListFindings', () => {
  it('keeps findings at or above the minimum severity and counts the rest', async () => {
    const { deps } = fakeDependencies(world());

    const r = await new ListFindings(deps).execute({ instance: DB, minSeverity: 'medium' });

    expect(r.findings.map((f) => f.vulnerabilityId)).to.deep.equal(['CVE-2023-0001']);
    expect(r).to.include({ minSeverity: 'MEDIUM', filteredOut: 1, name: 'db-primary' });
  });

  it('refuses an unknown severity, naming the field and the choices', async () => {
    const { deps } = fakeDependencies(world());

    await expect(new ListFindings(deps).execute({ instance: DB, minSeverity: 'urgent' })).to.be.rejectedWith(
      ValidationError,
      'min-severity: expected one of informational, low, medium, high, critical, got "urgent"',
    );
  });
});
