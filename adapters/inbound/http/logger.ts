/**
 * The service's structured logger: JSON lines (pino), one per request and one per lifecycle
 * event. The access log names the key, never the key itself; redaction is a second line of
 * defence should anyone log a request's headers.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values pino replaces with "[redacted]". Explicit paths only: wildcards ("*.x")
 * make every log line walk every key, which doubles the cost of a line.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie', 'headers["x-api-key"]', 'headers.authorization',
  'apiKey', 'sha256', 'key.sha256', 'SRE_OPS_API_KEYS', 'env.SRE_OPS_API_KEYS',
];

export interface HttpLoggerOptions {
  /** trace, debug, info (default), warn, error, fatal or silent. */
  readonly level?: string;
  /** Where lines go; default stdout. Tests pass a stream that collects them. */
  readonly destination?: DestinationStream;
}

/** A pino logger with the service's defaults (ISO time, no pid/hostname noise, redaction). */
export function createHttpLogger(options: HttpLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'sre-ops-assistant' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
