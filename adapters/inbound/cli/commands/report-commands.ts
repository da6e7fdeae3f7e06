/** The read-only reports: assess, findings, plan, compliance, metrics, activity. */
import { DECISION_KINDS, DEFAULT_LOOKBACK_HOURS, MAX_LOOKBACK_HOURS } from '../../../../domain/vocabulary.js';
import type { DecisionKind } from '../../../../domain/patch/decision.js';
import { instancePositional, type CommandModule } from '../command-context.js';
import type { Assistant } from '../../../../ports/inbound/assistant.port.js';
import type { AssessFleetRequest } from '../../../../ports/inbound/assessment/assess-fleet.port.js';
import { UsageError } from '../errors.js';
import { nonEmpty, wholeNumberOption } from '../options.js';
import { splitList } from '../../../../domain/scope.js';
import { renderActivity, renderCompliance, renderFindings, renderFleet, renderInstance, renderMetrics, renderPlan } from '../render.js';

/** --hours as typed (see options.ts); the use cases check the range again for every other caller. */
export const hoursOption = wholeNumberOption('hours', 1, MAX_LOOKBACK_HOURS, `look back this many hours (1 to ${MAX_LOOKBACK_HOURS})`, DEFAULT_LOOKBACK_HOURS);

/**
 * The fleet report for --json, streamed: each asset's report is built when the writer reaches it
 * (json-output.ts), and the summary, which follows the assets, is counted as they go by. The
 * members are those of FleetReport, in its order, so the bytes are the same.
 */
async function fleetJson(a: Assistant, request: AssessFleetRequest): Promise<unknown> {
  if (a.streamFleet === undefined) return a.assessFleet(request);
  const s = await a.streamFleet(request);
  return { generatedAt: s.generatedAt, asOf: s.asOf, source: s.source, assets: s.assets, summary: s.summary, warnings: s.warnings, ...(s.partial ? { partial: true } : {}) };
}

export const reportCommands: CommandModule = (y, { run }) =>
  y
    .command(
      'assess',
      'rank instances by risk with their patch decision',
      (c) =>
        c
          .option('instance', { type: 'string', describe: 'only this instance (id or Name tag), in detail', coerce: nonEmpty('instance', 'an instance id or Name tag') })
          .option('decision', { type: 'string', array: true, choices: DECISION_KINDS, describe: 'only instances with this decision' })
          .option('account', { type: 'string', array: true, describe: 'only instances in this AWS account (12 digits; an organization read or its capture)' })
          .option('record', { type: 'boolean', default: false, describe: 'also store this assessment in the history (the state store), for changes and trend' }),
      run(async (a, args, o) => {
        if (args.record === true && typeof args.instance === 'string') throw new UsageError('--record: records the whole fleet; leave out --instance');
        if (typeof args.instance === 'string') {
          if (o.json) {
            // --json keeps the fleet contract (assets[] and summary) with the one instance.
            return { json: await fleetJson(a, { instance: args.instance }), human: () => '' };
          }
          const r = await a.assessInstance(args.instance);
          return { json: r, human: (s) => renderInstance(r, s), warnings: r.warnings };
        }
        const decisions = args.decision as DecisionKind[] | undefined;
        // "--decision" with nothing after it would filter nothing, silently.
        if (decisions !== undefined && decisions.length === 0) throw new UsageError(`--decision: expected one or more of ${DECISION_KINDS.join(', ')}, got nothing`);
        const accounts = (args.account as (string | number)[] | undefined)?.flatMap((v) => splitList(String(v)));
        if (accounts !== undefined && accounts.length === 0) throw new UsageError('--account: expected one or more 12-digit AWS account ids, got nothing');
        // --region filters too where the assets carry their region: an organization read (--regions,
        // --accounts) or a snapshot (a capture of a scope carries it; a plain one does not).
        const regions = o.region !== undefined && (o.regions !== undefined || o.accounts !== undefined || o.source?.startsWith('snapshot:') === true) ? [o.region] : undefined;
        const request: AssessFleetRequest = { ...(decisions ? { decisions } : {}), ...(accounts ? { accounts } : {}), ...(regions ? { regions } : {}) };
        const recorded: string[] = [];
        if (args.record === true) {
          // The whole fleet is recorded, whatever the filters show.
          const { recorded: ref, pruned } = await a.recordAssessment(await a.assessFleet({}), 'cli');
          recorded.push(`recorded assessment ${ref.id} (as of ${ref.at}, ${ref.findings} findings)${pruned ? `; pruned ${pruned} older than the retention` : ''}`);
        }
        if (o.json) return { json: await fleetJson(a, request), human: () => '', notes: recorded };
        const r = await a.assessFleet(request);
        return { json: r, human: (s) => renderFleet(r, s), warnings: r.warnings, notes: recorded };
      }),
    )
    .command(
      'findings <instance>',
      'active findings on one instance, highest risk first',
      (c) => instancePositional(c).option('min-severity', { type: 'string', describe: 'only findings at or above: informational, low, medium, high, critical' }),
      run(async (a, args) => {
        const r = await a.listFindings({
          instance: String(args.instance),
          ...(typeof args.minSeverity === 'string' ? { minSeverity: args.minSeverity } : {}),
        });
        return { json: r, human: (s) => renderFindings(r, s), warnings: r.warnings };
      }),
    )
    .command('plan', 'what to patch, when (quietest window before the due date) and in what order (waves)', (c) => c, run(async (a) => {
      const r = await a.planPatches();
      return { json: r, human: (s) => renderPlan(r, s), warnings: r.warnings };
    }))
    .command('compliance', 'patch compliance from Systems Manager', (c) => c, run(async (a) => {
      const r = await a.complianceSummary();
      return { json: r, human: (s) => renderCompliance(r, s), warnings: r.warnings };
    }))
    .command(
      'metrics <instance>',
      'CPU, network and status checks with anomalies',
      (c) => instancePositional(c).option('hours', hoursOption),
      run(async (a, args) => {
        const r = await a.metricsSummary({ instance: String(args.instance), hours: args.hours as number });
        return { json: r, human: (s) => renderMetrics(r, s), warnings: r.warnings };
      }),
    )
    .command(
      'activity <instance>',
      'CloudTrail events about an instance, with those worth a look flagged',
      (c) => instancePositional(c).option('hours', hoursOption),
      run(async (a, args) => {
        const r = await a.activityReport({ instance: String(args.instance), hours: args.hours as number });
        return { json: r, human: (s) => renderActivity(r, s), warnings: r.warnings };
      }),
    );
