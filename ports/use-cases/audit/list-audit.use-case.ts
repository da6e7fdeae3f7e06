import type { Actor } from '../../../domain/access/actor.js';
import { authorize } from '../../../domain/access/authorize.js';
import { verifyAuditChain } from '../../../domain/access/audit-chain.js';
import { parseInstant } from '../../../domain/time.js';
import type { AuditEntryReport, AuditVerificationReport } from '../../inbound/audit/audit.port.js';
import type { PatchDependencies } from '../patching/patch-dependencies.js';
import { checkLimit } from '../shared/request-checks.js';
import { toAuditReport } from '../shared/operation-reports.mapper.js';

/** The audit log, newest first, optionally since an instant or about one target. */
export class ListAudit {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError, ValidationError (limit, since). */
  async execute(actor: Actor, filter: { limit?: number; since?: string; target?: string } = {}): Promise<readonly AuditEntryReport[]> {
    authorize(actor, 'view');
    const limit = checkLimit(filter.limit, 100, 10_000);
    // A date alone means from the start of that day (UTC).
    const since = filter.since === undefined ? undefined : parseInstant(filter.since, 'since');
    const entries = await this.d.store.listAudit({ limit, ...(since !== undefined ? { since } : {}), ...(filter.target ? { target: filter.target } : {}) });
    return entries.map(toAuditReport);
  }
}

/** Walks the audit log's hash chain from the first entry and names the first that breaks it. */
export class VerifyAudit {
  constructor(private readonly d: PatchDependencies) {}

  /** @throws ForbiddenError. */
  async execute(actor: Actor): Promise<AuditVerificationReport> {
    authorize(actor, 'view');
    const { records, head } = await this.d.store.readAuditChain();
    const v = verifyAuditChain(records, head);
    return { ok: v.ok, entries: v.entries, head: v.head, firstBreak: v.firstBreak };
  }
}
