/**
 * The Model Context Protocol server (the official SDK): the assistant's use cases as tools for AI
 * agents, and the policy and decision tables as resources. Transport-free: mcp-stdio.ts and
 * mcp-http.ts connect it. An agent may read everything and request a patch run; approving and
 * executing are not tools, so no agent can do either. Accepting and revoking risks are tools only
 * where the server is told to offer them (`acceptance`), and only to an actor who may.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Actor } from '../../../domain/access/actor.js';
import { can } from '../../../domain/access/authorize.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { registerAcceptanceTools } from './acceptance-tools.js';
import { registerAutopilotTools, registerPatchTools } from './patch-tools.js';
import { registerReadTools } from './read-tools.js';
import { registerHistoryTools } from './history-tools.js';
import { registerResources } from './resources.js';

export interface McpServerOptions {
  readonly assistant: Assistant;
  /** Who the agent acts for; request_patch_run records this actor as the requester. */
  readonly actor: Actor;
  /** Internal errors (with stacks) go here; over stdio it must be stderr, never stdout. */
  readonly log?: (line: string) => void;
  /** Reported to clients in the initialize handshake. */
  readonly version?: string;
  /**
   * Offer accept_risk and revoke_acceptance (to an actor whose roles grant accepting risks).
   * Default false: an acceptance hides findings from every report, so whoever serves the agent
   * chooses this (stdio: `--allow-accept-risk`; the HTTP API: a key with the approve scope).
   */
  readonly acceptance?: boolean;
}

const INSTRUCTIONS =
  'sre-ops-assistant ranks EC2 instances by vulnerability risk (CISA SSVC, BOD 26-04, EPSS, KEV) and plans patching. ' +
  'Start with assess_fleet, then assess_instance, list_findings or explain_finding for detail; lists are paged (limit, offset) and a note says what was cut. ' +
  'Cite the resources sre-ops://tables/ssvc and sre-ops://tables/bod-26-04 for decisions, sre-ops://policy for the policy. ' +
  'request_patch_run (when offered) only creates a request: a person approves and starts every run. ' +
  'accept_risk (when offered) hides a finding from every report until a date: use it only for a decision the person you act for has made.';

/** The tools every actor gets. */
export const READ_TOOLS = [
  'assess_fleet', 'assess_instance', 'list_findings', 'plan_patches', 'patch_compliance', 'instance_metrics', 'instance_activity', 'explain_finding',
  'what_changed', 'autopilot_status',
] as const;

/**
 * Whether request_patch_run is offered: only to an actor whose roles grant requesting. The use
 * case still authorizes every call itself; this only keeps a read-only agent from being shown a
 * tool it cannot use.
 */
export function offersPatchRuns(actor: Actor): boolean {
  return can(actor, 'request');
}

/** Whether accept_risk and revoke_acceptance are offered: when asked for, and the actor may accept risks. */
export function offersAcceptance(actor: Actor, asked: boolean): boolean {
  return asked && can(actor, 'accept-risk');
}

export function createMcpServer(options: McpServerOptions): McpServer {
  const { assistant, actor } = options;
  const log = options.log ?? (() => {});
  const server = new McpServer(
    { name: 'sre-ops-assistant', title: 'SRE Ops Assistant', version: options.version ?? '0.0.0' },
    { instructions: INSTRUCTIONS, capabilities: { tools: {}, resources: {} } },
  );
  registerResources(server, assistant.policy);
  registerReadTools(server, assistant, log);
  registerHistoryTools(server, assistant, log);
  registerAutopilotTools(server, assistant, actor, log);
  if (offersPatchRuns(actor)) registerPatchTools(server, assistant, actor, log);
  if (offersAcceptance(actor, options.acceptance === true)) registerAcceptanceTools(server, assistant, actor, log);
  return server;
}
