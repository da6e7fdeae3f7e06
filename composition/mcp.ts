/**
 * The `mcp` service of the CLI: builds the Assistant from the usual --source options and serves
 * MCP on stdin/stdout until the client disconnects. The MCP SDK is loaded only here, on demand,
 * so no other command pays for it.
 */
import type { Readable, Writable } from 'node:stream';
import type { CliServices, GlobalOptions } from '../adapters/inbound/cli/command-context.js';
import type { Actor } from '../domain/access/actor.js';
import { can } from '../domain/access/authorize.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import { MCP_PACKAGES, withOptionalPackages } from './optional-packages.js';

type Service = NonNullable<CliServices[string]>;

export interface McpServiceDeps {
  readonly createAssistant: (options: GlobalOptions, notice: (line: string) => void) => Promise<Assistant>;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly version: string;
}

/**
 * The actor the agent acts for: this process's actor (the OS user or --actor, roles from the
 * policy's access section), through MCP; with --read-only a viewer whatever the policy grants.
 */
export function stdioActor(processActor: Actor, readOnly: boolean): Actor {
  return { ...processActor, roles: readOnly ? ['viewer'] : processActor.roles, via: 'mcp' };
}

export function mcpService(deps: McpServiceDeps): Service {
  return async (options, args, notice) => {
    const assistant = await deps.createAssistant(options, notice);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const { serveMcpStdio } = await withOptionalPackages('sre-ops mcp', MCP_PACKAGES, () => import('../adapters/inbound/mcp/mcp-stdio.js'));
      const actor = stdioActor(assistant.actor, args.readOnly === true);
      notice(`sre-ops mcp: serving ${assistant.source} over stdio for ${actor.id} (${actor.roles.join(', ') || 'no role'}); logs on stderr`);
      if (args.allowAcceptRisk === true && !can(actor, 'accept-risk')) {
        notice(`sre-ops mcp: --allow-accept-risk: ${actor.id} (${actor.roles.join(', ') || 'no role'}) may not accept risks${args.readOnly === true ? ' with --read-only' : ''}, so accept_risk is not offered`);
      }
      await serveMcpStdio({ assistant, actor, acceptance: args.allowAcceptRisk === true, stdin: deps.stdin, stdout: deps.stdout, log: notice, version: deps.version, signal: stop.signal });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await assistant.close();
    }
  };
}

