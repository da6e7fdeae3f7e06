/**
 * An asset report's JSON text, for a surface that writes many assets with their findings (the
 * HTTP `/v1/assets?include=findings` page). When the asset's findings are held compressed (the
 * HTTP service keeps its fleet report that way, see docs/architecture.md#the-services-worker-thread),
 * the asset carries a writer that inflates them off the event loop and splices their stored JSON
 * text in, so the event loop neither inflates, parses nor serializes a finding. Either way the
 * text is exactly `JSON.stringify(asset)`.
 */
import type { AssetReport } from './fleet-report.port.js';

/** Where an asset report carries its own writer (non-enumerable: not part of its JSON). */
export const ASSET_JSON = Symbol.for('sre-ops-assistant.assetJson');

/** The asset's JSON: from the writer it carries (bytes, later), else `JSON.stringify` now. */
export function assetJson(a: AssetReport): string | Promise<Uint8Array> {
  const writer = (a as AssetReport & { readonly [ASSET_JSON]?: () => Promise<Uint8Array> })[ASSET_JSON];
  return writer ? writer() : JSON.stringify(a);
}
