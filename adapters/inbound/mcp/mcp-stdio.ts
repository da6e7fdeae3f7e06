/**
 * MCP over stdio, as desktop and IDE clients launch it: JSON-RPC on stdout, so nothing else may
 * ever be written there; every log line goes to `log` (stderr).
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpServerOptions } from './mcp-server.js';

export interface McpStdioOptions extends McpServerOptions {
  readonly stdin: Readable;
  readonly stdout: Writable;
  /** Stops the server (SIGINT, SIGTERM). */
  readonly signal?: AbortSignal;
}

/** Serves until the client closes stdin or `signal` aborts; resolves once the server has closed. */
export async function serveMcpStdio(options: McpStdioOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const server = createMcpServer({ ...options, log });
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  server.server.onerror = (err) => log(`mcp: ${err.message}`);
  const stop = (): void => void server.close().catch((err: unknown) => log(`mcp: closing failed: ${String(err)}`));
  options.stdin.once('end', stop);
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (options.signal?.aborted) return;
    await server.connect(new StdioServerTransport(options.stdin, options.stdout));
    await closed;
  } finally {
    options.stdin.off('end', stop);
    options.signal?.removeEventListener('abort', stop);
  }
}
