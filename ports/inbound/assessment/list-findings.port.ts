/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { MIN_SEVERITIES } from '../../../domain/vocabulary.js';
import type { FindingReport } from './fleet-report.port.js';
import type { InstantBasis } from '../../outbound/source-info.port.js';

export type MinSeverity = (typeof MIN_SEVERITIES)[number];

export interface FindingsReport {
  readonly generatedAt: string;
  readonly asOf: InstantBasis;
  readonly source: string;
  readonly instanceId: string;
  readonly name: string | null;
  readonly minSeverity: MinSeverity | null;
  readonly findings: readonly FindingReport[];
  /** Findings left out by the severity filter. */
  readonly filteredOut: number;
  readonly warnings: readonly string[];
}
