/**
 * The read-only tools: one use case each, bounded by shapes.ts, with a summary an agent can
 * quote. None of them changes anything (annotated readOnlyHint).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { AssessFleetRequest } from '../../../ports/inbound/assessment/assess-fleet.port.js';
import type { AssetReport, FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import type { DecisionKind } from '../../../domain/patch/decision.js';
import type { Mission } from '../../../domain/policy.js';
import { explainFinding } from './explain-finding.js';
import {
  AssessFleetInput, AssessFleetOutput, AssessInstanceInput, AssessInstanceOutput, ExplainFindingInput, ExplainFindingOutput,
  InstanceActivityInput, InstanceActivityOutput, InstanceMetricsInput, InstanceMetricsOutput, ListFindingsInput, ListFindingsOutput,
  PatchComplianceInput, PatchComplianceOutput, PlanPatchesInput, PlanPatchesOutput, type PageOut,
} from './schemas.js';
import { activityOut, complianceOut, findingsOut, fleetOut, instanceOut, metricsOut, planOut } from './shapes.js';
import { addTool } from './tool-result.js';

function list<T>(v: T | readonly T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? [...(v as readonly T[])] : [v as T];
}

function label(r: { readonly instanceId: string; readonly name: string | null }): string {
  return r.name ? `${r.name} (${r.instanceId})` : r.instanceId;
}

function counts(record: Readonly<Record<string, number>>): string {
  const parts = Object.entries(record).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The page note and the number of warnings, appended to every summary. */
function tail(page: PageOut | null, warnings: readonly string[]): string {
  const parts: string[] = [];
  if (page?.note) parts.push(`${page.note}.`);
  if (warnings.length) parts.push(`${warnings.length} warning${warnings.length === 1 ? '' : 's'} (partial data): see warnings.`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/**
 * The fleet report for one page of assess_fleet. With a streamed report (an Assistant without a
 * cache: MCP over stdio, the library) every asset's report is built when reached, counted, and
 * kept only if it falls on the page: the report of the whole fleet never exists at once, and
 * `assets` holds the page's assets at their positions (the rest are holes, so its length is the
 * count). A cached Assistant (the HTTP service) hides streamFleet: its cached report is paged.
 */
async function fleetWithPage(assistant: Assistant, request: AssessFleetRequest, pageOf: { readonly offset: number; readonly limit: number }): Promise<FleetReport> {
  if (assistant.streamFleet === undefined) return assistant.assessFleet(request);
  const s = await assistant.streamFleet(request);
  const assets = new Array<AssetReport>(s.count);
  let i = 0;
  for (const a of s.assets) {
    if (i >= pageOf.offset && i < pageOf.offset + pageOf.limit) assets[i] = a;
    i++;
  }
  return { generatedAt: s.generatedAt, asOf: s.asOf, source: s.source, assets, summary: s.summary(), warnings: s.warnings, ...(s.partial ? { partial: true } : {}) };
}

export function registerReadTools(server: McpServer, assistant: Assistant, log: (line: string) => void): void {
  addTool(server, {
    name: 'assess_fleet',
    title: 'Assess the fleet',
    description:
      'Ranks EC2 instances by vulnerability risk (CISA SSVC, BOD 26-04 timelines, EPSS, KEV), highest first, each with its patch decision ' +
      '(patch-now, next-window, routine, mitigate, blocked, none), due date and riskiest findings. Filter by decision, mission or exposure; ' +
      'results are paged (limit, offset) and the summary counts every match.',
    input: AssessFleetInput,
    output: AssessFleetOutput,
    readOnly: true,
    async run(args) {
      const decisions = list<DecisionKind>(args.decision);
      const missions = list<Mission>(args.mission);
      const r = await fleetWithPage(assistant, {
        ...(decisions.length ? { decisions } : {}),
        ...(missions.length ? { missions } : {}),
        ...(args.exposed !== undefined ? { exposed: args.exposed } : {}),
        ...(args.account !== undefined ? { accounts: list<string>(args.account) } : {}),
        ...(args.region !== undefined ? { regions: list<string>(args.region) } : {}),
      }, args);
      const value = fleetOut(r, args);
      const top = value.assets.slice(0, 3).map((a) => `${label(a)} ${a.decision} ${a.riskScore}`);
      const s = r.summary;
      return {
        value,
        summary:
          `${s.assets} assets match (${counts(s.byDecision)}), ${s.findings} findings (${s.overdue} overdue).` +
          (s.byAccount ? ` By account: ${counts(s.byAccount)}.` : '') +
          (r.partial ? ' PARTIAL: an account or region could not be read.' : '') +
          (top.length ? ` Riskiest: ${top.join('; ')}.` : '') +
          tail(value.page, value.warnings),
      };
    },
  }, log);

  addTool(server, {
    name: 'assess_instance',
    title: 'Assess one instance',
    description: "One instance (id or Name tag): its risk score and why, patch decision and due date, and its findings, highest risk first (paged).",
    input: AssessInstanceInput,
    output: AssessInstanceOutput,
    readOnly: true,
    async run(args) {
      const value = instanceOut(await assistant.assessInstance(args.instance), args);
      const a = value.asset;
      return {
        value,
        summary: `${label(a)}: ${a.decision}${a.dueBy ? ` by ${a.dueBy}` : ''}, risk ${a.riskScore}, ${value.page.total} counted findings.` + tail(value.page, value.warnings),
      };
    },
  }, log);

  addTool(server, {
    name: 'list_findings',
    title: 'List findings on an instance',
    description: 'The active findings on one instance in full (CVSS, EPSS, KEV, SSVC outcome, timeline, packages and fixes, score reasons), highest risk first, optionally at or above a severity (paged).',
    input: ListFindingsInput,
    output: ListFindingsOutput,
    readOnly: true,
    async run(args) {
      const r = await assistant.listFindings({ instance: args.instance, ...(args.minSeverity ? { minSeverity: args.minSeverity } : {}) });
      const value = findingsOut(r, args);
      const below = r.filteredOut ? ` (${r.filteredOut} below ${args.minSeverity} left out)` : '';
      return { value, summary: `${label(r)}: ${value.page.total} findings${below}.` + tail(value.page, value.warnings) };
    },
  }, log);

  addTool(server, {
    name: 'plan_patches',
    title: 'Plan patching',
    description: 'What to patch, when and in what order: a window before each due date (the quietest hours from CPU history), waves (non-production first, a canary, Auto Scaling groups kept at capacity) and rollout limits (paged).',
    input: PlanPatchesInput,
    output: PlanPatchesOutput,
    readOnly: true,
    async run(args) {
      const value = planOut(await assistant.planPatches(), { ...args, decisions: list<DecisionKind>(args.decision) });
      return {
        value,
        summary: `${value.waves.length} waves; instances by decision: ${counts(value.counts)}; rollout ${value.rollout.maxConcurrency} at a time, error limit ${value.rollout.maxErrors}.` + tail(value.page, value.warnings),
      };
    },
  }, log);

  addTool(server, {
    name: 'patch_compliance',
    title: 'Patch compliance',
    description: 'Patch compliance across the fleet from Systems Manager (missing, failed and pending-reboot patches per instance), non-compliant first (paged).',
    input: PatchComplianceInput,
    output: PatchComplianceOutput,
    readOnly: true,
    async run(args) {
      const value = complianceOut(await assistant.complianceSummary(), args);
      const s = value.summary;
      return {
        value,
        summary: `${s.compliant} of ${s.withPatchState} instances with a patch state are compliant` + (s.compliancePercent !== null ? ` (${s.compliancePercent}%)` : '') + `; ${s.nonCompliant} non-compliant, ${s.missing} missing patches.` + tail(value.page, value.warnings),
      };
    },
  }, log);

  addTool(server, {
    name: 'instance_metrics',
    title: 'Instance metrics',
    description: 'CPU, network and status-check summaries (mean, p95, trend) for one instance over the last hours, with robust anomalies, strongest first.',
    input: InstanceMetricsInput,
    output: InstanceMetricsOutput,
    readOnly: true,
    async run(args) {
      const value = metricsOut(await assistant.metricsSummary({ instance: args.instance, hours: args.hours }), args.maxAnomalies);
      const cpu = value.metrics.cpu;
      const anomalies = Object.values(value.metrics).reduce((n, m) => n + m.anomalyCount, 0);
      return {
        value,
        summary: `${label(value)} over ${value.hours} h: CPU mean ${cpu.mean === null ? 'n/a' : `${cpu.mean.toFixed(1)}%`}, p95 ${cpu.p95 === null ? 'n/a' : `${cpu.p95.toFixed(1)}%`}; ${anomalies} anomalies.` + (value.note ? ` ${value.note}.` : '') + tail(null, value.warnings),
      };
    },
  }, log);

  addTool(server, {
    name: 'instance_activity',
    title: 'Instance activity',
    description: 'CloudTrail events about one instance over the last hours, newest first, with those worth a look flagged (root user, sensitive calls, errors, unknown networks) (paged).',
    input: InstanceActivityInput,
    output: InstanceActivityOutput,
    readOnly: true,
    async run(args) {
      const value = activityOut(await assistant.activityReport({ instance: args.instance, hours: args.hours }), args);
      return { value, summary: `${label(value)} over ${value.hours} h: ${value.total} events, ${value.flagged} flagged.` + tail(value.page, value.warnings) };
    },
  }, log);

  addTool(server, {
    name: 'explain_finding',
    title: 'Explain a finding',
    description:
      'Why a finding on an instance got its SSVC outcome and BOD 26-04 timeline: every decision input (exploitation, automatable, technical impact, ' +
      'mission, KEV, exposure) with where it came from, and the table row used (cite resources sre-ops://tables/ssvc and sre-ops://tables/bod-26-04).',
    input: ExplainFindingInput,
    output: ExplainFindingOutput,
    readOnly: true,
    async run(args) {
      const value = explainFinding(await assistant.assessInstance(args.instance), args.vulnerabilityId, assistant.policy);
      const lines = value.explanations.map(
        (e) => `${e.vulnerabilityId ?? e.findingArn}: SSVC ${e.ssvc.outcome} (row ${e.ssvc.row.number}, mission ${e.ssvc.column}), BOD 26-04 ${e.timeline.outcome} (row ${e.timeline.row.number})` + (e.timeline.dueBy ? `, due ${e.timeline.dueBy}${e.timeline.overdue ? ' (overdue)' : ''}` : ''),
      );
      return { value, summary: `${label(value)}: ${lines.join('; ')}.` + tail(null, value.warnings) };
    },
  }, log);
}
