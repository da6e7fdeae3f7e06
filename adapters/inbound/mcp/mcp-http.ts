/**
 * MCP over Streamable HTTP, independent of any web framework: the HTTP API mounts this handler at
 * /mcp after it has checked the API key and the rate limit, and passes the key's actor in.
 * Stateless: each POST gets a fresh server and transport (no session to keep, none to hijack),
 * and answers with plain JSON rather than an event stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer, type McpServerOptions } from './mcp-server.js';

export interface McpHttpOptions extends McpServerOptions {
  /** The JSON body, when a body parser has already read the request stream. */
  readonly parsedBody?: unknown;
}

function jsonRpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Handles one request to the MCP endpoint; never rejects (failures are answered as JSON-RPC errors). */
export async function handleMcpHttp(req: IncomingMessage, res: ServerResponse, options: McpHttpOptions): Promise<void> {
  const log = options.log ?? (() => {});
  if (req.method !== 'POST') {
    // A stateless server has no stream to resume (GET) and no session to end (DELETE).
    jsonRpcError(res, 405, 'method not allowed: this MCP endpoint is stateless and takes POST only', { Allow: 'POST' });
    return;
  }
  const server = createMcpServer({ ...options, log });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close().catch(() => {});
    void server.close().catch(() => {});
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res, options.parsedBody);
  } catch (err) {
    log(`mcp http: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (!res.headersSent) jsonRpcError(res, 500, 'internal error');
    else res.end();
  }
}
