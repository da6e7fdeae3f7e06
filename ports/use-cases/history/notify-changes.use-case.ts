/**
 * Run after each assessment by the collector: compares it with the newest recorded one, posts the
 * alerts the changes call for (newly act, newly in KEV on an exposed instance, newly patch-now) to
 * every configured channel at once, each claimed in the history first so a retry or a second
 * collector never posts it twice, and records the assessment (at most once per
 * policy history.minIntervalMinutes, so a collector every 5 minutes does not fill the store; and
 * never twice as of the same instant and source, so a retried run records once).
 */
import { alertsFrom, type Alert } from '../../../domain/history/alerts.js';
import { compareAssessments } from '../../../domain/history/changes.js';
import type { HistoryOrigin } from '../../../domain/history/assessment-record.js';
import { DAY_MS } from '../../../domain/time.js';
import type { FleetReport } from '../../inbound/assessment/fleet-report.port.js';
import type { AlertReport } from '../../inbound/history/history.port.js';
import type { Notification, Notifier } from '../../outbound/notifier.port.js';
import type { HistoryDependencies } from './history-dependencies.js';
import { recordOf } from './history-records.mapper.js';
import { recordingDue } from './record-assessment.use-case.js';


export function alertNotification(alerts: readonly Alert[], links: Notification['links']): Notification {
  const kind = (k: Alert['kind']): string[] => alerts.filter((a) => a.kind === k).map((a) => a.text);
  return {
    kind: 'alert',
    title: alerts.length === 1 ? 'SRE ops alert' : `SRE ops: ${alerts.length} alerts`,
    summary: alerts.map((a) => a.text).slice(0, 1).join('') + (alerts.length > 1 ? ` and ${alerts.length - 1} more` : ''),
    sections: [
      { title: 'Newly SSVC act', lines: kind('newly-act') },
      { title: 'Newly in CISA KEV on an exposed instance', lines: kind('newly-kev-exposed') },
      { title: 'Newly patch-now', lines: kind('newly-patch-now') },
    ].filter((s) => s.lines.length > 0),
    links,
  };
}

export class NotifyChanges {
  constructor(
    private readonly d: HistoryDependencies,
    private readonly notifiers: readonly Notifier[],
    private readonly links: Notification['links'] = [],
  ) {}

  async execute(report: FleetReport, origin: HistoryOrigin = 'collector'): Promise<AlertReport> {
    const current = recordOf(report, this.d.newId(), origin);
    const previousHeader = (await this.d.history.listAssessments({ until: current.at - 1, limit: 1 }))[0];
    const previous = previousHeader ? await this.d.history.getAssessment(previousHeader.id) : null;
    const policy = this.d.core.policy;
    const alerts = previous ? alertsFrom(compareAssessments(previous, current, { dueSoonDays: policy.changes.dueSoonDays }), current.assets) : [];
    const posted: string[] = [];
    const failures: string[] = [];
    const fresh: Alert[] = [];
    for (const a of alerts) if (await this.d.history.claimAlert(a.key, current.at)) fresh.push(a);
    if (fresh.length) {
      const message = alertNotification(fresh, this.links);
      const results = await Promise.allSettled(this.notifiers.map((n) => n.post(message)));
      // The adapters' errors name their channel.
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
      failures.push(...failed);
      // Every channel failed: give the claims back, so the next run posts them. (Partial failure
      // keeps them: a retry would post twice where it succeeded.)
      if (failed.length && failed.length === this.notifiers.length) for (const a of fresh) await this.d.history.releaseAlert(a.key);
      else posted.push(...fresh.map((a) => a.key));
    }
    let recorded: string | null = null;
    // The same assessment again (a retried run as of the same instant, e.g. the organization
    // assessment's merge step): its alerts are claimed already; it is not recorded twice.
    const again = (await this.d.history.listAssessments({ since: current.at, until: current.at })).some((h) => h.source === current.source);
    if (!again && recordingDue(previousHeader?.at, current.at, policy.history.minIntervalMinutes)) {
      recorded = (await this.d.history.recordAssessment(current)).id;
      await this.d.history.pruneHistory(current.at - policy.history.retentionDays * DAY_MS);
    }
    return { alerts: alerts.map((a) => ({ key: a.key, kind: a.kind, text: a.text })), posted, failures, recorded };
  }
}
