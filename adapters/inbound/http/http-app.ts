/**
 * The HTTP API (Koa): every use case of the Assistant behind API keys, per-key rate limits,
 * validation and one error envelope, with request ids, access logs, security headers and a
 * fleet assessment cache. The process around it (listening, signals, draining) is the
 * composition root's: see composition/http-server.ts.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { z } from 'zod';
import { ValidationError } from '../../../domain/errors.js';
import type { Assistant } from '../../../ports/inbound/assistant.js';
import { cachedAssistant, DEFAULT_CACHE_TTL_MS, type AssistantCacheControl } from '../../../ports/inbound/cached-assistant.js';
import type { Clock } from '../../../ports/outbound/clock.port.js';
import { ApiKeyVerifier, type ApiKeyConfig, type ApiPrincipal, type Scope } from './api-keys.js';
import type { Logger } from './logger.js';
import { accessControl } from './middleware/access-control.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { DEFAULT_BODY_LIMIT_BYTES, jsonBody } from './middleware/json-body.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security-headers.js';
import { mcpMount, type McpHttpHandler } from './middleware/mcp-mount.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limiter.js';
import { ReadinessProbe, type ReadinessOptions } from './readiness.js';
import { route, routerPath, type HttpMethod, type HttpState, type Route } from './route.js';
import type { RouteDeps } from './route-deps.js';
import { acceptanceRoutes } from './routes/acceptance-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { complianceRoutes } from './routes/compliance-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { patchRunRoutes } from './routes/patch-run-routes.js';
import { planRoutes } from './routes/plan-routes.js';
import { normalizeQuery, parseInput } from './validation.js';

export interface HttpLimits extends RateLimits {
  /** Largest request body accepted (default 64 KiB: bodies are small JSON objects). */
  readonly bodyBytes: number;
}

/** What a mounted handler learns about the request besides the raw request itself. */
export interface MountContext {
  readonly principal: ApiPrincipal;
  /** The JSON body, already read (size-limited); undefined without one. */
  readonly body: unknown;
  readonly requestId: string;
}

/**
 * An endpoint another inbound surface answers itself (the MCP Streamable HTTP endpoint at /mcp),
 * behind this app's keys, rate limits, body limit, request ids, logs and security headers. The
 * composition root wires it, so neither adapter imports the other.
 */
export interface HttpMount {
  readonly path: string;
  readonly method: HttpMethod;
  /** The least scope that may enter; the handler may demand more per call (per tool). */
  readonly scope: Scope;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** Answers on `res` directly; should not reject (a rejection before any byte is sent becomes a 500 envelope). */
  handle(req: IncomingMessage, res: ServerResponse, context: MountContext): Promise<void>;
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
  /** Fleet assessment cache; false: none (the caller caches, or tests want every call upstream). */
  readonly cache?: { readonly ttlMs?: number; readonly maxEntries?: number } | false;
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
  /** Serves /mcp (read scope; request_patch_run also needs operate), when the composition root provides it. */
  readonly mcp?: McpHttpHandler;
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
  readonly draining: boolean;
}

const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** Runs one route: parses its inputs, calls its handler, writes its answer. */
function dispatch(r: Route, validateResponses: boolean): Middleware<HttpState> {
  const query = r.query ?? (r.scope === null ? undefined : z.strictObject({}));
  const bodyOptional = r.body !== undefined && r.body.safeParse({}).success;
  return async (ctx) => {
    const params = r.params ? parseInput(r.params, 'params', ctx.params) : undefined;
    const q = query ? parseInput(query, 'query', normalizeQuery(query, ctx.query)) : undefined;
    const body = r.body ? parseInput(r.body, 'body', ctx.state.body ?? (bodyOptional ? {} : undefined)) : undefined;
    const result = await r.handle({ params, query: q, body, actor: ctx.state.principal?.actor ?? null, ctx });
    if (validateResponses) {
      const check = r.response.schema.safeParse(result.body);
      if (!check.success) throw new Error(`answer of ${r.method} ${r.path} does not match its documented schema: ${z.prettifyError(check.error)}`);
    }
    ctx.status = result.status ?? r.response.status;
    ctx.body = result.body;
    if (result.headers) ctx.set(result.headers);
  };
}

// A mounted endpoint speaks its own protocol; the document says only that it takes and answers JSON.
const anyJson = z.looseObject({});

/** Hands the raw request to a mounted handler once access control and the body reader ran. */
function dispatchMount(m: HttpMount): Middleware<HttpState> {
  return async (ctx) => {
    const principal = ctx.state.principal;
    if (!principal) throw new Error(`invariant: ${m.path} reached without a principal`);
    // Koa must not write anything once the handler owns the response.
    ctx.respond = false;
    try {
      await m.handle(ctx.req, ctx.res, { principal, body: ctx.state.body, requestId: ctx.state.requestId });
    } catch (err) {
      if (ctx.res.headersSent) {
        ctx.state.error = err;
        ctx.res.end();
        return;
      }
      ctx.respond = true;
      throw err;
    }
  };
}

function mountRoute(m: HttpMount): Route {
  return route({
    method: m.method,
    path: m.path,
    operationId: m.operationId,
    tag: m.tag,
    summary: m.summary,
    scope: m.scope,
    body: anyJson,
    response: { status: 200, schema: anyJson, description: 'the answer, in the protocol of the endpoint' },
    handle: async () => {
      throw new Error(`invariant: ${m.path} is dispatched raw`);
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
      : cachedAssistant(options.assistant, { clock, ttlMs: options.cache?.ttlMs ?? DEFAULT_CACHE_TTL_MS, ...(options.cache?.maxEntries ? { maxEntries: options.cache.maxEntries } : {}) });
  let draining = false;
  const deps: RouteDeps = {
    assistant,
    readiness: new ReadinessProbe(() => assistant.assessFleet(), clock, options.readiness),
    version: options.version ?? '0.0.0',
    startedAt: performance.now(),
    isDraining: () => draining,
  };

  let document: OpenApiDocument | undefined;
  const routes: Route[] = [
    ...healthRoutes(deps),
    ...openApiRoutes(() => document as OpenApiDocument),
    ...assetRoutes(deps),
    ...planRoutes(deps),
    ...complianceRoutes(deps),
    ...patchRunRoutes(deps),
    ...acceptanceRoutes(deps),
    ...auditRoutes(deps),
  ];
  const mounts = new Map((options.mounts ?? []).map((m) => [mountRoute(m), m] as const));
  routes.push(...mounts.keys());
  document = buildOpenApi(routes, { version: deps.version });

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
    const mount = mounts.get(r);
    chain.push(mount ? dispatchMount(mount) : dispatch(r, options.validateResponses === true));
    router.register(routerPath(r.path), [r.method], chain);
  }

  const koa = new Koa<HttpState>({ proxy: options.trustProxy === true });
  // Errors Koa itself sees (a socket that fails mid-answer) go to the log, not to stderr.
  koa.on('error', (err: unknown) => options.logger.warn({ err }, 'connection error'));
  koa.use(requestLog(options.logger));
  koa.use(errorEnvelope());
  koa.use(securityHeaders());
  koa.use(async (ctx, next) => {
    if (draining) ctx.set('Connection', 'close');
    await next();
  });
  if (options.mcp) koa.use(mcpMount(options.mcp, access, limits.bodyBytes));
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
    get draining() {
      return draining;
    },
  };
}
