/**
 * Answers as a platform-neutral document (title, facts, sections of lines, notes, buttons).
 * Slack renders it as Block Kit, Teams as an Adaptive Card; both then apply their own size
 * limits. Long lists are cut here, in terms a reader understands ("15 of 40 instances shown"),
 * so nothing disappears without a note saying so.
 */
import { DECISION_KINDS } from '../../../domain/vocabulary.js';
import type { Actor } from '../../../domain/access/actor.js';
import { acceptanceInstanceLabel } from '../../../domain/patch/acceptance.js';
import type { PatchRunReport, PatchRunStatus } from '../../../ports/inbound/patching/patch-runs.port.js';
import type { AssetReport, FindingReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import type { ChatAnswer } from './chat-answers.js';
import { awaitsApproval } from './chat-answers.js';
import { COMMAND_HELP, LEGACY_ALIASES } from './chat-command.js';
import type { ChatProblem } from './chat-errors.js';

/** How a surface marks up text. Every argument is data and is escaped by the markup. */
export interface Markup {
  text(s: string): string;
  bold(s: string): string;
  code(s: string): string;
  italic(s: string): string;
  /** An actor id as the surface shows people ("slack:U1" becomes a Slack mention). */
  user(actorId: string): string;
}

export interface Fact {
  readonly label: string;
  /** Marked up. */
  readonly value: string;
}

export interface DocSection {
  readonly heading: string | null;
  /** Marked up; a line may hold a line break. */
  readonly lines: readonly string[];
}

/** A decision button; the click comes back with `action` and `runId`. */
export interface DocAction {
  readonly action: 'approve' | 'reject';
  readonly label: string;
  readonly style: 'primary' | 'danger';
  readonly runId: string;
  /** A confirmation question, or null to act at once. */
  readonly confirm: string | null;
}

export interface ChatDoc {
  /** Plain text. */
  readonly title: string;
  readonly subtitle: string | null;
  readonly facts: readonly Fact[];
  readonly sections: readonly DocSection[];
  /** Warnings and what was left out; marked up. */
  readonly notes: readonly string[];
  readonly actions: readonly DocAction[];
}

/** What a document may say about the surface it is shown on. */
export interface Surface {
  /** How people type commands there: "/sre" on Slack, "sre" on Teams. */
  readonly command: string;
}

const LIMITS = { fleet: 15, instanceFindings: 8, findings: 40, planPerDecision: 10, waves: 10, compliance: 15, anomalies: 5, activity: 15, runs: 15, waveInstances: 10, warnings: 3, accepted: 5 };

const DECISION_MARK: Readonly<Record<string, string>> = {
  'patch-now': '🔴', 'next-window': '🟠', routine: '🔵', mitigate: '🟣', blocked: '⛔', none: '🟢',
};
const RUN_MARK: Readonly<Record<PatchRunStatus, string>> = {
  requested: '⏳', approved: '👍', rejected: '🚫', running: '▶️', verifying: '🔎', succeeded: '✅', halted: '⏸️', failed: '❌', cancelled: '✖️',
};

function doc(partial: Partial<ChatDoc> & Pick<ChatDoc, 'title'>): ChatDoc {
  return { subtitle: null, facts: [], sections: [], notes: [], actions: [], ...partial };
}

export function day(iso: string | null): string {
  return iso === null ? '-' : iso.slice(0, 10);
}

export function minute(iso: string | null): string {
  return iso === null ? '-' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function yesNo(b: boolean | null): string {
  return b === null ? 'unknown' : b ? 'yes' : 'no';
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function asOf(m: Markup, r: { source: string; generatedAt: string }): string {
  return m.text(`source ${r.source} · as of ${minute(r.generatedAt)}`);
}

function warnings(m: Markup, ws: readonly string[]): string[] {
  const shown = ws.slice(0, LIMITS.warnings).map((w) => `⚠️ ${m.text(clip(w, 400))}`);
  if (ws.length > LIMITS.warnings) shown.push(m.italic(`${ws.length - LIMITS.warnings} more warnings not shown`));
  return shown;
}

function cut(m: Markup, shown: number, total: number, what: string, where: string): string[] {
  return total > shown ? [m.italic(`${n(total - shown)} more ${what} not shown (${shown} of ${n(total)}); ${where}`)] : [];
}

function instanceName(m: Markup, a: { instanceId: string; name: string | null }): string {
  return a.name ? `${m.bold(a.name)} ${m.code(a.instanceId)}` : m.code(a.instanceId);
}

function decisionText(m: Markup, d: string): string {
  return `${DECISION_MARK[d] ?? ''} ${m.bold(d)}`.trim();
}

function findingLine(m: Markup, f: FindingReport): string {
  const tags = [f.severity, `risk ${f.riskScore.toFixed(1)}`, `SSVC ${f.ssvc}`, ...(f.inKev ? ['KEV'] : []), ...(f.exploitation !== 'none' ? [`exploit ${f.exploitation}`] : [])];
  const due = f.dueBy ? ` · due ${day(f.dueBy)}${f.overdue ? ' (overdue)' : ''}` : '';
  const fix = f.packages.map((p) => (p.fixedInVersion ? `${p.name} → ${p.fixedInVersion}` : p.name)).slice(0, 3).join(', ');
  const title = f.title ? `\n${m.text(clip(f.title, 140))}` : '';
  return `${m.bold(f.vulnerabilityId ?? f.type)} ${m.text(tags.join(' · ') + due)}${title}${fix ? `\n${m.text(`fix: ${clip(fix, 200)}`)}` : ''}`;
}

function assetLine(m: Markup, a: AssetReport): string {
  const top = a.findings[0];
  const facts = [a.environment ?? 'no environment tag', `${a.mission} mission`, ...(a.exposed ? ['exposed'] : []), ...(a.managed === false ? ['not SSM-managed'] : []), `${a.findings.length} findings`];
  return `${m.text(a.riskScore.toFixed(1))} ${instanceName(m, a)} ${decisionText(m, a.decision)}${a.dueBy ? m.text(` due ${day(a.dueBy)}`) : ''}\n` +
    m.text(facts.join(' · ')) + (top ? ` · top ${m.text(`${top.vulnerabilityId ?? top.type} (${top.ssvc})`)}` : '');
}

function runFacts(m: Markup, r: PatchRunReport): Fact[] {
  const instances = r.waves.reduce((k, w) => k + w.instances.length, 0);
  const approvals = r.approvals.map((a) => `${a.decision} by ${m.user(a.by)} ${m.text(minute(a.at))}`).join('\n');
  return [
    { label: 'Status', value: `${RUN_MARK[r.status] ?? ''} ${m.bold(r.status)}`.trim() },
    { label: 'Operation', value: m.text(`${r.operation === 'Scan' ? 'Scan (dry run: nothing installed)' : 'Install'} · ${r.rebootOption}`) },
    { label: 'Requested by', value: `${m.user(r.requestedBy)} ${m.text(minute(r.requestedAt))}` },
    { label: 'Instances', value: m.text(`${instances} in ${r.waves.length} wave${r.waves.length === 1 ? '' : 's'}`) },
    ...(r.needsApproval ? [{ label: 'Approval', value: approvals || m.text(`needed from someone other than the requester${r.approvalExpiresAt ? `; valid until ${minute(r.approvalExpiresAt)}` : ''}`) }] : []),
    ...(r.currentWave !== null ? [{ label: 'Current wave', value: m.text(String(r.currentWave)) }] : []),
    ...(r.reason ? [{ label: 'Reason', value: m.text(clip(r.reason, 300)) }] : []),
  ];
}

function waveLines(m: Markup, r: PatchRunReport): string[] {
  return r.waves.slice(0, LIMITS.waves).map((w) => {
    const names = w.instances.slice(0, LIMITS.waveInstances).map((i) => `${i.name ?? i.instanceId}${i.status !== 'pending' ? ` (${i.status}${i.detail ? `: ${clip(i.detail, 80)}` : ''})` : ''}`);
    const more = w.instances.length > LIMITS.waveInstances ? `, +${w.instances.length - LIMITS.waveInstances} more` : '';
    return `${m.bold(`Wave ${w.number}${w.canary ? ' (canary)' : ''}`)} ${m.text(`${w.status} · ${names.join(', ')}${more}`)}`;
  });
}

/** A patch run, with Approve / Reject buttons while it waits for a second person. */
export function runDocument(m: Markup, r: PatchRunReport, title = `Patch run ${r.id}`): ChatDoc {
  const waiting = awaitsApproval(r);
  const instances = r.waves.reduce((k, w) => k + w.instances.length, 0);
  return doc({
    title,
    subtitle: m.text(`updated ${minute(r.updatedAt)} · snapshot ${r.snapshotId}`),
    facts: runFacts(m, r),
    sections: [{ heading: 'Waves', lines: waveLines(m, r) }, ...(r.haltReason ? [{ heading: 'Why it stopped', lines: [m.text(r.haltReason)] }] : [])],
    notes: r.waves.length > LIMITS.waves ? [m.italic(`${r.waves.length - LIMITS.waves} more waves not shown`)] : [],
    actions: waiting ? decisionActions(r.id, instances, r.operation) : [],
  });
}

/**
 * The Approve / Reject buttons of a run waiting for a second person: in a run's message and in
 * the autopilot's approval requests (adapters/outbound/chat/slack-progress-poster.ts); a click
 * comes back to the bot as the same decision either way.
 */
export function decisionActions(runId: string, instances: number, operation: PatchRunReport['operation'] = 'Install'): DocAction[] {
  return [
    { action: 'approve', label: 'Approve', style: 'primary', runId, confirm: `Approve ${operation === 'Scan' ? 'a scan of' : 'patching'} ${instances} instance${instances === 1 ? '' : 's'} (run ${runId})?` },
    { action: 'reject', label: 'Reject', style: 'danger', runId, confirm: null },
  ];
}

export function answerDocument(answer: ChatAnswer, m: Markup, surface: Surface): ChatDoc {
  const cmd = surface.command;
  switch (answer.kind) {
    case 'help':
      return helpDocument(m, surface);
    case 'fleet': {
      const r = answer.report;
      const s = r.summary;
      const shown = r.assets.slice(0, LIMITS.fleet);
      return doc({
        title: 'Fleet risk',
        subtitle: asOf(m, r),
        facts: [
          { label: 'Instances', value: m.text(n(s.assets)) },
          { label: 'Active findings', value: m.text(`${n(s.findings)} (${n(s.bySsvc.act)} act, ${n(s.bySsvc.attend)} attend)`) },
          { label: 'Overdue', value: m.text(n(s.overdue)) },
          { label: 'Decisions', value: DECISION_KINDS.filter((d) => s.byDecision[d] > 0).map((d) => `${m.text(String(s.byDecision[d]))} ${decisionText(m, d)}`).join(', ') || m.text('no instances') },
          ...(s.accepted ? [{ label: 'Risk accepted', value: m.text(`${n(s.accepted)} findings`) }] : []),
        ],
        sections: [{ heading: null, lines: shown.map((a) => assetLine(m, a)) }],
        notes: [...cut(m, shown.length, r.assets.length, 'instances', `the riskiest are shown; \`${cmd} assess INSTANCE\` for one`), ...warnings(m, r.warnings)],
      });
    }
    case 'instance': {
      const r = answer.report;
      const a = r.asset;
      const top = a.findings.slice(0, LIMITS.instanceFindings);
      const accepted = a.accepted.slice(0, LIMITS.accepted);
      return doc({
        title: `${a.name ?? a.instanceId} (${a.instanceId})`,
        subtitle: asOf(m, r),
        facts: [
          { label: 'Risk', value: m.bold(a.riskScore.toFixed(1)) },
          { label: 'Decision', value: decisionText(m, a.decision) + (a.dueBy ? m.text(` by ${day(a.dueBy)}`) : '') },
          { label: 'Environment', value: m.text(a.environment ?? '-') },
          { label: 'Mission', value: m.text(a.mission) },
          { label: 'Exposed', value: m.text(yesNo(a.exposed)) },
          { label: 'SSM-managed', value: m.text(yesNo(a.managed)) },
          { label: 'Reboot expected', value: m.text(yesNo(a.rebootExpected)) },
          { label: 'Findings', value: m.text(`${a.findings.length}${a.accepted.length ? ` (+${a.accepted.length} risk-accepted)` : ''}`) },
          ...(a.autoScalingGroup ? [{ label: 'Auto Scaling group', value: m.code(a.autoScalingGroup) }] : []),
          ...(a.forensicTriage ? [{ label: 'Forensic triage', value: m.bold('yes: look for compromise before patching') }] : []),
        ],
        sections: [
          { heading: 'Why', lines: a.decisionReasons.map((x) => `• ${m.text(x)}`) },
          ...(top.length ? [{ heading: 'Top findings', lines: top.map((f) => findingLine(m, f)) }] : []),
          ...(accepted.length ? [{ heading: 'Risk accepted', lines: accepted.map((f) => `${m.bold(f.vulnerabilityId ?? f.type)} ${m.text(f.acceptance ? `until ${day(f.acceptance.until)} by ${f.acceptance.by}: ${clip(f.acceptance.reason, 120)}` : '')}`) }] : []),
        ],
        notes: [...cut(m, top.length, a.findings.length, 'findings', `\`${cmd} findings ${a.name ?? a.instanceId}\` lists them`), ...warnings(m, r.warnings)],
      });
    }
    case 'findings': {
      const r = answer.report;
      const shown = r.findings.slice(0, LIMITS.findings);
      return doc({
        title: `Findings on ${r.name ?? r.instanceId} (${r.instanceId})`,
        subtitle: asOf(m, r) + (r.minSeverity ? m.text(` · ${r.minSeverity} and above`) : ''),
        sections: [{ heading: null, lines: shown.length ? shown.map((f) => findingLine(m, f)) : [m.text('No active findings.')] }],
        notes: [
          ...cut(m, shown.length, r.findings.length, 'findings', 'the riskiest are shown; `sre-ops findings INSTANCE --json` or the HTTP API lists all'),
          ...(r.filteredOut ? [m.italic(`${r.filteredOut} below ${r.minSeverity ?? 'the filter'} left out`)] : []),
          ...warnings(m, r.warnings),
        ],
      });
    }
    case 'plan': {
      const r = answer.report;
      const sections = DECISION_KINDS.filter((d) => d !== 'none' && r.byDecision[d].length > 0).map((d) => {
        const list = r.byDecision[d];
        const lines = list.slice(0, LIMITS.planPerDecision).map((p) => {
          const when = p.window ? `window ${minute(p.window.start)}–${p.window.end.slice(11, 16)} (${p.window.source})` : 'no window';
          const wave = p.wave !== null ? `wave ${p.wave}${p.canary ? ' (canary)' : ''}` : 'no wave';
          const late = p.lateByHours !== null ? ` · late by ${p.lateByHours} h` : '';
          return `${instanceName(m, p)} ${m.text(`${wave} · ${when}${p.dueBy ? ` · due ${day(p.dueBy)}` : ''}${late}`)}`;
        });
        if (list.length > LIMITS.planPerDecision) lines.push(m.italic(`${list.length - LIMITS.planPerDecision} more not shown`));
        return { heading: `${DECISION_MARK[d] ?? ''} ${d} (${list.length})`.trim(), lines };
      });
      const waves = r.waves.slice(0, LIMITS.waves).map((w) => `${m.bold(`Wave ${w.number}`)} ${m.text(`${w.stage}${w.canary ? ' · canary' : ''} · ${w.decision} · ${w.instanceIds.length} instance${w.instanceIds.length === 1 ? '' : 's'}`)}`);
      return doc({
        title: 'Patch plan',
        subtitle: asOf(m, r),
        facts: [
          { label: 'Max concurrency', value: m.text(r.rollout.maxConcurrency) },
          { label: 'Max errors', value: m.text(r.rollout.maxErrors) },
          { label: 'Waves', value: m.text(String(r.waves.length)) },
        ],
        sections: [...sections, ...(waves.length ? [{ heading: 'Waves', lines: waves }] : [])],
        notes: [
          ...(sections.length ? [] : [m.text('Nothing needs patching.')]),
          ...cut(m, waves.length, r.waves.length, 'waves', 'the CLI shows them all'),
          ...r.notes.slice(0, 3).map((x) => m.text(clip(x, 400))),
          m.italic(`\`${cmd} patch INSTANCE...\` or \`${cmd} patch --plan\` requests a run`),
          ...warnings(m, r.warnings),
        ],
      });
    }
    case 'compliance': {
      const r = answer.report;
      const bad = r.perInstance.filter((i) => i.status !== 'compliant');
      const shown = bad.slice(0, LIMITS.compliance);
      return doc({
        title: 'Patch compliance',
        subtitle: asOf(m, r),
        facts: [
          { label: 'Compliant', value: m.bold(r.compliancePercent === null ? 'unknown' : `${r.compliancePercent.toFixed(0)}%`) + m.text(` (${r.compliant} of ${r.withPatchState} with a patch state)`) },
          { label: 'Non-compliant', value: m.text(String(r.nonCompliant)) },
          { label: 'SSM-managed', value: m.text(r.managed === null ? 'unknown' : `${r.managed} of ${r.instances}`) },
          { label: 'Missing patches', value: m.text(n(r.missing)) },
          { label: 'Failed patches', value: m.text(n(r.failed)) },
          { label: 'Pending reboot', value: m.text(n(r.pendingReboot)) },
          { label: 'Critical non-compliant', value: m.text(n(r.criticalNonCompliant)) },
          { label: 'Security non-compliant', value: m.text(n(r.securityNonCompliant)) },
        ],
        sections: shown.length
          ? [{
              heading: 'Not compliant or unknown',
              lines: shown.map((i) => `${instanceName(m, i)} ${m.text(`${i.status}${i.managed === false ? ' · not SSM-managed' : ''} · ${i.missing} missing · ${i.failed} failed · ${i.criticalNonCompliant} critical${i.lastOperation ? ` · last ${i.lastOperation} ${day(i.lastOperationAt)}` : ''}`)}`),
            }]
          : [],
        notes: [...cut(m, shown.length, bad.length, 'instances', 'the CLI `sre-ops compliance` lists all'), ...warnings(m, r.warnings)],
      });
    }
    case 'metrics': {
      const r = answer.report;
      const label: Record<string, string> = { cpu: 'CPU %', networkIn: 'Network in (bytes)', networkOut: 'Network out (bytes)', statusCheckFailed: 'Status check failed' };
      const fmt = (x: number | null): string => (x === null ? '-' : Math.abs(x) >= 1000 ? n(Math.round(x)) : x.toFixed(1));
      const entries = Object.values(r.metrics);
      const anomalies = entries.flatMap((s) => s.anomalies.map((a) => ({ metric: s.metric, ...a }))).sort((x, y) => Math.abs(y.score) - Math.abs(x.score));
      return doc({
        title: `Metrics: ${r.name ?? r.instanceId} (${r.instanceId})`,
        subtitle: m.text(`last ${r.hours} h, ${r.periodSeconds / 60}-minute points · source ${r.source} · as of ${minute(r.generatedAt)}`),
        facts: entries.map((s) => ({
          label: label[s.metric] ?? s.metric,
          value: s.count === 0 ? m.text('no data') : m.text(`mean ${fmt(s.mean)} · p95 ${fmt(s.p95)} · max ${fmt(s.max)} · trend ${s.trendPerHour === null ? '-' : `${s.trendPerHour >= 0 ? '+' : ''}${fmt(s.trendPerHour)}/h`}`),
        })),
        sections: anomalies.length
          ? [{ heading: `Anomalies (${anomalies.length})`, lines: anomalies.slice(0, LIMITS.anomalies).map((a) => m.text(`${label[a.metric] ?? a.metric} ${fmt(a.v)} at ${minute(new Date(a.t).toISOString())} (robust z ${a.score.toFixed(1)})`)) }]
          : [{ heading: null, lines: [m.text('No anomalies.')] }],
        notes: [...cut(m, Math.min(anomalies.length, LIMITS.anomalies), anomalies.length, 'anomalies', 'the strongest are shown'), ...warnings(m, r.warnings)],
      });
    }
    case 'activity': {
      const r = answer.report;
      const flagged = r.events.filter((e) => e.flags.length > 0);
      const shown = flagged.slice(0, LIMITS.activity);
      return doc({
        title: `Activity: ${r.name ?? r.instanceId} (${r.instanceId})`,
        subtitle: m.text(`${minute(r.start)} to ${minute(r.end)} · source ${r.source}`),
        facts: [
          { label: 'Events', value: m.text(n(r.total)) },
          { label: 'Flagged', value: r.flagged ? m.bold(n(r.flagged)) : m.text('0') },
        ],
        sections: shown.length
          ? [{
              heading: 'Worth a look',
              lines: shown.map((e) => `${m.bold(e.eventName)} ${m.text(`${minute(e.eventTime)} · ${e.username ?? e.userIdentityType ?? 'unknown user'}${e.sourceIpAddress ? ` from ${e.sourceIpAddress}` : ''}${e.errorCode ? ` · ${e.errorCode}` : ''}`)}\n${m.text(e.flags.map((f) => f.reason).join('; '))}`),
            }]
          : [{ heading: null, lines: [m.text('Nothing flagged.')] }],
        notes: [...cut(m, shown.length, flagged.length, 'flagged events', 'the newest are shown'), ...(r.total > r.flagged ? [m.italic(`${n(r.total - r.flagged)} unflagged events not listed`)] : []), ...warnings(m, r.warnings)],
      });
    }
    case 'patch-requested':
      return runDocument(m, answer.run, awaitsApproval(answer.run) ? `Patch run ${answer.run.id} needs approval` : `Patch run ${answer.run.id} requested`);
    case 'run':
      return runDocument(m, answer.run);
    case 'runs': {
      const shown = answer.runs.slice(0, LIMITS.runs);
      return doc({
        title: 'Patch runs',
        sections: [{
          heading: null,
          lines: shown.length
            ? shown.map((r) => `${RUN_MARK[r.status] ?? ''} ${m.code(r.id)} ${m.bold(r.status)} ${m.text(`· ${r.operation} · ${r.waves.reduce((k, w) => k + w.instances.length, 0)} instances · ${minute(r.requestedAt)} by`)} ${m.user(r.requestedBy)}`)
            : [m.text('No patch runs yet.')],
        }],
        notes: [...cut(m, shown.length, answer.runs.length, 'runs', 'the newest are shown'), m.italic(`\`${cmd} status RUN\` shows one run`)],
      });
    }
    case 'acceptance': {
      const a = answer.acceptance;
      return doc({
        title: `Risk accepted: ${a.vulnerabilityId}`,
        facts: [
          { label: 'Where', value: a.instanceId ? m.code(acceptanceInstanceLabel(a) ?? a.instanceId) : m.text('the whole fleet') },
          { label: 'Until', value: m.text(minute(a.until)) },
          { label: 'Accepted by', value: m.user(a.acceptedBy) },
          { label: 'Reason', value: m.text(clip(a.reason, 500)) },
          { label: 'Id', value: m.code(a.id) },
        ],
        notes: [m.italic('the finding stops counting toward risk until then; it still shows in reports as accepted')],
      });
    }
  }
}

export function helpDocument(m: Markup, surface: Surface): ChatDoc {
  const legacy = Object.entries(LEGACY_ALIASES).map(([alias, a]) => `${alias} → ${a.subcommand}`).join(', ');
  return doc({
    title: 'SRE assistant',
    subtitle: m.text('Risk, patch plans and patch runs for the EC2 fleet. INSTANCE is an instance id or Name tag.'),
    sections: [{ heading: 'Commands', lines: COMMAND_HELP.map((c) => `${m.code(`${surface.command} ${c.usage}`)}  ${m.text(c.summary)}`) }],
    notes: [
      m.text('Answers to reads are visible to you only. A patch run that touches production or patch-now instances needs a second person to approve it.'),
      ...(surface.command.startsWith('/') ? [m.text(`Older commands still work: ${legacy}.`)] : []),
    ],
  });
}

export function problemDocument(m: Markup, p: ChatProblem): ChatDoc {
  return doc({
    title: p.title,
    sections: [{ heading: null, lines: [m.text(p.text)] }],
    notes: p.hints.map((h) => markHint(m, h)),
  });
}

/** Hints carry `code` spans in backticks; everything else is data. */
function markHint(m: Markup, hint: string): string {
  return hint.split(/(`[^`]*`)/).map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? m.code(part.slice(1, -1)) : m.text(part))).join('');
}

/** The one-line acknowledgement of a command whose answer follows. */
export function workingText(surface: Surface, commandText: string): string {
  return `⏳ Working on \`${surface.command} ${clip(commandText.trim(), 200)}\`…`;
}

/** Who an actor is, for a log line or a message. */
export function actorLabel(a: Actor): string {
  return a.displayName ? `${a.displayName} (${a.id})` : a.id;
}
