import type { Actor } from '../../../domain/access/actor.js';
import { isSourceError } from '../../../domain/errors.js';
import { cancelRun, commandsInFlight } from '../../../domain/patch/run.js';
import type { PatchRunReport } from '../../inbound/patching/patch-runs.port.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audit, audited } from '../shared/audited.js';
import { mutateRun } from './run-records.js';
import { toRunReport } from '../shared/operation-reports.mapper.js';

/**
 * Cancels a run before or during execution. The record changes first (an executor notices on its
 * next write and stops); then commands still running at SSM are cancelled there, each audited.
 */
export class CancelPatchRun {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, NotFoundError, ConflictError (already finished). */
  async execute(actor: Actor, runId: string): Promise<PatchRunReport> {
    return audited(this.d, actor, 'patch-run.cancel', runId, async () => {
      let inFlight: string[] = [];
      const { after } = await mutateRun(this.d, runId, (run, now) => {
        inFlight = commandsInFlight(run);
        return cancelRun(run, actor, now);
      });
      const notes: string[] = [];
      for (const commandId of inFlight) {
        if (!this.d.runner) break;
        try {
          await this.d.runner.cancel(commandId);
          await audit(this.d, actor, 'ssm.cancel-command', runId, 'ok', commandId);
          notes.push(`command ${commandId} cancelled`);
        } catch (err) {
          // The run is cancelled either way; a command SSM would not stop is reported, not hidden.
          if (!isSourceError(err)) throw err;
          await audit(this.d, actor, 'ssm.cancel-command', runId, 'failed', `${commandId}: ${err.message}`);
          notes.push(`command ${commandId} could not be cancelled at SSM: ${err.message}`);
        }
      }
      return { value: toRunReport(after, this.d.clock.now()), detail: notes.join('; ') || null };
    });
  }
}
