/** Stores one assessment in the history and prunes what the retention no longer keeps. */
import type { HistoryOrigin } from '../../../domain/history/assessment-record.js';
import { DAY_MS } from '../../../domain/time.js';
import type { FleetReport } from '../../inbound/assessment/fleet-report.port.js';
import type { RecordAssessmentReport } from '../../inbound/history/history.port.js';
import type { HistoryDependencies } from './history-dependencies.js';
import { recordOf, refOf } from './history-records.mapper.js';

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
}
