import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { SourceError } from '../../../../domain/errors.js';
import { AssessFleet } from '../../../../ports/use-cases/assessment/assess-fleet.use-case.js';
import { PlanPatches } from '../../../../ports/use-cases/patching/plan-patches.use-case.js';
import { ReportActivity } from '../../../../ports/use-cases/reports/report-activity.use-case.js';
import { SummarizeCompliance } from '../../../../ports/use-cases/reports/summarize-compliance.use-case.js';
import { SummarizeMetrics } from '../../../../ports/use-cases/reports/summarize-metrics.use-case.js';
import type { CoreDependencies } from '../../../../ports/use-cases/shared/core-dependencies.js';
import { aFinding, anAsset, T0 } from '../../../builders.js';
import { fakeDependencies } from '../../../fakes/memory-ports.js';

chai.use(chaiAsPromised);
const { expect } = chai;

const WEB = 'i-0000000000000web1';

function deps(over: Partial<CoreDependencies> = {}): CoreDependencies {
  const { deps: d } = fakeDependencies({ now: T0, assets: [anAsset({ instanceId: WEB, name: 'web-1' })], findings: [aFinding({ instanceId: WEB })] });
  return { ...d, ...over };
}

const broken = (required: boolean): CoreDependencies['catalog'] => ({
  ...(required ? { required: true } : {}),
  load: async () => {
    throw new SourceError('kev', null, 'cannot read the KEV catalog /x/kev.json: the file is empty');
  },
});

describe('inputs the reports depend on', () => {
  it('a KEV catalog asked for by name fails the report when it cannot be read', async () => {
    await expect(new AssessFleet(deps({ catalog: broken(true) })).execute()).to.be.rejectedWith(SourceError, 'cannot read the KEV catalog /x/kev.json: the file is empty');
    await expect(new PlanPatches(deps({ catalog: broken(true) })).execute()).to.be.rejectedWith(SourceError, '/x/kev.json');
  });

  it('the default catalog degrades to a warning saying the answer is partial', async () => {
    const r = await new AssessFleet(deps({ catalog: broken(false) })).execute();

    expect(r.warnings.join('\n')).to.contain('kev:load (SOURCE_FAILED): cannot read the KEV catalog /x/kev.json: the file is empty; the answer is partial');
  });

  it('what the source found while reading (a truncated file) reaches every report, once, after its reads', async () => {
    const found: string[] = [];
    const d = deps();
    // The warning appears only once a read has found it, as the snapshot adapters do.
    const source = { label: 'snapshot:/s', notes: [], warnings: () => found, asOf: 'capturedAt' as const };
    const listAssets = d.assets.listAssets.bind(d.assets);
    const withFinding: CoreDependencies = {
      ...d,
      source,
      assets: { listAssets: async () => { found.splice(0, found.length, '/s/ec2-describe-instances.json still carries a next token; the answer is partial'); return listAssets(); } },
    };

    const reports = [
      await new AssessFleet(withFinding).execute(),
      await new PlanPatches(withFinding).execute(),
      await new SummarizeCompliance(withFinding).execute(),
      await new SummarizeMetrics(withFinding).execute({ instance: 'web-1' }),
      await new ReportActivity(withFinding).execute({ instance: 'web-1' }),
    ];

    for (const r of reports) {
      expect(r.warnings.filter((w) => w.includes('next token'))).to.have.length(1);
      expect(r.asOf).to.equal('capturedAt');
    }
  });

  it('a source that says nothing of its instant reports the clock', async () => {
    expect((await new AssessFleet(deps()).execute()).asOf).to.equal('clock');
  });
});
