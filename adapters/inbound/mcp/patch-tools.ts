/**
 * The one tool that changes anything: request_patch_run. It only creates a request; approving and
 * executing are not offered to agents at all, so no prompt can talk an agent into either.
 * And autopilot_status, a read tool: what the autopilot will do and did.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Actor } from '../../../domain/access/actor.js';
import { ValidationError } from '../../../domain/errors.js';
import type { PatchOperations } from '../../../ports/inbound/patch-operations.port.js';
import { AutopilotStatusInput, AutopilotStatusOutput, RequestPatchRunInput, RequestPatchRunOutput } from './schemas.js';
import { patchRunOut } from './shapes.js';
import { addTool } from './tool-result.js';

export function registerPatchTools(
  server: McpServer,
  patch: Pick<PatchOperations, 'requestPatchRun'>,
  actor: Actor,
  log: (line: string) => void,
): void {
  addTool(server, {
    name: 'request_patch_run',
    title: 'Request a patch run',
    description:
      'Creates a patch run request (AWS-RunPatchBaseline through Systems Manager) for named instances or for what the plan patches now. ' +
      'It only creates the request, in status "requested": nothing is sent to any instance until a person approves and starts it. ' +
      'Give a reason; it is shown to the approver.',
    input: RequestPatchRunInput,
    output: RequestPatchRunOutput,
    readOnly: false,
    async run(args) {
      if (!args.instances?.length && args.fromPlan !== true) {
        throw new ValidationError('instances', 'instance ids or Name tags, or fromPlan: true', 'instances: name at least one instance, or set fromPlan to true');
      }
      if (args.instances?.length && args.fromPlan === true) {
        throw new ValidationError('fromPlan', 'either instances or fromPlan', 'fromPlan: give either instances or fromPlan, not both');
      }
      const run = await patch.requestPatchRun(actor, {
        ...(args.instances ? { instances: args.instances } : {}),
        ...(args.fromPlan ? { fromPlan: true } : {}),
        dryRun: args.dryRun,
        reboot: args.reboot,
        reason: args.reason,
        ...(args.idempotencyKey ? { idempotencyKey: args.idempotencyKey } : {}),
      });
      const value = patchRunOut(run);
      return { value, summary: `${run.operation === 'Scan' ? 'Scan' : 'Patch'} run ${run.id} for ${value.run.instanceCount} instance${value.run.instanceCount === 1 ? '' : 's'}: ${value.next}` };
    },
  }, log);
}

/** autopilot_status, for every actor with the read role: the JSON of `sre-ops autopilot status --json`. */
export function registerAutopilotTools(
  server: McpServer,
  patch: Pick<PatchOperations, 'autopilotStatus'>,
  actor: Actor,
  log: (line: string) => void,
): void {
  addTool(server, {
    name: 'autopilot_status',
    title: 'Autopilot status',
    description:
      'What the autopilot (policy autopilot) will do and did: the plan windows it will turn into patch runs (the id each will have, when it is made, ' +
      'whether the policy\'s standing approval approves it or a person must, and by when), and the runs it made, missed windows with why. Changes nothing.',
    input: AutopilotStatusInput,
    output: AutopilotStatusOutput,
    readOnly: true,
    async run() {
      if (!patch.autopilotStatus) throw new ValidationError('autopilot_status', 'a state store', 'autopilot_status: this assistant has no patch operations');
      const st = await patch.autopilotStatus(actor);
      const summary = st.enabled
        ? `Autopilot on: ${st.due.length} window(s) due, ${st.runs.length} run(s) made (${st.runs.filter((r) => r.haltReason?.startsWith('missed')).length} missed)`
        : `Autopilot off (policy autopilot.enabled is false); ${st.runs.length} run(s) made before`;
      return { value: { ...st, due: [...st.due].map((d) => ({ ...d, instances: [...d.instances] })), runs: [...st.runs] }, summary };
    },
  }, log);
}
