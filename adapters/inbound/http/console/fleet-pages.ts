/** The fleet overview and one instance. */
import { DECISION_KINDS, MISSIONS, SSVC_OUTCOMES } from '../../../../domain/vocabulary.js';
import type { AssetReport, FleetReport } from '../../../../ports/inbound/assessment/fleet-report.port.js';
import { assetDigest } from '../../../../ports/inbound/assessment/asset-digest.js';
import type { InstanceReport } from '../../../../ports/inbound/assessment/assess-instance.port.js';
import type { PlannedInstanceReport } from '../../../../ports/inbound/patching/plan-patches.port.js';
import type { ActivityReport } from '../../../../ports/inbound/reports/report-activity.port.js';
import type { ComplianceReport } from '../../../../ports/inbound/reports/summarize-compliance.port.js';
import type { MetricsReport } from '../../../../ports/inbound/reports/summarize-metrics.port.js';
import { html, queryString, utc, type Html } from './html.js';
import { csrfField, layout, type PageContext } from './layout.js';
import { barChart, lineChart, weeklyOccurrences, type Band } from './svg-charts.js';

export const SORTS = ['risk', 'name', 'due', 'findings', 'account', 'region'] as const;
/** Sorts whose natural direction is ascending (text and dates); the others start highest first. */
const ASCENDING: ReadonlySet<Sort> = new Set(['name', 'due', 'account', 'region']);
export const naturalDir = (sort: Sort): 'asc' | 'desc' => (ASCENDING.has(sort) ? 'asc' : 'desc');
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 25;

/** The overview's filters, sort and page, as parsed from the query string. */
export interface FleetQuery {
  readonly decision?: (typeof DECISION_KINDS)[number] | undefined;
  readonly mission?: (typeof MISSIONS)[number] | undefined;
  readonly exposed?: boolean | undefined;
  /** An AWS account id (12 digits), from an organization read. */
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly sort: Sort;
  readonly dir: 'asc' | 'desc';
  readonly page: number;
}

const ssvcClass = (s: string): string => s.replace('*', 'star');

export function decisionBadge(d: string): Html {
  return html`<span class="badge d-${d}">${d}</span>`;
}

function sortAssets(assets: readonly AssetReport[], sort: Sort, dir: 'asc' | 'desc'): AssetReport[] {
  const key: Record<Sort, (a: AssetReport) => number | string> = {
    risk: (a) => a.riskScore,
    name: (a) => (a.name ?? a.instanceId).toLowerCase(),
    due: (a) => (a.dueBy ? Date.parse(a.dueBy) : Number.MAX_SAFE_INTEGER),
    findings: (a) => assetDigest(a).active,
    // Instances without an account or region (a single-account read) sort after those with one.
    account: (a) => a.accountId ?? '~',
    region: (a) => a.region ?? '~',
  };
  const f = key[sort];
  const sign = dir === 'asc' ? 1 : -1;
  // The report is ranked by risk already: a stable sort keeps that order among equals.
  return [...assets].sort((a, b) => {
    const x = f(a);
    const y = f(b);
    return x < y ? -sign : x > y ? sign : 0;
  });
}

function queryOf(q: FleetQuery, change: Partial<FleetQuery>): string {
  const n = { ...q, ...change };
  return queryString({
    decision: n.decision, mission: n.mission, exposed: n.exposed === undefined ? undefined : String(n.exposed), account: n.account, region: n.region,
    sort: n.sort === 'risk' ? undefined : n.sort, dir: n.dir === naturalDir(n.sort) ? undefined : n.dir,
    page: n.page > 1 ? n.page : undefined,
  });
}

function sortHeader(q: FleetQuery, sort: Sort, label: string, numeric = false): Html {
  const active = q.sort === sort;
  const natural = naturalDir(sort);
  const next: 'asc' | 'desc' = active ? (q.dir === 'asc' ? 'desc' : 'asc') : natural;
  const aria = active ? (q.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return html`<th scope="col"${numeric ? html` class="num"` : html``} aria-sort="${aria}"><a href="/console${queryOf(q, { sort, dir: next, page: 1 })}">${label}<span class="visually-hidden">, sort ${next === 'asc' ? 'ascending' : 'descending'}</span>${active ? (q.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
}

function select(name: string, label: string, options: readonly string[], value: string | undefined): Html {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="">any</option>${options.map((o) => html`<option value="${o}"${o === value ? html` selected` : html``}>${o}</option>`)}</select></div>`;
}

/** The accounts and regions the filters offer, sorted. */
export interface FleetScope {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/**
 * What the answer spans, from its own summary (byAccount, byRegion: the assets it returned),
 * with the values already chosen: no second, unfiltered assessment just to list the choices.
 * Filtered to one account, the account filter offers that one and "any" (choose "any" to see
 * the others again), like a faceted search.
 */
function scopeOf(report: Pick<FleetReport, 'summary'>, q: Pick<FleetQuery, 'account' | 'region'> = {}): FleetScope {
  const keys = (counts: Readonly<Record<string, number>> | undefined, chosen: string | undefined): string[] =>
    [...new Set([...Object.keys(counts ?? {}), ...(chosen ? [chosen] : [])])].sort();
  return { accounts: keys(report.summary.byAccount, q.account), regions: keys(report.summary.byRegion, q.region) };
}

/**
 * The overview. The account and region filters show when the answer spans more than one of them
 * or one is chosen; their columns (sortable) when it spans more than one (a single-account fleet
 * needs neither).
 */
export function fleetPage(ctx: PageContext, report: FleetReport, q: FleetQuery): Html {
  const s = report.summary;
  const scope = scopeOf(report, q);
  const filterAccount = scope.accounts.length > 1 || q.account !== undefined;
  const filterRegion = scope.regions.length > 1 || q.region !== undefined;
  const byAccount = Object.keys(s.byAccount ?? {}).length > 1;
  const byRegion = Object.keys(s.byRegion ?? {}).length > 1;
  const sorted = sortAssets(report.assets, q.sort, q.dir);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const page = Math.min(q.page, pages);
  const rows = sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const byDecision = DECISION_KINDS.map((d) => ({ label: d, value: s.byDecision[d] ?? 0, kind: `decision-${d}` }));
  const bySsvc = SSVC_OUTCOMES.map((o) => ({ label: o, value: s.bySsvc[o] ?? 0, kind: `ssvc-${ssvcClass(o)}` }));
  const top = report.assets[0];
  return layout(ctx, 'Fleet', html`<h1>Fleet</h1>
<p>${s.assets} instances, ${s.findings} active findings, <strong>${s.overdue} overdue</strong>, ${s.accepted} accepted.${top ? html` Highest risk: <a href="/console/instances/${encodeURIComponent(top.instanceId)}" data-testid="top-asset">${top.name ?? top.instanceId}</a> (${top.riskScore}).` : html``}</p>
<div class="grid2">
<section aria-labelledby="h-dec"><h2 id="h-dec">Instances by decision</h2>${barChart(byDecision, 'Instances by patch decision')}
<table><caption class="visually-hidden">Instances by decision</caption><thead><tr><th scope="col">decision</th><th scope="col" class="num">instances</th></tr></thead><tbody>${byDecision.map((b) => html`<tr><td>${decisionBadge(b.label)}</td><td class="num">${b.value}</td></tr>`)}</tbody></table></section>
<section aria-labelledby="h-ssvc"><h2 id="h-ssvc">Findings by SSVC outcome</h2>${barChart(bySsvc, 'Findings by SSVC outcome')}
<table><caption class="visually-hidden">Findings by SSVC outcome</caption><thead><tr><th scope="col">SSVC</th><th scope="col" class="num">findings</th></tr></thead><tbody>${bySsvc.map((b) => html`<tr><td><span class="badge s-${ssvcClass(b.label)}">${b.label}</span></td><td class="num">${b.value}</td></tr>`)}</tbody></table></section>
</div>
<h2 id="h-assets">Instances, ranked</h2>
<form class="filters" method="get" action="/console" aria-label="Filter instances">
${select('decision', 'Decision', DECISION_KINDS, q.decision)}
${select('mission', 'Mission', MISSIONS, q.mission)}
${select('exposed', 'Exposure', ['true', 'false'], q.exposed === undefined ? undefined : String(q.exposed))}
${filterAccount ? select('account', 'Account', scope.accounts, q.account) : html``}
${filterRegion ? select('region', 'Region', scope.regions, q.region) : html``}
${q.sort !== 'risk' ? html`<input type="hidden" name="sort" value="${q.sort}"><input type="hidden" name="dir" value="${q.dir}">` : html``}
<button type="submit">Filter</button> <a href="/console">Clear</a>
</form>
<table aria-labelledby="h-assets" data-testid="assets">
<thead><tr><th scope="col">#</th>${sortHeader(q, 'name', 'instance')}<th scope="col">decision</th>${sortHeader(q, 'risk', 'risk', true)}${sortHeader(q, 'due', 'due by')}<th scope="col">mission</th><th scope="col">exposed</th><th scope="col">environment</th>${byAccount ? sortHeader(q, 'account', 'account') : html``}${byRegion ? sortHeader(q, 'region', 'region') : html``}${sortHeader(q, 'findings', 'findings', true)}</tr></thead>
<tbody>${rows.map((a, i) => html`<tr><td class="num">${(page - 1) * PAGE_SIZE + i + 1}</td><td><a href="/console/instances/${encodeURIComponent(a.instanceId)}">${a.name ?? a.instanceId}</a><br><span class="muted">${a.instanceId}</span></td><td>${decisionBadge(a.decision)}</td><td class="num">${a.riskScore}</td><td>${utc(a.dueBy)}</td><td>${a.mission}</td><td>${a.exposed ? 'yes' : 'no'}</td><td>${a.environment ?? '—'}</td>${byAccount ? html`<td>${a.accountId ?? '—'}</td>` : html``}${byRegion ? html`<td>${a.region ?? '—'}</td>` : html``}<td class="num">${assetDigest(a).active}</td></tr>`)}
${rows.length === 0 ? html`<tr><td colspan="${9 + (byAccount ? 1 : 0) + (byRegion ? 1 : 0)}">No instance matches these filters.</td></tr>` : html``}</tbody></table>
<nav class="pager" aria-label="Pages">${page > 1 ? html`<a href="/console${queryOf(q, { page: page - 1 })}" rel="prev">Previous</a>` : html``}<span>Page ${page} of ${pages} (${sorted.length} instances)</span>${page < pages ? html`<a href="/console${queryOf(q, { page: page + 1 })}" rel="next">Next</a>` : html``}</nav>
${report.warnings.length ? html`<h2>Warnings</h2><ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : html``}`, { source: report.source, asOf: utc(report.generatedAt) });
}

export interface InstanceView {
  readonly instance: InstanceReport;
  readonly metrics: MetricsReport | null;
  readonly metricsError: string | null;
  readonly planned: PlannedInstanceReport | null;
  readonly activity: ActivityReport | null;
  readonly compliance: ComplianceReport['perInstance'][number] | null;
}

function bandsFor(planned: PlannedInstanceReport | null, from: number, to: number): Band[] {
  const w = planned?.window;
  if (!w) return [];
  const start = Date.parse(w.start);
  const end = Date.parse(w.end);
  const bands: Band[] = [];
  if (w.source === 'cpu-history') {
    for (const o of weeklyOccurrences(start, end, from, to)) bands.push({ ...o, kind: 'quiet-window-past', label: `the same hours in an earlier week: ${utc(new Date(o.start).toISOString())}` });
  }
  bands.push({ start, end, kind: 'quiet-window', label: `chosen window ${utc(w.start)} to ${utc(w.end)}: ${w.why}` });
  return bands;
}

function charts(v: InstanceView): Html {
  const m = v.metrics;
  if (!m) return html`<p class="muted">No metrics: ${v.metricsError ?? 'none returned'}.</p>`;
  const from = Date.parse(m.start);
  const now = Date.parse(m.end);
  const w = v.planned?.window;
  // The axis reaches the chosen window when it is within the coming week, so it shows beside the history.
  const to = w && Date.parse(w.end) > now && Date.parse(w.end) - now <= 8 * 86_400_000 ? Date.parse(w.end) + 3_600_000 : now;
  const bands = bandsFor(v.planned, from, to);
  const cpu = (m.series?.cpu ?? []).map((p) => ({ t: Date.parse(p.t), v: p.v }));
  const status = (m.series?.statusCheckFailed ?? []).map((p) => ({ t: Date.parse(p.t), v: p.v }));
  const cpuSummary = m.metrics.cpu;
  const windowText = w ? `The chosen window, ${utc(w.start)} to ${utc(w.end)} (${w.source}), is shaded${w.source === 'cpu-history' ? ', with the same hours of earlier weeks lighter' : ''}.` : 'No window is planned for this instance.';
  const fmt = (n: number | null): string => (n === null ? '—' : (Math.round(n * 10) / 10).toString());
  return html`<div class="legend" aria-hidden="true"><span><span class="sw quiet"></span>chosen window</span>${w?.source === 'cpu-history' ? html`<span><span class="sw quiet-past"></span>same hours, earlier weeks</span>` : html``}<span><span class="sw now"></span>now</span></div>
<figure data-testid="cpu-chart"><figcaption>CPU utilization, last ${m.hours} h. ${windowText}</figcaption>
${lineChart({ points: cpu, from, to, yMax: 100, unit: '%', bands, now, kind: 'cpu', title: `CPU utilization of ${m.name ?? m.instanceId}, last ${m.hours} hours`, desc: `${cpuSummary.count} points; mean ${fmt(cpuSummary.mean)}%, p95 ${fmt(cpuSummary.p95)}%, max ${fmt(cpuSummary.max)}%. ${windowText}` })}</figure>
<figure data-testid="status-chart"><figcaption>Status checks failed, last ${m.hours} h (0: healthy).</figcaption>
${lineChart({ points: status, from, to, yMax: Math.max(1, ...status.map((p) => p.v)), unit: 'failed', bands, now, kind: 'status', title: `Status check failures of ${m.name ?? m.instanceId}`, desc: `${m.metrics.statusCheckFailed.count} points; max ${fmt(m.metrics.statusCheckFailed.max)} failed checks.` })}</figure>
<table><caption>Metric summaries (the charts' numbers)</caption><thead><tr><th scope="col">metric</th><th scope="col">unit</th><th scope="col" class="num">points</th><th scope="col" class="num">mean</th><th scope="col" class="num">p95</th><th scope="col" class="num">max</th><th scope="col" class="num">anomalies</th></tr></thead>
<tbody>${Object.values(m.metrics).map((s) => html`<tr><td>${s.metric}</td><td>${s.unit}</td><td class="num">${s.count}</td><td class="num">${fmt(s.mean)}</td><td class="num">${fmt(s.p95)}</td><td class="num">${fmt(s.max)}</td><td class="num">${s.anomalies.length}</td></tr>`)}</tbody></table>`;
}

export function instancePage(ctx: PageContext, v: InstanceView): Html {
  const a = v.instance.asset;
  const title = a.name ?? a.instanceId;
  const canRequest = ctx.principal.scopes.includes('operate');
  const canAccept = ctx.principal.scopes.includes('approve');
  return layout(ctx, title, html`<h1>${title} <span class="muted">${a.instanceId}</span></h1>
<div class="panel"><p>${decisionBadge(a.decision)} risk <strong>${a.riskScore}</strong>, due ${utc(a.dueBy)}; mission ${a.mission}, ${a.exposed ? 'exposed' : 'not exposed'}, ${a.environment ?? 'no environment tag'}, state ${a.state}${a.autoScalingGroup ? html`, in ${a.autoScalingGroup}` : html``}.</p>
<ul class="reasons">${a.decisionReasons.map((r) => html`<li>${r}</li>`)}</ul>
${canRequest && a.decision !== 'none' ? html`<form method="post" action="/console/runs">${csrfField(ctx)}<input type="hidden" name="instances" value="${a.instanceId}"><label><input type="checkbox" name="dryRun" value="true"> scan only (dry run)</label> <button type="submit">Request a patch run for this instance</button></form>` : html``}</div>
<h2>Metrics and the patch window</h2>
${v.planned?.window ? html`<p>Planned window: <strong>${utc(v.planned.window.start)} – ${utc(v.planned.window.end)}</strong> (${v.planned.window.why})${v.planned.wave !== null ? html`, wave ${v.planned.wave}` : html``}.</p>` : html``}
${charts(v)}
<h2>Findings (${a.findings.length})</h2>
<table><thead><tr><th scope="col">finding</th><th scope="col">severity</th><th scope="col" class="num">risk</th><th scope="col">SSVC</th><th scope="col">due</th><th scope="col">why</th></tr></thead>
<tbody>${a.findings.map((f) => html`<tr><td><strong>${f.vulnerabilityId ?? f.type}</strong><br>${f.title ?? ''}${f.inKev ? html` <span class="badge s-act">KEV</span>` : html``}${canAccept && f.vulnerabilityId ? html`<br><a href="/console/acceptances${queryString({ vulnerabilityId: f.vulnerabilityId, instance: a.accountId && a.region ? `${a.accountId}/${a.region}/${a.instanceId}` : a.instanceId })}">accept this risk…</a>` : html``}</td><td>${f.severity}</td><td class="num">${f.riskScore}</td><td><span class="badge s-${ssvcClass(f.ssvc)}">${f.ssvc}</span></td><td>${f.due ?? utc(f.dueBy)}${f.overdue ? html` <strong>overdue</strong>` : html``}</td><td><details><summary>${f.reasons.length} reasons</summary><ul class="reasons">${f.reasons.map((r) => html`<li>${r}</li>`)}</ul></details></td></tr>`)}</tbody></table>
${a.accepted.length ? html`<p>${a.accepted.length} finding(s) accepted: see <a href="/console/acceptances">acceptances</a>.</p>` : html``}
<h2>Patch compliance</h2>
${v.compliance ? html`<p>${v.compliance.status}; managed by SSM: ${v.compliance.managed === null ? 'unknown' : v.compliance.managed ? 'yes' : 'no'}; last operation ${utc(v.compliance.lastOperationAt)}.</p>` : html`<p class="muted">No patch state.</p>`}
<h2>CloudTrail activity</h2>
${v.activity ? html`<p>${v.activity.total} events in the last ${v.activity.hours} h, ${v.activity.flagged} flagged.</p>
<table><thead><tr><th scope="col">time</th><th scope="col">event</th><th scope="col">who</th><th scope="col">from</th><th scope="col">flags</th></tr></thead>
<tbody>${v.activity.events.slice(0, 50).map((e) => html`<tr><td>${utc(e.eventTime)}</td><td>${e.eventName}${e.errorCode ? html` <span class="muted">(${e.errorCode})</span>` : html``}</td><td>${e.username ?? '—'}</td><td>${e.sourceIpAddress ?? '—'}</td><td>${e.flags.length ? html`<ul class="reasons">${e.flags.map((f) => html`<li><strong>${f.kind}</strong>: ${f.reason}</li>`)}</ul>` : html`<span class="muted">none</span>`}</td></tr>`)}</tbody></table>` : html`<p class="muted">No activity report.</p>`}`, { source: v.instance.source, asOf: utc(v.instance.generatedAt) });
}
