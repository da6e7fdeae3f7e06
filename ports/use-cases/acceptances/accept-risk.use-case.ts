import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import { findInstance } from '../../../domain/instance-lookup.js';
import { ValidationError } from '../../../domain/errors.js';
import { newAcceptance } from '../../../domain/patch/acceptance.js';
import { findingKeys, nearMatches } from '../../../domain/risk/advisory-ids.js';
import { toIso } from '../../../domain/time.js';
import type { AcceptanceReport, AcceptRiskRequest } from '../../inbound/acceptances/acceptances.port.js';
import type { PatchDependencies } from '../patching/patch-dependencies.js';
import { audited } from '../shared/audited.js';
import { hex } from '../shared/request-checks.js';
import { toAcceptanceReport } from '../shared/operation-reports.mapper.js';

/**
 * Accepts a risk until a date: one vulnerability on one instance (id or Name tag) or on the whole
 * fleet. From then until `until`, reports list the findings as accepted and score them 0.
 */
export class AcceptRisk {
  constructor(private readonly d: PatchDependencies) {}

  /**
   * @throws ForbiddenError, ValidationError (id, until, reason; an id no finding is known by,
   * unless `force`), NotFoundError / AmbiguousError (instance).
   */
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
      if (request.force !== true) await this.mustMatchTheFleet(record.vulnerabilityId, instanceId, request.instance ?? null);
      const stored = await this.d.store.createAcceptance(record);
      return {
        value: toAcceptanceReport(stored, now),
        target: stored.id,
        detail: `${stored.vulnerabilityId} ${instanceId ? `on ${instanceId}` : scope} until ${toIso(stored.until)}: ${stored.reason}${request.force === true ? ' (forced)' : ''}`,
      };
    });
  }

  /**
   * An acceptance names an id some finding is known by now (its vulnerabilityId or a related id),
   * on the instance or anywhere in the fleet; else it would silently match nothing.
   * @throws ValidationError naming vulnerabilityId, with the nearest known ids.
   */
  private async mustMatchTheFleet(key: string, instanceId: string | null, typed: string | null): Promise<void> {
    const known = new Set<string>();
    for await (const f of this.d.core.findings.listActiveFindings(instanceId ? { instanceIds: [instanceId] } : {})) {
      for (const k of findingKeys(f)) known.add(k);
      if (known.has(key)) return;
    }
    const where = instanceId ? `on ${typed ?? instanceId}` : 'in the fleet';
    const near = nearMatches(key, known);
    const hint = near.length > 0 ? `; near: ${near.join(', ')}` : '';
    throw new ValidationError('vulnerabilityId', `an advisory id of a finding ${where}`,
      `vulnerabilityId: ${key} matches no finding ${where}${hint}; to accept it anyway, force it (--force, or "force": true)`);
  }
}
