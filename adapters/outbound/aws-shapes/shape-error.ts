import { SourceError } from '../../../domain/errors.js';

/**
 * AWS data whose shape is not what the API model promises: a required field missing, or a value
 * of the wrong JSON type. Says where (`jsonPath`, and `file` once a snapshot adapter knows it),
 * what was expected and what was found, so a person can fix a hand-edited capture.
 */
export class ShapeError extends SourceError {
  /** e.g. `$.findings[12].resources[0].id`. */
  readonly jsonPath: string;
  /** What the API model requires there, e.g. "a string". */
  readonly expected: string;
  /** What was there instead, e.g. "the number 42" or "nothing". */
  readonly found: string;
  /** The file the value came from, when it came from one. */
  readonly file: string | null;

  constructor(
    service: string,
    operation: string | null,
    jsonPath: string,
    expected: string,
    found: string,
    options?: { file?: string; cause?: unknown },
  ) {
    const file = options?.file ?? null;
    super(service, operation, `${file === null ? '' : `${file}: `}${jsonPath}: expected ${expected}, found ${found}`, {
      code: 'SOURCE_SHAPE',
      cause: options?.cause,
    });
    this.jsonPath = jsonPath;
    this.expected = expected;
    this.found = found;
    this.file = file;
  }

  /** The same error, located in a file (snapshot adapters know the file, the mappers do not). */
  inFile(service: string, file: string): ShapeError {
    return new ShapeError(service, this.operation, this.jsonPath, this.expected, this.found, { file, cause: this.cause });
  }
}

/** Describes a JSON value for an error message, briefly: a huge string or array is not echoed. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid Date' : `the Date ${v.toISOString()}`;
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
    case 'number':
      return `the number ${v}`;
    case 'boolean':
      return `the boolean ${v}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}
