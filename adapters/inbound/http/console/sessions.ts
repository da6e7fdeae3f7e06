/**
 * Console sessions after an API-key login: a signed, expiring token in an HttpOnly cookie, and
 * the CSRF tokens the forms carry. The signature and expiry are checked here (HMAC-SHA256 over
 * the claims with a secret), so any task behind the load balancer that shares
 * SRE_OPS_SESSION_SECRET can check them alone; a logout is recorded in the SessionRevocations
 * store every task shares (the state file or table), so every task refuses the token after it.
 *
 * The cookie holds the key's name, never the key: each request looks the name up among the keys
 * configured now, so removing a key ends its sessions.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../../ports/outbound/clock.port.js';
import type { SessionRevocations } from '../../../../ports/outbound/session-revocations.port.js';

export const SESSION_COOKIE = 'sre_ops_session';
/** The pre-login nonce the login form's CSRF token is bound to. */
export const LOGIN_COOKIE = 'sre_ops_login';
export const DEFAULT_SESSION_TTL_MS = 8 * 3600_000;

export interface SessionClaims {
  /** The API key's name. */
  readonly name: string;
  /** ms since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Random: tells sessions apart (revocation, CSRF binding). */
  readonly nonce: string;
}

/** Why a presented session was refused (for the log; the person sees "log in again"). */
export type SessionProblem = 'malformed' | 'bad-signature' | 'expired' | 'revoked';

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const TOKEN = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/;

export class SessionSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly clock: Clock,
    /** Where logouts are recorded: shared by every task that serves the console. */
    private readonly revocations: SessionRevocations,
    readonly ttlMs: number = DEFAULT_SESSION_TTL_MS,
  ) {
    if (secret.length < 32) throw new Error('invariant: a session secret has at least 32 bytes');
  }

  private mac(purpose: string, data: string): Buffer {
    return createHmac('sha256', this.secret).update(`${purpose}\0${data}`).digest();
  }

  /** A new session for the key `name`: the cookie value and its claims. */
  issue(name: string): { readonly token: string; readonly claims: SessionClaims } {
    const now = this.clock.now();
    const claims: SessionClaims = { name, issuedAt: now, expiresAt: now + this.ttlMs, nonce: b64(randomBytes(16)) };
    const body = b64(JSON.stringify(claims));
    return { token: `${body}.${b64(this.mac('session', body))}`, claims };
  }

  /** The claims of a valid, unexpired, unrevoked token; else the problem. Rejects when the revocation store cannot be read. */
  async verify(token: string | undefined): Promise<SessionClaims | SessionProblem> {
    const claims = this.verifySignature(token);
    if (typeof claims === 'string') return claims;
    return (await this.revocations.isRevoked(claims.nonce)) ? 'revoked' : claims;
  }

  /** The claims of a well-signed, unexpired token (revocation not looked at); else the problem. */
  private verifySignature(token: string | undefined): SessionClaims | SessionProblem {
    const m = TOKEN.exec(token ?? '');
    if (!m) return 'malformed';
    const [, body = '', sig = ''] = m;
    const expected = this.mac('session', body);
    const presented = Buffer.from(sig, 'base64url');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return 'bad-signature';
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionClaims;
    } catch {
      return 'malformed';
    }
    if (typeof claims?.name !== 'string' || typeof claims.expiresAt !== 'number' || typeof claims.nonce !== 'string') return 'malformed';
    if (this.clock.now() >= claims.expiresAt) return 'expired';
    return claims;
  }

  /** Logout: this token is refused from now on by every task sharing the store, until it would have expired. */
  async revoke(claims: SessionClaims): Promise<void> {
    await this.revocations.revoke(claims.nonce, claims.expiresAt);
  }

  /** The CSRF token of a binding (a session's nonce, a verified OIDC identity, a login nonce). */
  csrfToken(binding: string): string {
    return b64(this.mac('csrf', binding));
  }

  /** True when `presented` is the CSRF token of `binding` (constant time). */
  checkCsrf(binding: string, presented: string | undefined): boolean {
    if (!presented || presented.length > 64) return false;
    const expected = Buffer.from(this.csrfToken(binding));
    const got = Buffer.from(presented);
    return got.length === expected.length && timingSafeEqual(got, expected);
  }

  /** A random nonce for the login form. */
  static nonce(): string {
    return b64(randomBytes(16));
  }
}

/** The session secret: SRE_OPS_SESSION_SECRET (at least 32 characters), else random for this process. */
export function sessionSecret(configured: string | undefined): { readonly secret: Buffer; readonly generated: boolean } {
  if (configured !== undefined && configured.length > 0) return { secret: Buffer.from(configured, 'utf8'), generated: false };
  return { secret: randomBytes(32), generated: true };
}
