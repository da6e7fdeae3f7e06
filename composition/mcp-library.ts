/**
 * `sre-ops-assistant/mcp`: the MCP server for embedding (needs the optional packages
 * @modelcontextprotocol/sdk and zod). `createMcpServer({ assistant, actor })` gives an McpServer
 * to connect to any transport; `handleMcpHttp` serves Streamable HTTP on a node request.
 */
export { createMcpServer } from '../adapters/inbound/mcp/mcp-server.js';
export { handleMcpHttp } from '../adapters/inbound/mcp/mcp-http.js';
export { mcpService, stdioActor } from './mcp.js';
