/** The history: what changed between recorded assessments, and the trend. */
import type { CommandModule } from '../command-context.js';
import { UsageError } from '../errors.js';
import { nonEmpty, wholeNumberOption } from '../options.js';
import { renderChanges, renderTrend } from './history-render.js';

export const historyCommands: CommandModule = (y, { run }) =>
  y
    .command(
      'changes',
      'what changed between two recorded assessments (record them with assess --record)',
      (c) =>
        c
          .option('since', { type: 'string', describe: 'compare the newest assessment with the one at or before this: 24h, 7d, or an ISO date / date-time with a zone (default 24h)', coerce: nonEmpty('since', 'a duration such as 24h or 7d, or an ISO instant') })
          .option('between', { type: 'string', array: true, describe: 'two recorded assessments, each an id or an ISO instant' }),
      run(async (a, args) => {
        const between = args.between as string[] | undefined;
        if (between !== undefined && between.length !== 2) throw new UsageError(`--between: expected two recorded assessments (ids or ISO instants), got ${between.length}`);
        const r = await a.changes({
          ...(typeof args.since === 'string' ? { since: args.since } : {}),
          ...(between ? { between: [String(between[0]), String(between[1])] as const } : {}),
        });
        return { json: r, human: (s) => renderChanges(r, s), warnings: r.warnings };
      }),
    )
    .command(
      'trend',
      'per day from the recorded assessments: counts by decision and SSVC outcome, overdue, mean time to remediate',
      (c) => c.option('days', wholeNumberOption('days', 1, 3650, 'this many days back (at most policy history.retentionDays)', 30)),
      run(async (a, args) => {
        const r = await a.trend({ days: args.days as number });
        return { json: r, human: (s) => renderTrend(r, s), warnings: r.warnings };
      }),
    );
