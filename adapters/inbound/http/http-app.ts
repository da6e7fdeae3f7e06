/**
 * The HTTP API (Koa): every use case of the Assistant behind API keys, per-key rate limits,
 * validation and one error envelope, with request ids, access logs, security headers and a
 * fleet assessment cache. The process around it (listening, signals, draining) is the
 * composition root's: see composition/http-server.ts.
 */
import type { RequestListener } from 'node:http';
import { Readable } from 'node:stream';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { z } from 'zod';
import { ValidationError } from '../../../domain/errors.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { cachedAssistant, DEFAULT_CACHE_TTL_MS, type AssistantCacheControl } from '../../../ports/use-cases/cached-assistant.js';
import type { Clock } from '../../../ports/outbound/clock.port.js';
import { ApiKeyVerifier, type ApiKeyConfig } from './api-keys.js';
import type { Logger } from './logger.js';
import { accessControl } from './middleware/access-control.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { DEFAULT_BODY_LIMIT_BYTES, jsonBody } from './middleware/json-body.js';
import { requestLog } from './middleware/request-log.js';
import { liveness } from './middleware/liveness.js';
import { securityHeaders } from './middleware/security-headers.js';
import { MCP_PATH, mcpMount, type McpHttpHandler } from './middleware/mcp-mount.js';
import { consoleMount, type ConsoleOptions } from './console/console-mount.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limiter.js';
import { ReadinessProbe, type ReadinessOptions } from './readiness.js';
import { route, routerPath, type HttpState, type Route } from './route.js';
import type { RouteDeps } from './route-deps.js';
import { acceptanceRoutes } from './routes/acceptance-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { complianceRoutes } from './routes/compliance-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { patchRunRoutes } from './routes/patch-run-routes.js';
import { planRoutes } from './routes/plan-routes.js';
import { historyRoutes } from './routes/history-routes.js';
import { normalizeQuery, parseInput } from './validation.js';

export interface HttpLimits extends RateLimits {
  /** Largest request body accepted (default 64 KiB: bodies are small JSON objects). */
  readonly bodyBytes: number;
}

export interface HttpAppOptions {
  readonly assistant: Assistant;
  /** Configured API keys. Empty is refused unless insecureNoAuth. */
  readonly keys: readonly ApiKeyConfig[];
  /** No keys at all: every caller is "anonymous" with the read scope only. For local use. */
  readonly insecureNoAuth?: boolean;
  readonly logger: Logger;
  /** Wall clock for rate limits, cache ages and readiness (default Date.now). Tests pass a fake. */
  readonly clock?: Clock;
  readonly limits?: Partial<HttpLimits>;
  /**
   * Fleet assessment cache; false: none (the caller caches, or tests want every call upstream).
   * staleWhileRevalidate (default true): an expired answer is served at once while a fresh one is
   * computed in the background (see cachedAssistant).
   */
  readonly cache?: { readonly ttlMs?: number; readonly maxEntries?: number; readonly staleWhileRevalidate?: boolean } | false;
  readonly readiness?: ReadinessOptions;
  /** Reported by /health and the document. */
  readonly version?: string;
  /** Trust X-Forwarded-For (behind a load balancer) for the logged client address. */
  readonly trustProxy?: boolean;
  /**
   * Check every success answer against its documented schema and fail with a 500 when it does
   * not match. Costs a parse per answer: for tests and staging, off by default.
   */
  readonly validateResponses?: boolean;
  /** Serves /mcp (read scope; request_patch_run also needs operate, accept_risk approve), when the composition root provides it. */
  readonly mcp?: McpHttpHandler;
  /** Serves the web console under /console (docs/console.md), when given: its sessions and the optional ALB OIDC check. */
  readonly console?: ConsoleOptions;
}

export interface HttpApp {
  readonly koa: Koa<HttpState>;
  /** The router, for tests that compare its table with the document. */
  readonly router: Router<HttpState>;
  readonly routes: readonly Route[];
  readonly openApi: OpenApiDocument;
  /** The assistant the routes call (the cached one when the cache is on). */
  readonly assistant: Assistant & Partial<AssistantCacheControl>;
  /** For http.createServer. */
  callback(): RequestListener;
  /** From now on /ready answers 503 and every answer closes its connection: the process is stopping. */
  startDraining(): void;
  /**
   * Starts the first fleet assessment (the server calls it at start), so that /ready turns 200
   * once it is answered and the first client does not wait for it. A failure is logged; /ready
   * tries again.
   */
  warm(): void;
  readonly draining: boolean;
}

const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/**
 * Answers serialized once per answer object. The cache hands out the same report object until it
 * expires, and a fleet report runs to hundreds of KiB: serializing it on every request would cost
 * milliseconds each. Answers are immutable (readonly contract types); entries go with their object.
 */
const serialized = new WeakMap<object, Buffer>();

function jsonBytes(body: unknown): Buffer {
  if (body === null || typeof body !== 'object') return Buffer.from(JSON.stringify(body));
  let bytes = serialized.get(body);
  if (!bytes) serialized.set(body, (bytes = Buffer.from(JSON.stringify(body))));
  return bytes;
}

/**
 * How old a cached answer is: `Age` (whole seconds since its assessment started) and
 * `X-Assessment-Generated-At` (that instant), for answers the cache handed out.
 */
export function freshnessHeaders(answeredAt: number | undefined, now: number): Record<string, string> {
  if (answeredAt === undefined) return {};
  return { Age: String(Math.max(0, Math.floor((now - answeredAt) / 1000))), 'X-Assessment-Generated-At': new Date(answeredAt).toISOString() };
}

/** A streamed answer's pieces as one buffer. */
async function joined(pieces: Iterable<string> | AsyncIterable<string | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of pieces) parts.push(typeof p === 'string' ? Buffer.from(p) : Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  return Buffer.concat(parts);
}

/** Runs one route: parses its inputs, calls its handler, writes its answer. */
function dispatch(r: Route, validateResponses: boolean, freshness: (answer: unknown) => Record<string, string>): Middleware<HttpState> {
  const query = r.query ?? (r.scope === null ? undefined : z.strictObject({}));
  const bodyOptional = r.body !== undefined && r.body.safeParse({}).success;
  return async (ctx) => {
    const params = r.params ? parseInput(r.params, 'params', ctx.params) : undefined;
    const q = query ? parseInput(query, 'query', normalizeQuery(query, ctx.query)) : undefined;
    const body = r.body ? parseInput(r.body, 'body', ctx.state.body ?? (bodyOptional ? {} : undefined)) : undefined;
    const result = await r.handle({ params, query: q, body, actor: ctx.state.principal?.actor ?? null, ctx });
    // Checked (and then sent) whole when validating; else a streamed answer is written piece by piece.
    const whole = result.stream && validateResponses ? await joined(result.stream()) : undefined;
    if (validateResponses) {
      const check = r.response.schema.safeParse(whole ? JSON.parse(whole.toString('utf8')) : result.body);
      if (!check.success) throw new Error(`answer of ${r.method} ${r.path} does not match its documented schema: ${z.prettifyError(check.error)}`);
    }
    ctx.status = result.status ?? r.response.status;
    ctx.body = whole ?? (result.stream ? Readable.from(result.stream(), { objectMode: false }) : jsonBytes(result.body));
    ctx.type = 'application/json; charset=utf-8';
    ctx.set(freshness(result.answer ?? result.body));
    if (result.headers) ctx.set(result.headers);
  };
}

// /mcp speaks its own protocol (JSON-RPC); the document says only that it takes and answers JSON.
const anyJson = z.looseObject({});

/** The document's entry for /mcp; the endpoint itself is the mcpMount middleware, outside the router. */
function mcpRoute(): Route {
  return route({
    method: 'POST',
    path: MCP_PATH,
    operationId: 'mcp',
    tag: 'mcp',
    summary: 'Model Context Protocol (Streamable HTTP, stateless, JSON answers): the assistant\'s tools for AI agents',
    description: 'A JSON-RPC 2.0 message in, its answer out. request_patch_run is offered only to keys that also carry `operate`, accept_risk and revoke_acceptance only to keys that also carry `approve`.',
    scope: 'read',
    body: anyJson,
    response: { status: 200, schema: anyJson, description: 'the JSON-RPC answer' },
    handle: async () => {
      throw new Error('invariant: /mcp is served by the mcpMount middleware');
    },
  });
}

/** Builds the app. Throws a ValidationError when no key is configured and insecureNoAuth is not set. */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const insecureNoAuth = options.insecureNoAuth === true;
  if (options.keys.length === 0 && !insecureNoAuth) {
    throw new ValidationError('apiKeys', 'at least one API key', 'no API key configured: set SRE_OPS_API_KEYS or pass --api-keys FILE (or --insecure-no-auth for local use only)');
  }
  const clock = options.clock ?? SYSTEM_CLOCK;
  const limits: HttpLimits = { ...DEFAULT_RATE_LIMITS, bodyBytes: DEFAULT_BODY_LIMIT_BYTES, ...options.limits };
  const assistant: Assistant & Partial<AssistantCacheControl> =
    options.cache === false
      ? options.assistant
      : cachedAssistant(options.assistant, {
        clock,
        ttlMs: options.cache?.ttlMs ?? DEFAULT_CACHE_TTL_MS,
        ...(options.cache?.maxEntries ? { maxEntries: options.cache.maxEntries } : {}),
        staleWhileRevalidate: options.cache?.staleWhileRevalidate ?? true,
        onRefreshError: (method, err) => options.logger.warn({ err, method }, 'cache refresh failed: serving the last answer'),
      });
  let draining = false;
  const deps: RouteDeps = {
    assistant,
    readiness: new ReadinessProbe(() => assistant.assessFleet(), clock, options.readiness),
    version: options.version ?? '0.0.0',
    startedAt: performance.now(),
    isDraining: () => draining,
    answeredAt: (answer) => assistant.answeredAt?.(answer),
  };

  // The document lists the document's own route, so that route reads it once it is built.
  const built: { document?: OpenApiDocument } = {};
  const routes: Route[] = [
    ...healthRoutes(deps),
    ...openApiRoutes(() => built.document as OpenApiDocument),
    ...assetRoutes(deps),
    ...planRoutes(deps),
    ...complianceRoutes(deps),
    ...patchRunRoutes(deps),
    ...acceptanceRoutes(deps),
    ...auditRoutes(deps),
    ...historyRoutes(deps),
  ];
  // Documented with the routes; served by the mcpMount middleware (see below).
  const documented = options.mcp ? [...routes, mcpRoute()] : routes;
  const document = buildOpenApi(documented, { version: deps.version });
  built.document = document;

  const access = { verifier: new ApiKeyVerifier(options.keys), insecureNoAuth, limiter: new RateLimiter(limits, clock) };
  const router = new Router<HttpState>();
  for (const r of routes) {
    const chain: Middleware<HttpState>[] = [
      async (ctx, next) => {
        ctx.state.route = r.path;
        await next();
      },
    ];
    if (r.scope !== null) chain.push(accessControl(r.scope, access));
    if (r.body) chain.push(jsonBody(limits.bodyBytes));
    chain.push(dispatch(r, options.validateResponses === true, (answer) => freshnessHeaders(assistant.answeredAt?.(answer), clock.now())));
    router.register(routerPath(r.path), [r.method], chain);
  }

  const health = routes.find((r) => r.operationId === 'health');
  if (!health) throw new Error('invariant: the health route is declared');
  const koa = new Koa<HttpState>({ proxy: options.trustProxy === true });
  // Errors Koa itself sees (a socket that fails mid-answer) go to the log, not to stderr.
  koa.on('error', (err: unknown) => options.logger.warn({ err }, 'connection error'));
  koa.use(liveness(health, options.logger, () => draining));
  koa.use(requestLog(options.logger));
  koa.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      // Checked when the answer is ready, so a request that started before the drain (and
      // every error) also closes its connection, and the server can finish closing.
      if (draining && !ctx.headerSent) ctx.set('Connection', 'close');
    }
  });
  koa.use(errorEnvelope());
  koa.use(securityHeaders());
  if (options.mcp) koa.use(mcpMount(options.mcp, access, limits.bodyBytes));
  if (options.console) koa.use(consoleMount(assistant, access, options.console));
  koa.use(router.routes());
  koa.use(router.allowedMethods());

  return {
    koa,
    router,
    routes,
    openApi: document,
    assistant,
    callback: () => koa.callback(),
    startDraining: () => {
      draining = true;
    },
    warm: () => {
      void deps.readiness.probe().then((r) => {
        if (!r.ready && !r.timedOut) options.logger.warn({ reason: r.reason }, 'warming the cache failed: /ready answers 503 and tries again');
      });
    },
    get draining() {
      return draining;
    },
  };
}
