/**
 * accept_risk and revoke_acceptance: the same use cases as the CLI's `accept` / `revoke` and
 * `POST /v1/acceptances`, so the same rules (an id no finding is known by is refused with the
 * nearest ids unless `force`; `until` in the future and within the policy's maximum) and the same
 * audit entries (risk.accept, risk.revoke, under the actor, via "mcp"). Accepting a risk hides
 * findings from every report, a decision of the same weight as approving a run, so these tools
 * are offered only when the server is told to (mcp-server.ts) and the actor may accept risks.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Actor } from '../../../domain/access/actor.js';
import { acceptanceInstanceLabel } from '../../../domain/patch/acceptance.js';
import type { AcceptanceReport } from '../../../ports/inbound/acceptances/acceptances.port.js';
import type { PatchOperations } from '../../../ports/inbound/patch-operations.port.js';
import { AcceptanceOutput, AcceptRiskInput, RevokeAcceptanceInput, type AcceptanceOut } from './schemas.js';
import { addTool } from './tool-result.js';

/** The report as the tools answer it: never revoked is null, not absent. */
function acceptanceOut(a: AcceptanceReport, next: string): AcceptanceOut {
  return { acceptance: { ...a, revokedBy: a.revokedBy ?? null, revokedAt: a.revokedAt ?? null }, next };
}

const scopeOf = (a: AcceptanceReport): string => (a.instanceId ? `on ${acceptanceInstanceLabel(a) ?? a.instanceId}` : 'on the whole fleet');

export function registerAcceptanceTools(
  server: McpServer,
  patch: Pick<PatchOperations, 'acceptRisk' | 'revokeAcceptance'>,
  actor: Actor,
  log: (line: string) => void,
): void {
  addTool(server, {
    name: 'accept_risk',
    title: 'Accept a risk until a date',
    description:
      'Accepts one vulnerability (any advisory id a finding is known by) on one instance, or on the whole fleet when instance is left out, until a date. ' +
      'Until then every report lists those findings as accepted and scores them 0, so accept only what the person you act for has decided to accept, with their reason. ' +
      'An id no current finding is known by is refused with the nearest ids; force: true accepts it anyway. Recorded in the audit log under your actor.',
    input: AcceptRiskInput,
    output: AcceptanceOutput,
    readOnly: false,
    async run(args) {
      const a = await patch.acceptRisk(actor, {
        vulnerabilityId: args.vulnerabilityId,
        instance: args.instance ?? null,
        until: args.until,
        reason: args.reason,
        force: args.force,
      });
      const next = `every report from now until ${a.until} lists ${a.vulnerabilityId} ${scopeOf(a)} as accepted (score 0); revoke_acceptance with ${a.id} ends it sooner`;
      return { value: acceptanceOut(a, next), summary: `Acceptance ${a.id}: ${a.vulnerabilityId} ${scopeOf(a)} until ${a.until}. ${next}.` };
    },
  }, log);

  addTool(server, {
    name: 'revoke_acceptance',
    title: 'Revoke a risk acceptance',
    description: 'Ends a risk acceptance now: its findings count again from the next report. Recorded in the audit log under your actor.',
    input: RevokeAcceptanceInput,
    output: AcceptanceOutput,
    readOnly: false,
    async run(args) {
      const a = await patch.revokeAcceptance(actor, args.acceptance);
      const next = `${a.vulnerabilityId} ${scopeOf(a)} counts again from the next report`;
      return { value: acceptanceOut(a, next), summary: `Acceptance ${a.id} revoked by ${a.revokedBy ?? actor.id}: ${next}.` };
    },
  }, log);
}
