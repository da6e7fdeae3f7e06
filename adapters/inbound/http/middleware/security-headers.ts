/**
 * Headers for a JSON API that no browser should render, frame or cache: the answers describe
 * which machines are vulnerable. TLS ends at the load balancer; HSTS still tells browsers to
 * keep to HTTPS.
 */
import type { ServerResponse } from 'node:http';
import type { Middleware } from 'koa';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const ENTRIES = Object.entries(SECURITY_HEADERS);

/** Sets them straight on the Node response (Koa's ctx.set re-validates each one on every request). */
export function applySecurityHeaders(res: ServerResponse): void {
  for (const [k, v] of ENTRIES) res.setHeader(k, v);
}

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    applySecurityHeaders(ctx.res);
    await next();
  };
}
