/**
 * The history in this process's memory: for the library without a state store, and tests. Records
 * are kept in their encoded form, as the durable stores keep them, so what comes back is what a
 * real store would return.
 */
import { headerOf, type AssessmentHeader, type AssessmentRecord } from '../../../domain/history/assessment-record.js';
import { decodeRecord, encodeRecord } from '../../../domain/history/record-codec.js';
import type { HistoryFilter, HistoryStore } from '../../../ports/outbound/history-store.port.js';

export class MemoryHistoryStore implements HistoryStore {
  private readonly records = new Map<string, { header: AssessmentHeader; body: string }>();
  private readonly alerts = new Map<string, number>();

  async recordAssessment(record: AssessmentRecord): Promise<AssessmentHeader> {
    const held = this.records.get(record.id);
    if (held) return held.header;
    const header = headerOf(record);
    this.records.set(record.id, { header, body: encodeRecord(record) });
    return header;
  }

  async listAssessments(filter: HistoryFilter = {}): Promise<readonly AssessmentHeader[]> {
    const list = [...this.records.values()]
      .map((r) => r.header)
      .filter((h) => (filter.since === undefined || h.at >= filter.since) && (filter.until === undefined || h.at <= filter.until))
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
    return filter.limit === undefined ? list : list.slice(0, filter.limit);
  }

  async getAssessment(id: string): Promise<AssessmentRecord | null> {
    const held = this.records.get(id);
    return held ? decodeRecord(held.body) : null;
  }

  async pruneHistory(before: number): Promise<number> {
    let n = 0;
    for (const [id, r] of this.records) {
      if (r.header.at < before) {
        this.records.delete(id);
        n++;
      }
    }
    for (const [key, at] of this.alerts) if (at < before) this.alerts.delete(key);
    return n;
  }

  async claimAlert(key: string, at: number): Promise<boolean> {
    if (this.alerts.has(key)) return false;
    this.alerts.set(key, at);
    return true;
  }

  async releaseAlert(key: string): Promise<void> {
    this.alerts.delete(key);
  }

  async close(): Promise<void> {}
}
