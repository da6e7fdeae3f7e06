import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import type { Asset } from '../../../domain/fleet-facts.js';
import { findInstance } from '../../../domain/instance-lookup.js';
import { ValidationError } from '../../../domain/errors.js';
import { acceptanceInstanceLabel, newAcceptance } from '../../../domain/patch/acceptance.js';
import { findingKeys, nearMatches } from '../../../domain/risk/advisory-ids.js';
import { toIso } from '../../../domain/time.js';
import type { AcceptanceReport, AcceptRiskRequest } from '../../inbound/acceptances/acceptances.port.js';
import type { PatchDependencies } from '../patching/patch-dependencies.js';
import { hereForQuery } from '../assessment/source-here.js';
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
      // The same lookup as every question about one instance: an id two accounts hold is ambiguous
      // (AmbiguousError naming ACCOUNT/REGION/ID for each), that form picks one.
      const assets = request.instance ? await this.d.core.assets.listAssets() : [];
      const asset = request.instance ? findInstance(assets, request.instance, await hereForQuery(this.d.core.source, assets, request.instance)) : null;
      const instanceId = asset?.instanceId ?? null;
      const where = asset === null ? null : await this.whereIs(asset);
      const now = this.d.clock.now();
      const record = newAcceptance({
        id: `acc-${hex(this.d.newId(), 10)}`,
        vulnerabilityId: request.vulnerabilityId,
        instanceId,
        ...(where ?? {}),
        until: request.until,
        reason: request.reason,
        actor,
        now,
        policy: this.d.core.policy,
      });
      if (request.force !== true) await this.mustMatchTheFleet(record.vulnerabilityId, asset, request.instance ?? null);
      const stored = await this.d.store.createAcceptance(record);
      return {
        value: toAcceptanceReport(stored, now),
        target: stored.id,
        detail: `${stored.vulnerabilityId} ${instanceId ? `on ${acceptanceInstanceLabel(stored)}` : scope} until ${toIso(stored.until)}: ${stored.reason}${request.force === true ? ' (forced)' : ''}`,
      };
    });
  }

  /**
   * The instance's account and region: its own on an organization read, else the source's when it
   * knows both (a live account, a snapshot with its snapshot.json); null where neither is known
   * (the acceptance then applies by instance id, as acceptances stored before did).
   */
  private async whereIs(asset: Asset): Promise<{ accountId: string; region: string } | null> {
    if (asset.accountId) return asset.region ? { accountId: asset.accountId, region: asset.region } : null;
    const here = await this.d.core.source.scope?.().catch(() => null);
    return here?.accountId && here.region ? { accountId: here.accountId, region: here.region } : null;
  }

  /**
   * An acceptance names an id some finding is known by now (its vulnerabilityId or a related id),
   * on the instance or anywhere in the fleet; else it would silently match nothing.
   * @throws ValidationError naming vulnerabilityId, with the nearest known ids.
   */
  private async mustMatchTheFleet(key: string, asset: Asset | null, typed: string | null): Promise<void> {
    const known = new Set<string>();
    const instanceId = asset?.instanceId ?? null;
    for await (const f of this.d.core.findings.listActiveFindings(instanceId ? { instanceIds: [instanceId] } : {})) {
      // On an organization read another account's instance may hold the same id: its findings are not this one's.
      if (asset?.accountId !== undefined && f.accountId !== undefined && (f.accountId !== asset.accountId || f.region !== asset.region)) continue;
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
