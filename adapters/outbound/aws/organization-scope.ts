/**
 * Reading an organization: every (account, region) partition of a scope through its own clients,
 * with credentials from STS AssumeRole into arn:aws:iam::ACCOUNT:role/NAME (cached per account
 * until they expire), behind one limiter per account inside one overall limit (AWS throttles per
 * account and region). A partition that cannot be read is named in the warnings and the rest of
 * the answer stands, marked partial (SourceInfo.gaps).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { keyByIdentity, type Asset, type ChangeEvent, type Finding, type InstanceMetrics, type ManagedInstance, type PatchState } from '../../../domain/fleet-facts.js';
import { isSourceError, SourceError, sourceWarning } from '../../../domain/errors.js';
import { partitionOf, roleArn } from '../../../domain/scope.js';
import type { Instant } from '../../../domain/time.js';
import type { ActivityLog } from '../../../ports/outbound/activity-log.port.js';
import type { AssetInventory } from '../../../ports/outbound/asset-inventory.port.js';
import type { FindingsFilter, FindingsSource } from '../../../ports/outbound/findings-source.port.js';
import type { MetricsQuery, MetricsSource } from '../../../ports/outbound/metrics-source.port.js';
import type { PatchCompliance } from '../../../ports/outbound/patch-compliance.port.js';
import type { ScopeGaps } from '../../../ports/outbound/source-info.port.js';
import { baseCredentials, createAwsClients, destroyAwsClients, DEFAULT_MAX_ATTEMPTS, type AwsClients, type AwsCredentials } from './aws-clients.js';
import { callAws, toSourceError } from './aws-errors.js';
import { createAwsSources, type AwsSources } from './aws-sources.js';
import { assertUsable, moveInto, writeJson } from './aws-snapshot-capture.js';
import { SNAPSHOT_FILES } from '../aws-shapes/snapshot-files.js';
import type { CaptureRequest, CaptureResult } from '../../../ports/outbound/snapshot-capture.port.js';
import type { PatchRunner, SentCommand, WaveCommand } from '../../../ports/outbound/patch-runner.port.js';
import type { InvocationState } from '../../../domain/patch/run.js';
import { SSMClient } from '@aws-sdk/client-ssm';
import { MAX_INSTANCES_PER_COMMAND, SsmPatchRunner, type SsmPatchRunnerOptions } from './ssm-patch-runner.js';
import { SsmMaintenanceWindows } from './ssm-maintenance-windows.js';
import type { MaintenanceWindows, PatchSchedule } from '../../../ports/outbound/maintenance-window.port.js';
import type { ScheduleSpec } from '../../../domain/patch/schedule.js';
import { accountOf, Inspector2FindingsSource, type RawFinding } from './inspector2-findings-source.js';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import type { InspectorSource } from '../../../domain/scope.js';
import { createLimiter, type Limiter } from './resilience.js';

/** Calls in flight at once over the whole scope; default 16. */
export const DEFAULT_SCOPE_CONCURRENCY = 16;
/** Calls in flight at once in one account (over its regions); default 4. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;

type CredentialProvider = Extract<AwsCredentials, (...args: never[]) => unknown>;
type Identity = Awaited<ReturnType<CredentialProvider>>;

/** Refresh this long before the credentials expire, so no call goes out with a dying session. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/** How roles are assumed in the member accounts. */
export interface AssumeRoleSettings {
  /** The role NAME in every account. */
  readonly roleName: string;
  readonly externalId: string | null;
  /** Shown in the member accounts' CloudTrail; default "sre-ops-assistant". */
  readonly sessionName?: string;
  /** aws, aws-cn or aws-us-gov. */
  readonly partition: string;
  readonly now?: () => number;
}

/**
 * Credentials per account from STS AssumeRole with the caller's own credentials, each cached
 * until five minutes before it expires; concurrent callers for one account share one request,
 * and a failure is not kept (the next read tries again).
 */
export class AccountCredentials {
  private readonly held = new Map<string, Promise<Identity>>();
  private readonly now: () => number;

  constructor(
    private readonly sts: STSClient,
    private readonly settings: AssumeRoleSettings,
  ) {
    this.now = settings.now ?? Date.now;
  }

  /** The provider every client of `accountId` shares. */
  provider(accountId: string): CredentialProvider {
    return async () => {
      const current = this.held.get(accountId);
      if (current !== undefined) {
        const identity = await current.catch(() => null);
        if (identity !== null && (identity.expiration === undefined || identity.expiration.getTime() - this.now() > EXPIRY_MARGIN_MS)) return identity;
      }
      const pending = this.assume(accountId);
      this.held.set(accountId, pending);
      pending.catch(() => {
        if (this.held.get(accountId) === pending) this.held.delete(accountId);
      });
      return pending;
    };
  }

  private async assume(accountId: string): Promise<Identity> {
    const arn = roleArn(accountId, this.settings.roleName, this.settings.partition);
    const out = await callAws('sts', 'AssumeRole', () =>
      this.sts.send(new AssumeRoleCommand({
        RoleArn: arn,
        RoleSessionName: this.settings.sessionName ?? 'sre-ops-assistant',
        ...(this.settings.externalId === null ? {} : { ExternalId: this.settings.externalId }),
      })),
    ).catch((e: unknown) => {
      const err = toSourceError(e, 'sts', 'AssumeRole');
      throw new SourceError('sts', 'AssumeRole', `cannot assume ${arn}: ${err.message}`, { cause: e, code: err.code });
    });
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new SourceError('sts', 'AssumeRole', `sts:AssumeRole into ${arn} returned no credentials`, { code: 'NoCredentials' });
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  }
}

/**
 * Every ACTIVE account of the organization (Organizations ListAccounts, every page), from the
 * management account or the delegated administrator.
 * @throws SourceError (organizations, ListAccounts) naming the AWS error.
 */
export async function listOrganizationAccounts(client: OrganizationsClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await callAws('organizations', 'ListAccounts', () => client.send(new ListAccountsCommand({ NextToken })));
    for (const a of page.Accounts ?? []) {
      // State is the newer field; Status the one older accounts of the API still send.
      const state = (a as { State?: string }).State ?? a.Status;
      if (a.Id && state === 'ACTIVE') ids.push(a.Id);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return ids.sort();
}

/** One (account, region) of the scope and the adapters that read it. */
export interface ScopePartition {
  readonly accountId: string;
  readonly region: string;
  readonly clients: AwsClients;
  readonly sources: AwsSources;
}

/** How a scope is read. */
export interface OrganizationScopeOptions {
  /** Regions to read (at least one). */
  readonly regions: readonly string[];
  /** Account ids, "org", or null for the caller's own account with its own credentials. */
  readonly accounts: readonly string[] | 'org' | null;
  readonly assumeRole: string;
  readonly externalId: string | null;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly maxAttempts?: number;
  /** The caller's own credentials instead of the default chain (tests, embedding programs). */
  readonly credentials?: AwsCredentials;
  /** Calls in flight over the whole scope (default 16) and in one account (default 4). */
  readonly concurrency?: number;
  readonly accountConcurrency?: number;
  /** The STS client AssumeRole goes through (default one over the caller's credentials). */
  readonly sts?: STSClient;
  /** Builds a partition's clients (default createAwsClients over the account's credentials). */
  readonly clientsFor?: (accountId: string, region: string, credentials: AwsCredentials) => AwsClients;
  /** The role NAME assumed in an instance's account to patch it (default SreOpsPatchRole). */
  readonly patchRole?: string;
  /**
   * Where Inspector findings are read: each member account (default), or once per region from
   * the caller's own account, Inspector's delegated administrator, routed by awsAccountId.
   */
  readonly inspector?: InspectorSource;
  /** Builds the administrator's Inspector client of a region (default one over the caller's credentials). */
  readonly administratorInspector?: (region: string, credentials: AwsCredentials) => Inspector2Client;
  readonly now?: () => Instant;
}

/**
 * Resolves the scope's accounts (the caller's own: STS GetCallerIdentity; org: Organizations
 * ListAccounts) and builds one partition per account and region.
 * @throws SourceError when the accounts cannot be listed (no Organizations access: the AWS error).
 */
export async function createOrganizationScope(options: OrganizationScopeOptions): Promise<OrganizationScope> {
  const home = options.regions[0];
  if (home === undefined) throw new RangeError('regions must name at least one region');
  const base = baseCredentials(options);
  const common = { region: home, credentials: base, maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}) };
  const sts = options.sts ?? new STSClient(common);
  const ownSts = options.sts === undefined;
  try {
    let accounts: readonly string[];
    let own = false;
    if (options.accounts === null) {
      const me = await callAws('sts', 'GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
      if (!me.Account) throw new SourceError('sts', 'GetCallerIdentity', 'sts:GetCallerIdentity returned no account', { code: 'NoAccount' });
      accounts = [me.Account];
      own = true;
    } else if (options.accounts === 'org') {
      const org = new OrganizationsClient(common);
      try {
        accounts = await listOrganizationAccounts(org);
      } finally {
        org.destroy();
      }
      if (accounts.length === 0) throw new SourceError('organizations', 'ListAccounts', 'organizations:ListAccounts listed no ACTIVE account', { code: 'NoAccounts' });
    } else accounts = options.accounts;
    const creds = new AccountCredentials(sts, { roleName: options.assumeRole, externalId: options.externalId, partition: partitionOf(home) });
    const make = options.clientsFor ?? ((_a: string, region: string, credentials: AwsCredentials) =>
      createAwsClients({ region, credentials, ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}), ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}) }));
    const overall = createLimiter(options.concurrency ?? DEFAULT_SCOPE_CONCURRENCY);
    const partitions: ScopePartition[] = [];
    const limiters = new Map<string, Limiter>();
    for (const accountId of accounts) {
      const perAccount = createLimiter(options.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY);
      // The account's slot first, then the overall one: a task waiting on a busy account holds nothing.
      const limiter: Limiter = (task) => perAccount(() => overall(task));
      limiters.set(accountId, limiter);
      const credentials = own ? base : creds.provider(accountId);
      for (const region of options.regions) {
        const clients = make(accountId, region, credentials);
        partitions.push({ accountId, region, clients, sources: createAwsSources(clients, { limiter, ...(options.now ? { now: options.now } : {}) }) });
      }
    }
    const patchCreds = new AccountCredentials(sts, { roleName: options.patchRole ?? 'SreOpsPatchRole', externalId: options.externalId, partition: partitionOf(home) });
    const patchSsm = (accountId: string, region: string): SSMClient => new SSMClient({
      region,
      credentials: own ? base : patchCreds.provider(accountId),
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      retryMode: 'adaptive',
      ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
    });
    // Inspector through the delegated administrator: one reader per region over the caller's own
    // credentials, keeping the scope's accounts (sent as a filter when there are at most 10).
    let administrator: Map<string, { client: Inspector2Client; source: Inspector2FindingsSource }> | undefined;
    if (options.inspector === 'administrator') {
      administrator = new Map();
      const makeInspector = options.administratorInspector ?? ((region: string, credentials: AwsCredentials) => new Inspector2Client({
        region, credentials, maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, retryMode: 'adaptive',
        ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
      }));
      for (const region of options.regions) {
        const client = makeInspector(region, base);
        administrator.set(region, { client, source: new Inspector2FindingsSource(client, { accountIds: accounts }) });
      }
    }
    return new OrganizationScope(partitions, limiters, { width: options.concurrency ?? DEFAULT_SCOPE_CONCURRENCY, sts: ownSts ? sts : null, patchSsm, ...(administrator ? { administrator } : {}) });
  } catch (e) {
    if (ownSts) sts.destroy();
    throw e;
  }
}

const keyOf = (accountId: string, region: string): string => `${accountId}/${region}`;

/**
 * The outbound ports over every partition of a scope. Assets carry their accountId and region;
 * per-instance reads (SSM, CloudWatch, CloudTrail) go to the instance's own partition.
 */
export class OrganizationScope implements AssetInventory, FindingsSource, PatchCompliance, MetricsSource, ActivityLog {
  private readonly problems = new Map<string, string[]>();
  /** Partitions whose inventory or findings could not be read: their assets are left out. */
  private readonly unreadableKeys = new Set<string>();
  /** Partitions whose SSM instance information could not be read. */
  private readonly managedUnknownKeys = new Set<string>();
  /** Instance id → the partitions holding it (ids are unique within an account and region only). */
  private readonly where = new Map<string, ScopePartition[]>();
  private inventory: Promise<readonly Asset[]> | null = null;

  constructor(
    readonly partitions: readonly ScopePartition[],
    private readonly limiters: ReadonlyMap<string, Limiter>,
    private readonly options: {
      readonly width: number;
      readonly sts: STSClient | null;
      readonly patchSsm?: (accountId: string, region: string) => SSMClient;
      /** Inspector read once per region from the delegated administrator (see OrganizationScopeOptions.inspector). */
      readonly administrator?: ReadonlyMap<string, { readonly client: Inspector2Client; readonly source: Inspector2FindingsSource }>;
    },
  ) {}

  /** SSM clients with the patch role of each account, built on first use and closed with the scope. */
  private readonly patchClients = new Map<string, SSMClient>();

  /** Patch runs across the scope's accounts through the patch role (see CrossAccountPatchRunner). */
  patchRunner(options: SsmPatchRunnerOptions = {}): CrossAccountPatchRunner {
    return new CrossAccountPatchRunner(this, (accountId, region) => this.patchSsm(accountId, region), options);
  }

  /** Schedules (SSM maintenance windows) across the scope's accounts through the patch role (see CrossAccountMaintenanceWindows). */
  maintenanceWindows(): CrossAccountMaintenanceWindows {
    return new CrossAccountMaintenanceWindows(this, (accountId, region) => this.patchSsm(accountId, region));
  }

  private patchSsm(accountId: string, region: string): SSMClient {
    const make = this.options.patchSsm;
    if (make === undefined) throw new Error('invariant: this scope was built without patch clients');
    const key = keyOf(accountId, region);
    let c = this.patchClients.get(key);
    if (c === undefined) this.patchClients.set(key, (c = make(accountId, region)));
    return c;
  }

  /** The accounts read, in order. */
  get accounts(): string[] {
    return [...new Set(this.partitions.map((p) => p.accountId))];
  }

  /** Warnings naming each partition that could not be read (with the AWS error), once each. */
  warnings(): string[] {
    return [...this.problems.values()].flat();
  }

  gaps(): ScopeGaps {
    const key = (a: Asset): string => keyOf(a.accountId ?? '', a.region ?? '');
    return {
      partial: this.unreadableKeys.size > 0,
      unreadable: (a) => this.unreadableKeys.has(key(a)),
      managedUnknown: (a) => this.managedUnknownKeys.has(key(a)),
    };
  }

  close(): void {
    for (const p of this.partitions) destroyAwsClients(p.clients);
    for (const c of this.patchClients.values()) c.destroy();
    for (const a of this.options.administrator?.values() ?? []) a.client.destroy();
    this.options.sts?.destroy();
  }

  private note(p: ScopePartition, err: unknown, consequence: string): void {
    if (!isSourceError(err)) throw err;
    const line = `account ${p.accountId} ${p.region}: ${sourceWarning(err, null, consequence)}`;
    const key = keyOf(p.accountId, p.region);
    const list = this.problems.get(key) ?? [];
    if (!list.includes(line)) list.push(line);
    this.problems.set(key, list);
  }

  private limiter(p: ScopePartition): Limiter {
    return this.limiters.get(p.accountId) as Limiter;
  }

  /**
   * Every partition's instances, each with its account and region. A partition that cannot be
   * listed is a warning; when none can, the first error is thrown (nothing to answer).
   * @throws SourceError
   */
  listAssets(): Promise<readonly Asset[]> {
    this.inventory ??= this.readInventory();
    return this.inventory;
  }

  private async readInventory(): Promise<readonly Asset[]> {
    const results = await Promise.all(this.partitions.map(async (p) => {
      try {
        const assets = await this.limiter(p)(() => p.sources.assets.listAssets());
        return assets.map((a): Asset => ({ ...a, accountId: p.accountId, region: p.region }));
      } catch (err) {
        this.unreadableKeys.add(keyOf(p.accountId, p.region));
        this.note(p, err, 'this account and region are left out of the answer');
        return { failed: err };
      }
    }));
    const out: Asset[] = [];
    let firstError: unknown = null;
    for (const r of results) {
      if (Array.isArray(r)) out.push(...(r as Asset[]));
      else firstError ??= (r as { failed: unknown }).failed;
    }
    if (out.length === 0 && firstError !== null && results.every((r) => !Array.isArray(r))) throw firstError;
    for (const a of out) {
      const p = this.partitions.find((x) => x.accountId === a.accountId && x.region === a.region) as ScopePartition;
      const list = this.where.get(a.instanceId);
      if (list === undefined) this.where.set(a.instanceId, [p]);
      else if (!list.includes(p)) list.push(p);
    }
    return out;
  }

  /** The partitions owning these instance ids (after the inventory), grouped; an id held in two accounts goes to both. */
  private async route(ids: readonly string[]): Promise<Map<ScopePartition, string[]>> {
    if (ids.some((id) => !this.where.has(id))) await this.listAssets().catch(() => []);
    const out = new Map<ScopePartition, string[]>();
    for (const id of new Set(ids)) {
      for (const p of this.where.get(id) ?? []) {
        const list = out.get(p);
        if (list) list.push(id);
        else out.set(p, [id]);
      }
    }
    return out;
  }

  /**
   * Findings of every readable partition (or of the partitions owning `instanceIds`), at most
   * `concurrency` partitions streaming at once. A partition whose findings fail is left out of
   * the answer with a warning (its assets too: no findings is not the same as clean).
   */
  async *listActiveFindings(filter: FindingsFilter = {}): AsyncGenerator<Finding> {
    if (this.options.administrator !== undefined) {
      yield* this.administratorFindings(this.options.administrator, filter);
      return;
    }
    let targets: { p: ScopePartition; filter: FindingsFilter }[];
    if (filter.instanceIds === undefined) targets = this.partitions.map((p) => ({ p, filter: {} }));
    else targets = [...(await this.route(filter.instanceIds))].map(([p, instanceIds]) => ({ p, filter: { instanceIds } }));
    const streams = targets.map(({ p, filter: f }) => async function* () {
      for await (const page of p.sources.findings.pages(f)) yield { p, page };
    });
    for await (const { p, page } of mergeLimited<{ p: ScopePartition; page: readonly RawFinding[] }>(streams, this.options.width, (i, err) => {
      const p = (targets[i] as { p: ScopePartition }).p;
      this.unreadableKeys.add(keyOf(p.accountId, p.region));
      this.note(p, err, 'this account and region are left out of the answer');
    })) {
      // Each finding belongs to the instance of its own partition (the same id may be in another account).
      for (const item of page) yield { ...item.finding, accountId: p.accountId, region: p.region };
    }
  }

  /**
   * Findings read once per region from the delegated administrator (its ListFindings lists every
   * member's findings, each with its awsAccountId), each kept only for a partition of the scope
   * and, with `instanceIds`, only on an instance of its own account. A region whose read fails
   * leaves every partition of that region out, each named in the warnings.
   */
  private async *administratorFindings(
    administrator: ReadonlyMap<string, { readonly source: Inspector2FindingsSource }>,
    filter: FindingsFilter,
  ): AsyncGenerator<Finding> {
    const regions = [...new Set(this.partitions.map((p) => p.region))];
    const partitionOf = new Map(this.partitions.map((p) => [keyOf(p.accountId, p.region), p]));
    let targets: { region: string; filter: FindingsFilter }[];
    if (filter.instanceIds === undefined) targets = regions.map((region) => ({ region, filter: {} }));
    else {
      const byRegion = new Map<string, string[]>();
      for (const [p, ids] of await this.route(filter.instanceIds)) byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), ...ids]);
      targets = [...byRegion].map(([region, instanceIds]) => ({ region, filter: { instanceIds } }));
    }
    const streams = targets.map((t) => async function* () {
      for await (const page of (administrator.get(t.region) as { source: Inspector2FindingsSource }).source.pages(t.filter)) yield { region: t.region, page };
    });
    for await (const { region, page } of mergeLimited(streams, this.options.width, (i, err) => {
      const region = (targets[i] as { region: string }).region;
      for (const p of this.partitions.filter((x) => x.region === region)) {
        this.unreadableKeys.add(keyOf(p.accountId, p.region));
        this.note(p, err, 'this account and region are left out of the answer');
      }
    })) {
      for (const item of page) {
        const p = partitionOf.get(keyOf(accountOf(item.raw), region));
        if (p === undefined) continue;
        // With instance ids: the finding's own account must hold the instance (ids may repeat across accounts).
        if (filter.instanceIds !== undefined && !(this.where.get(item.finding.instanceId) ?? []).includes(p)) continue;
        yield { ...item.finding, accountId: p.accountId, region: p.region };
      }
    }
  }

  /**
   * SSM managed instances of every partition. A partition that fails leaves its instances'
   * managed state unknown (a warning); when every partition fails, the first error is thrown.
   */
  async managedInstances(): Promise<ReadonlyMap<string, ManagedInstance> | null> {
    const entries: { p: ScopePartition; id: string; value: ManagedInstance }[] = [];
    const errors: unknown[] = [];
    await Promise.all(this.partitions.map(async (p) => {
      try {
        const map = await p.sources.patchCompliance.managedInstances();
        for (const [id, m] of map ?? []) entries.push({ p, id, value: m });
      } catch (err) {
        errors.push(err);
        this.managedUnknownKeys.add(keyOf(p.accountId, p.region));
        this.note(p, err, 'managed state unknown for its instances');
      }
    }));
    if (errors.length > 0 && errors.length === this.partitions.length) {
      // One failure everywhere (moto, or no SSM permission at all) is one warning, as for one account.
      this.managedUnknownKeys.clear();
      this.forget('managed state unknown for its instances');
      throw errors[0];
    }
    return keyByIdentity(entries.map((e) => ({ instanceId: e.id, accountId: e.p.accountId, region: e.p.region, value: e.value })));
  }

  private forget(consequence: string): void {
    for (const [key, list] of this.problems) {
      const kept = list.filter((l) => !l.endsWith(consequence));
      if (kept.length === 0) this.problems.delete(key);
      else this.problems.set(key, kept);
    }
  }

  async patchStates(instanceIds: readonly string[]): Promise<ReadonlyMap<string, PatchState>> {
    return this.perPartition(instanceIds, (p, ids) => p.sources.patchCompliance.patchStates(ids), 'patch states unknown for its instances');
  }

  async getInstanceMetrics(query: MetricsQuery): Promise<ReadonlyMap<string, InstanceMetrics>> {
    return this.perPartition(query.instanceIds, (p, ids) => p.sources.metrics.getInstanceMetrics({ ...query, instanceIds: ids }), 'metrics missing for its instances');
  }

  /** The instance's own partition's CloudTrail. @throws SourceError when the instance is not in the scope's inventory. */
  async lookupInstanceEvents(instanceId: string, start: Instant, end: Instant): Promise<readonly ChangeEvent[]> {
    const entries = [...(await this.route([instanceId]))];
    const [entry] = entries;
    if (entry === undefined) throw new SourceError('cloudtrail', 'LookupEvents', `instance ${instanceId} is in no account and region of the scope`, { code: 'NotInScope' });
    if (entries.length > 1) throw new SourceError('cloudtrail', 'LookupEvents', `instance ${instanceId} is in ${entries.length} accounts and regions of the scope (${entries.map(([p]) => `${p.accountId}/${p.region}`).join(', ')})`, { code: 'AmbiguousInstance' });
    return entry[0].sources.activity.lookupInstanceEvents(instanceId, start, end);
  }

  /** Runs `read` per owning partition; failures are warnings unless every partition failed. */
  private async perPartition<V>(ids: readonly string[], read: (p: ScopePartition, ids: string[]) => Promise<ReadonlyMap<string, V>>, consequence: string): Promise<ReadonlyMap<string, V>> {
    const groups = [...(await this.route(ids))];
    const entries: { p: ScopePartition; id: string; value: V }[] = [];
    const errors: unknown[] = [];
    await Promise.all(groups.map(async ([p, group]) => {
      try {
        for (const [k, v] of await read(p, group)) entries.push({ p, id: k, value: v });
      } catch (err) {
        errors.push(err);
        this.note(p, err, consequence);
      }
    }));
    if (errors.length > 0 && errors.length === groups.length) {
      this.forget(consequence);
      throw errors[0];
    }
    return keyByIdentity(entries.map((e) => ({ instanceId: e.id, accountId: e.p.accountId, region: e.p.region, value: e.value })));
  }
}

/**
 * Merges async streams, at most `width` read at once, yielding items as they arrive (one item
 * read ahead per running stream). A stream that throws is reported to `onError` and dropped.
 */
export async function* mergeLimited<T>(sources: readonly (() => AsyncIterable<T>)[], width: number, onError: (index: number, err: unknown) => void): AsyncGenerator<T> {
  type Step = { i: number; r: IteratorResult<T> | null; err?: unknown };
  const iterators = new Map<number, AsyncIterator<T>>();
  const pending = new Map<number, Promise<Step>>();
  let next = 0;
  const pull = (i: number): Promise<Step> =>
    (iterators.get(i) as AsyncIterator<T>).next().then((r) => ({ i, r }), (err: unknown) => ({ i, r: null, err }));
  const fill = (): void => {
    while (pending.size < width && next < sources.length) {
      const i = next++;
      iterators.set(i, (sources[i] as () => AsyncIterable<T>)()[Symbol.asyncIterator]());
      pending.set(i, pull(i));
    }
  };
  fill();
  try {
    while (pending.size > 0) {
      const step = await Promise.race(pending.values());
      if (step.r === null || step.r.done === true) {
        pending.delete(step.i);
        iterators.delete(step.i);
        if (step.r === null) onError(step.i, step.err);
        fill();
        continue;
      }
      pending.set(step.i, pull(step.i));
      yield step.r.value;
    }
  } finally {
    for (const it of iterators.values()) await it.return?.();
  }
}

/** The top snapshot.json of a scope's capture: one ACCOUNT/REGION/ folder per partition, each a snapshot of its own. */
export interface ScopeSnapshotManifest {
  readonly capturedAt: string;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly partitions: readonly { readonly accountId: string; readonly region: string; readonly path: string }[];
  /** Partitions that could not be captured, with the AWS error. */
  readonly unreadable: readonly { readonly accountId: string; readonly region: string; readonly error: string }[];
}

/**
 * Captures every partition of a scope into OUT/ACCOUNT/REGION/ (today's snapshot format, its own
 * snapshot.json each) with one snapshot.json at the top listing them, and kev.json once at the
 * top. Built under a temporary name and renamed at the end. A partition that cannot be captured
 * is a warning naming it (listed as unreadable in the manifest); the rest is written.
 * @throws SourceError when no partition could be captured; ValidationError for a bad out folder.
 */
export async function captureScope(scope: OrganizationScope, request: CaptureRequest, now: () => Instant = Date.now): Promise<CaptureResult> {
  const outDir = resolve(request.outDir);
  await assertUsable(outDir);
  const capturedAt = now();
  const progress = request.onProgress ?? (() => undefined);
  let wanted: Map<ScopePartition, string[]> | null = null;
  if (request.instanceIds !== undefined) {
    const assets = await scope.listAssets();
    wanted = new Map();
    for (const id of request.instanceIds) {
      // Every partition holding the id (the same id may be in two accounts).
      for (const a of assets.filter((x) => x.instanceId === id)) {
        const p = scope.partitions.find((x) => x.accountId === a.accountId && x.region === a.region);
        if (p) wanted.set(p, [...(wanted.get(p) ?? []), id]);
      }
    }
  }
  await mkdir(dirname(outDir), { recursive: true });
  const tmp = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-`));
  try {
    const warnings: string[] = [];
    const written: { accountId: string; region: string; path: string; result: CaptureResult }[] = [];
    const unreadable: { accountId: string; region: string; error: string }[] = [];
    const targets = wanted === null ? scope.partitions : scope.partitions.filter((p) => wanted.has(p));
    const limiter = createLimiter(4);
    await Promise.all(targets.map((p) => limiter(async () => {
      const path = `${p.accountId}/${p.region}`;
      try {
        const ids = wanted?.get(p);
        const result = await p.sources.capture.capture({
          outDir: join(tmp, p.accountId, p.region),
          ...(ids ? { instanceIds: ids } : {}),
          ...(request.metrics !== undefined ? { metrics: request.metrics } : {}),
          ...(request.activity !== undefined ? { activity: request.activity } : {}),
          onProgress: (e) => progress({ step: e.step, message: `account ${p.accountId} ${p.region}: ${e.message}` }),
        });
        written.push({ accountId: p.accountId, region: p.region, path, result });
        for (const w of result.warnings) warnings.push(`account ${p.accountId} ${p.region}: ${w}`);
      } catch (err) {
        if (!isSourceError(err)) throw err;
        unreadable.push({ accountId: p.accountId, region: p.region, error: err.message });
        warnings.push(`account ${p.accountId} ${p.region}: ${sourceWarning(err, null, 'left out of the snapshot')}`);
        if (written.length === 0 && unreadable.length === targets.length) throw err;
      }
    })));
    if (request.kevFeed !== undefined) {
      const feed = request.kevFeed;
      try {
        const text = await feed();
        if (text !== null) await writeFile(join(tmp, SNAPSHOT_FILES.kev), text);
      } catch (err) {
        if (!isSourceError(err)) throw err;
        warnings.push(sourceWarning(err, null, 'left out of the snapshot'));
      }
    }
    const order = (a: { accountId: string; region: string }, b: { accountId: string; region: string }): number => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region);
    written.sort(order);
    unreadable.sort(order);
    const manifest: ScopeSnapshotManifest = {
      capturedAt: new Date(capturedAt).toISOString(),
      accounts: scope.accounts,
      regions: [...new Set(scope.partitions.map((p) => p.region))],
      partitions: written.map(({ accountId, region, path }) => ({ accountId, region, path })),
      unreadable,
    };
    await writeJson(join(tmp, SNAPSHOT_FILES.manifest), manifest);
    await moveInto(tmp, outDir);
    progress({ step: 'done', message: `snapshot of ${written.length} accounts and regions written to ${outDir}` });
    const sum = (pick: (c: CaptureResult['counts']) => number | null): number | null => {
      const values = written.map((w) => pick(w.result.counts));
      return values.some((v) => v === null) ? null : values.reduce<number>((t, v) => t + (v ?? 0), 0);
    };
    return {
      outDir,
      manifest: { capturedAt: manifest.capturedAt, accountId: manifest.accounts.join(','), region: manifest.regions.join(',') },
      warnings,
      counts: {
        instances: sum((c) => c.instances) ?? 0,
        findings: sum((c) => c.findings) ?? 0,
        managedInstances: sum((c) => c.managedInstances),
        patchStates: sum((c) => c.patchStates),
        metricFiles: sum((c) => c.metricFiles),
        activityFiles: sum((c) => c.activityFiles),
      },
    };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Patch runs across accounts: each wave's instances are sent, per (account, region), through SSM
 * clients holding the patch role's credentials in that account. A command that spans partitions
 * has a composite id, "ACCOUNT/REGION/COMMAND;ACCOUNT/REGION/COMMAND", which the run records as
 * any command id. Schedules across accounts: CrossAccountMaintenanceWindows.
 */
export class CrossAccountPatchRunner implements PatchRunner {
  readonly simulated = false;
  readonly maxInstancesPerCommand = MAX_INSTANCES_PER_COMMAND;
  private readonly runners = new Map<string, SsmPatchRunner>();

  constructor(
    private readonly scope: OrganizationScope,
    private readonly ssmFor: (accountId: string, region: string) => SSMClient,
    private readonly options: SsmPatchRunnerOptions = {},
  ) {}

  private runner(accountId: string, region: string): SsmPatchRunner {
    const key = keyOf(accountId, region);
    let r = this.runners.get(key);
    if (r === undefined) this.runners.set(key, (r = new SsmPatchRunner(this.ssmFor(accountId, region), this.options)));
    return r;
  }

  /** The instances grouped by their partition. @throws SourceError when an instance is in no partition of the scope. */
  private async groups(instanceIds: readonly string[]): Promise<Map<string, { accountId: string; region: string; ids: string[] }>> {
    const assets = await this.scope.listAssets();
    const out = new Map<string, { accountId: string; region: string; ids: string[] }>();
    for (const id of instanceIds) {
      const held = assets.filter((x) => x.instanceId === id);
      // A run names instances by id: an id two accounts hold cannot say which one to patch, so none is.
      if (held.length > 1) {
        throw new SourceError('ssm', 'SendCommand', `instance ${id} is in ${held.length} accounts and regions of the scope (${held.map((x) => `${x.accountId}/${x.region}`).sort().join(', ')}): a run cannot tell which to patch; none was sent; patch it from a read of its account and region alone (--accounts ACCOUNT --regions REGION)`, { code: 'AmbiguousInstance' });
      }
      const a = held[0];
      if (a?.accountId === undefined || a.region === undefined) throw new SourceError('ssm', 'SendCommand', `instance ${id} is in no account and region of the scope`, { code: 'NotInScope' });
      const key = keyOf(a.accountId, a.region);
      const g = out.get(key) ?? { accountId: a.accountId, region: a.region, ids: [] };
      g.ids.push(id);
      out.set(key, g);
    }
    return out;
  }

  async send(command: WaveCommand): Promise<SentCommand> {
    const parts: string[] = [];
    let requestedAt = Number.POSITIVE_INFINITY;
    for (const g of (await this.groups(command.instanceIds)).values()) {
      const sent = await this.runner(g.accountId, g.region).send({ ...command, instanceIds: g.ids });
      parts.push(`${g.accountId}/${g.region}/${sent.commandId}`);
      requestedAt = Math.min(requestedAt, sent.requestedAt);
    }
    return { commandId: parts.join(';'), requestedAt };
  }

  /**
   * The parts of the command sent with `token`, from every partition of the scope. After a crash
   * between the sends of one wave, the parts found are returned and nothing is sent again: the
   * instances of a partition never sent stay pending (see invocations) until the wave times out
   * and the run halts, naming them. Never a second send.
   */
  async findSent(token: string, since: Instant, instanceIds: readonly string[]): Promise<SentCommand | null> {
    const found: string[] = [];
    let requestedAt = Number.POSITIVE_INFINITY;
    // Each partition's part names that partition's instances of the wave (as send split them).
    for (const g of (await this.groups(instanceIds)).values()) {
      const hit = await this.runner(g.accountId, g.region).findSent(token, since, g.ids);
      if (hit) {
        found.push(`${g.accountId}/${g.region}/${hit.commandId}`);
        requestedAt = Math.min(requestedAt, hit.requestedAt);
      }
    }
    return found.length === 0 ? null : { commandId: found.join(';'), requestedAt };
  }

  async invocations(commandId: string, instanceIds: readonly string[]): Promise<readonly InvocationState[]> {
    const groups = await this.groups(instanceIds);
    const out: InvocationState[] = [];
    for (const part of splitCommandId(commandId)) {
      const g = groups.get(keyOf(part.accountId, part.region));
      if (g) out.push(...(await this.runner(part.accountId, part.region).invocations(part.commandId, g.ids)));
    }
    // An instance whose partition has no part of the command was never sent: pending, as SSM says of one not reached.
    const seen = new Set(out.map((s) => s.instanceId));
    for (const id of instanceIds) if (!seen.has(id)) out.push({ instanceId: id, status: 'pending', detail: null });
    return out;
  }

  async cancel(commandId: string): Promise<void> {
    for (const part of splitCommandId(commandId)) await this.runner(part.accountId, part.region).cancel(part.commandId);
  }
}

/** "ACCOUNT/REGION/ID;..." into its parts. */
export function splitCommandId(commandId: string): { accountId: string; region: string; commandId: string }[] {
  return commandId.split(';').map((part) => {
    const [accountId, region, ...rest] = part.split('/');
    if (!accountId || !region || rest.length === 0) throw new SourceError('ssm', null, `command id ${JSON.stringify(commandId)} is not one of an organization scope (ACCOUNT/REGION/ID)`, { code: 'BadCommandId' });
    return { accountId, region, commandId: rest.join('/') };
  });
}

/** "ACCOUNT/REGION/ID;..." of a schedule into its parts. @throws SourceError for another form. */
function splitWindowId(windowId: string): { accountId: string; region: string; windowId: string }[] {
  return windowId.split(';').map((part) => {
    const [accountId, region, ...rest] = part.split('/');
    if (!accountId || !/^\d{12}$/.test(accountId) || !region || rest.length === 0) {
      throw new SourceError('ssm', null, `schedule id ${JSON.stringify(windowId)} is not one of an organization scope (ACCOUNT/REGION/WINDOW-ID, joined by ;)`, { code: 'BadWindowId' });
    }
    return { accountId, region, windowId: rest.join('/') };
  });
}

/**
 * Schedules across accounts: SSM maintenance windows created, listed and deleted in each
 * (account, region) through the patch role. A schedule of instances gets one window in each
 * partition holding some of them; a patch group one in every partition of the scope. Its id names
 * every window, "ACCOUNT/REGION/mw-...;ACCOUNT/REGION/mw-..."; the list shows each window on its
 * own (ACCOUNT/REGION/mw-...). A create that fails part-way deletes the windows it made.
 */
export class CrossAccountMaintenanceWindows implements MaintenanceWindows {
  private readonly windows = new Map<string, SsmMaintenanceWindows>();

  constructor(
    private readonly scope: OrganizationScope,
    private readonly ssmFor: (accountId: string, region: string) => SSMClient,
  ) {}

  private in(accountId: string, region: string): SsmMaintenanceWindows {
    const key = keyOf(accountId, region);
    let w = this.windows.get(key);
    if (w === undefined) this.windows.set(key, (w = new SsmMaintenanceWindows(this.ssmFor(accountId, region))));
    return w;
  }

  /** The partitions a schedule acts in, each with its own target. @throws SourceError for an instance in no partition, or in several. */
  private async targets(spec: ScheduleSpec): Promise<{ accountId: string; region: string; spec: ScheduleSpec }[]> {
    if (spec.target.kind === 'patch-group') return this.scope.partitions.map((p) => ({ accountId: p.accountId, region: p.region, spec }));
    const assets = await this.scope.listAssets();
    const groups = new Map<string, { accountId: string; region: string; ids: string[] }>();
    for (const id of spec.target.instanceIds) {
      const held = assets.filter((a) => a.instanceId === id);
      if (held.length > 1) {
        throw new SourceError('ssm', 'CreateMaintenanceWindow', `instance ${id} is in ${held.length} accounts and regions of the scope (${held.map((x) => `${x.accountId}/${x.region}`).sort().join(', ')}): a schedule cannot tell which to patch; none was created; schedule it from a read of its account and region alone (--accounts ACCOUNT --regions REGION)`, { code: 'AmbiguousInstance' });
      }
      const a = held[0];
      if (a?.accountId === undefined || a.region === undefined) throw new SourceError('ssm', 'CreateMaintenanceWindow', `instance ${id} is in no account and region of the scope`, { code: 'NotInScope' });
      const key = keyOf(a.accountId, a.region);
      const g = groups.get(key) ?? { accountId: a.accountId, region: a.region, ids: [] };
      g.ids.push(id);
      groups.set(key, g);
    }
    return [...groups.values()].map((g) => ({ accountId: g.accountId, region: g.region, spec: { ...spec, target: { kind: 'instances', instanceIds: g.ids } } }));
  }

  async create(spec: ScheduleSpec, clientToken: string): Promise<PatchSchedule> {
    const made: { accountId: string; region: string; schedule: PatchSchedule }[] = [];
    try {
      for (const [i, t] of (await this.targets(spec)).entries()) {
        // One client token per window, so a retried create returns the same windows.
        const schedule = await this.in(t.accountId, t.region).create(t.spec, `${clientToken.slice(0, 52)}-${i}`);
        made.push({ accountId: t.accountId, region: t.region, schedule });
      }
    } catch (err) {
      for (const m of made) await this.in(m.accountId, m.region).remove(m.schedule.windowId).catch(() => undefined);
      throw err;
    }
    return merged(made);
  }

  /** Every partition's windows of this tool, each with its account and region in its id. */
  async list(): Promise<readonly PatchSchedule[]> {
    const out: PatchSchedule[] = [];
    for (const p of this.scope.partitions) {
      try {
        for (const w of await this.in(p.accountId, p.region).list()) out.push({ ...w, windowId: `${p.accountId}/${p.region}/${w.windowId}` });
      } catch (err) {
        if (!isSourceError(err)) throw err;
        throw new SourceError(err.service, err.operation, `account ${p.accountId} ${p.region}: ${err.message}`, { cause: err, code: err.code });
      }
    }
    return out;
  }

  /** The schedule of every window its id names; null when one of them is gone. */
  async get(windowId: string): Promise<PatchSchedule | null> {
    const found: { accountId: string; region: string; schedule: PatchSchedule }[] = [];
    for (const part of splitWindowId(windowId)) {
      const w = await this.in(part.accountId, part.region).get(part.windowId);
      if (w === null) return null;
      found.push({ accountId: part.accountId, region: part.region, schedule: w });
    }
    return merged(found);
  }

  async remove(windowId: string): Promise<void> {
    for (const part of splitWindowId(windowId)) await this.in(part.accountId, part.region).remove(part.windowId);
  }
}

/** One schedule over the windows of its partitions (the first's settings, every window's targets). */
function merged(parts: readonly { accountId: string; region: string; schedule: PatchSchedule }[]): PatchSchedule {
  const first = parts[0];
  if (first === undefined) throw new SourceError('ssm', 'CreateMaintenanceWindow', 'the schedule targets no account and region of the scope', { code: 'NotInScope' });
  return {
    ...first.schedule,
    windowId: parts.map((p) => `${p.accountId}/${p.region}/${p.schedule.windowId}`).join(';'),
    targets: [...new Set(parts.flatMap((p) => p.schedule.targets))],
    enabled: parts.every((p) => p.schedule.enabled),
  };
}
