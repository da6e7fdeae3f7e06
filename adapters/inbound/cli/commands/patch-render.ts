/** Terminal renderings of patch runs, acceptances, schedules and the audit log. */
import { acceptanceInstanceLabel } from '../../../../domain/patch/acceptance.js';
import type { AcceptanceReport } from '../../../../ports/inbound/acceptances/acceptances.port.js';
import type { AuditEntryReport, AuditVerificationReport } from '../../../../ports/inbound/audit/audit.port.js';
import type { PatchRunReport, RunProgress } from '../../../../ports/inbound/patching/patch-runs.port.js';
import type { ScheduleReport } from '../../../../ports/inbound/patching/schedules.port.js';
import type { AutopilotStatus } from '../../../../ports/inbound/patching/autopilot.port.js';
import { minute, table, type Colour, type Style } from '../terminal.js';

const STATUS_COLOUR: Readonly<Record<string, Colour>> = {
  requested: 'yellow', approved: 'cyan', running: 'cyan', verifying: 'cyan', succeeded: 'green', halted: 'red', failed: 'red',
  cancelled: 'magenta', rejected: 'magenta', pending: 'dim', sent: 'cyan', 'in-progress': 'cyan', regressed: 'red', 'timed-out': 'red', skipped: 'dim',
};

export function status(s: Style, text: string): string {
  return s.paint(STATUS_COLOUR[text] ?? 'bold', text);
}

function instanceCount(r: PatchRunReport): number {
  return r.waves.reduce((n, w) => n + w.instances.length, 0);
}

/** The operation as a person reads it: a dry run (Scan) installs nothing and never reboots. */
function operationText(r: PatchRunReport): string {
  return r.operation === 'Scan' ? 'Scan (dry run: nothing installed, no reboot)' : `Install (${r.rebootOption})`;
}

/** One line: what the run does, for a confirmation question. */
export function runSummary(r: PatchRunReport): string {
  const waves = r.waves.length;
  const need = r.needsApproval ? `; needs approval by someone other than ${r.requestedBy} (${r.approvalWhy ?? 'production or patch-now'})` : '';
  return `AWS-RunPatchBaseline ${operationText(r)} on ${instanceCount(r)} instance${instanceCount(r) === 1 ? '' : 's'} in ${waves} wave${waves === 1 ? '' : 's'}${need}${r.simulated ? '; SIMULATED (demo source: nothing is sent to AWS)' : ''}`;
}

/** What to do next with a run, as a command line. */
export function nextStep(r: PatchRunReport): string | null {
  if (r.status === 'requested') return `approve it (someone other than ${r.requestedBy}): sre-ops approve ${r.id}`;
  if (r.status === 'approved' && r.approvalExpired) return `its approval expired: sre-ops approve ${r.id} (someone other than ${r.requestedBy})`;
  if (r.status === 'approved') return `execute it: sre-ops run ${r.id}`;
  if (r.status === 'running' || r.status === 'verifying') return `follow it: sre-ops run ${r.id} --watch (or resume it after a crash: sre-ops run ${r.id})`;
  return null;
}

export function renderRun(r: PatchRunReport, s: Style): string {
  let out = `${s.paint('bold', `run ${r.id}`)}  ${status(s, r.status)}  ${operationText(r)}${r.simulated ? s.paint('magenta', '  SIMULATED (demo source: nothing is sent to AWS)') : ''}\n`;
  out += `requested by ${r.requestedBy} at ${minute(r.requestedAt)} UTC${r.reason ? `: ${r.reason}` : ''}${r.source ? ` (source ${r.source})` : ''}\n`;
  if (r.window) out += `autopilot: starts within its window ${minute(r.window.start)} to ${minute(r.window.end)} UTC\n`;
  if (r.needsApproval) {
    const given = r.approvals.filter((a) => a.decision === 'approved').map((a) => `${a.by} at ${minute(a.at)}`);
    out += `approval needed (${r.approvalWhy ?? 'production or patch-now'})${given.length ? `; approved by ${given.join(', ')}` : ''}`;
    out += r.approvalExpiresAt ? `; ${r.approvalExpired ? s.paint('red', 'expired') : 'valid until'} ${minute(r.approvalExpiresAt)} UTC\n` : '\n';
  } else {
    out += 'no approval needed\n';
  }
  for (const a of r.approvals.filter((x) => x.decision === 'rejected')) out += `${s.paint('red', 'rejected')} by ${a.by} at ${minute(a.at)}${a.comment ? `: ${a.comment}` : ''}\n`;
  if (r.haltReason) out += `${s.paint('red', 'stopped')}: ${r.haltReason}\n`;
  out += '\n';
  const rows = r.waves.flatMap((w) => w.instances.map((i) => ({ w, i })));
  out += table(rows, [
    { header: 'WAVE', cell: ({ w }) => `${w.number}${w.canary ? ' canary' : ''}` },
    { header: 'STAGE', cell: ({ w }) => w.stage ?? '-' },
    { header: 'WAVE STATUS', cell: ({ w }) => status(s, w.status) },
    { header: 'INSTANCE', cell: ({ i }) => i.instanceId },
    { header: 'NAME', cell: ({ i }) => i.name ?? '-', max: 24 },
    { header: 'PROD', cell: ({ i }) => (i.production ? 'yes' : 'no') },
    { header: 'STATUS', cell: ({ i }) => status(s, i.status) },
    { header: 'DETAIL', cell: ({ i }) => i.detail ?? '', max: 70 },
  ], s);
  // What each verified instance's result rests on, in full (the table cuts DETAIL short).
  const verified = rows.filter(({ i }) => i.evidence?.length);
  if (verified.length) {
    out += `
${s.paint('bold', 'verification evidence')}
`;
    for (const { w, i } of verified) {
      out += `wave ${w.number}: ${i.name ? `${i.name} (${i.instanceId})` : i.instanceId} ${status(s, i.status)}
`;
      for (const line of i.evidence ?? []) out += `  ${line}
`;
    }
  }
  const next = nextStep(r);
  if (next) out += `\nnext: ${next}\n`;
  return out;
}

export function renderRuns(runs: readonly PatchRunReport[], s: Style): string {
  if (!runs.length) return 'no patch runs\n';
  return table(runs, [
    { header: 'RUN', cell: (r) => r.id },
    { header: 'STATUS', cell: (r) => status(s, r.status) },
    { header: 'OP', cell: (r) => r.operation },
    { header: 'INSTANCES', cell: (r) => String(instanceCount(r)), align: 'right' },
    { header: 'WAVE', cell: (r) => (r.currentWave === null ? '-' : `${r.currentWave}/${r.waves.length}`) },
    { header: 'REQUESTED BY', cell: (r) => r.requestedBy },
    { header: 'AT', cell: (r) => minute(r.requestedAt) },
    { header: 'APPROVAL', cell: (r) => (!r.needsApproval ? 'not needed' : r.approvals.some((a) => a.decision === 'approved') ? (r.approvalExpired ? 'expired' : 'given') : 'needed') },
    { header: 'SOURCE', cell: (r) => `${r.source ?? '-'}${r.simulated ? ' (simulated)' : ''}`, max: 30 },
    { header: 'WHY STOPPED', cell: (r) => r.haltReason ?? '', max: 60 },
  ], s);
}

export function renderProgress(p: RunProgress): string {
  return `[${p.runId}${p.wave !== null ? ` w${p.wave}` : ''}] ${p.message}`;
}

/** Lines saying what changed between two reads of a run (for --watch). */
export function progressBetween(before: PatchRunReport | null, after: PatchRunReport): string[] {
  const lines: string[] = [];
  if (!before || before.status !== after.status) lines.push(`run ${after.status}${after.currentWave ? ` (wave ${after.currentWave}/${after.waves.length})` : ''}`);
  for (const w of after.waves) {
    const old = before?.waves.find((x) => x.number === w.number);
    if (old && old.status !== w.status) lines.push(`wave ${w.number} ${w.status}${w.commandId ? ` (command ${w.commandId})` : ''}`);
    for (const i of w.instances) {
      const was = old?.instances.find((x) => x.instanceId === i.instanceId);
      if (was && was.status !== i.status) lines.push(`wave ${w.number}: ${i.name ?? i.instanceId} ${i.status}${i.detail ? `: ${i.detail}` : ''}`);
    }
  }
  if (after.haltReason && before?.haltReason !== after.haltReason) lines.push(`stopped: ${after.haltReason}`);
  return lines;
}

export function renderAcceptances(list: readonly AcceptanceReport[], s: Style): string {
  if (!list.length) return 'no risk acceptances in force\n';
  return table(list, [
    { header: 'ID', cell: (a) => a.id },
    { header: 'VULNERABILITY', cell: (a) => a.vulnerabilityId },
    { header: 'SCOPE', cell: (a) => acceptanceInstanceLabel(a) ?? 'fleet' },
    { header: 'UNTIL', cell: (a) => (a.expired ? s.paint('dim', `${minute(a.until)} (${a.revokedBy ? `revoked by ${a.revokedBy}` : 'expired'})`) : minute(a.until)) },
    { header: 'BY', cell: (a) => a.acceptedBy },
    { header: 'AT', cell: (a) => minute(a.acceptedAt) },
    { header: 'REASON', cell: (a) => a.reason, max: 60 },
  ], s);
}

export function renderAcceptance(a: AcceptanceReport): string {
  return `${a.id}: ${a.vulnerabilityId} accepted ${a.instanceId ? `on ${acceptanceInstanceLabel(a) ?? a.instanceId}` : 'fleet-wide'} by ${a.acceptedBy} until ${minute(a.until)} UTC${a.revokedBy ? ` (revoked by ${a.revokedBy})` : ''}: ${a.reason}\n`;
}

export function renderSchedules(list: readonly ScheduleReport[], s: Style): string {
  if (!list.length) return 'no patch schedules\n';
  return table(list, [
    { header: 'WINDOW', cell: (w) => w.windowId },
    { header: 'NAME', cell: (w) => w.name, max: 40 },
    { header: 'SCHEDULE', cell: (w) => w.schedule },
    { header: 'HOURS', cell: (w) => `${w.durationHours} (cutoff ${w.cutoffHours})` },
    { header: 'ENABLED', cell: (w) => (w.enabled ? 'yes' : 'no') },
    { header: 'TARGETS', cell: (w) => w.targets.join(', '), max: 60 },
  ], s);
}

/** What `audit verify` found: the count and the head to anchor, or the first break. */
export function renderAuditVerification(v: AuditVerificationReport, s: Style): string {
  const head = v.head ? `head: seq ${v.head.seq}, hash ${v.head.hash}` : 'head: none (empty log)';
  if (v.ok) return `${s.paint('green', 'audit log intact')}: ${v.entries} ${v.entries === 1 ? 'entry' : 'entries'} chained\n${head}\n(keep the head elsewhere: a later verify that shows a different chain up to that seq means it was rewritten)\n`;
  const b = v.firstBreak;
  return `${s.paint('red', 'audit log broken')} at entry ${b?.position ?? '?'} of ${v.entries}${b?.id ? ` (id ${b.id}${b.seq !== null ? `, seq ${b.seq}` : ''})` : ''}: ${b?.problem ?? ''}\nlast intact ${head}\n`;
}

export function renderAudit(list: readonly AuditEntryReport[], s: Style): string {
  if (!list.length) return 'no audit entries\n';
  const colour: Record<string, Colour> = { ok: 'green', denied: 'red', failed: 'yellow' };
  return table(list, [
    { header: 'AT', cell: (e) => e.at.replace('T', ' ').slice(0, 19) },
    { header: 'ACTOR', cell: (e) => `${e.actor} (${e.via})`, max: 30 },
    { header: 'ACTION', cell: (e) => e.action },
    { header: 'TARGET', cell: (e) => e.target, max: 30 },
    { header: 'RESULT', cell: (e) => s.paint(colour[e.result] ?? 'bold', e.result) },
    { header: 'DETAIL', cell: (e) => e.detail ?? '', max: 80 },
  ], s);
}

/** What `autopilot status` found: the windows due, and the runs the autopilot made. */
export function renderAutopilot(st: AutopilotStatus, s: Style): string {
  if (!st.enabled) return `autopilot is off (policy autopilot.enabled is false)${st.runs.length ? `; ${st.runs.length} run(s) it made before are listed by \`runs\`` : ''}\n`;
  const due = st.due.length
    ? table(st.due, [
        { header: 'RUN (TO BE MADE)', cell: (w) => w.runId },
        { header: 'WINDOW', cell: (w) => `${minute(w.start)} to ${minute(w.end)}` },
        { header: 'MADE AT', cell: (w) => minute(w.createAt) },
        { header: 'APPROVAL', cell: (w) => (w.standing ? 'standing approval at start' : `a person, by ${minute(w.approveBy)}`) },
        { header: 'INSTANCES', cell: (w) => w.instances.map((i) => i.name ?? i.instanceId).join(', '), max: 60 },
      ], s)
    : 'no window due\n';
  const runs = st.runs.length
    ? table(st.runs, [
        { header: 'RUN', cell: (r) => r.runId },
        { header: 'STATUS', cell: (r) => r.status },
        { header: 'WINDOW', cell: (r) => (r.start && r.end ? `${minute(r.start)} to ${minute(r.end)}` : '') },
        { header: 'APPROVED BY', cell: (r) => r.approvedBy ?? '' },
        { header: 'NOTE', cell: (r) => r.haltReason ?? '', max: 80 },
      ], s)
    : 'no runs made by the autopilot\n';
  return `${s.paint('bold', 'due')} (as of ${minute(st.now)})\n${due}\n${s.paint('bold', 'made')}\n${runs}`;
}
