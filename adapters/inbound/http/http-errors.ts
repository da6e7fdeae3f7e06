/**
 * Every failure becomes one JSON envelope, `{ error: { code, message, details?, requestId } }`,
 * with a status chosen here and nowhere else. Domain errors map by kind (not class identity, see
 * domain/errors.ts); anything unknown is a
 * 500 whose message says nothing about the internals (the log has the stack, keyed by request id).
 */
import {
  isAmbiguousError, isConflictError, isDomainError, isForbiddenError, isNotFoundError, isSourceError, isValidationError,
} from '../../../domain/errors.js';

/** An error the HTTP adapter raises itself (auth, limits, routing, parsing). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    /** Response headers that belong to this error (Retry-After, Allow, WWW-Authenticate). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** An HttpError from any copy of this module. */
function isHttpError(err: unknown): err is HttpError {
  return err instanceof Error && err.name === 'HttpError' && typeof (err as { status?: unknown }).status === 'number';
}

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
    readonly requestId: string;
  };
}

export interface MappedError {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
  /** True for 5xx answers the operator should look at (logged with the stack). */
  readonly internal: boolean;
}

// AWS error codes (carried by SourceError.code) meaning "try again shortly", not "broken".
const TRANSIENT = /throttl|limitexceeded|toomanyrequests|slowdown|unavailable|timeout|ECONN|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH/i;

/** The status a client gets for a domain error. Exported for the tests that pin the mapping. */
export function statusFor(err: unknown): number {
  if (isHttpError(err)) return err.status;
  if (isValidationError(err)) return 400;
  if (isNotFoundError(err)) return 404;
  if (isAmbiguousError(err)) return 409;
  if (isForbiddenError(err)) return 403;
  if (isConflictError(err)) return 409;
  if (isSourceError(err)) return TRANSIENT.test(err.code) ? 503 : 502;
  // Domain errors added later (e.g. a patch run in the wrong state): the request was understood
  // and refused by a rule, which is the client's business, not a server fault.
  if (isDomainError(err)) return /conflict|state|version|transition/i.test(`${err.name} ${err.code}`) ? 409 : 422;
  if (exposedClientError(err)) return err.status;
  return 500;
}

/** Koa's and the router's own errors (http-errors): a 4xx with `expose` is safe to show. */
function exposedClientError(err: unknown): err is Error & { status: number } {
  const e = err as { status?: unknown; expose?: unknown } | null;
  return err instanceof Error && typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true;
}

function detailsFor(err: unknown): Record<string, unknown> | undefined {
  if (isHttpError(err)) return err.details ? { ...err.details } : undefined;
  if (isValidationError(err)) return { field: err.field, expected: err.expected };
  if (isNotFoundError(err)) return { what: err.what, query: err.query, suggestions: [...err.suggestions] };
  if (isAmbiguousError(err)) return { query: err.query, candidates: [...err.candidates] };
  if (isSourceError(err)) return { service: err.service, operation: err.operation, sourceCode: err.code };
  if (isConflictError(err)) return { conflict: err.code };
  return undefined;
}

function codeFor(err: unknown, status: number): string {
  if (isHttpError(err)) return err.code;
  // SourceError.code is the AWS code (AccessDeniedException ...): kept in details, while the
  // envelope code stays one of a small documented set clients can switch on.
  if (isSourceError(err)) return status === 503 ? 'SOURCE_UNAVAILABLE' : 'SOURCE_FAILED';
  if (isDomainError(err)) return err.code;
  if (status < 500) return `HTTP_${status}`;
  return 'INTERNAL';
}

/** Maps any thrown value to the response a client sees. Never includes a stack or an internal message. */
export function mapError(err: unknown, requestId: string): MappedError {
  const status = statusFor(err);
  const internal = status >= 500 && !(isSourceError(err)) && !(isHttpError(err));
  const message = internal
    ? `internal error; the server log has the details under request id ${requestId}`
    : err instanceof Error ? err.message : String(err);
  const details = internal ? undefined : detailsFor(err);
  return {
    status,
    body: { error: { code: codeFor(err, status), message, ...(details ? { details } : {}), requestId } },
    headers: isHttpError(err) ? err.headers : {},
    internal: status >= 500,
  };
}
