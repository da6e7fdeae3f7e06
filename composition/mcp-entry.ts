/**
 * `sre-ops-assistant/mcp`: the MCP server for embedding (see mcp-library.ts). It needs the
 * optional packages @modelcontextprotocol/sdk and zod, checked here before loading, so a missing
 * set is named in one error.
 */
import { MCP_PACKAGES, requirePackages } from './optional-packages.js';

requirePackages('sre-ops-assistant/mcp', MCP_PACKAGES);
const mcp = await import('./mcp-library.js');

export type * from './mcp-library.js';
export const { createMcpServer, handleMcpHttp, mcpService, stdioActor } = mcp;
