/** Stores one assessment in the history and prunes what the retention no longer keeps. */
import type { HistoryOrigin } from '../../../domain/history/assessment-record.js';
import { DAY_MS } from '../../../domain/time.js';
import type { FleetReport } from '../../inbound/assessment/fleet-report.port.js';
import type { RecordAssessmentReport } from '../../inbound/history/history.port.js';
import type { HistoryDependencies } from './history-dependencies.js';
import { recordOf, refOf } from './history-records.mapper.js';

/**
 * The collector's rule: an assessment is recorded when none is recorded before it, or the newest
 * one before it is at least policy history.minIntervalMinutes older.
 */
export function recordingDue(previousAt: number | undefined, at: number, minIntervalMinutes: number): boolean {
  return previousAt === undefined || at - previousAt >= minIntervalMinutes * 60_000;
}

export class RecordAssessment {
  constructor(private readonly d: HistoryDependencies) {}

  async execute(report: FleetReport, origin: HistoryOrigin): Promise<RecordAssessmentReport> {
    const record = recordOf(report, this.d.newId(), origin);
    const header = await this.d.history.recordAssessment(record);
    // Retention counts back from the newest instant known: this assessment's or the clock's.
    const newest = Math.max(record.at, this.d.core.clock.now());
    const pruned = await this.d.history.pruneHistory(newest - this.d.core.policy.history.retentionDays * DAY_MS);
    return { recorded: refOf(header), pruned };
  }

  /** Records it when {@link recordingDue} says so (the service's fresh assessments); null when not. */
  async executeIfDue(report: FleetReport, origin: HistoryOrigin): Promise<RecordAssessmentReport | null> {
    const at = Date.parse(report.generatedAt);
    // At or before it: the same report served twice (a snapshot, --now) is recorded once.
    const previous = (await this.d.history.listAssessments({ until: at, limit: 1 }))[0];
    return recordingDue(previous?.at, at, this.d.core.policy.history.minIntervalMinutes) ? this.execute(report, origin) : null;
  }
}
