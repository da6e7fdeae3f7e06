import { DECISION_KINDS } from '../../../domain/vocabulary.js';
import { ValidationError } from '../../../domain/errors.js';
import { toIso } from '../../../domain/time.js';
import { AWS_REGIONS } from '../../../domain/scope.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { assessFleet, resolveInstance } from './fleet-reader.js';
import { asOfOf, FleetTally, summarize, toAssetReport } from './fleet-report.mapper.js';
import type { AssetReport, FleetReport, FleetReportStream } from '../../inbound/assessment/fleet-report.port.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import type { Mission } from '../../../domain/policy.js';
import type { AssessFleetRequest } from '../../inbound/assessment/assess-fleet.port.js';

/**
 * Ranks every instance by risk, highest first, each with its patch decision and the findings
 * behind it. The summary counts the assets returned (after filters).
 */
export class AssessFleet {
  constructor(private readonly deps: CoreDependencies) {}

  async execute(request: AssessFleetRequest = {}): Promise<FleetReport> {
    const stream = await this.stream(request);
    const assets = [...stream.assets];
    return {
      generatedAt: stream.generatedAt, asOf: stream.asOf, source: stream.source, assets, summary: stream.summary(), warnings: stream.warnings,
      ...(stream.partial ? { partial: true } : {}),
    };
  }

  /**
   * The same report with its assets built one at a time when read (see FleetReportStream): the
   * assessment holds each finding in its compact form and each asset's report, reasons included,
   * is built from it when reached and can be dropped once written.
   */
  async stream(request: AssessFleetRequest = {}): Promise<FleetReportStream> {
    for (const d of request.decisions ?? []) {
      if (!DECISION_KINDS.includes(d)) throw new ValidationError('decision', `one of ${DECISION_KINDS.join(', ')}`, `decision: expected one of ${DECISION_KINDS.join(', ')}, got "${d}"`);
    }
    checkPlaceFilters(request);
    const only = request.instance ? [(await resolveInstance(this.deps, request.instance)).asset] : undefined;
    const fleet = await assessFleet(this.deps, only);
    const envTags = this.deps.policy.tags.environment;
    const chosen = fleet.assets.filter((a) => matches(request, { decision: a.decision.kind, mission: a.mission, exposed: a.exposed, accountId: a.asset.accountId, region: a.asset.region }));
    const tally = new FleetTally();
    function* assets(): Generator<AssetReport> {
      for (const a of chosen) {
        const report = toAssetReport(a, fleet.now, envTags);
        tally.add(report);
        yield report;
      }
    }
    return {
      generatedAt: toIso(fleet.now) as string,
      asOf: asOfOf(this.deps.source),
      source: this.deps.source.label,
      count: chosen.length,
      assets: assets(),
      summary: () => tally.summary(),
      warnings: fleet.warnings,
      ...(fleet.partial ? { partial: true as const } : {}),
    };
  }
}

/** What the filters look at, on an assessment or on its report. */
interface Filterable {
  readonly decision: DecisionKind;
  readonly mission: Mission;
  readonly exposed: boolean;
  readonly accountId?: string | undefined;
  readonly region?: string | undefined;
}

/** Whether an asset passes the request's filters (decisions, missions, exposed, accounts, regions). */
function matches(request: Omit<AssessFleetRequest, 'instance'>, a: Filterable): boolean {
  return (!request.decisions?.length || request.decisions.includes(a.decision)) &&
    (!request.missions?.length || request.missions.includes(a.mission)) &&
    (request.exposed === undefined || a.exposed === request.exposed) &&
    (!request.accounts?.length || (a.accountId !== undefined && request.accounts.includes(a.accountId))) &&
    (!request.regions?.length || (a.region !== undefined && request.regions.includes(a.region)));
}

/**
 * Keeps the assets matching the request's filters and recounts the summary over them. Exported
 * so a cache can serve every filter combination from one unfiltered assessment.
 */
export function filterFleet(report: FleetReport, request: Omit<AssessFleetRequest, 'instance'>): FleetReport {
  const assets = report.assets.filter((a) => matches(request, a));
  return assets.length === report.assets.length ? report : { ...report, assets, summary: summarize(assets) };
}

/**
 * The account and region filters: 12-digit account ids, known regions.
 * @throws ValidationError naming account or region.
 */
export function checkPlaceFilters(request: Pick<AssessFleetRequest, 'accounts' | 'regions'>): void {
  for (const a of request.accounts ?? []) {
    if (!/^\d{12}$/.test(a)) throw new ValidationError('account', 'a 12-digit AWS account id', `account: expected a 12-digit AWS account id, got ${JSON.stringify(a)}`);
  }
  for (const r of request.regions ?? []) {
    if (!(AWS_REGIONS as readonly string[]).includes(r)) throw new ValidationError('region', 'an AWS region such as eu-west-1', `region: expected an AWS region such as eu-west-1, got ${JSON.stringify(r)}`);
  }
}
