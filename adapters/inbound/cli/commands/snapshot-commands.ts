/** `snapshot capture`: a live account written into the snapshot folder format. */
import type { CommandModule } from '../command-context.js';
import { UsageError } from '../errors.js';

export const snapshotCommands: CommandModule = (y, { run, notice }) =>
  y.command('snapshot', 'capture a live account for offline analysis', (s) =>
    s
      .command(
        'capture',
        'write the live account (--source aws) into a snapshot folder',
        (c) =>
          c
            .option('out', { type: 'string', demandOption: true, describe: 'the folder to create (must not exist or be empty)' })
            .option('instance', { type: 'string', array: true, describe: 'only these instances (ids or Name tags)' })
            .option('findings-report', { type: 'string', describe: 'export the findings with Inspector2 CreateFindingsReport to s3://BUCKET/PREFIX, wait for it, and read it (instead of paging ListFindings)' })
            .option('kms-key', { type: 'string', describe: 'the KMS key ARN Inspector encrypts the findings report with (required with --findings-report)' }),
        run(async (a, args) => {
          if (args['kms-key'] !== undefined && args['findings-report'] === undefined) throw new UsageError('--kms-key: only with --findings-report (the key Inspector encrypts the report with)');
          const r = await a.captureSnapshot({
            outDir: String(args.out),
            ...(Array.isArray(args.instance) ? { instances: (args.instance as unknown[]).map(String) } : {}),
            ...(args['findings-report'] !== undefined ? { findingsReport: { s3Url: String(args['findings-report']), kmsKeyArn: args['kms-key'] === undefined ? '' : String(args['kms-key']) } } : {}),
            onProgress: (p) => notice(`[${p.step}] ${p.message}`),
          });
          const n = r.counts;
          return {
            json: r,
            human: () =>
              `captured ${n.instances} instance${n.instances === 1 ? '' : 's'} and ${n.findings} finding${n.findings === 1 ? '' : 's'} from account ${r.manifest.accountId} (${r.manifest.region}) into ${r.outDir}\n` +
              `analyse it with: sre-ops assess --source snapshot:${r.outDir}\n`,
            warnings: r.warnings,
          };
        }),
      )
      .demandCommand(1, 'name a snapshot command: capture'),
  );
