import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import { isAcceptanceExpired } from '../../../domain/patch/acceptance.js';
import type { AcceptanceReport } from '../../inbound/acceptances/acceptances.port.js';
import type { PatchDependencies } from '../patching/patch-dependencies.js';
import { toAcceptanceReport } from '../shared/operation-reports.mapper.js';

/** Risk acceptances, newest first; those in force only, unless expired ones are asked for. */
export class ListAcceptances {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError */
  async execute(actor: Actor, filter: { includeExpired?: boolean } = {}): Promise<readonly AcceptanceReport[]> {
    authorize(actor, 'view');
    const now = this.d.clock.now();
    const all = await this.d.store.listAcceptances();
    return all.filter((a) => filter.includeExpired === true || !isAcceptanceExpired(a, now)).map((a) => toAcceptanceReport(a, now));
  }
}
