/** The frame of every console page: skip link, navigation, who is signed in, logout, footer. */
import type { Actor } from '../../../../domain/access/actor.js';
import type { Scope } from '../api-keys.js';
import { CSS_PATH, JS_PATH } from './assets.js';
import { html, type Html } from './html.js';

/** Who is using the console, however they signed in. */
export interface ConsolePrincipal {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly actor: Actor;
  /** key: an API-key session; alb-oidc: the load balancer's verified identity; anonymous: --insecure-no-auth. */
  readonly via: 'key' | 'alb-oidc' | 'anonymous';
}

export interface PageContext {
  readonly principal: ConsolePrincipal;
  /** The CSRF token every form carries; null for anonymous (who can change nothing). */
  readonly csrf: string | null;
  /** The request path, for the current navigation entry. */
  readonly path: string;
  readonly flash?: { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;
}

const NAV: readonly { readonly href: string; readonly label: string }[] = [
  { href: '/console', label: 'Fleet' },
  { href: '/console/plan', label: 'Plan' },
  { href: '/console/runs', label: 'Runs' },
  { href: '/console/changes', label: 'Changes' },
  { href: '/console/trend', label: 'Trend' },
  { href: '/console/acceptances', label: 'Acceptances' },
  { href: '/console/audit', label: 'Audit log' },
];

function current(path: string, href: string): boolean {
  if (href === '/console') return path === '/console' || path === '/console/' || path.startsWith('/console/instances');
  return path === href || path.startsWith(`${href}/`);
}

/** The hidden CSRF field of a form. */
export function csrfField(ctx: PageContext): Html {
  return ctx.csrf ? html`<input type="hidden" name="csrf" value="${ctx.csrf}">` : html``;
}

export function document(title: string, body: Html, options: { readonly refreshSeconds?: number } = {}): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · sre-ops console</title><link rel="stylesheet" href="${CSS_PATH}"></head>
<body${options.refreshSeconds ? html` data-refresh="${options.refreshSeconds}"` : html``}>
${body}
${options.refreshSeconds ? html`<script src="${JS_PATH}"></script>` : html``}
</body></html>`;
}

export function layout(ctx: PageContext, title: string, content: Html, options: { readonly refreshSeconds?: number; readonly source?: string; readonly asOf?: string } = {}): Html {
  const p = ctx.principal;
  const roles = p.actor.roles.join(', ') || 'no role';
  return document(title, html`<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/console">sre-ops console</a>
<nav aria-label="Console"><ul>${NAV.map((n) => html`<li><a href="${n.href}"${current(ctx.path, n.href) ? html` aria-current="page"` : html``}>${n.label}</a></li>`)}</ul></nav>
<div class="who"><span>Signed in as <strong data-testid="who">${p.actor.displayName ?? p.name}</strong> <span class="visually-hidden">with roles</span>(${roles})</span>
${p.via === 'key' ? html`<form class="inline" method="post" action="/console/logout">${csrfField(ctx)}<button type="submit">Log out</button></form>` : html``}</div>
</header>
<main id="main" tabindex="-1">
${ctx.flash ? html`<div class="flash ${ctx.flash.kind}" role="${ctx.flash.kind === 'error' ? 'alert' : 'status'}">${ctx.flash.text}</div>` : html``}
${content}
</main>
<footer class="muted">${options.source ? html`<p>Source ${options.source}${options.asOf ? html`, as of ${options.asOf}` : html``}.</p>` : html``}</footer>`, options);
}

export function loginPage(input: { readonly csrf: string; readonly next: string; readonly error?: string; readonly alb?: boolean }): Html {
  return document('Log in', html`<main id="main" class="login">
<h1>sre-ops console</h1>
<p>Log in with an API key (the same key the JSON API takes). The key is checked once and never stored in the browser: you get a session cookie.</p>
${input.error ? html`<div class="flash error" role="alert">${input.error}</div>` : html``}
<form class="stack" method="post" action="/console/login">
<input type="hidden" name="csrf" value="${input.csrf}">
<input type="hidden" name="next" value="${input.next}">
<label for="apiKey">API key<input id="apiKey" name="apiKey" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>
${input.alb ? html`<p class="muted">Behind the load balancer you are signed in through your identity provider instead.</p>` : html``}
</main>`);
}

export function errorPage(input: { readonly status: number; readonly code: string; readonly message: string; readonly requestId: string; readonly signedIn: boolean }): Html {
  return document(`Error ${input.status}`, html`<main id="main">
<h1>${input.status === 403 ? 'Not allowed' : input.status === 404 ? 'Not found' : input.status >= 500 ? 'Something went wrong' : 'Request refused'}</h1>
<div class="flash error" role="alert"><p><strong>${input.code}</strong>: ${input.message}</p></div>
<p class="muted">Request id <code>${input.requestId}</code> (the server log has the details under it).</p>
<p>${input.signedIn ? html`<a href="/console">Back to the console</a>` : html`<a href="/console/login">Log in</a>`}</p>
</main>`);
}
