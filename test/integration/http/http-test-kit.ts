/**
 * A real HTTP server on an ephemeral loopback port around createHttpApp, with keys of every
 * scope, captured log lines, a fake clock and an in-memory PatchOperations; shared by the HTTP
 * integration tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sha256Hex, type ApiKeyConfig } from '../../../adapters/inbound/http/api-keys.js';
import { createHttpApp, type HttpApp, type HttpAppOptions } from '../../../adapters/inbound/http/http-app.js';
import { createHttpLogger } from '../../../adapters/inbound/http/logger.js';
import { createAssistant } from '../../../composition/index.js';
import type { Actor } from '../../../domain/access/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../domain/errors.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { AcceptanceReport, AcceptRiskRequest } from '../../../ports/inbound/acceptances/acceptances.port.js';
import type { AuditEntryReport } from '../../../ports/inbound/audit/audit.port.js';
import type { AssetReport, FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import type { PatchOperations } from '../../../ports/inbound/patch-operations.port.js';
import type { PatchRunReport, PatchRunRequest, PatchRunStatus } from '../../../ports/inbound/patching/patch-runs.port.js';
import { DEMO_FLEET } from '../../support/paths.js';

export const NOW = '2026-11-20T12:00:00Z';

/** Keys (the plain value is what a client sends) of every scope. */
export const KEYS = {
  reader: { key: 'k-reader-0123456789', name: 'dashboard', scopes: ['read'] },
  operator: { key: 'k-operator-0123456789', name: 'ops-bot', scopes: ['read', 'operate'] },
  approver: { key: 'k-approver-0123456789', name: 'alice', scopes: ['read', 'approve'] },
  approveOnly: { key: 'k-approve-only-0123456789', name: 'bob', scopes: ['approve'] },
} as const;

export const KEY_CONFIG: ApiKeyConfig[] = Object.values(KEYS).map((k) => ({ name: k.name, sha256: sha256Hex(k.key), scopes: [...k.scopes] }));

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public t: number = Date.parse(NOW)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Log lines the app wrote, parsed. */
export class LogCapture extends Writable {
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.raw.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    done();
  }
  get lines(): Record<string, unknown>[] {
    return this.raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface TestServer {
  readonly base: string;
  readonly app: HttpApp;
  readonly logs: LogCapture;
  /** fetch with the key of `who` (none when undefined). */
  get(path: string, who?: keyof typeof KEYS, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, who?: keyof typeof KEYS, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Starts createHttpApp(options) on 127.0.0.1:0. Logs go to `logs` (info level) unless a logger is given. */
export async function startTestServer(options: Partial<HttpAppOptions> & Pick<HttpAppOptions, 'assistant'>): Promise<TestServer> {
  const logs = new LogCapture();
  const app = createHttpApp({
    keys: KEY_CONFIG,
    logger: createHttpLogger({ level: 'info', destination: logs }),
    validateResponses: true,
    ...options,
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = (who?: keyof typeof KEYS): Record<string, string> => (who ? { 'x-api-key': KEYS[who].key } : {});
  return {
    base,
    app,
    logs,
    get: (path, who, headers = {}) => fetch(base + path, { headers: { ...auth(who), ...headers } }),
    post: (path, body, who, headers = {}) =>
      fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(who), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The demo fleet as of its capture time, with its state store in a temporary folder. */
export async function demoAssistant(): Promise<{ assistant: Assistant; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sre-ops-http-'));
  const assistant = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW, stateStore: { kind: 'sqlite', path: join(dir, 'state.db') } });
  return {
    assistant,
    dispose: async () => {
      await assistant.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One call the fake received: which operation, as whom, with what. */
export interface PatchCall {
  readonly op: keyof PatchOperations;
  readonly actor: Actor;
  readonly args: readonly unknown[];
}

const at = (ms: number): string => new Date(ms).toISOString();

/**
 * Patch operations in memory, with the rules the HTTP tests need to see mapped: unknown runs
 * (NotFoundError), approving one's own run (ForbiddenError), deciding a decided run or revoking a
 * revoked acceptance (ConflictError).
 */
export class FakePatchOperations {
  readonly calls: PatchCall[] = [];
  private readonly runs = new Map<string, PatchRunReport>();
  private readonly acceptances: AcceptanceReport[] = [];
  private readonly audit: AuditEntryReport[] = [];
  private seq = 0;

  constructor(private readonly clock: { now(): number } = { now: () => Date.parse(NOW) }) {}

  /** The methods to spread onto an Assistant. */
  operations(): Pick<PatchOperations, 'requestPatchRun' | 'approvePatchRun' | 'rejectPatchRun' | 'getPatchRun' | 'listPatchRuns' | 'acceptRisk' | 'revokeAcceptance' | 'listAcceptances' | 'listAudit'> {
    return {
      requestPatchRun: async (actor, request) => this.request(actor, request),
      approvePatchRun: async (actor, id, comment) => this.decide(actor, id, 'approved', comment),
      rejectPatchRun: async (actor, id, reason) => this.decide(actor, id, 'rejected', reason),
      getPatchRun: async (actor, id) => {
        this.calls.push({ op: 'getPatchRun', actor, args: [id] });
        return this.find(id);
      },
      listPatchRuns: async (actor, filter) => {
        this.calls.push({ op: 'listPatchRuns', actor, args: [filter] });
        return [...this.runs.values()].filter((r) => !filter?.status?.length || filter.status.includes(r.status)).slice(0, filter?.limit ?? 50);
      },
      acceptRisk: async (actor, request) => this.accept(actor, request),
      revokeAcceptance: async (actor, id) => this.revoke(actor, id),
      listAcceptances: async (actor, filter) => {
        this.calls.push({ op: 'listAcceptances', actor, args: [filter] });
        return this.acceptances.filter((a) => filter?.includeExpired || !a.expired);
      },
      listAudit: async (actor, filter) => {
        this.calls.push({ op: 'listAudit', actor, args: [filter] });
        return this.audit.slice(0, filter?.limit ?? 100);
      },
    };
  }

  private find(id: string): PatchRunReport {
    const run = this.runs.get(id);
    if (!run) throw new NotFoundError('patch run', id);
    return run;
  }

  private record(actor: Actor, action: string, target: string): void {
    this.audit.unshift({ id: `a-${++this.seq}`, at: at(this.clock.now()), actor: actor.id, via: actor.via, action, target, result: 'ok', detail: null });
  }

  private request(actor: Actor, request: PatchRunRequest): PatchRunReport {
    this.calls.push({ op: 'requestPatchRun', actor, args: [request] });
    const id = `run-${++this.seq}`;
    const run: PatchRunReport = {
      id,
      status: 'requested' satisfies PatchRunStatus,
      operation: request.dryRun ? 'Scan' : 'Install',
      rebootOption: request.reboot === 'never' ? 'NoReboot' : 'RebootIfNeeded',
      requestedBy: actor.id,
      requestedAt: at(this.clock.now()),
      reason: request.reason ?? null,
      needsApproval: true,
      approvals: [],
      approvalExpiresAt: null,
      currentWave: null,
      waves: [{ number: 1, canary: true, status: 'pending', commandId: null, sentAt: null, verifiedAt: null, instances: (request.instances ?? ['i-0aaa']).map((i) => ({ instanceId: i, name: null, production: false, status: 'pending', detail: null })) }],
      haltReason: null,
      snapshotId: `snap-${id}`,
      updatedAt: at(this.clock.now()),
      version: 1,
    };
    this.runs.set(id, run);
    this.record(actor, 'patch-run.request', id);
    return run;
  }

  private decide(actor: Actor, id: string, decision: 'approved' | 'rejected', comment: string | undefined): PatchRunReport {
    this.calls.push({ op: decision === 'approved' ? 'approvePatchRun' : 'rejectPatchRun', actor, args: [id, comment] });
    const run = this.find(id);
    if (decision === 'approved' && run.requestedBy === actor.id) throw new ForbiddenError(`${actor.id} requested run ${id} and may not approve it`);
    if (run.status !== 'requested') throw new ConflictError('INVALID_STATE', `run ${id} is ${run.status}: only a requested run can be ${decision}`);
    const next: PatchRunReport = {
      ...run,
      status: decision,
      approvals: [...run.approvals, { by: actor.id, at: at(this.clock.now()), decision, comment: comment ?? null }],
      version: run.version + 1,
    };
    this.runs.set(id, next);
    this.record(actor, `patch-run.${decision === 'approved' ? 'approve' : 'reject'}`, id);
    return next;
  }

  private accept(actor: Actor, request: AcceptRiskRequest): AcceptanceReport {
    this.calls.push({ op: 'acceptRisk', actor, args: [request] });
    const a: AcceptanceReport = {
      id: `acc-${++this.seq}`,
      vulnerabilityId: request.vulnerabilityId,
      instanceId: request.instance ?? null,
      reason: request.reason,
      acceptedBy: actor.id,
      acceptedAt: at(this.clock.now()),
      until: new Date(Date.parse(request.until)).toISOString(),
      expired: false,
    };
    this.acceptances.push(a);
    this.record(actor, 'risk.accept', request.vulnerabilityId);
    return a;
  }

  private revoke(actor: Actor, id: string): AcceptanceReport {
    this.calls.push({ op: 'revokeAcceptance', actor, args: [id] });
    const i = this.acceptances.findIndex((a) => a.id === id);
    const found = this.acceptances[i];
    if (!found) throw new NotFoundError('risk acceptance', id);
    if (found.revokedAt) throw new ConflictError('INVALID_STATE', `acceptance ${id} was already revoked by ${found.revokedBy ?? '?'} at ${found.revokedAt}`);
    const now = at(this.clock.now());
    const revoked: AcceptanceReport = { ...found, until: now, expired: true, revokedBy: actor.id, revokedAt: now };
    this.acceptances[i] = revoked;
    this.record(actor, 'risk.revoke', id);
    return revoked;
  }
}

/** `assistant` with its patch operations replaced by `fake`'s. */
export function withPatchOperations(assistant: Assistant, fake: FakePatchOperations): Assistant {
  return { ...assistant, ...fake.operations() };
}

/**
 * An Assistant whose every method fails with `error` (or a custom implementation per method):
 * for the error mapping tests, with no data source at all.
 */
export function failingAssistant(error: () => unknown, overrides: Partial<Assistant> = {}): Assistant & { calls: string[] } {
  const calls: string[] = [];
  const fail = (name: string) => async (): Promise<never> => {
    calls.push(name);
    throw error();
  };
  const base = {
    source: 'fake', policy: {} as Assistant['policy'], actor: { id: 'library', roles: [], via: 'library' } as Actor,
    actorFor: (id: string, via: Actor['via']) => ({ id, roles: [], via }),
    close: async () => {},
  };
  const methods = ['assessFleet', 'assessInstance', 'listFindings', 'planPatches', 'complianceSummary', 'metricsSummary', 'activityReport', 'captureSnapshot',
    'requestPatchRun', 'previewPatchRun', 'approvePatchRun', 'rejectPatchRun', 'cancelPatchRun', 'getPatchRun', 'listPatchRuns', 'executePatchRun',
    'acceptRisk', 'listAcceptances', 'revokeAcceptance', 'listAudit', 'verifyAudit', 'schedulePatching', 'listSchedules', 'cancelSchedule'];
  return Object.assign(base, Object.fromEntries(methods.map((m) => [m, fail(m)])), overrides, { calls }) as unknown as Assistant & { calls: string[] };
}

/** The demo fleet grown to `assets` instances of `perAsset` findings each (copies of the demo's), ranked as before. */
export function largeFleet(demo: FleetReport, assets: number, perAsset: number): FleetReport {
  const pool = demo.assets.flatMap((a) => a.findings);
  const out: AssetReport[] = [];
  for (let i = 0; i < assets; i++) {
    const base = demo.assets[i % demo.assets.length] as AssetReport;
    const findings = Array.from({ length: perAsset }, (_, j) => pool[(i + j) % pool.length]!).sort((x, y) => y.riskScore - x.riskScore);
    out.push({ ...base, instanceId: `i-${i.toString(16).padStart(17, '0')}`, riskScore: Math.max(0, 100 - (i * 100) / assets), findings });
  }
  return { ...demo, assets: out, summary: { ...demo.summary, assets, findings: assets * perAsset } };
}
