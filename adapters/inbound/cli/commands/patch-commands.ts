/**
 * Patch operations on the command line: request, approve, reject, cancel, list and execute runs;
 * schedules; risk acceptances; the audit log. The actor is the Assistant's own (the OS user, or
 * --actor). Every command that changes something asks first on a terminal and refuses without
 * one unless --yes is given.
 */
import { REBOOT_OPTIONS } from '../../../../domain/vocabulary.js';
import type { Assistant } from '../../../../ports/inbound/assistant.port.js';
import type { PatchRunReport, PatchRunStatus } from '../../../../ports/inbound/patching/patch-runs.port.js';
import type { CommandContext, CommandModule, CommandResult, GlobalOptions } from '../command-context.js';
import { CommandFailed, UsageError } from '../errors.js';
import { wholeNumberOption } from '../options.js';
import { Style } from '../terminal.js';
import {
  progressBetween, renderAcceptance, renderAcceptances, renderAudit, renderAutopilot, renderAuditVerification, renderProgress, renderRun, renderRuns, renderSchedules, runSummary,
} from './patch-render.js';

const RUN_STATUSES: readonly PatchRunStatus[] = ['requested', 'approved', 'rejected', 'running', 'verifying', 'succeeded', 'halted', 'failed', 'cancelled'];
const TERMINAL: readonly PatchRunStatus[] = ['rejected', 'succeeded', 'halted', 'failed', 'cancelled'];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
}

function optional(args: Record<string, unknown>, key: string): string | undefined {
  return typeof args[key] === 'string' ? (args[key] as string) : undefined;
}

/** Asks before a change; a "no" changes nothing and exits 1. */
async function confirmed(ctx: CommandContext, question: string, o: GlobalOptions): Promise<void> {
  if (!(await ctx.confirm(question, o))) throw new CommandFailed('not confirmed: nothing changed');
}

function runResult(r: PatchRunReport, lead = ''): CommandResult {
  return { json: r, human: (s) => `${lead}${renderRun(r, s)}` };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Follows a run another process executes (the service's executor, another terminal), printing
 * what changes wave by wave until it ends: lines on stderr, or with --json one JSON object a line
 * on stdout ({ runId, status, currentWave, message }), the final report as the last line.
 */
async function watch(ctx: CommandContext, a: Assistant, id: string, intervalMs: number, json = false): Promise<PatchRunReport> {
  let last: PatchRunReport | null = null;
  for (;;) {
    const r = await a.getPatchRun(a.actor, id);
    for (const line of progressBetween(last, r)) {
      if (json) ctx.io.stdout.write(`${JSON.stringify({ runId: r.id, status: r.status, currentWave: r.currentWave, message: line })}\n`);
      else ctx.notice(`[${r.id}] ${line}`);
    }
    last = r;
    if (TERMINAL.includes(r.status)) return r;
    await sleep(intervalMs);
  }
}

/** A halted, failed, cancelled or rejected run ends the command with exit 1, after its report. */
function outcome(ctx: CommandContext, r: PatchRunReport, o: GlobalOptions, lines = false): CommandResult {
  if (r.status === 'succeeded' || !TERMINAL.includes(r.status)) return runResult(r);
  if (o.json) ctx.io.stdout.write(`${JSON.stringify(r, null, lines ? undefined : 2)}\n`);
  else ctx.io.stdout.write(renderRun(r, Style.for(ctx.io.stdout, ctx.io.env)));
  throw new CommandFailed(`run ${r.id} ${r.status}${r.haltReason ? `: ${r.haltReason}` : ''}`);
}

export const patchCommands: CommandModule = (y, ctx) => {
  const { run } = ctx;
  return y
    .command(
      'patch [instances..]',
      'request a patch run for instances (ids or Name tags) or for the plan',
      (c) =>
        c
          .positional('instances', { type: 'string', array: true, describe: 'instance ids or Name tags' })
          .option('plan', { type: 'boolean', default: false, describe: 'everything the plan patches now or in the next window' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'AWS-RunPatchBaseline Operation=Scan: report, install nothing' })
          .option('reboot', { type: 'string', choices: REBOOT_OPTIONS, default: 'if-needed', describe: 'RebootIfNeeded or NoReboot' })
          .option('reason', { type: 'string', describe: 'why, for the approvers and the audit log' })
          .option('idempotency-key', { type: 'string', describe: 'the same key twice makes one run (safe retries)' }),
      run(async (a, args, o) => {
        const instances = strings(args.instances);
        if (args.plan === true && instances.length) throw new UsageError('give instances or --plan, not both');
        if (args.plan !== true && !instances.length) throw new UsageError('name at least one instance, or pass --plan');
        const request = {
          ...(args.plan === true ? { fromPlan: true } : { instances }),
          dryRun: args.dryRun === true,
          reboot: args.reboot as 'if-needed' | 'never',
          ...(optional(args, 'reason') !== undefined ? { reason: optional(args, 'reason') } : {}),
          ...(optional(args, 'idempotencyKey') !== undefined ? { idempotencyKey: optional(args, 'idempotencyKey') } : {}),
        };
        if (!o.yes) {
          const preview = await a.previewPatchRun(a.actor, request);
          await confirmed(ctx, `Request ${runSummary(preview)}?`, o);
        }
        const r = await a.requestPatchRun(a.actor, request);
        return runResult(r, `requested ${r.id} as ${a.actor.id}\n`);
      }),
    )
    .command('approve <run>', 'approve a patch run (an approver other than the requester)', (c) =>
      c.positional('run', { type: 'string', demandOption: true }).option('comment', { type: 'string', describe: 'a note for the audit log' }),
    run(async (a, args, o) => {
      const id = String(args.run);
      const r0 = await a.getPatchRun(a.actor, id);
      await confirmed(ctx, `Approve run ${id} as ${a.actor.id}: ${runSummary(r0)}?`, o);
      return runResult(await a.approvePatchRun(a.actor, id, optional(args, 'comment')));
    }))
    .command('reject <run>', 'reject a patch run that has not started', (c) =>
      c.positional('run', { type: 'string', demandOption: true }).option('reason', { type: 'string', describe: 'why, for the requester and the audit log' }),
    run(async (a, args, o) => {
      const id = String(args.run);
      await confirmed(ctx, `Reject run ${id} as ${a.actor.id}?`, o);
      return runResult(await a.rejectPatchRun(a.actor, id, optional(args, 'reason')));
    }))
    .command('cancel <run>', 'cancel a patch run (commands in flight are cancelled at SSM)', (c) => c.positional('run', { type: 'string', demandOption: true }),
      run(async (a, args, o) => {
        const id = String(args.run);
        await confirmed(ctx, `Cancel run ${id} as ${a.actor.id}?`, o);
        return runResult(await a.cancelPatchRun(a.actor, id));
      }))
    .command('runs', 'patch runs, newest first', (c) =>
      c
        .option('status', { type: 'string', array: true, choices: RUN_STATUSES as string[], describe: 'only runs in these states' })
        .option('limit', wholeNumberOption('limit', 1, 1000, 'at most this many', 50)),
    run(async (a, args) => {
      const runs = await a.listPatchRuns(a.actor, { status: strings(args.status) as PatchRunStatus[], limit: args.limit as number });
      return { json: { runs }, human: (s) => renderRuns(runs, s) };
    }))
    .command(
      'run [run]',
      'execute (or resume) a run wave by wave, progress on stderr; --watch follows one running elsewhere (the service\'s executor), with --json as JSON lines',
      (c) =>
        c
          .positional('run', { type: 'string', describe: 'the run id (r-...; `sre-ops runs` lists them)' })
          .option('watch', { type: 'boolean', default: false, describe: 'follow the run without executing it' })
          .option('interval', { type: 'number', default: 5, hidden: true, describe: 'seconds between reads with --watch' })
          // Checked here, before any source is read: one line naming RUN instead of yargs' count of arguments.
          .check((argv) => {
            if (typeof argv.run !== 'string' || argv.run.trim() === '') {
              throw new UsageError(`run${argv.watch === true ? ' --watch' : ''}: missing RUN, the id of the run to ${argv.watch === true ? 'follow' : 'execute'} (\`sre-ops runs\` lists them)`);
            }
            return true;
          }),
      run(async (a, args, o) => {
        const id = String(args.run);
        if (args.watch === true) return outcome(ctx, await watch(ctx, a, id, Math.max(0.01, Number(args.interval)) * 1000, o.json === true), o, true);
        const r0 = await a.getPatchRun(a.actor, id);
        if (TERMINAL.includes(r0.status)) return outcome(ctx, r0, o);
        await confirmed(ctx, `Execute run ${id} as ${a.actor.id}: ${runSummary(r0)}?`, o);
        const r = await a.executePatchRun(a.actor, id, (p) => ctx.notice(renderProgress(p)));
        return outcome(ctx, r, o);
      }),
    )
    .command(
      'schedule [instances..]',
      'schedule recurring patching in an SSM maintenance window (--source aws)',
      (c) =>
        c
          .positional('instances', { type: 'string', array: true, describe: 'instance ids or Name tags (at most 50)' })
          .option('patch-group', { type: 'string', describe: 'target instances by their patch group tag instead' })
          .option('cron', { type: 'string', demandOption: true, describe: 'SSM schedule, e.g. "cron(0 3 ? * SUN *)" or "rate(7 days)" (UTC)' })
          .option('duration', wholeNumberOption('duration', 1, 24, 'window length in hours (1 to 24; default the policy window)'))
          .option('cutoff', wholeNumberOption('cutoff', 0, 23, 'hours before the end when no new task starts (below --duration)'))
          .option('reboot', { type: 'string', choices: REBOOT_OPTIONS, default: 'if-needed' })
          .option('name', { type: 'string', describe: 'window name (prefixed sre-ops-)' }),
      run(async (a, args, o) => {
        const instances = strings(args.instances);
        const request = {
          ...(instances.length ? { instances } : {}),
          ...(optional(args, 'patchGroup') !== undefined ? { patchGroup: optional(args, 'patchGroup') } : {}),
          schedule: String(args.cron),
          ...(typeof args.duration === 'number' ? { durationHours: args.duration } : {}),
          ...(typeof args.cutoff === 'number' ? { cutoffHours: args.cutoff } : {}),
          reboot: args.reboot as 'if-needed' | 'never',
          ...(optional(args, 'name') !== undefined ? { name: optional(args, 'name') } : {}),
        };
        const what = request.patchGroup ? `patch group ${request.patchGroup}` : `${instances.length} instance${instances.length === 1 ? '' : 's'}`;
        await confirmed(ctx, `Schedule AWS-RunPatchBaseline Install on ${what} at ${request.schedule}?`, o);
        const r = await a.schedulePatching(a.actor, request);
        return { json: r, human: (s) => `scheduled ${r.windowId}\n${renderSchedules([r], s)}` };
      }),
    )
    .command('schedules', 'patch schedules (SSM maintenance windows this tool created)', (c) => c, run(async (a) => {
      const list = await a.listSchedules(a.actor);
      return { json: { schedules: list }, human: (s) => renderSchedules(list, s) };
    }))
    .command('unschedule <window>', 'delete a patch schedule (its maintenance window, targets and task)', (c) => c.positional('window', { type: 'string', demandOption: true }),
      run(async (a, args, o) => {
        const id = String(args.window);
        await confirmed(ctx, `Delete maintenance window ${id}?`, o);
        const r = await a.cancelSchedule(a.actor, id);
        return { json: r, human: () => `deleted ${r.windowId} (${r.name})\n` };
      }))
    .command(
      'accept <vulnerability>',
      'accept a risk until a date: one instance (--instance) or the whole fleet (--fleet)',
      (c) =>
        c
          .positional('vulnerability', { type: 'string', demandOption: true, describe: 'advisory id: CVE-..., KB5023697, ALAS2-..., GHSA-..., RHSA-..., USN-... (a finding\'s id or one of its related ids)' })
          .option('force', { type: 'boolean', default: false, describe: 'accept even when no current finding is known by this id' })
          .option('instance', { type: 'string', describe: 'instance id or Name tag; ACCOUNT/REGION/ID on an organization read (an id two accounts hold)' })
          .option('fleet', { type: 'boolean', default: false, describe: 'every instance' })
          .option('until', { type: 'string', demandOption: true, describe: 'ISO date (through that day, UTC) or date-time' })
          .option('reason', { type: 'string', demandOption: true, describe: 'why (a compensating control, a planned replacement ...)' }),
      run(async (a, args, o) => {
        const instance = optional(args, 'instance');
        if ((instance === undefined) === (args.fleet !== true)) throw new UsageError('give exactly one of --instance I or --fleet');
        const cve = String(args.vulnerability);
        await confirmed(ctx, `Accept ${cve} ${instance ? `on ${instance}` : 'fleet-wide'} until ${String(args.until)}?`, o);
        const r = await a.acceptRisk(a.actor, { vulnerabilityId: cve, instance: instance ?? null, until: String(args.until), reason: String(args.reason), ...(args.force === true ? { force: true } : {}) });
        return { json: r, human: () => renderAcceptance(r) };
      }),
    )
    .command('acceptances', 'risk acceptances in force (--all for expired and revoked too)', (c) => c.option('all', { type: 'boolean', default: false }),
      run(async (a, args) => {
        const list = await a.listAcceptances(a.actor, { includeExpired: args.all === true });
        return { json: { acceptances: list }, human: (s) => renderAcceptances(list, s) };
      }))
    .command('revoke <acceptance>', 'end a risk acceptance now', (c) => c.positional('acceptance', { type: 'string', demandOption: true }),
      run(async (a, args, o) => {
        const id = String(args.acceptance);
        await confirmed(ctx, `Revoke acceptance ${id}?`, o);
        const r = await a.revokeAcceptance(a.actor, id);
        return { json: r, human: () => renderAcceptance(r) };
      }))
    .command('autopilot <what>', 'the autopilot (policy autopilot): `autopilot status` lists the plan windows it will turn into runs and the runs it made (missed ones with why)', (c) =>
      c.positional('what', { type: 'string', choices: ['status'], demandOption: true }),
    run(async (a) => {
      const st = await a.autopilotStatus(a.actor);
      return { json: st, human: (s) => renderAutopilot(st, s) };
    }))
    .command('audit [check]', 'the audit log, newest first; `audit verify` checks its hash chain', (c) =>
      c
        .positional('check', { type: 'string', choices: ['verify'], describe: 'verify: walk the hash chain and name the first entry that breaks it (exit 1 when broken)' })
        .option('limit', wholeNumberOption('limit', 1, 10_000, 'at most this many', 100))
        .option('since', { type: 'string', describe: 'ISO date or date-time' })
        .option('target', { type: 'string', describe: 'only entries about this run, acceptance or window' }),
    run(async (a, args, o) => {
      if (args.check === 'verify') {
        for (const flag of ['since', 'target'] as const) if (args[flag] !== undefined) throw new UsageError(`--${flag}: audit verify walks the whole chain; it takes no --${flag}`);
        const v = await a.verifyAudit(a.actor);
        if (v.ok) return { json: v, human: (s) => renderAuditVerification(v, s) };
        if (o.json) ctx.io.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
        else ctx.io.stdout.write(renderAuditVerification(v, Style.for(ctx.io.stdout, ctx.io.env)));
        const b = v.firstBreak;
        throw new CommandFailed(`the audit log is broken at entry ${b?.position ?? '?'}${b?.id ? ` (${b.id})` : ''}: ${b?.problem ?? 'unknown'}`);
      }
      const entries = await a.listAudit(a.actor, {
        limit: args.limit as number,
        ...(optional(args, 'since') !== undefined ? { since: optional(args, 'since') } : {}),
        ...(optional(args, 'target') !== undefined ? { target: optional(args, 'target') } : {}),
      });
      return { json: { entries }, human: (s) => renderAudit(entries, s) };
    }));
};
