/** The plan, the runs (list and one run), acceptances and the audit log. */
import { DECISION_KINDS } from '../../../../domain/vocabulary.js';
import { acceptanceInstanceLabel } from '../../../../domain/patch/acceptance.js';
import type { AcceptanceReport } from '../../../../ports/inbound/acceptances/acceptances.port.js';
import type { AuditEntryReport, AuditVerificationReport } from '../../../../ports/inbound/audit/audit.port.js';
import type { InstanceRunStatus, PatchRunReport, WaveReport } from '../../../../ports/inbound/patching/patch-runs.port.js';
import type { PlanReport, PlannedInstanceReport } from '../../../../ports/inbound/patching/plan-patches.port.js';
import { decisionBadge } from './fleet-pages.js';
import { html, utc, type Html } from './html.js';
import { csrfField, layout, type PageContext } from './layout.js';
import { timeline } from './svg-charts.js';

const DAY_MS = 86_400_000;

export function planPage(ctx: PageContext, plan: PlanReport): Html {
  const now = Date.parse(plan.generatedAt);
  const planned: PlannedInstanceReport[] = DECISION_KINDS.flatMap((d) => plan.byDecision[d] ?? []).filter((i) => i.window !== null || i.dueBy !== null);
  const byWave = [...planned].sort((a, b) => (a.wave ?? 1e9) - (b.wave ?? 1e9) || b.riskScore - a.riskScore);
  const ends = byWave.flatMap((i) => [i.window ? Date.parse(i.window.end) : now, i.dueBy ? Date.parse(i.dueBy) : now]);
  // From now to the last window or due date (at least a week, at most 90 days).
  const to = Math.min(now + 90 * DAY_MS, Math.max(now + 7 * DAY_MS, ...ends) + DAY_MS);
  const rows = byWave.map((i) => ({
    label: `${i.wave !== null ? `w${i.wave} ` : ''}${i.name ?? i.instanceId}`,
    bars: i.window ? [{ start: Date.parse(i.window.start), end: Date.parse(i.window.end), kind: `window-${i.window.source}`, label: `${i.name ?? i.instanceId}: window ${utc(i.window.start)} to ${utc(i.window.end)} (${i.window.why})` }] : [],
    marks: i.dueBy ? [{ t: Date.parse(i.dueBy), kind: Date.parse(i.dueBy) < now ? 'overdue' : 'due', label: `${i.name ?? i.instanceId}: due ${utc(i.dueBy)}${Date.parse(i.dueBy) < now ? ' (overdue: shown at the left edge)' : ''}` }] : [],
  }));
  return layout(ctx, 'Plan', html`<h1>Patch plan</h1>
<p>Rollout: at most ${plan.rollout.maxConcurrency} at once, stop after ${plan.rollout.maxErrors} error(s). ${plan.waves.length} waves.</p>
<div class="legend" aria-hidden="true"><span><span class="sw immediate"></span>immediate (patch-now)</span><span><span class="sw cpu-history"></span>quietest hours by CPU</span><span><span class="sw default"></span>policy default window</span><span>◆ due date (red: overdue, at the left edge)</span><span><span class="sw now"></span>now</span></div>
<figure data-testid="plan-timeline"><figcaption>Windows and due dates per instance, in wave order, from ${utc(plan.generatedAt)}.</figcaption>
${timeline(rows, now - DAY_MS, to, 'Patch plan timeline', `${rows.length} instances in ${plan.waves.length} waves; bars are patch windows, diamonds due dates, the dashed line now; overdue dates sit at the left edge. The table below lists the same.`, now)}</figure>
<h2>Waves</h2>
<table><thead><tr><th scope="col" class="num">wave</th><th scope="col">stage</th><th scope="col">decision</th><th scope="col">canary</th><th scope="col">instances</th></tr></thead>
<tbody>${plan.waves.map((w) => html`<tr><td class="num">${w.number}</td><td>${w.stage}</td><td>${decisionBadge(w.decision)}</td><td>${w.canary ? 'yes' : 'no'}</td><td>${w.instanceIds.map((id, n) => html`${n ? ', ' : ''}<a href="/console/instances/${encodeURIComponent(id)}">${planned.find((p) => p.instanceId === id)?.name ?? id}</a>`)}</td></tr>`)}</tbody></table>
<h2>Instances</h2>
<table><thead><tr><th scope="col">instance</th><th scope="col">decision</th><th scope="col" class="num">wave</th><th scope="col">window</th><th scope="col">due by</th><th scope="col" class="num">late by (h)</th></tr></thead>
<tbody>${byWave.map((i) => html`<tr><td><a href="/console/instances/${encodeURIComponent(i.instanceId)}">${i.name ?? i.instanceId}</a>${i.production ? html` <span class="muted">production</span>` : html``}</td><td>${decisionBadge(i.decision)}</td><td class="num">${i.wave ?? '—'}</td><td>${i.window ? html`${utc(i.window.start)} – ${utc(i.window.end)}<br><span class="muted">${i.window.why}</span>` : '—'}</td><td>${utc(i.dueBy)}</td><td class="num">${i.lateByHours ?? '—'}</td></tr>`)}</tbody></table>
${plan.notes.length ? html`<h2>Notes</h2><ul>${plan.notes.map((n) => html`<li>${n}</li>`)}</ul>` : html``}`, { source: plan.source, asOf: utc(plan.generatedAt) });
}

const ACTIVE = new Set(['approved', 'running', 'verifying']);

function runStatus(run: PatchRunReport): Html {
  return html`<span class="badge" data-testid="run-status">${run.status}</span>`;
}

export function runsPage(ctx: PageContext, runs: readonly PatchRunReport[]): Html {
  const canRequest = ctx.principal.scopes.includes('operate');
  return layout(ctx, 'Runs', html`<h1>Patch runs</h1>
${canRequest ? html`<section aria-labelledby="h-req"><h2 id="h-req">Request a run</h2>
<form class="stack" method="post" action="/console/runs">${csrfField(ctx)}
<label for="r-instances">Instances (ids or Name tags, separated by commas)<input id="r-instances" name="instances" required></label>
<label for="r-reason">Reason<input id="r-reason" name="reason" maxlength="500"></label>
<label><span><input type="checkbox" name="dryRun" value="true"> scan only (dry run)</span></label>
<button type="submit">Request run</button></form></section>` : html`<p class="muted">Requesting a run needs the operate scope (operator role).</p>`}
<h2>Runs, newest first</h2>
<table data-testid="runs"><thead><tr><th scope="col">run</th><th scope="col">status</th><th scope="col">requested by</th><th scope="col">requested</th><th scope="col">instances</th><th scope="col">approval</th></tr></thead>
<tbody>${runs.map((r) => html`<tr><td><a href="/console/runs/${encodeURIComponent(r.id)}">${r.id}</a></td><td>${runStatus(r)}</td><td>${r.requestedBy}</td><td>${utc(r.requestedAt)}</td><td class="num">${r.waves.reduce((n, w) => n + w.instances.length, 0)}</td><td>${r.needsApproval ? (r.approvals.length ? r.approvals.map((a) => `${a.decision} by ${a.by}`).join('; ') : 'needed') : 'not needed'}</td></tr>`)}
${runs.length === 0 ? html`<tr><td colspan="6">No runs yet.</td></tr>` : html``}</tbody></table>`);
}

/** Finished instance states (a wave's progress counts these out of all its instances). */
const FINISHED: ReadonlySet<InstanceRunStatus> = new Set(['succeeded', 'failed', 'timed-out', 'cancelled', 'regressed', 'skipped']);

/** A wave's progress: finished out of all, then how many in each state, in a fixed order. */
export function waveProgress(w: WaveReport): Html {
  const done = w.instances.filter((i) => FINISHED.has(i.status)).length;
  const order: readonly InstanceRunStatus[] = ['succeeded', 'failed', 'timed-out', 'regressed', 'cancelled', 'skipped', 'in-progress', 'sent', 'pending'];
  const counts = order.map((s) => [s, w.instances.filter((i) => i.status === s).length] as const).filter(([, n]) => n > 0);
  return html`<p data-testid="wave-progress-${w.number}"><progress max="${w.instances.length}" value="${done}" aria-label="Wave ${w.number}: ${done} of ${w.instances.length} instances finished"></progress> ${done} of ${w.instances.length} finished: ${counts.map(([s, n], k) => html`${k ? ', ' : ''}${n} ${s}`)}</p>`;
}

export function runPage(ctx: PageContext, run: PatchRunReport): Html {
  const scopes = ctx.principal.scopes;
  const decidable = run.status === 'requested' && run.needsApproval;
  const cancellable = ['requested', 'approved', 'running', 'verifying'].includes(run.status);
  const own = run.requestedBy === ctx.principal.actor.id;
  const refresh = ACTIVE.has(run.status) ? 10 : undefined;
  const action = (verb: string): string => `/console/runs/${encodeURIComponent(run.id)}/${verb}`;
  // Account and region columns when the run records them (an organization run, docs/patching.md).
  const scoped = run.waves.some((w) => w.instances.some((i) => i.accountId || i.region));
  return layout(ctx, `Run ${run.id}`, html`<h1>Run ${run.id} ${runStatus(run)}</h1>
${refresh ? html`<p><span id="refresh-state" role="status">Refreshing every ${refresh} s</span> <button type="button" id="refresh-toggle" class="secondary" aria-pressed="false" hidden>Pause refresh</button></p>` : html``}
<div class="panel"><p>${run.operation === 'Scan' ? 'Scan only' : 'Install'}, reboot ${run.rebootOption}; requested by <strong>${run.requestedBy}</strong> at ${utc(run.requestedAt)}${run.reason ? html` because “${run.reason}”` : html``}.${run.simulated ? ' Simulated (demo source): nothing is sent to AWS.' : ''}</p>
<p>Approval: ${run.needsApproval ? html`needed${run.approvalWhy ? html` (${run.approvalWhy})` : html``}` : 'not needed'}${run.approvals.map((a) => html`; ${a.decision} by <strong>${a.by}</strong> at ${utc(a.at)}${a.comment ? html` (“${a.comment}”)` : html``}`)}${run.approvalExpiresAt ? html`; valid until ${utc(run.approvalExpiresAt)}` : html``}${run.approvalExpired ? html` <strong>(expired)</strong>` : html``}.</p>
${run.haltReason ? html`<p><strong>Halted:</strong> ${run.haltReason}</p>` : html``}</div>
${decidable && scopes.includes('approve') ? html`<section aria-labelledby="h-decide"><h2 id="h-decide">Decide</h2>
${own ? html`<p class="muted">You requested this run: another approver must approve it.</p>` : html``}
<form class="stack" method="post" action="${action('approve')}">${csrfField(ctx)}<label for="a-comment">Comment (optional)<input id="a-comment" name="comment" maxlength="500"></label><button type="submit">Approve</button></form>
<form class="stack" method="post" action="${action('reject')}">${csrfField(ctx)}<label for="j-reason">Reason (optional)<input id="j-reason" name="reason" maxlength="500"></label><button type="submit" class="danger">Reject</button></form></section>` : html``}
${cancellable && (scopes.includes('operate') || scopes.includes('approve')) ? html`<form method="post" action="${action('cancel')}">${csrfField(ctx)}<button type="submit" class="danger">Cancel run</button></form>` : html``}
<h2>Waves</h2>
${run.waves.map((w) => html`<section aria-labelledby="h-w${w.number}"><h3 id="h-w${w.number}">Wave ${w.number}${w.canary ? ' (canary)' : ''}${w.stage ? `, ${w.stage}` : ''}: ${w.status}${run.currentWave === w.number ? ' ← current' : ''}</h3>
<p class="muted">${w.sentAt ? html`sent ${utc(w.sentAt)}` : 'not sent'}${w.verifiedAt ? html`, verified ${utc(w.verifiedAt)}` : html``}${w.commandId ? html`, command ${w.commandId}` : html``}</p>
${waveProgress(w)}
<table><thead><tr><th scope="col">instance</th>${scoped ? html`<th scope="col">account</th><th scope="col">region</th>` : html``}<th scope="col">production</th><th scope="col">result</th><th scope="col">detail</th></tr></thead>
<tbody>${w.instances.map((i) => html`<tr><td><a href="/console/instances/${encodeURIComponent(i.instanceId)}">${i.name ?? i.instanceId}</a></td>${scoped ? html`<td>${i.accountId ?? '—'}</td><td>${i.region ?? '—'}</td>` : html``}<td>${i.production ? 'yes' : 'no'}</td><td>${i.status}</td><td>${i.detail ?? ''}</td></tr>`)}</tbody></table></section>`)}`, refresh ? { refreshSeconds: refresh } : {});
}

/** What the accept form was filled with (kept when it is shown again with an error). */
export interface AcceptForm {
  readonly vulnerabilityId?: string;
  readonly instance?: string;
  readonly until?: string;
  readonly reason?: string;
  readonly force?: boolean;
}

/**
 * The acceptances, with a form to accept a risk and a revoke button on each one in force, for
 * whoever holds the approve scope (the core checks the accept-risk permission again).
 */
export function acceptancesPage(ctx: PageContext, list: readonly AcceptanceReport[], includeExpired: boolean, form: AcceptForm = {}): Html {
  const canDecide = ctx.principal.scopes.includes('approve');
  return layout(ctx, 'Acceptances', html`<h1>Risk acceptances</h1>
${canDecide ? html`<section aria-labelledby="h-accept"><h2 id="h-accept">Accept a risk</h2>
<p class="muted">The findings stop counting in every report until the date: a decision of the same weight as approving a run. Audited.</p>
<form class="stack" method="post" action="/console/acceptances" data-testid="accept-form">${csrfField(ctx)}
<label for="x-vuln">Vulnerability (CVE or advisory id)<input id="x-vuln" name="vulnerabilityId" required maxlength="128" value="${form.vulnerabilityId ?? ''}"></label>
<label for="x-instance">Instance (id, Name tag or ACCOUNT/REGION/ID; empty: the whole fleet)<input id="x-instance" name="instance" maxlength="255" value="${form.instance ?? ''}"></label>
<label for="x-until">Until (a future date, UTC)<input id="x-until" name="until" type="date" required value="${form.until ?? ''}"></label>
<label for="x-reason">Reason<input id="x-reason" name="reason" required maxlength="500" value="${form.reason ?? ''}"></label>
<label><span><input type="checkbox" name="force" value="true"${form.force ? html` checked` : html``}> accept even if no current finding has this id</span></label>
<button type="submit">Accept risk</button></form></section>` : html`<p class="muted">Accepting or revoking a risk needs the approve scope (approver role).</p>`}
<h2>${includeExpired ? 'All acceptances' : 'In force'}</h2>
<p>${includeExpired ? html`All acceptances, expired and revoked included. <a href="/console/acceptances">Only those in force</a>` : html`Acceptances in force. <a href="/console/acceptances?includeExpired=true">Include expired ones</a>`}</p>
<table data-testid="acceptances"><thead><tr><th scope="col">id</th><th scope="col">vulnerability</th><th scope="col">instance</th><th scope="col">accepted by</th><th scope="col">at</th><th scope="col">until</th><th scope="col">reason</th>${canDecide ? html`<th scope="col"><span class="visually-hidden">action</span></th>` : html``}</tr></thead>
<tbody>${list.map((a) => html`<tr><td>${a.id}</td><td>${a.vulnerabilityId}</td><td>${a.instanceId ? html`<a href="/console/instances/${encodeURIComponent(acceptanceInstanceLabel(a) ?? a.instanceId)}">${acceptanceInstanceLabel(a) ?? a.instanceId}</a>` : 'whole fleet'}</td><td>${a.acceptedBy}</td><td>${utc(a.acceptedAt)}</td><td>${utc(a.until)}${a.revokedBy ? ` (revoked by ${a.revokedBy})` : a.expired ? ' (expired)' : ''}</td><td>${a.reason}</td>${canDecide ? html`<td>${a.expired ? '' : html`<form class="inline" method="post" action="/console/acceptances/${encodeURIComponent(a.id)}/revoke">${csrfField(ctx)}<button type="submit" class="danger" aria-label="Revoke ${a.vulnerabilityId} ${acceptanceInstanceLabel(a) ?? 'fleet-wide'} (${a.id})">Revoke</button></form>`}</td>` : html``}</tr>`)}
${list.length === 0 ? html`<tr><td colspan="${canDecide ? 8 : 7}">None.</td></tr>` : html``}</tbody></table>`);
}

export function auditPage(ctx: PageContext, entries: readonly AuditEntryReport[], verification: AuditVerificationReport | null): Html {
  return layout(ctx, 'Audit log', html`<h1>Audit log</h1>
${verification ? html`<div class="flash ${verification.ok ? 'ok' : 'error'}" data-testid="audit-verify"><p>${verification.ok ? html`Hash chain verified: ${verification.entries} entries link up${verification.head ? html`; head #${verification.head.seq} <code>${verification.head.hash.slice(0, 16)}…</code>` : html``}.` : html`The hash chain is broken at entry ${verification.firstBreak?.position ?? '?'} (${verification.firstBreak?.id ?? 'no id'}): ${verification.firstBreak?.problem ?? ''}`}</p></div>` : html`<p class="muted">This state store offers no chain verification.</p>`}
<table><thead><tr><th scope="col">at</th><th scope="col">actor</th><th scope="col">via</th><th scope="col">action</th><th scope="col">target</th><th scope="col">result</th><th scope="col">detail</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><td>${utc(e.at)}</td><td>${e.actor}</td><td>${e.via}</td><td>${e.action}</td><td>${e.target}</td><td>${e.result}</td><td>${e.detail ?? ''}</td></tr>`)}
${entries.length === 0 ? html`<tr><td colspan="7">No entries.</td></tr>` : html``}</tbody></table>`);
}
