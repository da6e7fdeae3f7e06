/** What each command module gets: a way to run a handler against the Assistant, and the I/O. */
import type { Argv } from 'yargs';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { Style, Output } from './terminal.js';

/** The options every command takes; the composition root turns them into an Assistant. */
export interface GlobalOptions {
  readonly source?: string;
  readonly json: boolean;
  readonly now?: string;
  readonly policy?: string;
  readonly kev?: string;
  /** Findings from Inspector2's exports (s3://BUCKET/PREFIX, a file or a folder) instead of the source's. */
  readonly findings?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly roleArn?: string;
  /** Organization scope: --regions r1,r2, --accounts ID,ID|org, --assume-role, --external-id, --patch-role. */
  readonly regions?: readonly string[];
  readonly accounts?: readonly string[] | 'org';
  readonly assumeRole?: string;
  readonly externalId?: string;
  readonly patchRole?: string;
  /** --inspector members|administrator: where Inspector findings are read (validated by the core). */
  readonly inspector?: string;
  /** Act as this named actor (roles from the policy file) instead of the OS user. */
  readonly actor?: string;
  /** The state file (SQLite) for patch runs, acceptances and the audit log. */
  readonly state?: string;
  /** Answer yes to confirmation prompts of mutating commands. */
  readonly yes: boolean;
  /** Refuse a partial answer (a capture file cut short by the AWS CLI) with exit 1 instead of a warning. */
  readonly strict?: boolean;
}

/** Long-running services the composition root can start for the CLI (serve, mcp). */
export interface CliServices {
  /** Runs until the process is told to stop; resolves when it has stopped. */
  readonly [name: string]: ((options: GlobalOptions, args: Record<string, unknown>, notice: (line: string) => void) => Promise<void>) | undefined;
}

export interface CliEnvironment {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Builds the Assistant for these options; `notice` prints a line to stderr. */
  createAssistant(options: GlobalOptions, notice: (line: string) => void): Promise<Assistant>;
  readonly services?: CliServices;
  readonly version: string;
}

export interface CommandResult {
  /** Printed with --json (the documented contract). */
  readonly json: unknown;
  /** Printed otherwise. */
  readonly human: (s: Style) => string;
  /** Printed on stderr after the human output. */
  readonly warnings?: readonly string[];
  /** Printed on stderr in both modes (what the command stored, e.g. assess --record). */
  readonly notes?: readonly string[];
}

export type Handler = (assistant: Assistant, args: Record<string, unknown>, options: GlobalOptions) => Promise<CommandResult>;

export interface CommandContext {
  readonly io: CliEnvironment;
  readonly notice: (line: string) => void;
  /** Wraps a handler: builds the Assistant, renders, maps errors to exit codes, closes. */
  run(handler: Handler): (args: Record<string, unknown>) => Promise<void>;
  /** Runs a service (serve, mcp) with the same error mapping. */
  runService(name: string): (args: Record<string, unknown>) => Promise<void>;
  /** Asks "proceed? [y/N]" on a TTY; refuses without one unless --yes. */
  confirm(question: string, options: GlobalOptions): Promise<boolean>;
}

/** A command module adds its commands to the parser. */
export type CommandModule = (y: Argv, ctx: CommandContext) => Argv;

export function instancePositional(y: Argv): Argv {
  return y.positional('instance', { type: 'string', describe: 'instance id (i-...) or Name tag', demandOption: true });
}
