/** Turning a failed secondary source into a warning the report carries (never a crash). */
import { isSourceError, sourceWarning } from '../../../domain/errors.js';
import type { SourceInfo } from '../../outbound/source-info.port.js';

/**
 * A one-line warning naming the service, operation and error code.
 * Only errors we understand become warnings; a programming error (TypeError ...) is rethrown so
 * it is fixed rather than hidden in a report.
 */
export function warningFrom(service: string, operation: string, err: unknown): string {
  if (isSourceError(err)) return sourceWarning(err, operation, 'the answer is partial');
  throw err;
}

/** Runs a secondary read; on a SourceError returns the fallback and records a warning. */
export async function secondary<T>(warnings: string[], service: string, operation: string, read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (err) {
    warnings.push(warningFrom(service, operation, err));
    return fallback;
  }
}

/**
 * Adds what the source found wrong in the data read so far (a truncated capture file), once
 * each. Called by every report after its reads.
 */
export function addSourceWarnings(warnings: string[], source: SourceInfo): string[] {
  for (const w of source.warnings?.() ?? []) if (!warnings.includes(w)) warnings.push(w);
  return warnings;
}
