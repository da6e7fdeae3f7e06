/** Human renderings of the history reports: what changed, the trend. */
import { DECISION_KINDS, SSVC_OUTCOMES } from '../../../../domain/vocabulary.js';
import type { ChangedFinding, ChangesReport, TrendReport } from '../../../../ports/inbound/history/history.port.js';
import { day, minute, table, type Style } from '../terminal.js';

function who(f: { instanceId: string; name: string | null }): string {
  return f.name ? `${f.name} (${f.instanceId})` : f.instanceId;
}

function section(s: Style, title: string, rows: readonly ChangedFinding[], extra?: (f: ChangedFinding) => string): string {
  if (!rows.length) return '';
  return `\n${s.paint('bold', `${title} (${rows.length})`)}\n${table(rows, [
    { header: 'INSTANCE', cell: who, max: 40 },
    { header: 'ADVISORY', cell: (f) => f.advisoryId, max: 40 },
    { header: 'SSVC', cell: (f) => (f.before && f.before.ssvc !== f.ssvc ? `${f.before.ssvc} → ${f.ssvc}` : f.ssvc) },
    { header: 'TIMELINE', cell: (f) => f.timeline ?? '-' },
    { header: 'DUE', cell: (f) => day(f.dueBy) },
    { header: 'KEV', cell: (f) => (f.inKev ? 'yes' : 'no') },
    ...(extra ? [{ header: 'WHAT', cell: extra, max: 40 }] : []),
  ], s)}`;
}

export function renderChanges(r: ChangesReport, s: Style): string {
  let out = `${s.paint('bold', 'What changed')}  `;
  if (!r.from || !r.to) return `${out}${s.paint('dim', 'nothing to compare')}\n`;
  out += s.paint('dim', `from ${minute(r.from.at)} to ${minute(r.to.at)} UTC (${r.from.id} → ${r.to.id})`) + '\n';
  const c = r.counts;
  out += `${c.added} new, ${c.resolved} resolved, ${c.escalations} escalated, ${c.deEscalations} de-escalated, ${c.newlyOverdue} newly overdue, ${c.dueSoon} due within ${r.dueSoonDays} days, ${c.decisionsChanged} decisions changed, ${c.acceptancesExpiring} acceptances expiring\n`;
  out += section(s, 'New', r.added);
  out += section(s, 'Resolved', r.resolved);
  out += section(s, 'Escalated', r.escalations, (f) => (f.moved ?? []).join(', '));
  out += section(s, 'De-escalated', r.deEscalations, (f) => (f.moved ?? []).join(', '));
  out += section(s, 'Newly overdue', r.newlyOverdue);
  out += section(s, `Due within ${r.dueSoonDays} days`, r.dueSoon);
  if (r.decisionsChanged.length) {
    out += `\n${s.paint('bold', `Decisions changed (${r.decisionsChanged.length})`)}\n${table(r.decisionsChanged, [
      { header: 'INSTANCE', cell: who, max: 40 },
      { header: 'FROM', cell: (d) => d.from ?? '(new)' },
      { header: 'TO', cell: (d) => d.to },
      { header: 'RISK', cell: (d) => d.riskScore.toFixed(1), align: 'right' },
    ], s)}`;
  }
  out += section(s, 'Acceptances expiring', r.acceptancesExpiring, (f) => `${f.acceptance?.id ?? ''} until ${day(f.acceptance?.until ?? null)}`);
  if (r.alerts.length) out += `\n${s.paint('bold', `Alerts (${r.alerts.length})`)}\n${r.alerts.map((a) => `  ${a.text}`).join('\n')}\n`;
  return out;
}

export function renderTrend(r: TrendReport, s: Style): string {
  let out = `${s.paint('bold', `Trend, last ${r.days} days`)}\n`;
  if (!r.series.length) return `${out}${s.paint('dim', 'no recorded assessments in that period')}\n`;
  out += table(r.series, [
    { header: 'DAY', cell: (d) => d.day },
    ...DECISION_KINDS.map((k) => ({ header: k.toUpperCase(), cell: (d: TrendReport['series'][number]) => String(d.byDecision[k]), align: 'right' as const })),
    ...SSVC_OUTCOMES.map((o) => ({ header: o.toUpperCase(), cell: (d: TrendReport['series'][number]) => String(d.bySsvc[o]), align: 'right' as const })),
    { header: 'OVERDUE', cell: (d) => String(d.overdue), align: 'right' },
    { header: 'RESOLVED', cell: (d) => String(d.resolved), align: 'right' },
    { header: 'MTTR ACT h', cell: (d) => (d.meanHoursToRemediate.act === null ? '-' : d.meanHoursToRemediate.act.toFixed(1)), align: 'right' },
    { header: 'MTTR ATTEND h', cell: (d) => (d.meanHoursToRemediate.attend === null ? '-' : d.meanHoursToRemediate.attend.toFixed(1)), align: 'right' },
  ], s);
  return out;
}
