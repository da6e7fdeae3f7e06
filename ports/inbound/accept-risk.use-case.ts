import type { Actor } from '../../domain/access/actor.js';
import { authorize } from '../../domain/access/authorize.js';
import { findInstance } from '../../domain/instance-lookup.js';
import { newAcceptance } from '../../domain/patch/acceptance.js';
import { toIso } from '../../domain/time.js';
import type { AcceptanceReport, AcceptRiskRequest } from './patch-operations.js';
import type { PatchDependencies } from './patch-dependencies.js';
import { audited, hex, toAcceptanceReport } from './patch-support.js';

/**
 * Accepts a risk until a date: one vulnerability on one instance (id or Name tag) or on the whole
 * fleet. From then until `until`, reports list the findings as accepted and score them 0.
 */
export class AcceptRisk {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, ValidationError (id, until, reason), NotFoundError / AmbiguousError (instance). */
  async execute(actor: Actor, request: AcceptRiskRequest): Promise<AcceptanceReport> {
    const scope = request.instance ? `on ${request.instance}` : 'fleet-wide';
    return audited(this.d, actor, 'risk.accept', String(request.vulnerabilityId ?? ''), async () => {
      authorize(actor, 'accept-risk');
      const instanceId = request.instance ? findInstance(await this.d.core.assets.listAssets(), request.instance).instanceId : null;
      const now = this.d.clock.now();
      const record = newAcceptance({
        id: `acc-${hex(this.d.newId(), 10)}`,
        vulnerabilityId: request.vulnerabilityId,
        instanceId,
        until: request.until,
        reason: request.reason,
        actor,
        now,
        policy: this.d.core.policy,
      });
      const stored = await this.d.store.createAcceptance(record);
      return {
        value: toAcceptanceReport(stored, now),
        target: stored.id,
        detail: `${stored.vulnerabilityId} ${instanceId ? `on ${instanceId}` : scope} until ${toIso(stored.until)}: ${stored.reason}`,
      };
    });
  }
}
