/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { ActivityFlag } from '../../../domain/activity/review.js';
import type { LookBackReportHeader } from './look-back-report.port.js';

export interface ActivityEventReport {
  readonly eventTime: string;
  readonly eventName: string;
  readonly eventSource: string | null;
  readonly username: string | null;
  readonly userIdentityType: string | null;
  readonly sourceIpAddress: string | null;
  readonly userAgent: string | null;
  readonly errorCode: string | null;
  readonly flags: readonly ActivityFlag[];
}

export interface ActivityReport extends LookBackReportHeader {
  readonly total: number;
  readonly flagged: number;
  readonly events: readonly ActivityEventReport[];
  readonly warnings: readonly string[];
}
