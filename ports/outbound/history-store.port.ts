import type { AssessmentHeader, AssessmentRecord } from '../../domain/history/assessment-record.js';
import type { Instant } from '../../domain/time.js';

/** Which recorded assessments to list. */
export interface HistoryFilter {
  /** Only those assessed at or after this instant. */
  readonly since?: Instant;
  /** Only those assessed at or before this instant. */
  readonly until?: Instant;
  /** At most this many, newest first; default all. */
  readonly limit?: number;
}

/**
 * The history of assessments (docs/history.md), kept beside the state store (the same SQLite file
 * or DynamoDB table, its own rows): each assessment compactly (record-codec.ts, compressed), its
 * header (counts) readable without the findings; and the ledger of alerts already posted, so a
 * retry or a second collector never posts one twice.
 */
export interface HistoryStore {
  /** Stores an assessment; storing the same id again changes nothing. */
  recordAssessment(record: AssessmentRecord): Promise<AssessmentHeader>;
  /** Headers, newest first. */
  listAssessments(filter?: HistoryFilter): Promise<readonly AssessmentHeader[]>;
  getAssessment(id: string): Promise<AssessmentRecord | null>;
  /** Removes assessments assessed before `before`, and alert claims made before it; how many assessments went. */
  pruneHistory(before: Instant): Promise<number>;
  /**
   * Claims an alert key in one conditional write: true for the first caller, false for every
   * later one (a retry, a second collector), so the alert is posted once.
   */
  claimAlert(key: string, at: Instant): Promise<boolean>;
  /** Gives back a claim whose posting failed, so the next run tries again. */
  releaseAlert(key: string): Promise<void>;
  close(): Promise<void>;
}
