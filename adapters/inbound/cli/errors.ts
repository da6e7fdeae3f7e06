/**
 * Maps every failure to one line on stderr and an exit code: 0 ok, 1 failure, 2 usage error.
 * Failures are told apart by kind and name (domain/errors.ts explains why), not by class identity.
 */
import { isConflictError, isDomainError, isValidationError } from '../../../domain/errors.js';

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

const isUsage = (err: unknown): boolean => err instanceof Error && err.name === 'UsageError';
const isCommandFailed = (err: unknown): boolean => err instanceof Error && err.name === 'CommandFailed';

/**
 * The option a person typed for each field the core (or the library's options) names: a core
 * message "durationHours: ..." reads "--duration: ..." on the command line.
 */
const FLAG_OF: Readonly<Record<string, string>> = {
  durationHours: 'duration',
  cutoffHours: 'cutoff',
  patchGroup: 'patch-group',
  schedule: 'cron',
  minSeverity: 'min-severity',
  idempotencyKey: 'idempotency-key',
  'stateStore.path': 'state',
  state: 'state',
  endpointUrl: 'endpoint-url',
  'aws.endpointUrl': 'endpoint-url',
  profile: 'profile',
  'aws.profile': 'profile',
  roleArn: 'role-arn',
  'aws.roleArn': 'role-arn',
  region: 'region',
  'aws.regions': 'regions',
  'aws.accounts': 'accounts',
  'aws.assumeRole': 'assume-role',
  'aws.externalId': 'external-id',
  'aws.patchRole': 'patch-role',
  'aws.inspector': 'inspector',
  account: 'account',
  source: 'source',
  now: 'now',
  limit: 'limit',
  hours: 'hours',
  until: 'until',
  since: 'since',
  between: 'between',
  days: 'days',
  reboot: 'reboot',
  kev: 'kev',
  findings: 'findings',
  findingsReport: 'findings-report',
  kmsKey: 'kms-key',
  actor: 'actor',
};

/** A ValidationError's message with the field as the option typed ("--duration: ..."). */
function asTyped(field: string, message: string): string {
  const flag = FLAG_OF[field];
  if (flag === undefined) return message;
  if (message.startsWith(`${field}:`)) return `--${flag}:${message.slice(field.length + 1)}`;
  // A core message that already spells the field as the CLI does ("min-severity: ...").
  return message.startsWith(`${flag}:`) ? `--${message}` : message;
}

/**
 * yargs' own refusals as one line naming the option as typed: "Invalid values: Argument: reboot,
 * Given: "sometimes", Choices: ..." reads `--reboot: expected one of if-needed, never, got
 * "sometimes"`, "Missing required arguments: until, reason" reads "--until, --reason: required", and
 * "Not enough non-option arguments" reads "RUN: required (sre-ops approve <run>)" given the command's
 * usage line. Any other message keeps its words, on one line.
 */
export function yargsUsageLine(message: string, usage?: string): string {
  // "Not enough non-option arguments: got 0, need at least 1" for `run` with usage "$0 run <run>".
  const positional = /^Not enough non-option arguments: got (\d+), need at least (\d+)/.exec(message.trim());
  if (positional && usage !== undefined) {
    const names = [...usage.matchAll(/<([\w-]+)(?:\.\.)?>/g)].map((m) => (m[1] ?? '').toUpperCase());
    const missing = names.slice(Number(positional[1]), Math.max(Number(positional[2]), Number(positional[1]) + 1));
    if (missing.length > 0) return `${missing.join(', ')}: required (${usage.replace(/^\$0\b/, 'sre-ops')})`;
  }
  const invalid = [...message.matchAll(/Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/gm)];
  if (invalid.length > 0) {
    return invalid.map(([, arg, given, choices]) => `--${arg}: expected one of ${(choices ?? '').replace(/"/g, '')}, got ${given}`).join('; ');
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(message.trim());
  if (missing) return `${(missing[1] ?? '').split(', ').map((a) => `--${a}`).join(', ')}: required`;
  return message.trim().replace(/\s*\n\s*/g, ' ');
}

export function exitCodeFor(err: unknown): number {
  if (isUsage(err) || isValidationError(err)) return EXIT_USAGE;
  return EXIT_FAILURE;
}

export function messageFor(err: unknown): string {
  if (isValidationError(err)) return `error: ${asTyped(err.field, err.message)}`;
  if (isUsage(err) || isCommandFailed(err)) return `error: ${(err as Error).message}`;
  if (isDomainError(err)) {
    if (err.kind === 'forbidden') return `error: not allowed: ${err.message}`;
    if (isConflictError(err) && err.code === 'STALE_VERSION') return `error: changed by someone else, retry (${err.message})`;
    return `error: ${err.message}`;
  }
  if (err instanceof Error) return `internal error: ${err.message} (set SRE_OPS_DEBUG=1 for details)`;
  return `internal error: ${String(err)}`;
}
