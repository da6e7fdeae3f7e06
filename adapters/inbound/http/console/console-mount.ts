/**
 * The web console under /console: server-rendered pages over the same Assistant, the same keys,
 * roles and rate limits as the JSON API. Who is asking comes from, in this order: the ALB's
 * signed OIDC header (when SRE_OPS_ALB_SIGNER_ARN is set), a session cookie from an API-key login,
 * or --insecure-no-auth (anonymous, read only). Every POST carries a CSRF token bound to the
 * session or identity. Errors are pages with the envelope's code, message and request id; never a
 * stack trace. See docs/console.md.
 */
import type { Middleware, ParameterizedContext } from 'koa';
import { DECISION_KINDS, MISSIONS } from '../../../../domain/vocabulary.js';
import { isNotFoundError, ValidationError } from '../../../../domain/errors.js';
import type { Assistant } from '../../../../ports/inbound/assistant.port.js';
import type { Scope } from '../api-keys.js';
import { HttpError, mapError } from '../http-errors.js';
import { ANONYMOUS, type AccessControl } from '../middleware/access-control.js';
import { readBody, tooLarge } from '../middleware/json-body.js';
import type { HttpState } from '../route.js';
import { AlbTokenError, ALB_OIDC_HEADER, type AlbOidcVerifier } from './alb-oidc.js';
import { ASSETS } from './assets.js';
import { SORTS, fleetPage, instancePage, naturalDir, type FleetQuery, type Sort } from './fleet-pages.js';
import { errorPage, loginPage, type ConsolePrincipal, type PageContext } from './layout.js';
import { CHANGES_SINCE, TREND_DAYS, changesPage, trendPage } from './history-pages.js';
import { acceptancesPage, auditPage, planPage, runPage, runsPage, type AcceptForm } from './operation-pages.js';
import { acceptRiskRequestSchema } from '../schemas/patch-schemas.js';
import { parseInput } from '../validation.js';
import { LOGIN_COOKIE, SESSION_COOKIE, SessionSigner, type SessionClaims } from './sessions.js';
import type { Html } from './html.js';

export const CONSOLE_PREFIX = '/console';

/** Pages may use only what this origin serves: no inline script or style, nothing from elsewhere. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Look-back of the instance page's charts: a week, so the weekly quiet window shows once in full. */
export const CHART_HOURS = 168;
const FORM_LIMIT_BYTES = 16 * 1024;

export interface ConsoleOptions {
  readonly sessions: SessionSigner;
  /** Set when the service sits behind an ALB that authenticates with OIDC. */
  readonly alb?: AlbOidcVerifier;
}

type Ctx = ParameterizedContext<HttpState>;

interface Authenticated {
  readonly principal: ConsolePrincipal;
  /** What the CSRF token is bound to; null: anonymous (nothing to change). */
  readonly binding: string | null;
  readonly session?: SessionClaims;
}

const DONE = { requested: 'Run requested.', approved: 'Run approved.', rejected: 'Run rejected.', cancelled: 'Run cancelled.', accepted: 'Risk accepted.', revoked: 'Acceptance revoked.' } as const;

function cookies(ctx: Ctx): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (ctx.get('cookie') || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

function setCookie(ctx: Ctx, name: string, value: string, maxAgeSeconds: number): void {
  const attrs = [`${name}=${value}`, `Path=${CONSOLE_PREFIX}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  // Over TLS, or behind a proxy that says so (Koa reads X-Forwarded-Proto only with trustProxy).
  if (ctx.secure) attrs.push('Secure');
  ctx.append('Set-Cookie', attrs.join('; '));
}

function send(ctx: Ctx, status: number, page: Html): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page.toString();
}

function redirect(ctx: Ctx, to: string): void {
  ctx.status = 303;
  ctx.set('Location', to);
  ctx.body = '';
}

/** Where a login may send the person back to: a console path, nothing else (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[A-Za-z0-9._~%/-]*)?(\?[A-Za-z0-9._~%&=+,-]*)?$/.test(next) && !next.includes('//') ? next : CONSOLE_PREFIX;
}

async function readForm(ctx: Ctx): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `a console form is application/x-www-form-urlencoded, got ${ctx.get('content-type') || 'no content type'}`);
  }
  const length = ctx.request.length;
  if (length !== undefined && length > FORM_LIMIT_BYTES) throw tooLarge(FORM_LIMIT_BYTES);
  // The same reader as JSON bodies: an oversized chunked form is refused without being buffered.
  return new URLSearchParams((await readBody(ctx.req, FORM_LIMIT_BYTES)).toString('utf8'));
}

/** The scopes a policy-mapped identity gets from its roles (API keys carry theirs). */
function scopesOfRoles(roles: readonly string[]): Scope[] {
  const s: Scope[] = [];
  if (roles.length > 0) s.push('read');
  if (roles.includes('operator') || roles.includes('admin')) s.push('operate');
  if (roles.includes('approver') || roles.includes('admin')) s.push('approve');
  return s;
}

function one<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ValidationError(`query.${field}`, allowed.join(', '), `query.${field}: expected one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function text(field: string, value: string | undefined, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!pattern.test(value)) throw new ValidationError(`query.${field}`, expected, `query.${field}: expected ${expected}, got "${value.slice(0, 40)}"`);
  return value;
}

function fleetQuery(q: Record<string, string | string[] | undefined>): FleetQuery {
  const get = (k: string): string | undefined => (Array.isArray(q[k]) ? (q[k] as string[])[0] : (q[k] as string | undefined));
  const exposed = one('exposed', get('exposed'), ['true', 'false'] as const);
  const sort: Sort = one('sort', get('sort'), SORTS) ?? 'risk';
  const dir = one('dir', get('dir'), ['asc', 'desc'] as const) ?? naturalDir(sort);
  const pageText = get('page') ?? '1';
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1) throw new ValidationError('query.page', 'a page number from 1', `query.page: expected a page number from 1, got "${pageText}"`);
  return {
    decision: one('decision', get('decision'), DECISION_KINDS),
    mission: one('mission', get('mission'), MISSIONS),
    exposed: exposed === undefined ? undefined : exposed === 'true',
    account: text('account', get('account'), /^\d{12}$/, 'a 12-digit AWS account id'),
    region: text('region', get('region'), /^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
    sort,
    dir,
    page: Number(pageText),
  };
}

/** null when this assistant keeps no history at all (the page then says how to record one). */
async function withoutHistory<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ValidationError && err.field === 'history') return null;
    throw err;
  }
}

export function consoleMount(assistant: Assistant, access: AccessControl, options: ConsoleOptions): Middleware<HttpState> {
  const { sessions, alb } = options;
  const assets = new Map(ASSETS.map((a) => [a.path, a]));

  /** Who is asking, or null (no valid session). Throws for a bad ALB token. */
  async function authenticate(ctx: Ctx): Promise<Authenticated | null> {
    const token = alb ? ctx.get(ALB_OIDC_HEADER) : '';
    if (alb && token) {
      let identity;
      try {
        identity = await alb.verify(token);
      } catch (err) {
        if (err instanceof AlbTokenError) throw new HttpError(401, 'UNAUTHORIZED', `identity not accepted: ${err.message}`);
        throw err;
      }
      const actor = assistant.actorFor(identity.id, 'http', identity.displayName);
      const principal: ConsolePrincipal = { name: identity.id, scopes: scopesOfRoles(actor.roles), actor, via: 'alb-oidc' };
      return { principal, binding: `alb:${identity.id}` };
    }
    if (access.insecureNoAuth) return { principal: { ...ANONYMOUS, via: 'anonymous' }, binding: null };
    const presented = cookies(ctx).get(SESSION_COOKIE);
    if (!presented) return null;
    const claims = await sessions.verify(presented);
    // Forged, expired or revoked: the same as none (the login page), whatever the reason.
    if (typeof claims === 'string') return null;
    const key = access.verifier.byName(claims.name);
    if (!key) return null;
    return { principal: { ...key, via: 'key' }, binding: `session:${claims.nonce}`, session: claims };
  }

  function rateLimit(ctx: Ctx, name: string): void {
    const decision = access.limiter.take(name);
    ctx.set(access.limiter.headers(decision.state));
    if (!decision.allowed) {
      throw new HttpError(429, 'RATE_LIMITED', `rate limit for "${name}" reached; retry after ${decision.retryAfterSeconds} s`, { retryAfterSeconds: decision.retryAfterSeconds }, { 'Retry-After': String(decision.retryAfterSeconds) });
    }
  }

  function need(auth: Authenticated, ctx: Ctx, ...anyOf: Scope[]): void {
    if (!anyOf.some((s) => auth.principal.scopes.includes(s))) {
      throw new HttpError(403, 'FORBIDDEN', `${auth.principal.name} lacks the ${anyOf.join(' or ')} scope that ${ctx.method} ${ctx.path} needs`, { requiredScope: anyOf[0] });
    }
  }

  function checkCsrf(auth: Authenticated, form: URLSearchParams): void {
    if (auth.binding === null || !sessions.checkCsrf(auth.binding, form.get('csrf') ?? undefined)) {
      throw new HttpError(403, 'CSRF_FAILED', 'the form\'s CSRF token is missing or does not match your session; reload the page and try again');
    }
  }

  function pageCtx(ctx: Ctx, auth: Authenticated, flash?: PageContext['flash']): PageContext {
    const done = typeof ctx.query.done === 'string' ? DONE[ctx.query.done as keyof typeof DONE] : undefined;
    return { principal: auth.principal, csrf: auth.binding ? sessions.csrfToken(auth.binding) : null, path: ctx.path, flash: flash ?? (done ? { kind: 'ok', text: done } : undefined) };
  }

  async function login(ctx: Ctx): Promise<void> {
    // Signed in by the load balancer already: there is nothing to log in to.
    if (alb && ctx.get(ALB_OIDC_HEADER) && (await authenticate(ctx)) !== null) return redirect(ctx, CONSOLE_PREFIX);
    if (ctx.method === 'GET') {
      const nonce = SessionSigner.nonce();
      setCookie(ctx, LOGIN_COOKIE, nonce, 3600);
      const next = safeNext(typeof ctx.query.next === 'string' ? ctx.query.next : undefined);
      send(ctx, 200, loginPage({ csrf: sessions.csrfToken(`login:${nonce}`), next, alb: alb !== undefined }));
      return;
    }
    const form = await readForm(ctx);
    const nonce = cookies(ctx).get(LOGIN_COOKIE);
    if (!nonce || !sessions.checkCsrf(`login:${nonce}`, form.get('csrf') ?? undefined)) {
      throw new HttpError(403, 'CSRF_FAILED', 'the login form\'s CSRF token is missing or does not match; reload the login page and try again');
    }
    // Failed guesses are limited per client address, before any key is looked at.
    rateLimit(ctx, `login:${ctx.ip}`);
    const principal = access.verifier.verify(form.get('apiKey') ?? undefined);
    const next = safeNext(form.get('next') ?? undefined);
    if (!principal) {
      const fresh = SessionSigner.nonce();
      setCookie(ctx, LOGIN_COOKIE, fresh, 3600);
      send(ctx, 401, loginPage({ csrf: sessions.csrfToken(`login:${fresh}`), next, error: 'Unknown API key.', alb: alb !== undefined }));
      return;
    }
    ctx.state.principal = principal;
    const { token } = sessions.issue(principal.name);
    setCookie(ctx, SESSION_COOKIE, token, sessions.ttlMs / 1000);
    setCookie(ctx, LOGIN_COOKIE, '', 0);
    redirect(ctx, next);
  }

  async function route(ctx: Ctx, auth: Authenticated): Promise<void> {
    const path = ctx.path.replace(/\/+$/, '') || CONSOLE_PREFIX;
    const parts = path.slice(CONSOLE_PREFIX.length).split('/').filter(Boolean).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new HttpError(400, 'BAD_REQUEST', `the path ${ctx.path} is not valid percent-encoding`);
      }
    });
    const [section, id, verb] = parts;
    const { actor } = auth.principal;
    if (ctx.method === 'GET' || ctx.method === 'HEAD') {
      need(auth, ctx, 'read');
      if (section === undefined) {
        const q = fleetQuery(ctx.query);
        const report = await assistant.assessFleet({
          ...(q.decision ? { decisions: [q.decision] } : {}),
          ...(q.mission ? { missions: [q.mission] } : {}),
          ...(q.exposed !== undefined ? { exposed: q.exposed } : {}),
          ...(q.account ? { accounts: [q.account] } : {}),
          ...(q.region ? { regions: [q.region] } : {}),
        });
        // One assessment: the account and region choices come from this answer's summary.
        return send(ctx, 200, fleetPage(pageCtx(ctx, auth), report, q));
      }
      if (section === 'instances' && id !== undefined && verb === undefined) {
        const instance = await assistant.assessInstance(id);
        const iid = instance.asset.instanceId;
        const [metrics, plan, activity, compliance] = await Promise.allSettled([
          assistant.metricsSummary({ instance: iid, hours: CHART_HOURS, series: true }),
          assistant.planPatches(),
          assistant.activityReport({ instance: iid, hours: CHART_HOURS }),
          assistant.complianceSummary(),
        ]);
        const planned = plan.status === 'fulfilled' ? Object.values(plan.value.byDecision).flat().find((p) => p.instanceId === iid) ?? null : null;
        return send(ctx, 200, instancePage(pageCtx(ctx, auth), {
          instance,
          metrics: metrics.status === 'fulfilled' ? metrics.value : null,
          metricsError: metrics.status === 'rejected' ? (metrics.reason as Error).message : null,
          planned,
          activity: activity.status === 'fulfilled' ? activity.value : null,
          compliance: compliance.status === 'fulfilled' ? compliance.value.perInstance.find((c) => c.instanceId === iid) ?? null : null,
        }));
      }
      if (section === 'changes' && id === undefined) {
        const since = one('since', typeof ctx.query.since === 'string' ? ctx.query.since : undefined, CHANGES_SINCE) ?? '24h';
        return send(ctx, 200, changesPage(pageCtx(ctx, auth), await withoutHistory(() => assistant.changes({ since })), since));
      }
      if (section === 'trend' && id === undefined) {
        const days = one('days', typeof ctx.query.days === 'string' ? ctx.query.days : undefined, TREND_DAYS) ?? '30';
        return send(ctx, 200, trendPage(pageCtx(ctx, auth), await withoutHistory(() => assistant.trend({ days: Number(days) })), days));
      }
      if (section === 'plan' && id === undefined) return send(ctx, 200, planPage(pageCtx(ctx, auth), await assistant.planPatches()));
      if (section === 'runs' && id === undefined) return send(ctx, 200, runsPage(pageCtx(ctx, auth), await assistant.listPatchRuns(actor, { limit: 100 })));
      if (section === 'runs' && id !== undefined && verb === undefined) return send(ctx, 200, runPage(pageCtx(ctx, auth), await assistant.getPatchRun(actor, id)));
      if (section === 'acceptances' && id === undefined) {
        const includeExpired = ctx.query.includeExpired === 'true';
        // A finding's "accept…" link (instance page) fills the form in; the POST validates it.
        const prefill = (k: string): string | undefined => (typeof ctx.query[k] === 'string' ? (ctx.query[k] as string).slice(0, 255) : undefined);
        const vulnerabilityId = prefill('vulnerabilityId');
        const instance = prefill('instance');
        return send(ctx, 200, acceptancesPage(pageCtx(ctx, auth), await assistant.listAcceptances(actor, { includeExpired }), includeExpired, { ...(vulnerabilityId ? { vulnerabilityId } : {}), ...(instance ? { instance } : {}) }));
      }
      if (section === 'audit' && id === undefined) {
        const [entries, verification] = await Promise.all([
          assistant.listAudit(actor, { limit: 200 }),
          assistant.verifyAudit ? assistant.verifyAudit(actor) : Promise.resolve(null),
        ]);
        return send(ctx, 200, auditPage(pageCtx(ctx, auth), entries, verification));
      }
      throw new HttpError(404, 'ROUTE_NOT_FOUND', `no console page at ${ctx.path}`);
    }
    if (ctx.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}; allowed: GET, POST`, undefined, { Allow: 'GET, POST' });
    const form = await readForm(ctx);
    checkCsrf(auth, form);
    if (section === 'logout' && id === undefined) {
      if (auth.session) await sessions.revoke(auth.session);
      setCookie(ctx, SESSION_COOKIE, '', 0);
      return redirect(ctx, `${CONSOLE_PREFIX}/login`);
    }
    if (section === 'runs' && id === undefined) {
      need(auth, ctx, 'operate');
      const instances = (form.get('instances') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const reason = form.get('reason')?.trim();
      try {
        const run = await assistant.requestPatchRun(actor, { instances, ...(form.get('dryRun') === 'true' ? { dryRun: true } : {}), ...(reason ? { reason } : {}) });
        return redirect(ctx, `${CONSOLE_PREFIX}/runs/${encodeURIComponent(run.id)}?done=requested`);
      } catch (err) {
        const mapped = mapError(err, ctx.state.requestId);
        if (mapped.internal) throw err;
        ctx.state.error = err;
        return send(ctx, mapped.status, runsPage(pageCtx(ctx, auth, { kind: 'error', text: mapped.body.error.message }), await assistant.listPatchRuns(actor, { limit: 100 })));
      }
    }
    if (section === 'runs' && id !== undefined && (verb === 'approve' || verb === 'reject' || verb === 'cancel')) {
      if (verb === 'cancel') need(auth, ctx, 'operate', 'approve');
      else need(auth, ctx, 'approve');
      const text = form.get(verb === 'approve' ? 'comment' : 'reason')?.trim() || undefined;
      try {
        if (verb === 'approve') await assistant.approvePatchRun(actor, id, text);
        else if (verb === 'reject') await assistant.rejectPatchRun(actor, id, text);
        else await assistant.cancelPatchRun(actor, id);
        return redirect(ctx, `${CONSOLE_PREFIX}/runs/${encodeURIComponent(id)}?done=${verb === 'approve' ? 'approved' : verb === 'reject' ? 'rejected' : 'cancelled'}`);
      } catch (err) {
        const mapped = mapError(err, ctx.state.requestId);
        if (mapped.internal || isNotFoundError(err)) throw err;
        // A refusal by the core (your own run, a decided run): the run again, with the reason.
        ctx.state.error = err;
        return send(ctx, mapped.status, runPage(pageCtx(ctx, auth, { kind: 'error', text: mapped.body.error.message }), await assistant.getPatchRun(actor, id)));
      }
    }
    if (section === 'acceptances' && (id === undefined || verb === 'revoke')) {
      // The HTTP API's rule: accepting or revoking a risk takes the approve scope; the core then checks accept-risk.
      need(auth, ctx, 'approve');
      const typed: AcceptForm = {
        vulnerabilityId: form.get('vulnerabilityId') ?? '', instance: form.get('instance') ?? '', until: form.get('until') ?? '', reason: form.get('reason') ?? '', force: form.get('force') === 'true',
      };
      try {
        if (id === undefined) {
          // The same validation as POST /v1/acceptances (its schema), then the same use case.
          const request = parseInput(acceptRiskRequestSchema, 'body', {
            vulnerabilityId: typed.vulnerabilityId, until: typed.until, reason: typed.reason,
            ...(typed.instance?.trim() ? { instance: typed.instance.trim() } : {}),
            ...(typed.force ? { force: true } : {}),
          });
          await assistant.acceptRisk(actor, request);
        } else {
          await assistant.revokeAcceptance(actor, id);
        }
        return redirect(ctx, `${CONSOLE_PREFIX}/acceptances?done=${id === undefined ? 'accepted' : 'revoked'}`);
      } catch (err) {
        const mapped = mapError(err, ctx.state.requestId);
        if (mapped.internal || (id !== undefined && isNotFoundError(err))) throw err;
        // Refused (bad input, an unknown id, no permission, already revoked): the page again, with the reason and what was typed.
        ctx.state.error = err;
        return send(ctx, mapped.status, acceptancesPage(pageCtx(ctx, auth, { kind: 'error', text: mapped.body.error.message }), await assistant.listAcceptances(actor, {}), false, id === undefined ? typed : {}));
      }
    }
    throw new HttpError(404, 'ROUTE_NOT_FOUND', `no console action at POST ${ctx.path}`);
  }

  return async (ctx, next) => {
    if (ctx.path !== CONSOLE_PREFIX && !ctx.path.startsWith(`${CONSOLE_PREFIX}/`)) return next();
    ctx.state.route = `${CONSOLE_PREFIX}/*`;
    ctx.set('Content-Security-Policy', CONSOLE_CSP);
    const asset = ctx.method === 'GET' || ctx.method === 'HEAD' ? assets.get(ctx.path) : undefined;
    if (asset) {
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('ETag', asset.etag);
      if (ctx.get('if-none-match') === asset.etag) {
        ctx.status = 304;
        return;
      }
      ctx.type = asset.type;
      ctx.body = asset.body;
      return;
    }
    let auth: Authenticated | null = null;
    try {
      if (ctx.path === `${CONSOLE_PREFIX}/login`) {
        if (ctx.method !== 'GET' && ctx.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}; allowed: GET, POST`, undefined, { Allow: 'GET, POST' });
        return await login(ctx);
      }
      auth = await authenticate(ctx);
      if (!auth) {
        if (cookies(ctx).has(SESSION_COOKIE)) setCookie(ctx, SESSION_COOKIE, '', 0);
        if (ctx.method === 'GET' || ctx.method === 'HEAD') return redirect(ctx, `${CONSOLE_PREFIX}/login?next=${encodeURIComponent(safeNext(ctx.originalUrl))}`);
        throw new HttpError(401, 'UNAUTHORIZED', 'no valid session: log in again');
      }
      ctx.state.principal = { name: auth.principal.name, scopes: auth.principal.scopes, actor: auth.principal.actor };
      rateLimit(ctx, auth.principal.name);
      await route(ctx, auth);
    } catch (err) {
      const mapped = mapError(err, ctx.state.requestId);
      ctx.state.error = err;
      for (const [k, v] of Object.entries(mapped.headers)) ctx.set(k, v);
      send(ctx, mapped.status, errorPage({ status: mapped.status, code: mapped.body.error.code, message: mapped.body.error.message, requestId: ctx.state.requestId, signedIn: auth !== null }));
      // A form refused before it was read leaves bytes on the socket; do not reuse it.
      if (mapped.status === 413) ctx.set('Connection', 'close');
    }
  };
}
