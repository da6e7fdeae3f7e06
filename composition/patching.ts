/**
 * Wiring of patch operations: the state store (SQLite by default, DynamoDB when configured,
 * opened only when first needed), the runner and maintenance windows each source allows, and the
 * actor of this process.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AuditEntry } from '../domain/access/audit.js';
import type { AuditChainHead, ChainedAuditEntry } from '../domain/access/audit-chain.js';
import { CLAIM_NAME, CLAIM_NAME_RULE } from '../domain/access/actor.js';
import { actorFor } from '../domain/access/authorize.js';
import { ValidationError } from '../domain/errors.js';
import type { AcceptanceRecord } from '../domain/patch/acceptance.js';
import type { PatchRun } from '../domain/patch/run.js';
import type { Policy } from '../domain/policy.js';
import type { ActorResolver } from '../ports/inbound/assistant.port.js';
import type { Lease } from '../ports/outbound/lease-store.port.js';
import type { MaintenanceWindows } from '../ports/outbound/maintenance-window.port.js';
import type { PatchRunner, SentCommand, SimulatedCommandLog, Sleeper } from '../ports/outbound/patch-runner.port.js';
import type { AuditFilter, IdempotencyClaim, IdempotentRun, RunFilter, StateStore } from '../ports/outbound/state-store.port.js';
import type { AssistantOptions, AwsOptions, StateStoreSpec } from './config.js';

/** What a source allows of patch operations. */
export interface PatchSourceBindings {
  readonly runner: PatchRunner | null;
  readonly windows: MaintenanceWindows | null;
  /** Why runner or windows is null, for the error a person reads. */
  readonly unavailable: string;
}

/** The demo: a clearly-labelled simulated runner, so the whole flow can be shown; no schedules. */
export async function demoPatchBindings(log: SimulatedCommandLog): Promise<PatchSourceBindings> {
  const { SimulatedPatchRunner } = await import('../adapters/outbound/simulated/simulated-patch-runner.js');
  return {
    // Its sends live in the state store, as SSM keeps commands: a resume elsewhere finds them.
    runner: new SimulatedPatchRunner(log),
    windows: null,
    unavailable: 'the demo source simulates patch runs but cannot schedule: schedules are SSM maintenance windows; use --source aws',
  };
}

/** A snapshot is a copy of an account: runs may be requested and approved, never executed. */
export function snapshotPatchBindings(label: string): PatchSourceBindings {
  return {
    runner: null,
    windows: null,
    unavailable: `source ${label} is a captured copy of an account, not the account: patch runs can be requested and approved here, but execute and schedule only with --source aws`,
  };
}

/** A live account: SSM Run Command and maintenance windows. */
export async function awsPatchBindings(ssm: SSMClient): Promise<PatchSourceBindings> {
  const [{ SsmPatchRunner }, { SsmMaintenanceWindows }] = await Promise.all([
    import('../adapters/outbound/aws/ssm-patch-runner.js'),
    import('../adapters/outbound/aws/ssm-maintenance-windows.js'),
  ]);
  return { runner: new SsmPatchRunner(ssm), windows: new SsmMaintenanceWindows(ssm), unavailable: '' };
}

/** Every SQLite file starts with these 16 bytes. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function stateFileError(path: string, what: string): ValidationError {
  return new ValidationError('stateStore.path', 'an SQLite state file, or a new path', `stateStore.path: ${path} ${what}`);
}

/**
 * Refuses a state path that is not a state file before SQLite sees it: a folder, a file of
 * something else (SQLite would say only "file is not a database"), or an empty file, which SQLite
 * would silently turn into a database (an empty file is more likely a mistake, such as a
 * truncated copy or the wrong name, than a place meant for the state). A path that does not
 * exist yet is fine: the first write creates it.
 */
export function checkStateFile(path: string): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw stateFileError(path, 'is inside something that is not a folder');
    throw stateFileError(path, `cannot be read (${code ?? String(err)})`);
  }
  if (st.isDirectory()) throw stateFileError(path, 'is a folder; expected a state file (SQLite), e.g. a path ending in state.db');
  if (!st.isFile()) throw stateFileError(path, 'is not a regular file; expected a state file (SQLite)');
  if (st.size === 0) throw stateFileError(path, 'is an empty file, not a state file; remove it (a new state file is created there on the first change) or name another file');
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, head.length, 0);
  } catch (err) {
    throw stateFileError(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw stateFileError(path, 'is not a state file (not an SQLite database); name the state file, or a new path');
}

/** Opens the configured store (loading only the adapter it needs). */
async function openStore(spec: StateStoreSpec, aws: AwsOptions): Promise<{ store: StateStore; close: () => Promise<void> }> {
  if (spec.kind === 'sqlite') {
    checkStateFile(spec.path);
    const { SqliteStateStore } = await import('../adapters/outbound/sqlite/sqlite-state-store.js');
    let store: InstanceType<typeof SqliteStateStore>;
    try {
      store = new SqliteStateStore(spec.path);
    } catch (err) {
      // SQLite's own refusals (SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_READONLY ...) and the
      // file system's (EACCES): the path the caller gave is at fault, so say which and why.
      const code = String((err as { code?: unknown }).code ?? '');
      if (/^SQLITE_|^E[A-Z]+$/.test(code)) throw stateFileError(spec.path, `cannot be used as a state file (${(err as Error).message}${code.startsWith('SQLITE_') ? '' : `, ${code}`})`);
      throw err;
    }
    return { store, close: () => store.close() };
  }
  const [{ DynamoDbStateStore }, client] = await Promise.all([import('../adapters/outbound/dynamodb/dynamodb-state-store.js'), dynamoDbClientFor(spec, aws)]);
  return { store: new DynamoDbStateStore(client, spec.table), close: async () => client.destroy() };
}

/**
 * The DynamoDB client of a table spec: the spec's region and endpoint, else the AWS options' (the
 * state store and the history share it).
 */
export async function dynamoDbClientFor(spec: Extract<StateStoreSpec, { kind: 'dynamodb' }>, aws: AwsOptions): Promise<DynamoDBClient> {
  const { createDynamoDbClient } = await import('../adapters/outbound/dynamodb/dynamodb-client.js');
  const region = spec.region ?? aws.region;
  const endpointUrl = spec.endpointUrl ?? aws.endpointUrl;
  return createDynamoDbClient({
    ...(region !== undefined ? { region } : {}),
    ...(aws.profile !== undefined ? { profile: aws.profile } : {}),
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    ...(aws.maxAttempts !== undefined ? { maxAttempts: aws.maxAttempts } : {}),
  });
}

/**
 * The configured store, opened on first use. Reads from an SQLite file that does not exist yet
 * answer empty without creating it, so `assess` on a fresh machine leaves no file behind; the
 * first write creates it.
 */
export class LazyStateStore implements StateStore {
  private opened: Promise<{ store: StateStore; close: () => Promise<void> }> | null = null;

  constructor(
    private readonly spec: StateStoreSpec,
    private readonly aws: AwsOptions,
  ) {}

  private absent(): boolean {
    return this.opened === null && this.spec.kind === 'sqlite' && !existsSync(this.spec.path);
  }

  private async store(): Promise<StateStore> {
    this.opened ??= openStore(this.spec, this.aws);
    return (await this.opened).store;
  }

  async createRun(run: PatchRun, claim: IdempotencyClaim | null): Promise<{ run: PatchRun; created: boolean; fingerprint: string | null }> {
    return (await this.store()).createRun(run, claim);
  }
  async findRunByIdempotencyKey(key: string): Promise<IdempotentRun | null> {
    return this.absent() ? null : (await this.store()).findRunByIdempotencyKey(key);
  }
  async getRun(id: string): Promise<PatchRun | null> {
    return this.absent() ? null : (await this.store()).getRun(id);
  }
  async updateRun(run: PatchRun): Promise<PatchRun> {
    return (await this.store()).updateRun(run);
  }
  async listRuns(filter?: RunFilter): Promise<readonly PatchRun[]> {
    return this.absent() ? [] : (await this.store()).listRuns(filter);
  }
  async createAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    return (await this.store()).createAcceptance(a);
  }
  async getAcceptance(id: string): Promise<AcceptanceRecord | null> {
    return this.absent() ? null : (await this.store()).getAcceptance(id);
  }
  async updateAcceptance(a: AcceptanceRecord): Promise<AcceptanceRecord> {
    return (await this.store()).updateAcceptance(a);
  }
  async listAcceptances(): Promise<readonly AcceptanceRecord[]> {
    return this.absent() ? [] : (await this.store()).listAcceptances();
  }
  async appendAudit(entry: AuditEntry): Promise<ChainedAuditEntry> {
    return (await this.store()).appendAudit(entry);
  }
  async readAuditChain(): Promise<{ readonly records: readonly unknown[]; readonly head: AuditChainHead | null }> {
    return this.absent() ? { records: [], head: null } : (await this.store()).readAuditChain();
  }
  async listAudit(filter?: AuditFilter): Promise<readonly AuditEntry[]> {
    return this.absent() ? [] : (await this.store()).listAudit(filter);
  }
  async recordSimulatedCommand(token: string, command: SentCommand): Promise<SentCommand> {
    return (await this.store()).recordSimulatedCommand(token, command);
  }
  async findSimulatedCommand(token: string): Promise<SentCommand | null> {
    return this.absent() ? null : (await this.store()).findSimulatedCommand(token);
  }
  async acquireLease(key: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    return (await this.store()).acquireLease(key, holder, now, ttlMs);
  }
  async releaseLease(key: string, holder: string): Promise<void> {
    if (!this.absent()) await (await this.store()).releaseLease(key, holder);
  }
  async heldLease(key: string, now: number): Promise<Lease | null> {
    return this.absent() ? null : (await this.store()).heldLease(key, now);
  }
  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}

/**
 * The store of an Assistant given none (the library's default): nothing is recorded, so reads
 * answer empty and a change is refused, naming the option that would allow it.
 */
export class NoStateStore implements StateStore {
  private refuse(): never {
    throw new ValidationError('stateStore', 'a state store', "stateStore: this Assistant has no state store, so it records no patch run, acceptance or audit entry; pass stateStore: { kind: 'sqlite', path } or { kind: 'dynamodb', table } to createAssistant");
  }
  async createRun(): Promise<never> {
    return this.refuse();
  }
  async findRunByIdempotencyKey(): Promise<null> {
    return null;
  }
  async getRun(): Promise<null> {
    return null;
  }
  async updateRun(): Promise<never> {
    return this.refuse();
  }
  async listRuns(): Promise<readonly PatchRun[]> {
    return [];
  }
  async createAcceptance(): Promise<never> {
    return this.refuse();
  }
  async getAcceptance(): Promise<null> {
    return null;
  }
  async updateAcceptance(): Promise<never> {
    return this.refuse();
  }
  async listAcceptances(): Promise<readonly AcceptanceRecord[]> {
    return [];
  }
  async appendAudit(): Promise<never> {
    return this.refuse();
  }
  async listAudit(): Promise<readonly AuditEntry[]> {
    return [];
  }
  async readAuditChain(): Promise<{ readonly records: readonly unknown[]; readonly head: AuditChainHead | null }> {
    return { records: [], head: null };
  }
  async recordSimulatedCommand(): Promise<never> {
    return this.refuse();
  }
  async findSimulatedCommand(): Promise<null> {
    return null;
  }
  async acquireLease(): Promise<never> {
    return this.refuse();
  }
  async releaseLease(): Promise<void> {}
  async heldLease(): Promise<null> {
    return null;
  }
  async close(): Promise<void> {}
}

/** The OS user running this process; containers without a passwd entry fall back to $USER. */
export function osUser(env: Readonly<Record<string, string | undefined>> = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

/** How this process learns who it acts for: the OS user, or the AWS principal (STS). */
export type IdentityKind = 'os-user' | 'aws';

/**
 * Whose identity a single-user process (the CLI, an embedding program) has: `options.identity`
 * when given; else, for the CLI, the AWS principal when the data is a live account or the state
 * store is shared (DynamoDB): on a shared store the OS user name says nothing (anyone can be
 * "root" on their own machine); else the OS user.
 */
export function identityKind(options: AssistantOptions, live: boolean, sharedStore: boolean): IdentityKind {
  if (options.identity !== undefined) return options.identity;
  return (options.via ?? 'library') === 'cli' && (live || sharedStore) ? 'aws' : 'os-user';
}

/**
 * The actor of this process and a resolver for identities that surfaces authenticate. The
 * principal is the OS user or the AWS principal (`awsPrincipal`, asked only when the identity is
 * aws); `options.actor` names a claim asserted by that principal, recorded as such and given the
 * roles the policy gives the claimed name. Only the principal itself gets access.localUser's
 * roles: a claim, or a remote identity spelled like the principal, gets the roles policy gives that name.
 * @throws ValidationError (actor) when `options.actor` is empty or not a plain name.
 */
export async function actorResolver(
  options: AssistantOptions,
  policy: Policy,
  env: Readonly<Record<string, string | undefined>>,
  identity: IdentityKind,
  awsPrincipal: () => Promise<string>,
): Promise<ActorResolver> {
  const claim = options.actor;
  if (claim !== undefined && (typeof claim !== 'string' || !CLAIM_NAME.test(claim))) {
    throw new ValidationError('actor', CLAIM_NAME_RULE, `actor: expected ${CLAIM_NAME_RULE}, got ${JSON.stringify(claim)}`);
  }
  const principal = identity === 'aws' ? await awsPrincipal() : (options.localUser ?? osUser(env));
  const via = options.via ?? 'library';
  return {
    actor: claim === undefined || claim === principal
      ? actorFor(principal, via, policy, { local: true })
      : actorFor(claim, via, policy, { claimedBy: principal }),
    actorFor: (who, surface, displayName) => actorFor(who, surface, policy, { local: false, ...(displayName !== undefined ? { displayName } : {}) }),
  };
}

/** The AWS principal of the base credentials (STS GetCallerIdentity), loading STS only then. */
export async function awsPrincipal(aws: AwsOptions, spec: StateStoreSpec | null): Promise<string> {
  const { callerArn } = await import('../adapters/outbound/aws/caller-identity.js');
  const region = aws.region ?? (spec?.kind === 'dynamodb' ? spec.region : undefined);
  const endpointUrl = aws.endpointUrl ?? (spec?.kind === 'dynamodb' ? spec.endpointUrl : undefined);
  return callerArn({
    ...(region !== undefined ? { region } : {}),
    ...(aws.profile !== undefined ? { profile: aws.profile } : {}),
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
  });
}

/** A real sleeper (the executor's poll interval). */
export const timerSleep: Sleeper = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const newUuid = (): string => randomUUID();
