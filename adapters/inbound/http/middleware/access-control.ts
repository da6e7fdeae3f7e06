/**
 * Per-route access control, in the order that keeps every check meaningful: who is calling
 * (401), whether they still have allowance (429: spent even on forbidden calls, so probing is
 * limited too), and whether their key carries the route's scope (403).
 */
import type { Middleware } from 'koa';
import { principalFor, SCOPES, type ApiKeyVerifier, type ApiPrincipal, type Scope } from '../api-keys.js';
import { HttpError } from '../http-errors.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { HttpState } from '../route.js';

const CHALLENGE = { 'WWW-Authenticate': 'ApiKey header="x-api-key"' };

/**
 * With --insecure-no-auth every caller is this one actor. It may only read: writes are recorded
 * in the audit log under a person and need a second person to approve, which an anonymous
 * caller cannot be.
 */
export const ANONYMOUS: ApiPrincipal = principalFor({ name: 'anonymous', scopes: ['read'] });

export interface AccessControl {
  readonly verifier: ApiKeyVerifier;
  readonly insecureNoAuth: boolean;
  readonly limiter: RateLimiter;
}

export function accessControl(scope: Scope, ac: AccessControl): Middleware<HttpState> {
  if (!SCOPES.includes(scope)) throw new Error(`invariant: unknown scope ${scope}`);
  return async (ctx, next) => {
    let principal: ApiPrincipal | null;
    if (ac.insecureNoAuth) {
      principal = ANONYMOUS;
    } else {
      const presented = ctx.get('x-api-key');
      if (!presented) throw new HttpError(401, 'UNAUTHORIZED', 'missing API key: send it in the x-api-key header', undefined, CHALLENGE);
      principal = ac.verifier.verify(presented);
      if (!principal) throw new HttpError(401, 'UNAUTHORIZED', 'unknown API key', undefined, CHALLENGE);
    }
    ctx.state.principal = principal;

    const decision = ac.limiter.take(principal.name);
    ctx.set(ac.limiter.headers(decision.state));
    if (!decision.allowed) {
      const what = decision.limit === 'per-day' ? `${ac.limiter.limits.perDay} requests a day` : `${ac.limiter.limits.perSecond} requests a second`;
      throw new HttpError(429, 'RATE_LIMITED', `rate limit of ${what} for key "${principal.name}" reached; retry after ${decision.retryAfterSeconds} s`,
        { limit: decision.limit, retryAfterSeconds: decision.retryAfterSeconds }, { 'Retry-After': String(decision.retryAfterSeconds) });
    }

    if (!principal.scopes.includes(scope)) {
      throw new HttpError(403, 'FORBIDDEN', `the key "${principal.name}" lacks the "${scope}" scope that ${ctx.method} ${ctx.state.route ?? ctx.path} needs`,
        { requiredScope: scope, keyScopes: [...principal.scopes] });
    }
    await next();
  };
}
