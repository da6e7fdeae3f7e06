/** Maps every failure to one line on stderr and an exit code: 0 ok, 1 failure, 2 usage error. */
import { AmbiguousError, ConflictError, DomainError, ForbiddenError, NotFoundError, SourceError, ValidationError } from '../../../domain/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A problem with how the command was called (bad flag value, unreadable --policy file). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command ran, but its outcome is a failure (a halted run, a declined confirmation): exit 1. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError || err instanceof ValidationError) return EXIT_USAGE;
  return EXIT_FAILURE;
}

export function messageFor(err: unknown): string {
  if (err instanceof ValidationError || err instanceof UsageError) return `error: ${err.message}`;
  if (err instanceof NotFoundError || err instanceof AmbiguousError) return `error: ${err.message}`;
  if (err instanceof SourceError) return `error: ${err.message}`;
  if (err instanceof ForbiddenError) return `error: not allowed: ${err.message}`;
  if (err instanceof ConflictError && err.code === 'STALE_VERSION') return `error: changed by someone else, retry (${err.message})`;
  if (err instanceof CommandFailed) return `error: ${err.message}`;
  if (err instanceof DomainError) return `error: ${err.message}`;
  if (err instanceof Error) return `internal error: ${err.message} (set SRE_OPS_DEBUG=1 for details)`;
  return `internal error: ${String(err)}`;
}
