/**
 * /mcp: the Model Context Protocol endpoint, behind the same API keys and rate limits as every
 * route (read scope to connect). The key's actor goes to the MCP server, which offers
 * request_patch_run only when the key also carries operate (accept_risk: approve). The handler itself comes from the
 * composition root (the MCP adapter's handleMcpHttp), so this adapter imports no other adapter.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import type { Actor } from '../../../../domain/access/actor.js';
import type { HttpState } from '../route.js';
import { accessControl, type AccessControl } from './access-control.js';
import { jsonBody } from './json-body.js';

export const MCP_PATH = '/mcp';

/** Serves one MCP request as `actor`; `body` is the JSON this app has already read. Never rejects. */
export type McpHttpHandler = (req: IncomingMessage, res: ServerResponse, input: { readonly actor: Actor; readonly body: unknown }) => Promise<void>;

export function mcpMount(handler: McpHttpHandler, access: AccessControl, bodyBytes: number): Middleware<HttpState> {
  const guard = accessControl('read', access);
  const body = jsonBody(bodyBytes);
  return async (ctx, next) => {
    if (ctx.path !== MCP_PATH) return next();
    ctx.state.route = MCP_PATH;
    const serve = async (): Promise<void> => {
      const actor = ctx.state.principal?.actor;
      if (!actor) throw new Error('invariant: access control runs before the MCP handler');
      // The MCP transport writes the answer itself (JSON or 405); Koa leaves the response alone.
      ctx.respond = false;
      await handler(ctx.req, ctx.res, { actor, body: ctx.state.body });
    };
    await guard(ctx, () => (ctx.method === 'POST' ? body(ctx, serve) : serve()));
  };
}
