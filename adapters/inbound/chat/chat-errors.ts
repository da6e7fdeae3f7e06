/**
 * Every failure as something a person can act on: an unknown instance names close matches, a
 * refusal says which permission and where roles come from, an outage says which service.
 * Unexpected errors get a reference to find them in the logs; no stack trace reaches a chat.
 */
import { randomUUID } from 'node:crypto';
import { isAmbiguousError, isDomainError, isForbiddenError, isNotFoundError, isSourceError, isValidationError } from '../../../domain/errors.js';
import type { ChatUsageError } from './chat-command.js';

export interface ChatProblem {
  readonly title: string;
  readonly text: string;
  /** Short next steps ("did you mean", usage, where roles come from). */
  readonly hints: readonly string[];
  /** Set for unexpected errors: the id under which the details were logged. */
  readonly reference: string | null;
}

const SERVICES: Readonly<Record<string, string>> = {
  inspector2: 'Amazon Inspector',
  ec2: 'Amazon EC2',
  ssm: 'AWS Systems Manager',
  cloudwatch: 'Amazon CloudWatch',
  cloudtrail: 'AWS CloudTrail',
  kev: 'the CISA KEV feed',
  snapshot: 'the snapshot files',
  sts: 'AWS STS',
  dynamodb: 'Amazon DynamoDB',
  sqlite: 'the state database',
  secretsmanager: 'AWS Secrets Manager',
  lambda: 'AWS Lambda',
  slack: 'Slack',
  teams: 'Microsoft Teams',
};

export function serviceName(service: string): string {
  return SERVICES[service.toLowerCase()] ?? service;
}

export interface ProblemContext {
  /** Where roles come from, for a refusal (see chat-access.ts). */
  readonly accessHelp: string;
  /** How to ask for help on this surface ("/sre help", "sre help"). */
  readonly helpCommand: string;
  /** Writes the details of an unexpected error to the logs (never to the chat). */
  readonly log: (reference: string, err: unknown) => void;
}

/** Failures are told apart by kind and name, not class identity (see domain/errors.ts). */
function isChatUsageError(err: unknown): err is ChatUsageError {
  return err instanceof Error && err.name === 'ChatUsageError';
}

export function describeError(err: unknown, ctx: ProblemContext): ChatProblem {
  if (isChatUsageError(err)) {
    const hints = err.usage === 'help' ? [`\`${ctx.helpCommand}\` lists every command`] : err.usage ? [`usage: \`${err.usage}\``] : [];
    return { title: 'I did not understand that', text: err.message, hints, reference: null };
  }
  if (isNotFoundError(err)) {
    const hints = err.suggestions.length ? [`did you mean ${err.suggestions.map((s) => `\`${s}\``).join(', ')}?`] : [];
    if (err.what === 'instance') hints.push('instances go by id (i-0abc...) or Name tag; `assess` lists them all');
    return { title: `No ${err.what} "${err.query}"`, text: err.message, hints, reference: null };
  }
  if (isAmbiguousError(err)) {
    return { title: `"${err.query}" is ambiguous`, text: err.message, hints: ['use the instance id'], reference: null };
  }
  if (isForbiddenError(err)) {
    return { title: 'Not allowed', text: err.message, hints: [ctx.accessHelp], reference: null };
  }
  if (isSourceError(err)) {
    const op = err.operation ? ` (${err.operation}, ${err.code})` : ` (${err.code})`;
    return {
      title: `${serviceName(err.service)} did not answer`,
      text: `${serviceName(err.service)}${op}: ${err.message}`,
      hints: ['nothing was changed; try again in a minute, or ask whoever runs the bot to check its access to that service'],
      reference: null,
    };
  }
  if (isValidationError(err)) {
    return { title: 'That does not work', text: err.message, hints: [`\`${ctx.helpCommand}\` shows every command`], reference: null };
  }
  if (isDomainError(err)) {
    // Conflicts and the like: the message is written for people.
    return { title: 'That cannot be done now', text: err.message, hints: [], reference: null };
  }
  const reference = randomUUID().slice(0, 8);
  ctx.log(reference, err);
  return { title: 'Something went wrong on our side', text: `The details are in the bot's logs under reference ${reference}.`, hints: [], reference };
}

/** The log line for an unexpected error: name, message and stack, under its reference. */
export function logUnexpected(surface: string): (reference: string, err: unknown) => void {
  return (reference, err) => {
    const e = err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { message: String(err) };
    console.error(JSON.stringify({ level: 'error', surface, reference, error: e }));
  };
}
