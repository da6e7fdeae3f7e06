/** `mcp`: the Model Context Protocol server on stdio, provided by the composition root. */
import type { CommandModule } from '../command-context.js';

export const mcpCommand: CommandModule = (y, { runService }) =>
  y.command(
    'mcp',
    'serve the assistant to AI agents over the Model Context Protocol on stdin/stdout (logs on stderr)',
    (c) =>
      c
        .option('read-only', { type: 'boolean', default: false, describe: 'offer only the read tools (no request_patch_run)' })
        .option('allow-accept-risk', {
          type: 'boolean', default: false,
          describe: 'also offer accept_risk and revoke_acceptance, when the policy lets the actor accept risks (not with --read-only)',
        })
        .example('$0 mcp --source snapshot:./capture', 'what an MCP client configuration launches'),
    runService('mcp'),
  );
