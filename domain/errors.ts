/**
 * Failures of the core, as small Error subclasses. Each inbound adapter maps them once
 * (HTTP status, chat reply, CLI exit code). Expected outcomes are values, not errors.
 *
 * Adapters classify a failure by its `kind` (with the guards at the end of this file), never by
 * class identity: a process can hold two copies of this module (the sources run with tsx beside
 * the build, a bundle beside the package), and an error made by one copy is not an `instanceof`
 * the other's class. The kind is a plain string, and the brand is a registered symbol, so both
 * copies read them alike.
 */

/** What kind of failure a DomainError is; adapters map by this (see the guards below). */
export type DomainErrorKind = 'validation' | 'not-found' | 'ambiguous' | 'source' | 'forbidden' | 'conflict' | 'other';

/** Marks a DomainError made by any copy of this module (Symbol.for is shared by the whole process). */
const DOMAIN_ERROR = Symbol.for('sre-ops-assistant.DomainError');

export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** The family this failure belongs to; subclasses outside this file are 'other'. */
  readonly kind: DomainErrorKind = 'other';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, DOMAIN_ERROR, { value: true });
  }
}

/** Input that breaks a rule: a bad policy, a bad argument. Maps to HTTP 400 / exit 2. */
export class ValidationError extends DomainError {
  override readonly kind = 'validation' as const;
  readonly code = 'VALIDATION_FAILED';
  /** Dotted path of the offending field (e.g. "rollout.maxErrors"). */
  readonly field: string;
  readonly expected: string;
  constructor(field: string, expected: string, message?: string) {
    super(message ?? `${field}: expected ${expected}`);
    this.field = field;
    this.expected = expected;
  }
}

/** A named instance, finding or record that does not exist. Maps to HTTP 404 / exit 1. */
export class NotFoundError extends DomainError {
  override readonly kind = 'not-found' as const;
  readonly code = 'NOT_FOUND';
  readonly what: string;
  readonly query: string;
  /** Close matches a person may have meant. */
  readonly suggestions: readonly string[];
  constructor(what: string, query: string, suggestions: readonly string[] = []) {
    super(
      `no ${what} matches "${query}"` +
        (suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''),
    );
    this.what = what;
    this.query = query;
    this.suggestions = suggestions;
  }
}

/** A name that matches several things. Maps to HTTP 409 / exit 1. */
export class AmbiguousError extends DomainError {
  override readonly kind = 'ambiguous' as const;
  readonly code = 'AMBIGUOUS';
  readonly query: string;
  readonly candidates: readonly string[];
  constructor(what: string, query: string, candidates: readonly string[], hint = 'use an instance id') {
    super(`"${query}" names ${candidates.length} ${what}s: ${candidates.join(', ')}; ${hint}`);
    this.query = query;
    this.candidates = candidates;
  }
}

/** A data source that could not be read or understood. Maps to HTTP 502 / exit 1. */
export class SourceError extends DomainError {
  override readonly kind = 'source' as const;
  readonly code: string;
  /** e.g. "snapshot", "inspector2", "ec2". */
  readonly service: string;
  readonly operation: string | null;
  constructor(service: string, operation: string | null, message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.service = service;
    this.operation = operation;
    this.code = options?.code ?? 'SOURCE_FAILED';
  }
}

/** The caller may not do this. Maps to HTTP 403 / exit 1. */
export class ForbiddenError extends DomainError {
  override readonly kind = 'forbidden' as const;
  readonly code = 'FORBIDDEN';
}

/** Why a ConflictError was raised; adapters may word their reply by it. */
export type ConflictKind =
  /** The record changed since it was read (optimistic concurrency): read it again and retry. */
  | 'STALE_VERSION'
  /** The record's state does not allow the action (approving a cancelled run). */
  | 'INVALID_STATE'
  /** An idempotency key was reused for a different request. */
  | 'IDEMPOTENCY_MISMATCH'
  /** Another process is executing the run right now (it holds the run's lease). */
  | 'IN_PROGRESS';

/** The record changed under the caller, or its state forbids the action. Maps to HTTP 409 / exit 1. */
export class ConflictError extends DomainError {
  override readonly kind = 'conflict' as const;
  readonly code: ConflictKind;
  constructor(code: ConflictKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

function kindOf(err: unknown): DomainErrorKind | null {
  return isDomainError(err) ? err.kind : null;
}

/** A DomainError from any copy of this module (see the file comment). */
export function isDomainError(err: unknown): err is DomainError {
  return err instanceof Error && (err as unknown as Record<symbol, unknown>)[DOMAIN_ERROR] === true && typeof (err as { code?: unknown }).code === 'string';
}
export const isValidationError = (err: unknown): err is ValidationError => kindOf(err) === 'validation';
export const isNotFoundError = (err: unknown): err is NotFoundError => kindOf(err) === 'not-found';
export const isAmbiguousError = (err: unknown): err is AmbiguousError => kindOf(err) === 'ambiguous';
export const isSourceError = (err: unknown): err is SourceError => kindOf(err) === 'source';
export const isForbiddenError = (err: unknown): err is ForbiddenError => kindOf(err) === 'forbidden';
export const isConflictError = (err: unknown): err is ConflictError => kindOf(err) === 'conflict';

/**
 * A SourceError as one warning line: the service, operation and code once (an adapter's message
 * often names them already, and saying them twice is noise), then the message and `tail`.
 */
export function sourceWarning(err: SourceError, operation: string | null, tail: string): string {
  const op = err.operation ?? operation;
  const what = op ? `${err.service}:${op}` : err.service;
  const named = err.message.includes(err.code) && (err.message.includes(what) || (err.message.includes(err.service) && (!op || err.message.includes(op))));
  return `${named ? err.message : `${what} (${err.code}): ${err.message}`}; ${tail}`;
}
