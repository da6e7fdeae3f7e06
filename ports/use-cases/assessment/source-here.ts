/**
 * The source's own account and region, for risk acceptances that record their instance's account
 * and region (docs/decision-model.md "Risk acceptances"): an asset of a read of one account does
 * not carry them, so such an acceptance reaches it only through the source's own. Asked only when
 * it matters (some acceptance records an account and some asset carries none): on a live account
 * it is an STS call, made once per process.
 */
import type { Asset, RiskAcceptance } from '../../../domain/fleet-facts.js';
import { QUALIFIED_INSTANCE } from '../../../domain/instance-lookup.js';
import type { SourceHere } from '../../../domain/risk/acceptance-index.js';
import type { SourceInfo } from '../../outbound/source-info.port.js';

export async function sourceHere(source: SourceInfo, assets: readonly Asset[], acceptances: readonly RiskAcceptance[]): Promise<SourceHere | null> {
  if (!acceptances.some((a) => a.accountId) || assets.every((a) => a.accountId)) return null;
  // Unknown: acceptances that name an account then reach no asset of this read (the fleet reader warns).
  return askScope(source);
}

/**
 * The source's own account and region for findInstance, when `query` is ACCOUNT/REGION/ID and the
 * assets do not carry theirs (a read of one account); else null, without asking.
 */
export async function hereForQuery(source: SourceInfo, assets: readonly Asset[], query: string): Promise<SourceHere | null> {
  if (!QUALIFIED_INSTANCE.test(query.trim()) || assets.some((a) => a.accountId)) return null;
  return askScope(source);
}

/** The source's own account and region; null when it has no way to say or the asking failed. */
async function askScope(source: SourceInfo): Promise<SourceHere | null> {
  if (source.scope === undefined) return null;
  try {
    return await source.scope();
  } catch {
    return null;
  }
}
