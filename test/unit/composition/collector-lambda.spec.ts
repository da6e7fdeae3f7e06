import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollectorHandler, fleetFigures } from '../../../composition/collector-lambda.js';
import { createAssistant, type Assistant } from '../../../composition/index.js';
import type { FleetFigures, MetricsPublisher, TrendFigures } from '../../../ports/outbound/metrics-publisher.port.js';
import { DEMO_FLEET } from '../../support/paths.js';

chai.use(chaiAsPromised);
const { expect } = chai;

class CapturingPublisher implements MetricsPublisher {
  readonly published: { figures: FleetFigures; at: number }[] = [];
  async publishFleetFigures(figures: FleetFigures, at: number): Promise<void> {
    this.published.push({ figures, at });
  }
  readonly trends: { figures: TrendFigures; at: number }[] = [];
  async publishTrendFigures(figures: TrendFigures, at: number): Promise<void> {
    this.trends.push({ figures, at });
  }
}

describe('composition: the collector Lambda', () => {
  let dir: string;
  let assistant: Assistant;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-collector-'));
    // The demo fleet as a snapshot (works from TypeScript and from dist/), as of its capture time.
    assistant = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: '2026-11-20T12:00:00Z', stateStore: { kind: 'sqlite', path: join(dir, 'state.db') } });
  });
  after(async () => {
    await assistant.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the demo fleet\'s figures at the instant of the assessment', async () => {
    const publisher = new CapturingPublisher();
    const lines: string[] = [];
    const handler = createCollectorHandler({ assistant: async () => assistant, publisher: () => publisher, log: (l) => lines.push(l) });

    const result = await handler({ source: 'aws.events' });

    const fleet = await assistant.assessFleet();
    const critical = fleet.assets.flatMap((a) => a.findings).filter((f) => f.severity === 'CRITICAL').length;
    const expected = { actNow: fleet.summary.byDecision['patch-now'], overdue: fleet.summary.overdue, criticalFindings: critical, patchCompliancePercent: (await assistant.complianceSummary()).compliancePercent };
    expect(publisher.published).to.deep.equal([{ figures: expected, at: Date.parse(fleet.generatedAt) }]);
    expect(expected.actNow).to.be.greaterThan(0);
    expect(expected.criticalFindings).to.be.greaterThan(0);
    expect(result).to.deep.include({ figures: expected, at: fleet.generatedAt, source: `snapshot:${DEMO_FLEET}` });
    expect(JSON.parse(lines[0] as string)).to.deep.include({ message: 'fleet figures published', figures: expected });
  });

  it('publishes today\'s trend point once the run has recorded the assessment', async () => {
    const publisher = new CapturingPublisher();
    const handler = createCollectorHandler({ assistant: async () => assistant, publisher: () => publisher, log: () => {} });

    const result = await handler();

    const fleet = await assistant.assessFleet();
    const day = (await assistant.trend({ days: 1 })).series.find((d) => d.day === fleet.generatedAt.slice(0, 10));
    expect(day, 'the run recorded today\'s assessment').to.not.equal(undefined);
    const expected = { byDecision: fleet.summary.byDecision, bySsvc: fleet.summary.bySsvc, resolved: day?.resolved, meanHoursToRemediate: day?.meanHoursToRemediate };
    expect(publisher.trends).to.deep.equal([{ figures: expected, at: Date.parse(fleet.generatedAt) }]);
    expect(Object.values(expected.bySsvc).reduce((x, y) => x + y, 0)).to.be.greaterThan(0);
    expect(result.trend).to.deep.equal(expected);
  });

  it('still publishes the fleet figures when the trend cannot be published, and says why', async () => {
    const publisher = new CapturingPublisher();
    const handler = createCollectorHandler({
      assistant: async () => assistant,
      publisher: () => ({ publishFleetFigures: (f, at) => publisher.publishFleetFigures(f, at), publishTrendFigures: async () => { throw new Error('Throttling'); } }),
      log: () => {},
    });

    const result = await handler();

    expect(publisher.published).to.have.length(1);
    expect(result.trend).to.equal(null);
    expect(result.warnings).to.include('trend metrics failed: Throttling');
  });

  it('counts only counted findings: critical ones under a risk acceptance are left out', () => {
    const finding = (severity: string, accepted = false) => ({ severity, accepted });
    const fleet = {
      generatedAt: '2026-11-20T12:00:00.000Z', source: 'x', warnings: [],
      summary: { assets: 2, findings: 3, byDecision: { 'patch-now': 1, 'next-window': 1, routine: 0, mitigate: 0, blocked: 0, none: 0 }, bySsvc: { act: 1, attend: 0, 'track*': 0, track: 2 }, overdue: 2, accepted: 1 },
      assets: [
        { findings: [finding('CRITICAL'), finding('HIGH')], accepted: [finding('CRITICAL', true)] },
        { findings: [finding('CRITICAL')], accepted: [] },
      ],
    };

    const figures = fleetFigures(fleet as never, { compliancePercent: null } as never);

    expect(figures).to.deep.equal({ actNow: 1, overdue: 2, criticalFindings: 2, patchCompliancePercent: null });
  });

  it('tries again on the next run when the Assistant could not be built, and keeps it once built', async () => {
    let builds = 0;
    const handler = createCollectorHandler({
      assistant: async () => {
        builds++;
        if (builds === 1) throw new Error('no region');
        return assistant;
      },
      publisher: () => new CapturingPublisher(),
      log: () => {},
    });

    await expect(handler()).to.be.rejectedWith('no region');
    await handler();
    await handler();

    expect(builds).to.equal(2);
  });

  it('fails the run (a Lambda error, which alarms) when publishing fails', async () => {
    const handler = createCollectorHandler({
      assistant: async () => assistant,
      publisher: () => ({ publishFleetFigures: async () => { throw new Error('AccessDenied'); }, publishTrendFigures: async () => {} }),
      log: () => {},
    });

    await expect(handler()).to.be.rejectedWith('AccessDenied');
  });
});
