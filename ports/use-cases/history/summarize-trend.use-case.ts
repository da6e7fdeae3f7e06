/** Per-day counts from the history: the last assessment of each UTC day, and what was remediated since the day before. */
import { ValidationError } from '../../../domain/errors.js';
import type { AssessmentHeader, AssessmentRecord } from '../../../domain/history/assessment-record.js';
import { remediationBetween, utcDay } from '../../../domain/history/trend.js';
import { DAY_MS, toIso } from '../../../domain/time.js';
import { SSVC_OUTCOMES } from '../../../domain/vocabulary.js';
import type { TrendDay, TrendReport, TrendRequest } from '../../inbound/history/history.port.js';
import type { HistoryDependencies } from './history-dependencies.js';

export const DEFAULT_TREND_DAYS = 30;

export class SummarizeTrend {
  constructor(private readonly d: HistoryDependencies) {}

  async execute(request: TrendRequest = {}): Promise<TrendReport> {
    const max = this.d.core.policy.history.retentionDays;
    const days = request.days ?? DEFAULT_TREND_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > max) {
      throw new ValidationError('days', `a whole number of days from 1 to ${max}`, `days: expected a whole number of days from 1 to ${max} (policy history.retentionDays), got ${JSON.stringify(days)}`);
    }
    const now = this.d.core.clock.now();
    // One day more, so the first day's remediation has a previous day to compare with.
    const headers = await this.d.history.listAssessments({ since: now - (days + 1) * DAY_MS, until: now });
    const lastOfDay = new Map<string, AssessmentHeader>();
    for (const h of headers) if (!lastOfDay.has(utcDay(h.at))) lastOfDay.set(utcDay(h.at), h); // newest first: the first seen is the day's last
    const chosen = [...lastOfDay.values()].sort((a, b) => a.at - b.at);
    const first = utcDay(now - days * DAY_MS);
    const series: TrendDay[] = [];
    let previous: AssessmentRecord | null = null;
    for (const h of chosen) {
      const record = await this.d.history.getAssessment(h.id);
      if (!record) continue;
      const remediation = previous ? remediationBetween(previous, record) : { resolved: 0, meanHoursToRemediate: Object.fromEntries(SSVC_OUTCOMES.map((o) => [o, null])) as TrendDay['meanHoursToRemediate'] };
      previous = record;
      const day = utcDay(h.at);
      if (day <= first) continue;
      series.push({ day, assessment: h.id, findings: h.findings, ...h.summary, ...remediation });
    }
    const warnings = series.length ? [] : ['no assessment is recorded in that period: record them with `sre-ops assess --record` (the collector records each of its runs)'];
    return { generatedAt: toIso(now) as string, days, series, warnings };
  }
}
