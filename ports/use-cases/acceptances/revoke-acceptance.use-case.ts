import type { Actor } from '../../../domain/access/actor.js';
import { NotFoundError } from '../../../domain/errors.js';
import { revokeAcceptance } from '../../../domain/patch/acceptance.js';
import type { AcceptanceReport } from '../../inbound/acceptances/acceptances.port.js';
import type { PatchDependencies } from '../patching/patch-dependencies.js';
import { audited } from '../shared/audited.js';
import { isStale } from '../patching/run-records.js';
import { toAcceptanceReport } from '../shared/operation-reports.mapper.js';

/** Ends an acceptance now: its findings count again from the next report. */
export class RevokeAcceptance {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, NotFoundError, ConflictError (already revoked or expired). */
  async execute(actor: Actor, id: string): Promise<AcceptanceReport> {
    return audited(this.d, actor, 'risk.revoke', id, async () => {
      for (let attempt = 0; ; attempt++) {
        const found = await this.d.store.getAcceptance(id);
        if (!found) throw new NotFoundError('risk acceptance', id);
        const now = this.d.clock.now();
        try {
          const stored = await this.d.store.updateAcceptance(revokeAcceptance(found, actor, now));
          return { value: toAcceptanceReport(stored, now), detail: `${stored.vulnerabilityId} ${stored.instanceId ?? 'fleet-wide'}` };
        } catch (err) {
          if (!isStale(err) || attempt >= 3) throw err;
        }
      }
    });
  }
}
