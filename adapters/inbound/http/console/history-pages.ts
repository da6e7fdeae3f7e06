/** What changed since a point, and the per-day trend, from the history of recorded assessments (docs/history.md). */
import type { ChangedDecision, ChangedFinding, ChangesReport, TrendReport } from '../../../../ports/inbound/history/history.port.js';
import { decisionBadge } from './fleet-pages.js';
import { html, utc, type Html } from './html.js';
import { layout, type PageContext } from './layout.js';
import { lineChart } from './svg-charts.js';

const DAY_MS = 86_400_000;
export const CHANGES_SINCE = ['24h', '7d'] as const;
export const TREND_DAYS = ['7', '30', '90'] as const;

/** What the page says when there is nothing (or not enough) recorded: how to record, not an error. */
function howToRecord(what: string): Html {
  return html`<div class="panel" data-testid="no-history"><p>${what}</p>
<p>Assessments are recorded by <code>sre-ops assess --record</code>, by the collector (every run, at most once per <code>history.minIntervalMinutes</code>), or by the library's <code>recordAssessment(report)</code>. See docs/history.md.</p></div>`;
}

function choice(base: string, name: string, values: readonly string[], current: string, label: (v: string) => string): Html {
  return html`<nav class="pager" aria-label="${name}">${values.map((v) => (v === current ? html`<strong aria-current="page">${label(v)}</strong>` : html`<a href="${base}?${name}=${v}">${label(v)}</a>`))}</nav>`;
}

function where(f: { readonly accountId?: string; readonly region?: string }): string {
  return f.accountId ? `${f.accountId}${f.region ? ` ${f.region}` : ''}` : '—';
}

function findingTable(id: string, title: string, rows: readonly ChangedFinding[]): Html {
  if (rows.length === 0) return html``;
  return html`<h2 id="${id}">${title} (${rows.length})</h2>
<table aria-labelledby="${id}"><thead><tr><th scope="col">instance</th><th scope="col">account / region</th><th scope="col">advisory</th><th scope="col">severity</th><th scope="col">SSVC</th><th scope="col">due</th></tr></thead>
<tbody>${rows.slice(0, 200).map((f) => html`<tr><td><a href="/console/instances/${encodeURIComponent(f.instanceId)}">${f.name ?? f.instanceId}</a></td><td>${where(f)}</td><td>${f.advisoryId}${f.inKev ? html` <span class="badge s-act">KEV</span>` : html``}</td><td>${f.severity}</td><td>${f.before && f.before.ssvc !== f.ssvc ? html`${f.before.ssvc} → ` : html``}${f.ssvc}</td><td>${utc(f.dueBy)}${f.overdue ? html` <strong>overdue</strong>` : html``}</td></tr>`)}</tbody></table>
${rows.length > 200 ? html`<p class="muted">The first 200 of ${rows.length}; <code>sre-ops changes --json</code> has them all.</p>` : html``}`;
}

function decisionTable(rows: readonly ChangedDecision[]): Html {
  if (rows.length === 0) return html``;
  return html`<h2 id="h-decisions">Decisions changed (${rows.length})</h2>
<table aria-labelledby="h-decisions"><thead><tr><th scope="col">instance</th><th scope="col">account / region</th><th scope="col">from</th><th scope="col">to</th><th scope="col" class="num">risk</th></tr></thead>
<tbody>${rows.map((d) => html`<tr><td><a href="/console/instances/${encodeURIComponent(d.instanceId)}">${d.name ?? d.instanceId}</a></td><td>${where(d)}</td><td>${d.from ? decisionBadge(d.from) : html`<span class="muted">new</span>`}</td><td>${decisionBadge(d.to)}</td><td class="num">${d.riskScore}</td></tr>`)}</tbody></table>`;
}

/** report null: this assistant keeps no history at all. */
export function changesPage(ctx: PageContext, report: ChangesReport | null, since: string): Html {
  const head = html`<h1>Changes</h1>${choice('/console/changes', 'since', CHANGES_SINCE, since, (v) => `since ${v}`)}`;
  if (!report) return layout(ctx, 'Changes', html`${head}${howToRecord('This service keeps no history of assessments.')}`);
  if (!report.from || !report.to) return layout(ctx, 'Changes', html`${head}${howToRecord('Fewer than two assessments are recorded, so there is nothing to compare yet.')}`, { asOf: utc(report.generatedAt) });
  const c = report.counts;
  const counts: [string, number][] = [['new findings', c.added], ['resolved', c.resolved], ['escalated', c.escalations], ['de-escalated', c.deEscalations], ['newly overdue', c.newlyOverdue], [`due within ${report.dueSoonDays} days`, c.dueSoon], ['decisions changed', c.decisionsChanged], ['acceptances expiring', c.acceptancesExpiring]];
  return layout(ctx, 'Changes', html`${head}
<p>From the assessment of ${utc(report.from.at)} (${report.from.findings} findings) to that of ${utc(report.to.at)} (${report.to.findings} findings).</p>
<table data-testid="change-counts"><caption>What changed</caption><thead><tr><th scope="col">change</th><th scope="col" class="num">count</th></tr></thead>
<tbody>${counts.map(([k, n]) => html`<tr><td>${k}</td><td class="num">${n}</td></tr>`)}</tbody></table>
${findingTable('h-added', 'New findings', report.added)}
${findingTable('h-escalated', 'Escalated', report.escalations)}
${findingTable('h-overdue', 'Newly overdue', report.newlyOverdue)}
${findingTable('h-due-soon', `Due within ${report.dueSoonDays} days`, report.dueSoon)}
${decisionTable(report.decisionsChanged)}
${findingTable('h-resolved', 'Resolved', report.resolved)}
${findingTable('h-de-escalated', 'De-escalated', report.deEscalations)}
${findingTable('h-expiring', 'Acceptances expiring', report.acceptancesExpiring)}
${report.warnings.length ? html`<h2>Warnings</h2><ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : html``}`, { asOf: utc(report.generatedAt) });
}

/** report null: this assistant keeps no history at all. */
export function trendPage(ctx: PageContext, report: TrendReport | null, days: string): Html {
  const head = html`<h1>Trend</h1>${choice('/console/trend', 'days', TREND_DAYS, days, (v) => `${v} days`)}`;
  if (!report) return layout(ctx, 'Trend', html`${head}${howToRecord('This service keeps no history of assessments.')}`);
  const s = report.series;
  if (s.length === 0) return layout(ctx, 'Trend', html`${head}${howToRecord(`No assessment is recorded in the last ${report.days} days.`)}`, { asOf: utc(report.generatedAt) });
  const first = Date.parse(`${s[0]?.day ?? ''}T00:00:00Z`);
  const last = Date.parse(`${s.at(-1)?.day ?? ''}T00:00:00Z`);
  const points = s.map((d) => ({ t: Date.parse(`${d.day}T00:00:00Z`), v: d.findings }));
  const overdue = s.map((d) => ({ t: Date.parse(`${d.day}T00:00:00Z`), v: d.overdue }));
  const to = Math.max(last, first + DAY_MS);
  const yMax = Math.max(1, ...points.map((p) => p.v));
  return layout(ctx, 'Trend', html`${head}
<div class="grid2">
<figure data-testid="trend-chart"><figcaption>Active findings per day (the day's last assessment), ${s.length} recorded days.</figcaption>
${lineChart({ points, from: first, to, yMax, unit: 'findings', kind: 'trend', title: 'Active findings per day', desc: s.map((d) => `${d.day}: ${d.findings}`).join('; ') })}
${lineChart({ points: overdue, from: first, to, yMax: Math.max(1, ...overdue.map((p) => p.v)), unit: 'overdue', kind: 'status', title: 'Overdue findings per day', desc: s.map((d) => `${d.day}: ${d.overdue} overdue`).join('; ') })}</figure>
<table data-testid="trend-table"><caption>Per day (the charts' numbers)</caption><thead><tr><th scope="col">day</th><th scope="col" class="num">findings</th><th scope="col" class="num">overdue</th><th scope="col" class="num">KEV</th><th scope="col" class="num">act</th><th scope="col" class="num">resolved</th><th scope="col" class="num">patch-now</th></tr></thead>
<tbody>${s.map((d) => html`<tr><td>${d.day}</td><td class="num">${d.findings}</td><td class="num">${d.overdue}</td><td class="num">${d.inKev}</td><td class="num">${d.bySsvc.act ?? 0}</td><td class="num">${d.resolved}</td><td class="num">${d.byDecision['patch-now'] ?? 0}</td></tr>`)}</tbody></table>
</div>
${report.warnings.length ? html`<h2>Warnings</h2><ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : html``}`, { asOf: utc(report.generatedAt) });
}
