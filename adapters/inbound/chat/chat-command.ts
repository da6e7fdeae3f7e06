/**
 * The chat grammar shared by Slack and Teams: `assess web-1`, `patch web-1 web-2 --dry-run`,
 * `accept CVE-2024-1086 web-1 30 kernel fix needs a reboot we cannot take yet`. A parsed command
 * is plain JSON, so it can travel to deferred work unchanged.
 */

export type RebootOption = 'if-needed' | 'never';

export type ChatCommand =
  | { readonly name: 'help' }
  | { readonly name: 'assess'; readonly instance: string | null }
  | { readonly name: 'findings'; readonly instance: string; readonly minSeverity: string | null }
  | { readonly name: 'plan' }
  | { readonly name: 'compliance' }
  | { readonly name: 'metrics'; readonly instance: string; readonly hours: number | null }
  | { readonly name: 'activity'; readonly instance: string; readonly hours: number | null }
  | { readonly name: 'patch'; readonly instances: readonly string[]; readonly fromPlan: boolean; readonly dryRun: boolean; readonly reboot: RebootOption }
  | { readonly name: 'status'; readonly runId: string }
  | { readonly name: 'runs' }
  | { readonly name: 'accept'; readonly vulnerabilityId: string; readonly instance: string | null; readonly days: number; readonly reason: string; readonly force?: boolean };

export type CommandName = ChatCommand['name'];

/** One line of help per subcommand, in the order people need them. */
export const COMMAND_HELP: readonly { readonly name: CommandName; readonly usage: string; readonly summary: string }[] = [
  { name: 'assess', usage: 'assess [INSTANCE]', summary: 'the fleet ranked by risk, or one instance in detail' },
  { name: 'findings', usage: 'findings INSTANCE [SEVERITY]', summary: 'active findings on one instance, highest risk first' },
  { name: 'plan', usage: 'plan', summary: 'what to patch, in which window and wave' },
  { name: 'compliance', usage: 'compliance', summary: 'patch compliance from Systems Manager' },
  { name: 'metrics', usage: 'metrics INSTANCE [--hours N]', summary: 'CPU, network and status checks, with anomalies' },
  { name: 'activity', usage: 'activity INSTANCE [--hours N]', summary: 'CloudTrail events about one instance, the odd ones flagged' },
  { name: 'patch', usage: 'patch INSTANCE... | --plan [--dry-run] [--no-reboot]', summary: 'request a patch run; a colleague approves it with a button' },
  { name: 'status', usage: 'status RUN', summary: 'one patch run, wave by wave' },
  { name: 'runs', usage: 'runs', summary: 'recent patch runs' },
  { name: 'accept', usage: 'accept CVE INSTANCE|fleet DAYS REASON [--force]', summary: 'accept a risk for DAYS days, with a reason (--force: an id no finding is known by now)' },
  { name: 'help', usage: 'help', summary: 'this list' },
];

/** A command that could not be parsed; `usage` is the line to show. */
export class ChatUsageError extends Error {
  override readonly name = 'ChatUsageError';
  constructor(message: string, readonly usage: string | null = null) {
    super(message);
  }
}

/** Splits on white space; "double", 'single' and Slack's “curly” quotes group words. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|“([^”]*)”|‘([^’]*)’|(\S+)/g;
  for (const m of text.matchAll(re)) tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '');
  return tokens;
}

function usageOf(name: CommandName): string {
  return COMMAND_HELP.find((c) => c.name === name)?.usage ?? name;
}

/** Takes `--flag VALUE` and `--flag` options out of the tokens; the rest stay positional. */
function options(tokens: string[], name: CommandName, known: Record<string, 'flag' | 'value'>): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    // Slack turns a typed "--" into an em dash in some clients.
    const norm = t.replace(/^[—–]/, '--');
    if (!norm.startsWith('--') || norm === '--') {
      positional.push(t);
      continue;
    }
    const [key, inline] = norm.slice(2).split('=', 2) as [string, string | undefined];
    const kind = known[key];
    if (!kind) throw new ChatUsageError(`${name}: unknown option --${key}`, usageOf(name));
    if (kind === 'flag') {
      flags.set(key, true);
      continue;
    }
    const value = inline ?? tokens[++i];
    if (value === undefined) throw new ChatUsageError(`${name}: --${key} needs a value`, usageOf(name));
    flags.set(key, value);
  }
  return { positional, flags };
}

function hoursOf(v: string | true | undefined, name: CommandName): number | null {
  if (v === undefined || v === true) return null;
  const n = Number(v.replace(/h$/i, ''));
  if (!Number.isInteger(n) || n <= 0) throw new ChatUsageError(`${name}: --hours expects a whole number of hours, got "${v}"`, usageOf(name));
  return n;
}

function exactly(positional: string[], count: number, name: CommandName, what: string): void {
  if (positional.length < count) throw new ChatUsageError(`${name}: missing ${what}`, usageOf(name));
  if (positional.length > count) throw new ChatUsageError(`${name}: unexpected "${positional.slice(count).join(' ')}"`, usageOf(name));
}

const FLEET_WORDS = new Set(['fleet', 'all', '*']);

/** Parses the text after the command word (`/sre <text>`, `sre <text>`). @throws ChatUsageError */
export function parseChatCommand(text: string): ChatCommand {
  const tokens = tokenize(text.trim());
  const head = tokens.shift()?.toLowerCase();
  if (head === undefined || head === 'help' || head === '?' || head === '-h' || head === '--help') return { name: 'help' };
  switch (head) {
    case 'assess': {
      const { positional } = options(tokens, 'assess', {});
      if (positional.length > 1) throw new ChatUsageError(`assess: one instance at a time, got ${positional.length}`, usageOf('assess'));
      return { name: 'assess', instance: positional[0] ?? null };
    }
    case 'findings': {
      const { positional, flags } = options(tokens, 'findings', { 'min-severity': 'value', severity: 'value' });
      const sev = flags.get('min-severity') ?? flags.get('severity');
      if (positional.length === 2 && sev === undefined) return { name: 'findings', instance: positional[0] as string, minSeverity: positional[1] as string };
      exactly(positional, 1, 'findings', 'INSTANCE');
      return { name: 'findings', instance: positional[0] as string, minSeverity: typeof sev === 'string' ? sev : null };
    }
    case 'plan':
    case 'compliance':
    case 'runs': {
      const { positional } = options(tokens, head, {});
      exactly(positional, 0, head, '');
      return { name: head };
    }
    case 'metrics':
    case 'activity': {
      const { positional, flags } = options(tokens, head, { hours: 'value' });
      exactly(positional, 1, head, 'INSTANCE');
      return { name: head, instance: positional[0] as string, hours: hoursOf(flags.get('hours'), head) };
    }
    case 'patch': {
      const { positional, flags } = options(tokens, 'patch', { plan: 'flag', 'dry-run': 'flag', 'no-reboot': 'flag', reboot: 'value' });
      const fromPlan = flags.has('plan');
      if (fromPlan && positional.length > 0) throw new ChatUsageError('patch: name instances or --plan, not both', usageOf('patch'));
      if (!fromPlan && positional.length === 0) throw new ChatUsageError('patch: name at least one instance (or --plan)', usageOf('patch'));
      const reboot = flags.get('reboot');
      if (reboot !== undefined && reboot !== 'never' && reboot !== 'if-needed') throw new ChatUsageError(`patch: --reboot expects if-needed or never, got "${String(reboot)}"`, usageOf('patch'));
      return {
        name: 'patch',
        instances: [...new Set(positional.flatMap((p) => p.split(',')).filter(Boolean))],
        fromPlan,
        dryRun: flags.has('dry-run'),
        reboot: flags.has('no-reboot') || reboot === 'never' ? 'never' : 'if-needed',
      };
    }
    case 'status': {
      const { positional } = options(tokens, 'status', {});
      exactly(positional, 1, 'status', 'RUN');
      return { name: 'status', runId: positional[0] as string };
    }
    case 'accept': {
      const { positional, flags } = options(tokens, 'accept', { force: 'flag' });
      if (positional.length < 4) throw new ChatUsageError('accept: needs CVE, INSTANCE (or fleet), DAYS and a REASON', usageOf('accept'));
      const [cve, instance, days, ...reason] = positional as [string, string, string, ...string[]];
      const n = Number(days);
      if (!Number.isInteger(n) || n <= 0) throw new ChatUsageError(`accept: DAYS must be a whole number of days, got "${days}"`, usageOf('accept'));
      return {
        name: 'accept', vulnerabilityId: cve.toUpperCase(), instance: FLEET_WORDS.has(instance.toLowerCase()) ? null : instance, days: n, reason: reason.join(' '),
        ...(flags.has('force') ? { force: true } : {}),
      };
    }
    default:
      throw new ChatUsageError(`unknown command "${head}"`, 'help');
  }
}

/**
 * The older assistant's slash commands, each read as a subcommand. Commands that took an
 * instance pass it on; the rest drop their arguments and say so.
 */
export const LEGACY_ALIASES: Readonly<Record<string, { readonly subcommand: CommandName; readonly passArgs: boolean }>> = {
  '/vuln-check': { subcommand: 'assess', passArgs: true },
  '/report': { subcommand: 'assess', passArgs: false },
  '/patch-now': { subcommand: 'patch', passArgs: true },
  '/patch-status': { subcommand: 'compliance', passArgs: false },
  '/health': { subcommand: 'compliance', passArgs: false },
  '/metrics': { subcommand: 'metrics', passArgs: true },
  '/schedule-patch': { subcommand: 'plan', passArgs: false },
  '/show-patches': { subcommand: 'runs', passArgs: false },
  '/security-events': { subcommand: 'activity', passArgs: true },
};

/** A parsed command, with a note for a legacy alias ("`/report` is `/sre assess` now"). */
export interface SlashCommandParse {
  readonly command: ChatCommand;
  readonly note: string | null;
}

/**
 * Reads a slash command. Legacy aliases map to their subcommand; any other command name routed
 * here is read as the main command (`/sre`, or whatever a workspace called it).
 */
export function parseSlashCommand(command: string, text: string, mainCommand = '/sre'): SlashCommandParse {
  const alias = LEGACY_ALIASES[command.toLowerCase()];
  if (!alias) return { command: parseChatCommand(text), note: null };
  const args = text.trim();
  const note = `\`${command}\` is \`${mainCommand} ${alias.subcommand}\` now` + (!alias.passArgs && args ? ` (it takes no arguments: "${args}" was ignored)` : '');
  return { command: parseChatCommand(`${alias.subcommand} ${alias.passArgs ? args : ''}`), note };
}
