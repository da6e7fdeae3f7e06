#!/usr/bin/env node
/**
 * The HTTP service process: the container's entry point (`node dist/composition/http-server.mjs`,
 * see the Dockerfile) and the `sre-ops serve` service. It reads its settings from flags and the
 * environment, builds the Assistant and the HTTP app, listens, and on SIGTERM drains as ECS
 * expects: stop accepting, finish what is in flight (at most 25 s), exit 0.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseApiKeysText, type ApiKeyConfig } from '../adapters/inbound/http/api-keys.js';
import { clientErrorHandler } from '../adapters/inbound/http/client-error.js';
import { createHttpApp, type HttpApp } from '../adapters/inbound/http/http-app.js';
import { AlbOidcVerifier, regionOfSigner } from '../adapters/inbound/http/console/alb-oidc.js';
import { SessionSigner, sessionSecret } from '../adapters/inbound/http/console/sessions.js';

/** For embedding: the Koa app over an Assistant (the same one `startHttpServer` serves). */
export { createHttpApp, type HttpApp };
import { createHttpLogger, type Logger } from '../adapters/inbound/http/logger.js';
import type { CliServices, GlobalOptions } from '../adapters/inbound/cli/command-context.js';
import { DomainError, isValidationError, ValidationError } from '../domain/errors.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import type { PatchExecutor } from '../ports/inbound/patching/patch-executor.port.js';
import { progressPostingOff } from './progress-posters.js';
import { awsOptionsFrom, stateStoreFromEnv, type AssistantOptions } from './config.js';
import { createAssistant } from './index.js';
import { offloadReads } from './offloaded-assistant.js';
import { recordingServiceAssessments } from './service-history.js';
import { sessionRevocationsFor } from './session-revocations.js';
import type { SessionRevocations } from '../ports/outbound/session-revocations.port.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything the server needs besides the Assistant, resolved and validated. */
export interface ServerSettings {
  readonly port: number;
  readonly host: string;
  readonly keys: readonly ApiKeyConfig[];
  /** Where the keys came from ("SRE_OPS_API_KEYS" or the file), for the start-up line. */
  readonly keysFrom: string | null;
  readonly insecureNoAuth: boolean;
  readonly cacheTtlMs: number;
  /** ECS sends SIGKILL 30 s after SIGTERM by default; 25 s leaves time to close the rest. */
  readonly drainMs: number;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  /** Run the patch executor in this process (--executor, SRE_OPS_EXECUTOR): approved runs are driven here. */
  readonly executor?: boolean;
  /** How often the executor looks for runs nobody drives (SRE_OPS_EXECUTOR_EVERY_SECONDS, default 30). */
  readonly executorEveryMs?: number;
  /** The web console's settings (docs/console.md); absent: defaults (random session secret, no ALB OIDC). */
  readonly console?: ConsoleSettings;
  /** Assessments on a worker thread (SRE_OPS_ASSESSMENT_WORKER, default on; "off" runs them on the event loop). */
  readonly assessmentWorker: boolean;
}

/** SRE_OPS_SESSION_SECRET, SRE_OPS_SESSION_HOURS and the ALB OIDC variables, checked. */
export interface ConsoleSettings {
  /** Signs session cookies; shared by every task behind the load balancer. Undefined: random per process. */
  readonly sessionSecret?: string;
  readonly sessionHours: number;
  /** The load balancer whose signed x-amzn-oidc-data is trusted; undefined: the header is ignored. */
  readonly albSignerArn?: string;
  /** The public-key URL template ({region}, {kid}); default the ALB's regional endpoint. */
  readonly albKeyUrl?: string;
  readonly oidcIdentityClaim: string;
}

/** Reads the console's variables. @throws ValidationError naming the variable. */
export function resolveConsoleSettings(env: Env): ConsoleSettings {
  const secret = env.SRE_OPS_SESSION_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < 32) {
    throw new ValidationError('SRE_OPS_SESSION_SECRET', 'at least 32 characters', `SRE_OPS_SESSION_SECRET: expected at least 32 characters (e.g. openssl rand -hex 32), got ${secret.length}`);
  }
  const arn = env.SRE_OPS_ALB_SIGNER_ARN?.trim() || undefined;
  if (arn !== undefined) {
    try {
      regionOfSigner(arn);
    } catch (err) {
      throw new ValidationError('SRE_OPS_ALB_SIGNER_ARN', 'an application load balancer ARN', (err as Error).message);
    }
  }
  const keyUrl = env.SRE_OPS_ALB_KEY_URL?.trim() || undefined;
  if (keyUrl !== undefined && !/^https?:\/\/[^\s]+\{kid\}/.test(keyUrl)) {
    throw new ValidationError('SRE_OPS_ALB_KEY_URL', 'a URL template with {kid}', `SRE_OPS_ALB_KEY_URL: expected an http(s) URL template containing {kid} (and optionally {region}), got "${keyUrl}"`);
  }
  const claim = env.SRE_OPS_OIDC_IDENTITY_CLAIM?.trim() || 'email';
  if (!/^[A-Za-z0-9_:.-]{1,64}$/.test(claim)) throw new ValidationError('SRE_OPS_OIDC_IDENTITY_CLAIM', 'a claim name', `SRE_OPS_OIDC_IDENTITY_CLAIM: expected a claim name such as email or sub, got "${claim}"`);
  return {
    ...(secret ? { sessionSecret: secret } : {}),
    sessionHours: wholeNumber('SRE_OPS_SESSION_HOURS', env.SRE_OPS_SESSION_HOURS, 8, 1, 24 * 7),
    ...(arn ? { albSignerArn: arn } : {}),
    ...(keyUrl ? { albKeyUrl: keyUrl } : {}),
    oidcIdentityClaim: claim,
  };
}

/** What flags may set (the rest comes from the environment). */
export interface ServerFlags {
  readonly port?: number | string;
  readonly host?: string;
  readonly apiKeysFile?: string;
  readonly insecureNoAuth?: boolean;
  readonly executor?: boolean;
}

export const DEFAULT_PORT = 8000;
/** Where --insecure-no-auth listens unless --host is given. */
export const LOOPBACK = '127.0.0.1';
/**
 * On SIGTERM, how long a connection without a request in progress may still deliver one
 * before it is closed: a request already sent may sit unread in the socket's buffer, and
 * closing the socket then would reset it instead of answering it.
 */
export const IDLE_GRACE_MS = 1_000;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function wholeNumber(name: string, raw: string | number | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ValidationError(name, `a whole number from ${min} to ${max}`, `${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function assessmentWorkerSetting(raw: string | undefined): boolean {
  const v = raw?.trim().toLowerCase() ?? '';
  if (v === '' || v === 'on' || v === 'true' || v === '1') return true;
  if (v === 'off' || v === 'false' || v === '0') return false;
  throw new ValidationError('SRE_OPS_ASSESSMENT_WORKER', 'on or off', `SRE_OPS_ASSESSMENT_WORKER: expected on or off, got "${raw}"`);
}

/**
 * The service's Assistant: `main` for everything, its reads on a worker thread built from
 * `options` (see offloaded-assistant.ts) unless the setting is off.
 */
export function serviceAssistant(main: Assistant, options: AssistantOptions, settings: Pick<ServerSettings, 'assessmentWorker'>): Assistant {
  return settings.assessmentWorker ? offloadReads(main, { options }) : main;
}

/**
 * Resolves the settings: a flag wins over its environment variable, which wins over the default.
 * Keys come from --api-keys FILE, else SRE_OPS_API_KEYS; both hold a JSON array of
 * { name, sha256, scopes }. @throws ValidationError naming the flag or variable at fault.
 */
export async function resolveSettings(flags: ServerFlags, env: Env): Promise<ServerSettings> {
  const port = wholeNumber(flags.port !== undefined ? '--port' : 'PORT', flags.port ?? env.PORT, DEFAULT_PORT, 0, 65_535);
  const insecureNoAuth = flags.insecureNoAuth === true;
  // Without keys the fleet, the runs and the audit log are open to whoever reaches the port: only
  // this machine, unless --host says otherwise on the command line (HOST alone does not, since
  // images set it for their normal, authenticated use).
  const host = flags.host ?? (insecureNoAuth ? LOOPBACK : env.HOST ?? '0.0.0.0');
  let keys: ApiKeyConfig[] = [];
  let keysFrom: string | null = null;
  if (flags.apiKeysFile !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.apiKeysFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ValidationError('--api-keys', 'a readable JSON file', `--api-keys ${flags.apiKeysFile}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`}`);
    }
    keys = parseApiKeysText(text, flags.apiKeysFile);
    keysFrom = flags.apiKeysFile;
  } else if (env.SRE_OPS_API_KEYS !== undefined && env.SRE_OPS_API_KEYS.trim() !== '') {
    keys = parseApiKeysText(env.SRE_OPS_API_KEYS, 'SRE_OPS_API_KEYS');
    keysFrom = 'SRE_OPS_API_KEYS';
  }
  if (keys.length === 0 && !insecureNoAuth) {
    throw new ValidationError('apiKeys', 'at least one API key',
      'no API key configured: set SRE_OPS_API_KEYS or pass --api-keys FILE, a JSON array of { "name", "sha256", "scopes" } ' +
      '(sha256: the hex SHA-256 of the key; scopes: read, operate, approve); --insecure-no-auth serves without keys, for local use only');
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ValidationError('LOG_LEVEL', LOG_LEVELS.join(', '), `LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  return {
    port,
    host,
    keys,
    keysFrom,
    insecureNoAuth,
    cacheTtlMs: wholeNumber('SRE_OPS_CACHE_TTL_SECONDS', env.SRE_OPS_CACHE_TTL_SECONDS, 300, 0, 86_400) * 1000,
    drainMs: wholeNumber('SRE_OPS_DRAIN_SECONDS', env.SRE_OPS_DRAIN_SECONDS, 25, 0, 3600) * 1000,
    trustProxy: /^(1|true|yes)$/i.test(env.SRE_OPS_TRUST_PROXY ?? ''),
    logLevel,
    console: resolveConsoleSettings(env),
    executor: flags.executor === true || /^(1|true|yes)$/i.test(env.SRE_OPS_EXECUTOR ?? ''),
    executorEveryMs: wholeNumber('SRE_OPS_EXECUTOR_EVERY_SECONDS', env.SRE_OPS_EXECUTOR_EVERY_SECONDS, 30, 1, 3600) * 1000,
    assessmentWorker: assessmentWorkerSetting(env.SRE_OPS_ASSESSMENT_WORKER),
  };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** The address it listens on. */
  readonly host: string;
  readonly app: HttpApp;
  /** Stops accepting, lets requests in flight finish (at most drainMs), then closes every connection. */
  shutdown(reason: string): Promise<void>;
}

/** The server could not start listening for a reason outside the caller's options (exit 1). */
export class ListenError extends DomainError {
  readonly code = 'LISTEN_FAILED';
}

/**
 * A failure to listen as the person who chose the port and host reads it: the option at fault
 * and what to do, not Node's "listen EADDRINUSE". A host that is not an address of this machine
 * is a usage error (exit 2); a port in use or not permitted is a runtime failure (exit 1).
 */
export function listenError(err: unknown, settings: Pick<ServerSettings, 'port' | 'host'>): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const { port, host } = settings;
  switch (code) {
    case 'EADDRINUSE':
      return new ListenError(`--port ${port}: address already in use on ${host} (another process is listening there); choose another --port (0: any free port) or stop that process`, { cause: err });
    case 'EACCES':
      return new ListenError(`--port ${port}: not permitted on ${host} (ports below 1024 need privileges); choose a --port from 1024 up`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new ValidationError('--host', 'an IP address or host name of this machine', `--host: cannot resolve "${host}"; expected an IP address or host name of this machine, e.g. 127.0.0.1 or 0.0.0.0`);
    case 'EADDRNOTAVAIL':
      return new ValidationError('--host', 'an address of this machine', `--host: ${host} is not an address of this machine; use one of its addresses, 127.0.0.1, or 0.0.0.0 for all`);
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Builds the app over `assistant` and listens. The caller owns the Assistant (and closes it after
 * shutdown). `recordHistory` (a state store is configured): each fresh fleet assessment is
 * recorded in the history, at most once per policy history.minIntervalMinutes (service-history.ts).
 */
export async function startHttpServer(
  settings: ServerSettings,
  deps: {
    readonly assistant: Assistant; readonly logger: Logger; readonly version: string; readonly recordHistory?: boolean;
    /** Where console logouts are recorded (the state store every task shares); default: this process's memory. */
    readonly revocations?: SessionRevocations;
  },
): Promise<RunningServer> {
  const { logger } = deps;
  const consoleSettings = settings.console ?? resolveConsoleSettings({});
  const { secret, generated } = sessionSecret(consoleSettings.sessionSecret);
  if (generated && !settings.insecureNoAuth) logger.info({ console: '/console' }, 'console sessions signed with a random per-process secret (set SRE_OPS_SESSION_SECRET to share sessions across tasks and restarts)');
  const wallClock = { now: () => Date.now() };
  const app: HttpApp = createHttpApp({
    assistant: deps.recordHistory === true ? recordingServiceAssessments(deps.assistant, logger) : deps.assistant,
    keys: settings.keys,
    insecureNoAuth: settings.insecureNoAuth,
    logger,
    cache: { ttlMs: settings.cacheTtlMs },
    version: deps.version,
    trustProxy: settings.trustProxy,
    console: {
      sessions: new SessionSigner(secret, wallClock, deps.revocations ?? await sessionRevocationsFor(undefined, {}, () => undefined), consoleSettings.sessionHours * 3_600_000),
      ...(consoleSettings.albSignerArn ? {
        alb: new AlbOidcVerifier({
          signerArn: consoleSettings.albSignerArn,
          clock: wallClock,
          identityClaim: consoleSettings.oidcIdentityClaim,
          ...(consoleSettings.albKeyUrl ? { keyUrl: consoleSettings.albKeyUrl } : {}),
        }),
      } : {}),
    },
    // Loaded on the first /mcp request: the MCP SDK is large and most deployments never use it.
    mcp: async (req, res, { actor, body }) => {
      const { handleMcpHttp } = await import('../adapters/inbound/mcp/mcp-http.js');
      await handleMcpHttp(req, res, {
        assistant: app.assistant,
        actor: { ...actor, via: 'mcp' },
        // accept_risk and revoke_acceptance for keys with the approve scope, as POST /v1/acceptances.
        acceptance: true,
        parsedBody: body,
        version: deps.version,
        log: (line) => logger.error({ mcp: line }, 'mcp error'),
      });
    },
  });
  // The first fleet assessment starts now, not with the first client; /ready says when it is done.
  app.warm();
  const server: Server = createServer(app.callback());
  // Behind a load balancer, idle connections must outlive its idle timeout (ALB: 60 s), or it
  // reuses a socket the server just closed and answers 502.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Node's own 400/431 (a malformed request line, oversized headers) in the error envelope.
  server.on('clientError', clientErrorHandler(logger));
  // Every connection, with the number of requests in progress on it (0: idle, or not yet read).
  const connections = new Map<Socket, number>();
  let inFlight = 0;
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    connections.set(socket, 0);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    inFlight++;
    const socket = req.socket;
    connections.set(socket, (connections.get(socket) ?? 0) + 1);
    res.once('close', () => {
      inFlight--;
      if (connections.has(socket)) connections.set(socket, Math.max(0, (connections.get(socket) ?? 1) - 1));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, settings)));
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const shown = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;

  const destroyIdle = (): void => {
    for (const [socket, requests] of connections) if (requests === 0) socket.destroy();
  };
  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      app.startDraining();
      // Connections the kernel completed before the signal wait in the listen queue, and
      // closing the listener would reset them. Node takes them from the queue a few per turn of
      // the loop while it is busy: the loop turns (each with a poll for I/O) until one takes none,
      // for at most IDLE_GRACE_MS.
      const acceptUntil = performance.now() + Math.min(IDLE_GRACE_MS, settings.drainMs);
      for (let seen = -1; seen !== accepted && performance.now() < acceptUntil;) {
        seen = accepted;
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Stop listening. http.Server#close would also destroy at once every connection without a
      // request in progress, including one whose request is sent but not read yet (ECONNRESET):
      // the listener is closed as a plain net.Server, and idle connections get IDLE_GRACE_MS to
      // deliver a request (answered, with Connection: close) before they are closed.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      // Logged once the listener is closed, so whoever reads it may rely on it.
      logger.info({ reason, inFlight, connections: connections.size, drainMs: settings.drainMs }, 'draining');
      // When the grace ends, the loop polls once more before the idle are closed: a loop kept busy
      // past the grace (a slow assessment) has not read what arrived meanwhile.
      const grace = setTimeout(() => setImmediate(destroyIdle), Math.min(IDLE_GRACE_MS, settings.drainMs));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), settings.drainMs)));
      const outcome = await Promise.race([closed.then(() => 'drained' as const), deadline]);
      clearTimeout(timer);
      clearTimeout(grace);
      if (outcome === 'timeout') {
        logger.warn({ inFlight }, `requests still in flight after ${settings.drainMs} ms: closing their connections`);
        for (const socket of connections.keys()) socket.destroy();
        await closed;
      }
      logger.info({ outcome }, 'stopped');
    })();
    return stopping;
  };
  return { url, port, host: address, app, shutdown };
}

/** The Assistant options of a server process (the same names as the CLI's global options). */
export function assistantOptionsFrom(
  o: Partial<Pick<GlobalOptions, 'source' | 'policy' | 'kev' | 'now' | 'region' | 'profile' | 'endpointUrl' | 'roleArn' | 'state' | 'regions' | 'accounts' | 'assumeRole' | 'externalId' | 'patchRole' | 'inspector'>>,
  env: Env = process.env,
): AssistantOptions {
  return {
    ...(o.source !== undefined ? { source: o.source } : {}),
    ...(o.policy !== undefined ? { policyFile: o.policy } : {}),
    ...(o.kev !== undefined ? { kev: o.kev } : {}),
    ...(o.now !== undefined ? { now: o.now } : {}),
    stateStore: stateStoreFromEnv(env, o.state),
    via: 'http',
    aws: awsOptionsFrom(o),
  };
}

/**
 * Runs the service until SIGTERM or SIGINT, then drains and closes the Assistant. Resolves when
 * everything has stopped. `notice` gets the lines meant for a person (stderr).
 */
export async function runHttpService(
  settings: ServerSettings,
  deps: { readonly assistant: Assistant; readonly logger: Logger; readonly version: string; readonly notice: (line: string) => void; readonly recordHistory?: boolean; readonly revocations?: SessionRevocations },
): Promise<void> {
  const { logger, notice, assistant } = deps;
  let running: RunningServer;
  try {
    running = await startHttpServer(settings, deps);
  } catch (err) {
    await assistant.close();
    throw err;
  }
  const stopped = new Promise<string>((resolve) => {
    // Once only: a second Ctrl-C (or SIGTERM) during the drain gets the default, an immediate exit.
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
  logger.info({ url: running.url, port: running.port, host: running.host, source: assistant.source, keys: settings.keys.length, insecureNoAuth: settings.insecureNoAuth }, 'listening');
  if (settings.insecureNoAuth) {
    const where = running.host === LOOPBACK ? `listening on ${LOOPBACK} only (--host ADDRESS overrides)` : `listening on ${running.host}, beyond this machine`;
    const warning = `INSECURE: --insecure-no-auth is set: no API key is checked and every caller is "anonymous" (read scope); ${where}. Never expose this server.`;
    logger.warn({ insecureNoAuth: true }, warning);
    notice(`\n  !!! ${warning} !!!\n`);
  }
  notice(`sre-ops serve: ${assistant.source} on ${running.url} (${settings.insecureNoAuth ? 'NO AUTH' : `${settings.keys.length} API key(s) from ${settings.keysFrom}`}); SIGTERM or Ctrl-C drains and stops`);
  const executor = settings.executor === true ? startPatchExecutor(assistant, settings, logger, notice) : null;
  const signal = await stopped;
  try {
    // Takes up no more runs; runs being driven stop with the process, and their leases lapse so
    // that another task resumes them where their records stop.
    await executor?.stop();
    await running.shutdown(signal);
  } finally {
    await assistant.close();
  }
}

/**
 * Starts the patch executor of this process (docs/patching.md, "The executor"): one holder per
 * process, progress and failures as JSON log lines.
 */
export function startPatchExecutor(
  assistant: Assistant,
  settings: Pick<ServerSettings, 'executorEveryMs'>,
  logger: Logger,
  notice: (line: string) => void,
  env: Env = process.env,
): PatchExecutor | null {
  if (!assistant.patchExecutor) return null;
  const holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const executor = assistant.patchExecutor({
    holder,
    everyMs: settings.executorEveryMs ?? 30_000,
    onProgress: (p) => logger.info({ runId: p.runId, wave: p.wave, instanceId: p.instanceId, executor: holder }, p.message),
    onError: (runId, err) => logger.warn({ runId, executor: holder, err: err instanceof Error ? err.message : String(err) }, 'patch run not driven to its end; it stays resumable'),
  });
  executor.start();
  logger.info({ executor: holder, everyMs: settings.executorEveryMs }, 'patch executor started');
  // A deployment without a chat platform (no Teams: CDK context teams=false) runs; it says so once.
  for (const { platform, message } of progressPostingOff(env)) logger.warn({ executor: holder, progressPosting: platform }, message);
  notice(`patch executor: drives approved runs on ${assistant.source} (holder ${holder})`);
  return executor;
}

type Service = NonNullable<CliServices[string]>;

/**
 * The `serve` service of the CLI: the Assistant from the usual --source options (built by the
 * CLI's own factory), the server settings from --port, --host, --api-keys, --insecure-no-auth
 * and the environment. JSON logs on stdout, notices on stderr.
 */
export function serveService(deps: {
  readonly createAssistant: (options: GlobalOptions, notice: (line: string) => void) => Promise<Assistant>;
  readonly version: string;
  readonly env: Env;
}): Service {
  return async (options, args, notice) => {
    const settings = await resolveSettings(
      {
        ...(args.port !== undefined ? { port: args.port as number } : {}),
        ...(typeof args.host === 'string' ? { host: args.host } : {}),
        ...(typeof args.apiKeys === 'string' ? { apiKeysFile: args.apiKeys } : {}),
        insecureNoAuth: args.insecureNoAuth === true,
        executor: args.executor === true,
      },
      deps.env,
    );
    const logger = createHttpLogger({ level: settings.logLevel });
    const main = await deps.createAssistant(options, notice);
    const assistantOptions = assistantOptionsFrom(options, deps.env);
    const assistant = serviceAssistant(main, { ...assistantOptions, ...(options.strict === true ? { strict: true } : {}), ...(options.actor !== undefined ? { actor: options.actor } : {}) }, settings);
    const revocations = await sessionRevocationsFor(assistantOptions.stateStore, deps.env, notice);
    await runHttpService(settings, { assistant, logger, version: deps.version, notice, recordHistory: assistantOptions.stateStore !== undefined, revocations });
  };
}

async function packageVersion(): Promise<string> {
  // dist/composition/ (tsc and the Docker bundle alike) or composition/ (tsx): the package root is above.
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sre-ops-assistant' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

/**
 * The container's process: flags (--port, --host, --api-keys, --insecure-no-auth, --source,
 * --policy, --kev, --now) over environment (PORT, HOST, SRE_OPS_API_KEYS, SRE_OPS_SOURCE,
 * SRE_OPS_POLICY, SRE_OPS_KEV, AWS_REGION ...). Resolves to the exit code: 0 after a drain,
 * 2 for a configuration error, 1 for any other failure to start.
 */
export async function main(argv: readonly string[], env: Env, stderr: (line: string) => void): Promise<number> {
  let logger: Logger = createHttpLogger({ level: 'info' });
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, 'api-keys': { type: 'string' }, 'insecure-no-auth': { type: 'boolean' }, executor: { type: 'boolean' },
        source: { type: 'string' }, policy: { type: 'string' }, kev: { type: 'string' }, now: { type: 'string' },
      },
    });
    const settings = await resolveSettings(
      {
        ...(values.port !== undefined ? { port: values.port } : {}),
        ...(values.host !== undefined ? { host: values.host } : {}),
        ...(values['api-keys'] !== undefined ? { apiKeysFile: values['api-keys'] } : {}),
        insecureNoAuth: values['insecure-no-auth'] === true,
        executor: values.executor === true,
      },
      env,
    );
    logger = createHttpLogger({ level: settings.logLevel });
    const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name]?.trim() || undefined);
    const source = pick(values.source, 'SRE_OPS_SOURCE');
    if (source === undefined) stderr('no SRE_OPS_SOURCE: serving the bundled demo fleet (synthetic data)');
    const options = assistantOptionsFrom({
      source, policy: pick(values.policy, 'SRE_OPS_POLICY'), kev: pick(values.kev, 'SRE_OPS_KEV'), now: pick(values.now, 'SRE_OPS_NOW'),
      endpointUrl: pick(undefined, 'SRE_OPS_ENDPOINT_URL'), roleArn: pick(undefined, 'SRE_OPS_ROLE_ARN'),
    }, env);
    const assistant = serviceAssistant(await createAssistant(options), options, settings);
    const revocations = await sessionRevocationsFor(options.stateStore, env, stderr);
    await runHttpService(settings, { assistant, logger, version: await packageVersion(), notice: stderr, recordHistory: options.stateStore !== undefined, revocations });
    return 0;
  } catch (err) {
    const config = isValidationError(err) || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
    logger.fatal({ err }, 'failed to start');
    stderr(`error: ${err instanceof Error ? err.message : String(err)}`);
    return config ? 2 : 1;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2), process.env, (line) => process.stderr.write(`${line}\n`));
  process.exitCode = code;
  // Anything still holding the event loop (an SDK keep-alive agent) must not keep a stopped
  // task alive until SIGKILL; unref'd, this timer never delays a clean exit.
  setTimeout(() => process.exit(code), 2_000).unref();
}
