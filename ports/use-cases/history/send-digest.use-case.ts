/**
 * The daily digest: what changed over the last 24 hours, what is due soon, what is overdue, as one
 * message to every configured channel (claimed for the day in the history first, so a retried or
 * doubled schedule posts it once).
 */
import { utcDay } from '../../../domain/history/trend.js';
import type { ChangedFinding, ChangesReport, DigestReport } from '../../inbound/history/history.port.js';
import type { Notification, Notifier } from '../../outbound/notifier.port.js';
import type { HistoryDependencies } from './history-dependencies.js';
import type { WhatChanged } from './what-changed.use-case.js';

function line(f: ChangedFinding): string {
  const who = f.name ? `${f.name} (${f.instanceId})` : f.instanceId;
  const due = f.dueBy ? `, due ${f.dueBy.slice(0, 10)}` : '';
  const moved = f.moved?.length ? ` [${f.moved.join(', ')}]` : '';
  return `${f.advisoryId} on ${who}: ${f.ssvc}${f.inKev ? ', KEV' : ''}${due}${moved}`;
}

/** The digest of a change report, as a neutral notification (renderers cut it to their limits). */
export function digestNotification(r: ChangesReport, links: Notification['links']): Notification {
  const s = r.summary;
  const c = r.counts;
  const totals = s
    ? `${s.byDecision['patch-now']} instances to patch now, ${s.overdue} findings overdue, ${s.bySsvc.act} act, ${s.inKev} in KEV`
    : 'no assessment recorded yet';
  const changed = r.from ? `since ${r.from.at.slice(0, 16).replace('T', ' ')} UTC: ${c.added} new, ${c.resolved} resolved, ${c.escalations} escalated, ${c.newlyOverdue} newly overdue` : 'nothing to compare with yet';
  return {
    kind: 'digest',
    title: `SRE ops daily digest${r.to ? ` (${r.to.at.slice(0, 10)})` : ''}`,
    summary: `${totals}. ${changed}.`,
    sections: [
      { title: 'Escalated', lines: r.escalations.map(line) },
      { title: 'New', lines: r.added.map(line) },
      { title: 'Newly overdue', lines: r.newlyOverdue.map(line) },
      { title: `Due within ${r.dueSoonDays} days`, lines: r.dueSoon.map(line) },
      { title: 'Decisions changed', lines: r.decisionsChanged.map((d) => `${d.name ?? d.instanceId}: ${d.from ?? 'new'} → ${d.to}`) },
      { title: 'Acceptances expiring', lines: r.acceptancesExpiring.map((f) => `${line(f)} (acceptance ${f.acceptance?.id ?? ''} until ${f.acceptance?.until?.slice(0, 10) ?? '?'})`) },
      { title: 'Resolved', lines: r.resolved.map(line) },
    ].filter((x) => x.lines.length > 0),
    links,
  };
}

export class SendDigest {
  constructor(
    private readonly d: HistoryDependencies,
    private readonly changes: WhatChanged,
    private readonly notifiers: readonly Notifier[],
    private readonly links: Notification['links'] = [],
  ) {}

  async execute(): Promise<DigestReport> {
    const report = await this.changes.execute({ since: '24h' });
    const day = utcDay(this.d.core.clock.now());
    const key = `digest#${day}`;
    if (!this.notifiers.length) return { day, posted: false, channels: [], failures: ['no channel is configured (SRE_OPS_NOTIFY)'], counts: report.counts };
    if (!(await this.d.history.claimAlert(key, this.d.core.clock.now()))) return { day, posted: false, channels: [], failures: [], counts: report.counts };
    const message = digestNotification(report, this.links);
    const results = await Promise.allSettled(this.notifiers.map((n) => n.post(message)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    const channels = this.notifiers.filter((_, i) => results[i]?.status === 'fulfilled').map((n) => n.channel);
    if (!channels.length) await this.d.history.releaseAlert(key);
    return { day, posted: channels.length > 0, channels, failures, counts: report.counts };
  }
}
