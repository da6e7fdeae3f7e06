/**
 * The `sre-ops` command line (yargs). It parses, calls the Assistant, renders; nothing else.
 * The Assistant comes from a factory the composition root passes in, so this file imports no
 * outbound adapter.
 */
import yargs, { type Argv } from 'yargs';
import type { Assistant } from '../../../ports/inbound/assistant.js';
import { DECISIONS } from '../../../ports/inbound/reports.js';
import { EXIT_OK, EXIT_USAGE, UsageError, exitCodeFor, messageFor } from './errors.js';
import { renderActivity, renderCompliance, renderFindings, renderFleet, renderInstance, renderMetrics, renderPlan } from './render.js';
import { Style, type Output } from './terminal.js';

/** The options every command takes; the composition root turns them into an Assistant. */
export interface GlobalOptions {
  readonly source?: string;
  readonly json: boolean;
  readonly now?: string;
  readonly policy?: string;
  readonly kev?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly roleArn?: string;
}

export interface CliEnvironment {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Builds the Assistant for these options; `notice` prints a line to stderr. */
  createAssistant(options: GlobalOptions, notice: (line: string) => void): Promise<Assistant>;
  readonly version: string;
}

type Handler = (assistant: Assistant, args: Record<string, unknown>) => Promise<{ json: unknown; human: (s: Style) => string; warnings?: readonly string[] }>;

const SOURCE_HELP = 'where the data comes from: demo (bundled demo fleet), snapshot:DIR (a folder of AWS CLI JSON), aws (live account)';

function globalOptions(argv: Record<string, unknown>): GlobalOptions {
  const str = (k: string): string | undefined => (typeof argv[k] === 'string' ? (argv[k] as string) : undefined);
  return {
    source: str('source'),
    json: argv.json === true,
    now: str('now'),
    policy: str('policy'),
    kev: str('kev'),
    region: str('region'),
    profile: str('profile'),
    endpointUrl: str('endpoint-url'),
    roleArn: str('role-arn'),
  };
}

/** Runs one command line; resolves to the process exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliEnvironment): Promise<number> {
  let exitCode = EXIT_OK;
  const notice = (line: string): void => void io.stderr.write(`${line}\n`);
  const style = Style.for(io.stdout, io.env);

  const run = (handler: Handler) => async (args: Record<string, unknown>): Promise<void> => {
    const options = globalOptions(args);
    try {
      const assistant = await io.createAssistant(options, notice);
      let result: Awaited<ReturnType<Handler>>;
      try {
        result = await handler(assistant, args);
      } finally {
        await assistant.close();
      }
      if (options.json) io.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
      else {
        io.stdout.write(result.human(style));
        for (const w of result.warnings ?? []) notice(`warning: ${w}`);
      }
    } catch (err) {
      exitCode = exitCodeFor(err);
      notice(messageFor(err));
      if (io.env.SRE_OPS_DEBUG && err instanceof Error && err.stack) notice(err.stack);
    }
  };

  const instancePositional = (y: Argv): Argv =>
    y.positional('instance', { type: 'string', describe: 'instance id (i-...) or Name tag', demandOption: true });
  const hoursOption = (y: Argv, max: number): Argv =>
    y.option('hours', { type: 'number', default: 24, describe: `look back this many hours (1 to ${max})` });

  const parser = yargs()
    .scriptName('sre-ops')
    .usage('$0 <command> [options]\n\nRanks EC2 instances by vulnerability risk (CISA SSVC, BOD 26-04, EPSS, KEV) and plans patching.')
    .option('source', { type: 'string', describe: SOURCE_HELP, global: true })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON (the documented contract) instead of a table', global: true })
    .option('now', { type: 'string', describe: 'assess as of this ISO instant (reproducible due dates and windows)', global: true })
    .option('policy', { type: 'string', describe: 'policy file (JSON) overriding any default', global: true })
    .option('kev', { type: 'string', describe: 'CISA KEV catalog JSON file (or URL with --source aws)', global: true })
    .option('region', { type: 'string', describe: 'AWS region (with --source aws)', global: true })
    .option('profile', { type: 'string', describe: 'AWS profile (with --source aws)', global: true })
    .option('endpoint-url', { type: 'string', describe: 'AWS endpoint override, e.g. LocalStack or moto (with --source aws)', global: true })
    .option('role-arn', { type: 'string', describe: 'role to assume (with --source aws)', global: true })
    .command(
      'assess',
      'rank instances by risk with their patch decision',
      (y) =>
        y
          .option('instance', { type: 'string', describe: 'only this instance (id or Name tag), in detail' })
          .option('decision', { type: 'string', array: true, choices: DECISIONS as string[], describe: 'only instances with this decision' }),
      run(async (a, args) => {
        if (typeof args.instance === 'string') {
          if (args.json) {
            // --json keeps the fleet contract (assets[] and summary) with the one instance.
            const r = await a.assessFleet({ instance: args.instance });
            return { json: r, human: () => '' };
          }
          const r = await a.assessInstance(args.instance);
          return { json: r, human: (s) => renderInstance(r, s), warnings: r.warnings };
        }
        const decisions = (args.decision as string[] | undefined) as typeof DECISIONS[number][] | undefined;
        const r = await a.assessFleet(decisions ? { decisions } : {});
        return { json: r, human: (s) => renderFleet(r, s), warnings: r.warnings };
      }),
    )
    .command(
      'findings <instance>',
      'active findings on one instance, highest risk first',
      (y) =>
        instancePositional(y).option('min-severity', {
          type: 'string',
          describe: 'only findings at or above: informational, low, medium, high, critical',
        }),
      run(async (a, args) => {
        const r = await a.listFindings({
          instance: String(args.instance),
          ...(typeof args.minSeverity === 'string' ? { minSeverity: args.minSeverity } : {}),
        });
        return { json: r, human: (s) => renderFindings(r, s), warnings: r.warnings };
      }),
    )
    .command('plan', 'what to patch, when (quietest window before the due date) and in what order (waves)', (y) => y, run(async (a) => {
      const r = await a.planPatches();
      return { json: r, human: (s) => renderPlan(r, s), warnings: r.warnings };
    }))
    .command('compliance', 'patch compliance from Systems Manager', (y) => y, run(async (a) => {
      const r = await a.complianceSummary();
      return { json: r, human: (s) => renderCompliance(r, s), warnings: r.warnings };
    }))
    .command('metrics <instance>', 'CPU, network and status checks with anomalies', (y) => hoursOption(instancePositional(y), 2160), run(async (a, args) => {
      const r = await a.metricsSummary({ instance: String(args.instance), hours: args.hours as number });
      return { json: r, human: (s) => renderMetrics(r, s), warnings: r.warnings };
    }))
    .command('activity <instance>', 'CloudTrail events about an instance, with those worth a look flagged', (y) => hoursOption(instancePositional(y), 2160), run(async (a, args) => {
      const r = await a.activityReport({ instance: String(args.instance), hours: args.hours as number });
      return { json: r, human: (s) => renderActivity(r, s), warnings: r.warnings };
    }))
    .command('snapshot', 'capture a live account for offline analysis', (y) =>
      y
        .command(
          'capture',
          'write the live account (--source aws) into a snapshot folder',
          (c) =>
            c
              .option('out', { type: 'string', demandOption: true, describe: 'the folder to create (must not exist or be empty)' })
              .option('instance', { type: 'string', array: true, describe: 'only these instances (ids or Name tags)' }),
          run(async (a, args) => {
            const r = await a.captureSnapshot({
              outDir: String(args.out),
              ...(Array.isArray(args.instance) ? { instances: (args.instance as unknown[]).map(String) } : {}),
              onProgress: (p) => notice(`[${p.step}] ${p.message}`),
            });
            const c = r.counts;
            return {
              json: r,
              human: () =>
                `captured ${c.instances} instances and ${c.findings} findings from account ${r.manifest.accountId} (${r.manifest.region}) into ${r.outDir}\n` +
                `analyse it with: sre-ops assess --source snapshot:${r.outDir}\n`,
              warnings: r.warnings,
            };
          }),
        )
        .demandCommand(1, 'name a snapshot command: capture'))
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
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });

  try {
    await parser.parseAsync([...argv], {}, (err, _argv, output) => {
      // --help and --version land here with their text; errors are thrown to the catch below.
      if (!err && output) io.stdout.write(`${output}\n`);
    });
  } catch (err) {
    notice(messageFor(err instanceof Error && !(err instanceof UsageError) && err.name === 'YError' ? new UsageError(err.message) : err));
    if (!(err instanceof UsageError) && !(err instanceof Error && err.name === 'YError')) return exitCodeFor(err);
    notice('run "sre-ops --help" for usage');
    return EXIT_USAGE;
  }
  return exitCode;
}
