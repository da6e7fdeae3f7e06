/**
 * A route is declared once, with its path, scope, inputs (zod), answer (zod) and the statuses it
 * may answer with. The router and the OpenAPI document are both built from these declarations,
 * and the tests check the router's real table against the document.
 */
import type { ParameterizedContext } from 'koa';
import type { z } from 'zod';
import type { Actor } from '../../../domain/access/actor.js';
import type { ApiPrincipal, Scope } from './api-keys.js';

/** What the middleware leaves on ctx.state for later middleware and the access log. */
export interface HttpState {
  requestId: string;
  /** The authenticated key, once auth ran. */
  principal?: ApiPrincipal;
  /** The matched route in OpenAPI form (/v1/assets/{id}), for logs; unset for unknown routes. */
  route?: string;
  /** The parsed JSON body, when the route takes one. */
  body?: unknown;
  /** The thrown error, for the access log (the client sees only the envelope). */
  error?: unknown;
}

export type HttpContext = ParameterizedContext<HttpState>;

export type HttpMethod = 'GET' | 'POST';

/** Error statuses a route may add to the ones every route of its kind documents. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 501 | 502 | 503;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, B, A> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The caller (null on public routes). */
  readonly actor: A;
  readonly ctx: HttpContext;
}

export interface RouteResult {
  readonly status?: number;
  readonly body: unknown;
  /** The (cached) answer the body was cut from, when it is not the body itself: its age goes in the headers. */
  readonly answer?: unknown;
  /**
   * The body as JSON text in pieces, written as they come (a large list, item by item) instead of
   * `body`; an asynchronous source is read as the response has room (backpressure). With
   * validateResponses the pieces are joined and checked like any body.
   */
  readonly stream?: () => Iterable<string> | AsyncIterable<string | Uint8Array>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteSpec<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined, S extends Scope | null> {
  readonly method: HttpMethod;
  /** OpenAPI path template: /v1/assets/{id}. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** The key scope the route needs; null: public (no key, no rate limit). */
  readonly scope: S;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** The success answer. */
  readonly response: { readonly status: 200 | 201; readonly schema: z.ZodType; readonly description: string };
  /** Statuses this route adds to the automatic ones (see documentedErrors). */
  readonly errors?: readonly ErrorStatus[];
  handle(input: RouteInput<Out<P>, Out<Q>, Out<B>, S extends null ? null : Actor>): Promise<RouteResult>;
}

/** A route with its types erased, as the router and the document builder see it. */
export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly scope: Scope | null;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly response: RouteSpec<undefined, undefined, undefined, null>['response'];
  readonly errors?: readonly ErrorStatus[];
  handle(input: RouteInput<unknown, unknown, unknown, Actor | null>): Promise<RouteResult>;
}

/** Declares a route; the handler's inputs are typed from the schemas. */
export function route<P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined, S extends Scope | null = Scope | null>(
  spec: RouteSpec<P, Q, B, S>,
): Route {
  return spec as unknown as Route;
}

/** Every status a route can answer with besides its success: what it declares plus what its kind implies. */
export function documentedErrors(r: Route): ErrorStatus[] {
  const s = new Set<ErrorStatus>(r.errors ?? []);
  if (r.scope !== null) [401, 403, 429].forEach((x) => s.add(x as ErrorStatus));
  if (r.params || r.query || r.body) s.add(400);
  if (r.body) [413, 415].forEach((x) => s.add(x as ErrorStatus));
  s.add(500);
  return [...s].sort((a, b) => a - b);
}

/** /v1/assets/{id} → /v1/assets/:id (the router's syntax). */
export function routerPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
