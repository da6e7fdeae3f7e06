/**
 * The `sre-ops` command line (yargs). It parses, calls the Assistant, renders; nothing else.
 * The Assistant (and any long-running service) comes from the composition root, so this adapter
 * imports no outbound adapter. Each command family lives in commands/ and registers below.
 */
import { createInterface } from 'node:readline/promises';
import yargs, { type Argv } from 'yargs';
import type { CliEnvironment, CommandContext, CommandModule, GlobalOptions, Handler } from './command-context.js';
import { reportCommands } from './commands/report-commands.js';
import { snapshotCommands } from './commands/snapshot-commands.js';
import { mcpCommand } from './commands/mcp-command.js';
import { patchCommands } from './commands/patch-commands.js';
import { serveCommand } from './commands/serve-command.js';
import { historyCommands } from './commands/history-commands.js';
import { EXIT_OK, EXIT_USAGE, UsageError, exitCodeFor, messageFor, yargsUsageLine } from './errors.js';
import { writeJson } from './json-output.js';
import { Style } from './terminal.js';
import { CLAIM_NAME, CLAIM_NAME_RULE } from '../../../domain/access/actor.js';
import { ORG_ACCOUNTS, splitList } from '../../../domain/scope.js';

export type { CliEnvironment, GlobalOptions } from './command-context.js';

/** Command families, in the order --help lists them. */
const COMMANDS: readonly CommandModule[] = [reportCommands, historyCommands, snapshotCommands, patchCommands, serveCommand, mcpCommand];

const SOURCE_HELP = 'where the data comes from: demo (bundled demo fleet), snapshot:DIR (a folder of AWS CLI JSON), aws (live account)';

/** --actor names a claim: refused when empty (never a silent fall back to the OS user) or not a plain name. */
function checkedActor(argv: Record<string, unknown>): string | undefined {
  if (argv.actor === undefined) return undefined;
  const v = typeof argv.actor === 'string' ? argv.actor : String(argv.actor as string | number);
  if (!v.trim()) throw new UsageError(`--actor: expected ${CLAIM_NAME_RULE}, got an empty value (leave --actor out to act as yourself)`);
  if (!CLAIM_NAME.test(v)) throw new UsageError(`--actor: expected ${CLAIM_NAME_RULE}, got ${JSON.stringify(v)}`);
  return v;
}

/** --regions and --accounts as lists ("org" alone for the organization); the roles as typed. The core validates them. */
function scopeOptions(str: (k: string) => string | undefined): Pick<GlobalOptions, 'regions' | 'accounts' | 'assumeRole' | 'externalId' | 'patchRole' | 'inspector'> {
  const list = (flag: string): string[] | undefined => {
    const v = str(flag);
    if (v === undefined) return undefined;
    const items = splitList(v);
    if (items.length === 0) throw new UsageError(`--${flag}: expected a comma-separated list, got ${JSON.stringify(v)}`);
    return items;
  };
  const regions = list('regions');
  const accounts = list('accounts');
  const assumeRole = str('assume-role');
  const externalId = str('external-id');
  const patchRole = str('patch-role');
  const inspector = str('inspector');
  return {
    ...(regions !== undefined ? { regions } : {}),
    ...(accounts !== undefined ? { accounts: accounts.length === 1 && accounts[0] === ORG_ACCOUNTS ? ORG_ACCOUNTS : accounts } : {}),
    ...(assumeRole !== undefined ? { assumeRole } : {}),
    ...(externalId !== undefined ? { externalId } : {}),
    ...(patchRole !== undefined ? { patchRole } : {}),
    ...(inspector !== undefined ? { inspector } : {}),
  };
}

function globalOptions(argv: Record<string, unknown>): GlobalOptions {
  const str = (k: string): string | undefined => (typeof argv[k] === 'string' ? (argv[k] as string) : undefined);
  return {
    source: str('source'),
    json: argv.json === true,
    now: str('now'),
    policy: str('policy'),
    kev: str('kev'),
    findings: str('findings'),
    region: str('region'),
    profile: str('profile'),
    endpointUrl: str('endpoint-url'),
    roleArn: str('role-arn'),
    ...scopeOptions(str),
    actor: checkedActor(argv),
    state: str('state'),
    yes: argv.yes === true,
    ...(argv.strict === true ? { strict: true } : {}),
  };
}

/** Runs one command line; resolves to the process exit code. Never throws. */
/**
 * The usage line of the command yargs was parsing when it failed ("$0 run <run>"). yargs passes
 * its usage object to the fail handler (typed as the parser); read defensively.
 */
function commandUsage(usage: unknown): string | undefined {
  const lines = (usage as { getUsage?: () => unknown } | null)?.getUsage?.();
  const first = Array.isArray(lines) && Array.isArray(lines[0]) ? lines[0][0] : undefined;
  return typeof first === 'string' ? first : undefined;
}

export async function runCli(argv: readonly string[], io: CliEnvironment): Promise<number> {
  let exitCode = EXIT_OK;
  const notice = (line: string): void => void io.stderr.write(`${line}\n`);
  const style = Style.for(io.stdout, io.env);
  const fail = (err: unknown): void => {
    exitCode = exitCodeFor(err);
    notice(messageFor(err));
    if (io.env.SRE_OPS_DEBUG && err instanceof Error && err.stack) notice(err.stack);
  };

  const ctx: CommandContext = {
    io,
    notice,
    run: (handler: Handler) => async (args) => {
      try {
        const options = globalOptions(args);
        const assistant = await io.createAssistant(options, notice);
        let result: Awaited<ReturnType<Handler>>;
        try {
          result = await handler(assistant, args, options);
        } finally {
          await assistant.close();
        }
        if (options.json) await writeJson(io.stdout, result.json);
        else {
          io.stdout.write(result.human(style));
          for (const w of result.warnings ?? []) notice(`warning: ${w}`);
        }
        for (const n of result.notes ?? []) notice(n);
      } catch (err) {
        fail(err);
      }
    },
    runService: (name) => async (args) => {
      const service = io.services?.[name];
      try {
        if (!service) throw new UsageError(`"${name}" is not available in this build`);
        await service(globalOptions(args), args, notice);
      } catch (err) {
        fail(err);
      }
    },
    async confirm(question, options) {
      if (options.yes) return true;
      if (!io.stdin?.isTTY) throw new UsageError(`${question}: refusing to change anything without confirmation; pass --yes to confirm non-interactively`);
      const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };

  let parser: Argv = yargs()
    .scriptName('sre-ops')
    .usage('$0 <command> [options]\n\nRanks EC2 instances by vulnerability risk (CISA SSVC, BOD 26-04, EPSS, KEV) and plans patching.')
    .option('source', { type: 'string', describe: SOURCE_HELP, global: true })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON (the documented contract) instead of a table', global: true })
    .option('now', { type: 'string', describe: 'assess as of this instant: an ISO date-time with Z or an offset, or a date (UTC); default a snapshot\'s capture time, else the clock', global: true })
    .option('policy', { type: 'string', describe: 'policy file (JSON) overriding any default', global: true })
    .option('kev', { type: 'string', describe: 'CISA KEV catalog: a JSON file, or a URL to fetch and cache', global: true })
    .option('findings', { type: 'string', describe: 'findings from Inspector2\'s own exports instead of the source\'s: s3://BUCKET/PREFIX or a file or folder (a findings report, JSON or CSV, gzip or plain, or archived "Inspector2 Finding" events)', global: true })
    .option('region', { type: 'string', describe: 'AWS region (with --source aws)', global: true })
    .option('profile', { type: 'string', describe: 'AWS profile (with --source aws)', global: true })
    .option('endpoint-url', { type: 'string', describe: 'AWS endpoint override, e.g. LocalStack or moto (with --source aws)', global: true })
    .option('role-arn', { type: 'string', describe: 'role to assume (with --source aws)', global: true })
    .option('regions', { type: 'string', describe: 'read these regions, e.g. eu-west-1,us-east-1 (with --source aws; --region then filters the reports)', global: true })
    .option('accounts', { type: 'string', describe: 'read these AWS accounts (12-digit ids, comma-separated) or org (every ACTIVE account of the organization), through --assume-role', global: true })
    .option('assume-role', { type: 'string', describe: 'role NAME assumed in each account of --accounts (default SreOpsReadRole)', global: true })
    .option('external-id', { type: 'string', describe: 'external id the member accounts\' roles require', global: true })
    .option('patch-role', { type: 'string', describe: 'role NAME assumed in an instance\'s account to patch it (default SreOpsPatchRole)', global: true })
    .option('inspector', { type: 'string', describe: 'where Inspector findings are read: members (each account, the default) or administrator (once per region from your account, the delegated administrator)', global: true })
    .option('actor', { type: 'string', describe: 'claim to be this name (roles from the policy): recorded as "NAME, claimed by YOU"; counts as a second approver on the demo source only', global: true })
    .option('state', { type: 'string', describe: 'state file for patch runs, acceptances and audit (default ~/.config/sre-ops-assistant/state.db)', global: true })
    .option('strict', { type: 'boolean', default: false, describe: 'exit 1 instead of warning when a snapshot file was cut short (it still has a next token)', global: true })
    .option('yes', { type: 'boolean', default: false, describe: 'confirm changes without asking (needed when not on a terminal)', global: true });
  for (const add of COMMANDS) parser = add(parser, ctx);
  parser = parser
    .example('$0 plan', 'patch plan for the bundled demo fleet')
    .example('$0 assess --source snapshot:./capture --json', 'ranked fleet from a captured snapshot, as JSON')
    .example('$0 findings web-1 --min-severity high', 'high and critical findings on the instance named web-1')
    .example('$0 snapshot capture --source aws --region eu-west-1 --out ./capture', 'capture a live account for offline use')
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(io.version)
    .wrap(100)
    .exitProcess(false)
    .fail((msg, err, usage) => {
      throw err ?? new UsageError(yargsUsageLine(msg, commandUsage(usage)));
    });

  try {
    await parser.parseAsync([...argv], {}, (err, _argv, output) => {
      // --help and --version land here with their text; errors are thrown to the catch below.
      if (!err && output) io.stdout.write(`${output}\n`);
    });
  } catch (err) {
    const yargsError = err instanceof Error && err.name === 'YError';
    if (!yargsError && exitCodeFor(err) !== EXIT_USAGE) {
      fail(err);
      return exitCode;
    }
    notice(yargsError ? `error: ${yargsUsageLine(err.message)}` : messageFor(err));
    notice('run "sre-ops --help" for usage');
    return EXIT_USAGE;
  }
  return exitCode;
}
