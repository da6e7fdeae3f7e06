/**
 * The HTTP service records its own fleet assessments in the history (docs/history.md, "What is
 * recorded"). Wraps the Assistant the service's cache calls upstream, so only fresh whole-fleet
 * assessments (a cache fill or refresh, never a cached answer) are seen; each is recorded when
 * the collector's rule allows (policy history.minIntervalMinutes, recordAssessmentIfDue). A
 * recording failure is a warning in the log: the assessment is still answered.
 */
import type { AssessFleetRequest } from '../ports/inbound/assessment/assess-fleet.port.js';
import type { FleetReport } from '../ports/inbound/assessment/fleet-report.port.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';

export interface RecordingLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

const wholeFleet = (request: AssessFleetRequest | undefined): boolean => Object.values(request ?? {}).every((v) => v === undefined);

/** `assistant` whose whole-fleet assessments are recorded (origin `service`) before they are answered. */
export function recordingServiceAssessments<A extends Assistant>(assistant: A, logger: RecordingLogger): A {
  // One recording at a time, so two fills finishing together are judged against each other.
  let queue: Promise<unknown> = Promise.resolve();
  const record = (report: FleetReport): Promise<void> => {
    const next = queue.then(async () => {
      try {
        const r = await assistant.recordAssessmentIfDue(report, 'service');
        if (r) logger.info({ assessment: r.recorded.id, pruned: r.pruned }, 'assessment recorded in the history');
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'recording the assessment in the history failed; the assessment is still answered');
      }
    });
    queue = next;
    return next;
  };
  return new Proxy(assistant, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'assessFleet' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return async (request?: AssessFleetRequest): Promise<FleetReport> => {
        const report = await (value as (r?: AssessFleetRequest) => Promise<FleetReport>).call(target, request);
        if (wholeFleet(request)) await record(report);
        return report;
      };
    },
  });
}
