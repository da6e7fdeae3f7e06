/**
 * Options of the assistant (library and CLI alike), validated into a resolved configuration.
 * Every error names the option and what was expected.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../domain/access/actor.js';
import { isValidationError, ValidationError } from '../domain/errors.js';
import { lineColumn, locateJsonError } from '../adapters/outbound/aws-shapes/json-text.js';
import type { RiskAcceptance } from '../domain/fleet-facts.js';
import { editDistance } from '../domain/instance-lookup.js';
import { DEFAULT_POLICY, resolvePolicy, scopeOfPolicy, type Policy } from '../domain/policy.js';
import { resolveScope, type Scope } from '../domain/scope.js';
import { INSTANT_EXPECTED, parseInstant, type Instant } from '../domain/time.js';
import type { CoreDependencies } from '../ports/use-cases/shared/core-dependencies.js';
import type { MaintenanceWindows } from '../ports/outbound/maintenance-window.port.js';
import type { PatchRunner, Sleeper } from '../ports/outbound/patch-runner.port.js';
import type { RunProgressPoster } from '../ports/outbound/run-progress-poster.port.js';
import type { StateStore } from '../ports/outbound/state-store.port.js';
import type { HistoryStore } from '../ports/outbound/history-store.port.js';
import type { NotificationLink, Notifier } from '../ports/outbound/notifier.port.js';

/** Live AWS settings, the way AWS tools take them. */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
  /** e.g. http://127.0.0.1:5000 for moto or LocalStack. */
  readonly endpointUrl?: string;
  /** A role to assume for every call. */
  readonly roleArn?: string;
  /** Attempts per call, adaptive retry (default 5). */
  readonly maxAttempts?: number;
  /** Organization scope (docs/organizations.md): regions to read; default the configured region alone. */
  readonly regions?: readonly string[];
  /** Account ids, or "org" (Organizations ListAccounts, ACTIVE only); default the caller's own account. */
  readonly accounts?: readonly string[] | 'org';
  /** Role NAME assumed in each account of `accounts`; default SreOpsReadRole. */
  readonly assumeRole?: string;
  /** External id for those roles' trust policies. */
  readonly externalId?: string;
  /** Role NAME assumed in an instance's account to patch it; default SreOpsPatchRole. */
  readonly patchRole?: string;
  /**
   * Where Inspector findings are read: "members" (each account through its read role, the
   * default) or "administrator" (once per region from the caller's own account, Inspector's
   * delegated administrator; findings are routed to their account by awsAccountId).
   */
  readonly inspector?: 'members' | 'administrator';
}

/**
 * The AWS options of a command line or a server process, by the CLI's global option names
 * (`--region`, `--profile`, `--endpoint-url`, `--role-arn`, `--regions`, `--accounts`,
 * `--assume-role`, `--external-id`, `--patch-role`, `--inspector`).
 */
export interface AwsFlags {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly roleArn?: string;
  readonly regions?: readonly string[];
  readonly accounts?: readonly string[] | 'org';
  readonly assumeRole?: string;
  readonly externalId?: string;
  readonly patchRole?: string;
  /** members or administrator: checked by the core (one line naming `inspector`). */
  readonly inspector?: string;
}

/** The library's AWS options from those flags (the ones given, nothing else): `sre-ops` and `sre-ops serve` both use it. */
export function awsOptionsFrom(o: AwsFlags): AwsOptions {
  return {
    ...(o.region !== undefined ? { region: o.region } : {}),
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
    ...(o.endpointUrl !== undefined ? { endpointUrl: o.endpointUrl } : {}),
    ...(o.roleArn !== undefined ? { roleArn: o.roleArn } : {}),
    // The organization scope (docs/organizations.md); a policy's scope section serves as well.
    ...(o.regions !== undefined ? { regions: o.regions } : {}),
    ...(o.accounts !== undefined ? { accounts: o.accounts } : {}),
    ...(o.assumeRole !== undefined ? { assumeRole: o.assumeRole } : {}),
    ...(o.externalId !== undefined ? { externalId: o.externalId } : {}),
    ...(o.patchRole !== undefined ? { patchRole: o.patchRole } : {}),
    ...(o.inspector !== undefined ? { inspector: o.inspector as 'members' | 'administrator' } : {}),
  };
}

/** Outbound adapters a caller may replace (typed against the ports). */
export type OutboundAdapters = Omit<CoreDependencies, 'policy' | 'source'>;

/** Patch-operation adapters a caller may replace (tests, embedding programs). */
export interface PatchAdapters {
  /** Replaces the configured state store (the caller closes it). */
  readonly stateStore: StateStore;
  readonly patchRunner: PatchRunner;
  readonly maintenanceWindows: MaintenanceWindows;
  /** How the executor waits between polls; default a timer. */
  readonly sleep: Sleeper;
  /**
   * Where the executor posts the progress of runs requested in chat; default from the
   * environment (composition/progress-posters.ts: Slack with SLACK_BOT_TOKEN, Teams with the
   * bot's MicrosoftAppId and MicrosoftAppPassword).
   */
  readonly progressPoster: RunProgressPoster;
  /** Replaces the history of assessments (default: beside the state store, else in memory; the caller closes it). */
  readonly historyStore: HistoryStore;
}

/**
 * Where patch runs, approvals, acceptances and the audit log are kept.
 * sqlite: one file (default $XDG_CONFIG_HOME/sre-ops-assistant/state.db, else
 * ~/.config/sre-ops-assistant/state.db). dynamodb: one table (see DynamoDbStateStore), in the
 * region and endpoint of `aws` unless given here.
 */
export type StateStoreOption =
  | { readonly kind: 'sqlite'; readonly path?: string }
  | { readonly kind: 'dynamodb'; readonly table: string; readonly region?: string; readonly endpointUrl?: string };

/** The state store resolved from options and environment. */
export type StateStoreSpec =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'dynamodb'; readonly table: string; readonly region?: string; readonly endpointUrl?: string };

export interface AssistantOptions {
  /** "demo" (the bundled demo fleet, the default), "snapshot:DIR" or "aws". */
  readonly source?: string;
  /** A policy override merged onto the defaults (validated; unknown keys refused). */
  readonly policy?: unknown;
  /** A policy JSON file merged onto the defaults (after `policy`). */
  readonly policyFile?: string;
  /**
   * A CISA KEV JSON file (with aws also a URL). Default: the snapshot's kev.json if present, else
   * (aws) the CISA feed. A file that cannot be read as a KEV catalog fails the call (the
   * snapshot's kev.json too); only the default download, or its cache, degrades to a warning.
   */
  readonly kev?: string;
  /**
   * Assess as of this instant (ISO string with a zone or a plain UTC date, epoch ms or Date)
   * instead of a snapshot's capture time or the clock.
   */
  readonly now?: string | number | Date;
  /**
   * Refuse a partial answer: a snapshot file that still carries a next token (cut short by the
   * AWS CLI's --max-items or --no-paginate) fails the call instead of adding a warning.
   */
  readonly strict?: boolean;
  readonly aws?: AwsOptions;
  /**
   * Findings from Inspector2's own exports instead of the source's: `s3://bucket/prefix` (the
   * objects of a CreateFindingsReport report, JSON or CSV, gzip or plain, or archived EventBridge
   * "Inspector2 Finding" events), or a local file or folder holding the same. The rest of the
   * fleet (instances, SSM, metrics, activity) still comes from `source`.
   */
  readonly findings?: string;
  /** Replace any outbound adapter, e.g. findings from another scanner. */
  readonly adapters?: Partial<OutboundAdapters>;
  /** Where the KEV feed is cached (default $XDG_CACHE_HOME/sre-ops-assistant, or SRE_OPS_CACHE_DIR). */
  readonly cacheDir?: string;
  /** Risk acceptances in force beside those in the state store (e.g. from a file). */
  readonly acceptances?: readonly RiskAcceptance[];
  /**
   * Where patch runs, approvals, acceptances and the audit log are kept. Default: none. Reads
   * answer empty (no runs, no recorded acceptances) and a change (a patch request, an acceptance)
   * is refused naming this option, so a library user never shares the CLI's state file by
   * accident. `{ kind: 'sqlite' }` is the CLI's file ($XDG_CONFIG_HOME/sre-ops-assistant/state.db),
   * `{ kind: 'sqlite', path }` another file, `{ kind: 'dynamodb', table }` a table;
   * {@link stateStoreFromEnv} is what the CLI and the services use.
   */
  readonly stateStore?: StateStoreOption;
  /** Replace patch-operation adapters (a state store, a runner, a sleeper). */
  readonly patchAdapters?: Partial<PatchAdapters>;
  /**
   * A name this process claims to act as (CLI --actor): recorded as "NAME, claimed by PRINCIPAL",
   * with the roles the policy gives NAME; a claim never counts as the second person of the
   * two-person rule outside the demo source. Default: act as the principal itself.
   */
  readonly actor?: string;
  /**
   * Who this process is: "os-user" (the OS user), or "aws" (the principal of the AWS credentials,
   * from STS GetCallerIdentity; the policy names it by ARN or ARN pattern). Default: "aws" for
   * the CLI (via "cli") on --source aws or a DynamoDB state store, else "os-user".
   */
  readonly identity?: 'os-user' | 'aws';
  /** The OS user (roles from policy access.localUser unless named); default os.userInfo(). */
  readonly localUser?: string;
  /** The surface of `actor`, for the audit log; default "library". */
  readonly via?: Actor['via'];
  /**
   * Where alerts go (Slack, Teams, SNS: see composition/notify.ts and docs/history.md); default
   * none. The collector passes the channels of SRE_OPS_NOTIFY.
   */
  readonly notifiers?: readonly Notifier[];
  /** Buttons under alerts and digests (open the plan, request a run). */
  readonly notificationLinks?: readonly NotificationLink[];
  /** Environment read for XDG_CONFIG_HOME (the default SQLite path); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The default state file: $XDG_CONFIG_HOME/sre-ops-assistant/state.db, else ~/.config/... */
export function defaultStatePath(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'sre-ops-assistant', 'state.db');
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * The state store of the CLI and the services (HTTP, MCP, the Lambdas): DynamoDB when
 * SRE_OPS_STATE_TABLE is set, else SQLite at `path` or the default path. The library's own
 * default is no store; these entry points pass this explicitly.
 * @throws ValidationError naming SRE_OPS_STATE_TABLE when it is not a table name.
 */
export function stateStoreFromEnv(env: Readonly<Record<string, string | undefined>>, path?: string): StateStoreOption {
  if (path !== undefined) return { kind: 'sqlite', path };
  const table = env.SRE_OPS_STATE_TABLE?.trim();
  if (table) {
    if (!TABLE_NAME.test(table)) throw new ValidationError('SRE_OPS_STATE_TABLE', 'a DynamoDB table name', `SRE_OPS_STATE_TABLE: expected a DynamoDB table name (3 to 255 letters, digits, _ . -), got "${table}"`);
    return { kind: 'dynamodb', table };
  }
  return { kind: 'sqlite' };
}

/**
 * The state store of the option; null (no store) when none is given.
 * @throws ValidationError naming stateStore.* when the option is malformed.
 */
export function resolveStateStore(option: StateStoreOption | undefined, env: Readonly<Record<string, string | undefined>>): StateStoreSpec | null {
  if (option === undefined) return null;
  if (typeof option !== 'object' || option === null) throw new ValidationError('stateStore', '{ kind: "sqlite" | "dynamodb", ... }', `stateStore: expected { kind: 'sqlite', path? } or { kind: 'dynamodb', table }, got ${JSON.stringify(option)}`);
  if (option.kind === 'sqlite') {
    if (option.path !== undefined && (typeof option.path !== 'string' || !option.path.trim())) throw new ValidationError('stateStore.path', 'a file path', 'stateStore.path: expected a file path');
    return { kind: 'sqlite', path: option.path?.trim() || defaultStatePath(env) };
  }
  if (option.kind === 'dynamodb') {
    if (typeof option.table !== 'string' || !TABLE_NAME.test(option.table)) {
      throw new ValidationError('stateStore.table', 'a DynamoDB table name', `stateStore.table: expected a DynamoDB table name (3 to 255 letters, digits, _ . -), got ${JSON.stringify(option.table)}`);
    }
    if (option.endpointUrl !== undefined) checkEndpointUrl(option.endpointUrl, 'stateStore.endpointUrl');
    return { ...option };
  }
  throw new ValidationError('stateStore.kind', 'sqlite or dynamodb', `stateStore.kind: expected sqlite or dynamodb, got ${JSON.stringify((option as { kind?: unknown }).kind)}`);
}

/** An endpoint override must be an http(s) URL; the SDK's own error ("Invalid URL") names no option. */
export function checkEndpointUrl(url: unknown, field: string): void {
  let parsed: URL | null;
  try {
    parsed = typeof url === 'string' ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    throw new ValidationError(field, 'an http:// or https:// URL', `${field}: expected an http:// or https:// URL such as http://127.0.0.1:5000, got ${JSON.stringify(url)}`);
  }
}

// Records over the option types, so a new option that is not listed here fails to compile.
const OPTION_KEYS = Object.keys({
  source: true, policy: true, policyFile: true, kev: true, now: true, strict: true, aws: true, findings: true, adapters: true, cacheDir: true, acceptances: true,
  stateStore: true, patchAdapters: true, actor: true, identity: true, localUser: true, via: true, env: true, notifiers: true, notificationLinks: true,
} satisfies Record<keyof AssistantOptions, true>);
const AWS_KEYS = Object.keys({
  region: true, profile: true, endpointUrl: true, roleArn: true, maxAttempts: true, regions: true, accounts: true, assumeRole: true, externalId: true, patchRole: true, inspector: true,
} satisfies Record<keyof AwsOptions, true>);

/**
 * The organization scope: the policy's scope section, then the options key by key.
 * @throws ValidationError naming aws.KEY (the CLI shows the flag: --regions, --accounts, ...).
 */
export function resolveAwsScope(aws: AwsOptions | undefined, policy: Policy): Scope {
  const o = aws ?? {};
  return resolveScope(
    {
      ...scopeOfPolicy(policy),
      ...(o.regions !== undefined ? { regions: o.regions } : {}),
      ...(o.accounts !== undefined ? { accounts: o.accounts } : {}),
      ...(o.assumeRole !== undefined ? { assumeRole: o.assumeRole } : {}),
      ...(o.externalId !== undefined ? { externalId: o.externalId } : {}),
      ...(o.patchRole !== undefined ? { patchRole: o.patchRole } : {}),
      ...(o.inspector !== undefined ? { inspector: o.inspector } : {}),
    },
    { regions: 'aws.regions', accounts: 'aws.accounts', assumeRole: 'aws.assumeRole', externalId: 'aws.externalId', patchRole: 'aws.patchRole', inspector: 'aws.inspector' },
  );
}
const STATE_KEYS: Readonly<Record<string, readonly string[]>> = { sqlite: ['kind', 'path'], dynamodb: ['kind', 'table', 'region', 'endpointUrl'] };

function refuseUnknown(given: object, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const near = known
      .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
      .filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 3)))
      .sort((a, b) => a.d - b.d)[0]?.k;
    const field = `${prefix}${key}`;
    throw new ValidationError(field, `one of ${known.join(', ')}`, `${field}: unknown option${near ? `; did you mean "${prefix}${near}"?` : `; expected one of ${known.join(', ')}`}`);
  }
}

/**
 * The shape of the options, before anything is built: an unknown key (a typo such as `sorce`)
 * is refused by name with the near match, not ignored; an endpoint must be a URL.
 * @throws ValidationError naming the option.
 */
export function checkOptions(options: AssistantOptions): void {
  if (typeof options !== 'object' || options === null) throw new ValidationError('options', 'an object', `options: expected an object, got ${JSON.stringify(options)}`);
  refuseUnknown(options, OPTION_KEYS, '');
  if (options.aws !== undefined) {
    if (typeof options.aws !== 'object' || options.aws === null) throw new ValidationError('aws', 'an object', `aws: expected { region, profile, endpointUrl, roleArn, maxAttempts }, got ${JSON.stringify(options.aws)}`);
    refuseUnknown(options.aws, AWS_KEYS, 'aws.');
    if (options.aws.endpointUrl !== undefined) checkEndpointUrl(options.aws.endpointUrl, 'aws.endpointUrl');
  }
  const store = options.stateStore as { kind?: unknown } | undefined;
  if (store !== undefined && typeof store === 'object' && store !== null && typeof store.kind === 'string' && STATE_KEYS[store.kind]) {
    refuseUnknown(store, STATE_KEYS[store.kind] ?? [], 'stateStore.');
  }
}

export type SourceSpec =
  | { readonly kind: 'demo'; readonly dir: string }
  | { readonly kind: 'snapshot'; readonly dir: string }
  | { readonly kind: 'aws' };

/**
 * The bundled demo fleet, found beside the package: two levels up from the built module
 * (dist/composition/ → package root, also where the Lambda bundles put it), else the nearest
 * folder above holding examples/demo-fleet (the sources run directly, e.g. with tsx).
 */
export const DEMO_FLEET_DIR = ((): string => {
  const built = fileURLToPath(new URL('../../examples/demo-fleet/', import.meta.url));
  if (existsSync(built)) return built;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'examples', 'demo-fleet');
    if (existsSync(candidate)) return `${candidate}${sep}`;
    if (dirname(dir) === dir) return built;
  }
})();

export function parseSource(source: string | undefined): SourceSpec {
  const s = (source ?? 'demo').trim();
  if (s === 'demo') return { kind: 'demo', dir: DEMO_FLEET_DIR };
  if (s === 'aws') return { kind: 'aws' };
  if (s.startsWith('snapshot:')) {
    const dir = s.slice('snapshot:'.length);
    if (!dir) throw new ValidationError('source', 'snapshot:DIR with a folder', 'source: "snapshot:" needs a folder, e.g. snapshot:./capture');
    return { kind: 'snapshot', dir };
  }
  throw new ValidationError('source', 'demo, snapshot:DIR or aws', `source: expected demo, snapshot:DIR or aws, got "${s}"`);
}

/** Where findings come from when `findings` names an input of Inspector2's own exports. */
export type FindingsInputSpec =
  | { readonly kind: 's3'; readonly url: string }
  | { readonly kind: 'local'; readonly path: string };

/**
 * The `findings` option: an s3:// URL, else a local path.
 * @throws ValidationError naming findings when it is empty or another URL scheme.
 */
export function parseFindingsInput(findings: string): FindingsInputSpec {
  const s = typeof findings === 'string' ? findings.trim() : '';
  if (s === '') throw new ValidationError('findings', 's3://BUCKET/PREFIX or a file or folder', 'findings: expected s3://BUCKET/PREFIX or a local file or folder, got an empty value');
  if (/^s3:\/\//i.test(s)) return { kind: 's3', url: s };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) throw new ValidationError('findings', 's3://BUCKET/PREFIX or a file or folder', `findings: expected s3://BUCKET/PREFIX or a local file or folder, got ${JSON.stringify(s)}`);
  return { kind: 'local', path: s };
}

/**
 * The assessment instant from `--now` (or the library's `now`): a string goes through the one
 * parser of typed instants (domain/time.ts: a zone or a plain UTC date, real dates only).
 */
export function parseNow(now: string | number | Date | undefined): Instant | undefined {
  if (now === undefined) return undefined;
  if (typeof now === 'string') return parseInstant(now, 'now');
  const t = now instanceof Date ? now.getTime() : now;
  if (!Number.isFinite(t)) throw new ValidationError('now', INSTANT_EXPECTED, `now: expected ${INSTANT_EXPECTED}, got ${String(now)}`);
  return t;
}

/** Defaults, then `policy`, then the policy file. Errors name the file and the key. */
export async function loadPolicy(options: Pick<AssistantOptions, 'policy' | 'policyFile'>): Promise<Policy> {
  let policy = options.policy === undefined ? DEFAULT_POLICY : resolvePolicy(options.policy);
  if (options.policyFile) {
    let text: string;
    try {
      text = await readFile(options.policyFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ValidationError('policy', 'a readable JSON file', `policy file ${options.policyFile}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // The place and the reason, never the text around it (V8's message quotes the file, which
      // may be a secret given by mistake).
      const { offset, reason } = locateJsonError(text) ?? { offset: text.length, reason: 'not valid JSON' };
      const { line, column } = lineColumn(text, offset);
      throw new ValidationError('policy', 'valid JSON', `policy file ${options.policyFile}: not valid JSON: line ${line}, column ${column}: ${reason}`);
    }
    try {
      policy = resolvePolicy(json, policy);
    } catch (err) {
      if (isValidationError(err)) throw new ValidationError(err.field, err.expected, `policy file ${options.policyFile}: ${err.message.replace(/^policy /, '')}`);
      throw err;
    }
  }
  return policy;
}
