/**
 * A fleet report's assets as the HTTP service holds them (see offloaded-assistant.ts): each
 * asset's own fields as they are, its findings and accepted findings as one deflated JSON text,
 * and the digest that counting and summaries need (ports/inbound/assessment/asset-digest.ts).
 *
 * Why: a FindingReport costs about 1.6 KB on the heap (its reasons are text built per finding),
 * so a cached report of a million findings would take some 1.6 GB, and while the worker sends a
 * fresh one the cached one, the worker's and the copy being received coexist. Packed, a finding
 * costs about 120 bytes; the findings of an asset are unpacked when something reads them (a page
 * with `include=findings`, an instance page) and kept while in use (a WeakRef), so repeated
 * reads within one answer unpack once.
 *
 * The unpacked asset is the same JSON: the same keys in the same order (findings and accepted
 * are enumerable getters at their place), the same values (JSON text read back).
 *
 * Writing an asset with its findings (`/v1/assets?include=findings`, up to 1,000 assets a page)
 * does not unpack it: the asset carries a writer (ports/inbound/assessment/asset-json.ts) that
 * inflates the body with zlib's asynchronous API (on libuv's thread pool, not the event loop)
 * and splices the two lists' stored JSON text between its fields, so the event loop neither
 * parses nor serializes a finding, and the bytes are those of `JSON.stringify` of the unpacked asset.
 */
import { promisify } from 'node:util';
import { deflateRawSync, inflateRaw, inflateRawSync } from 'node:zlib';
import { ASSET_DIGEST, computeDigest, type AssetDigest } from '../ports/inbound/assessment/asset-digest.js';
import { ASSET_JSON } from '../ports/inbound/assessment/asset-json.js';
import type { AssetReport, FindingReport } from '../ports/inbound/assessment/fleet-report.port.js';

const inflateRawAsync = promisify(inflateRaw);

/** An asset report packed (plain data: crosses to another thread by structured clone). */
export interface PackedAsset {
  /** Every field in order; findings and accepted are null here and live in body. */
  readonly fields: Record<string, unknown>;
  /**
   * deflate-raw of JSON.stringify(findings) followed by JSON.stringify(accepted), in a buffer of
   * its own size.
   */
  readonly body: Uint8Array;
  /** Where the accepted list's text starts in the inflated body (its bytes before are the findings'). */
  readonly split: number;
  readonly digest: AssetDigest;
}

export function packAsset(a: AssetReport): PackedAsset {
  const fields: Record<string, unknown> = {};
  for (const k of Object.keys(a)) fields[k] = k === 'findings' || k === 'accepted' ? null : (a as unknown as Record<string, unknown>)[k];
  const findings = Buffer.from(JSON.stringify(a.findings));
  // Level 1: an asset's findings repeat their reasons' templates, so even the fastest level
  // packs them about ninefold; the time is the worker's.
  const deflated = deflateRawSync(Buffer.concat([findings, Buffer.from(JSON.stringify(a.accepted))]), { level: 1 });
  // A copy of its own size: zlib's result may sit in a larger buffer, which a structured clone would copy whole.
  return { fields, body: new Uint8Array(deflated), split: findings.length, digest: computeDigest(a.findings, a.accepted) };
}

type Lists = [FindingReport[], FindingReport[]];

/** Where an unpacked asset keeps its packed form, so it can cross to the worker again packed. */
const PACKED = Symbol('sre-ops-assistant.packedAsset');

/** The packed form an asset came from, if it came from one. */
export function packedFormOf(a: AssetReport): PackedAsset | undefined {
  return (a as AssetReport & { readonly [PACKED]?: PackedAsset })[PACKED];
}

/**
 * JSON.stringify of the unpacked asset, from the packed form: the fields serialized here (a few
 * hundred bytes), the lists' text as stored, inflated off the event loop.
 */
export async function packedAssetJson(p: PackedAsset): Promise<Buffer> {
  const lists = await inflateRawAsync(p.body);
  const pieces: Buffer[] = [];
  let first = true;
  for (const k of Object.keys(p.fields)) {
    const v = k === 'findings' ? lists.subarray(0, p.split) : k === 'accepted' ? lists.subarray(p.split) : JSON.stringify(p.fields[k]);
    // As JSON.stringify does: a member whose value has no JSON (undefined, a function) is left out.
    if (v === undefined) continue;
    pieces.push(Buffer.from(`${first ? '{' : ','}${JSON.stringify(k)}:`), typeof v === 'string' ? Buffer.from(v) : v);
    first = false;
  }
  pieces.push(Buffer.from(first ? '{}' : '}'));
  return Buffer.concat(pieces);
}

/** The asset report back: equal JSON, findings unpacked on first read (see the module note). */
export function unpackAsset(p: PackedAsset): AssetReport {
  const out: Record<string, unknown> = {};
  let held: WeakRef<Lists> | undefined;
  const lists = (): Lists => {
    let v = held?.deref();
    if (v === undefined) {
      const text = inflateRawSync(p.body);
      v = [JSON.parse(text.subarray(0, p.split).toString('utf8')) as FindingReport[], JSON.parse(text.subarray(p.split).toString('utf8')) as FindingReport[]];
      held = new WeakRef(v);
    }
    return v;
  };
  for (const k of Object.keys(p.fields)) {
    if (k === 'findings') Object.defineProperty(out, k, { enumerable: true, get: () => lists()[0] });
    else if (k === 'accepted') Object.defineProperty(out, k, { enumerable: true, get: () => lists()[1] });
    else out[k] = p.fields[k];
  }
  Object.defineProperty(out, ASSET_DIGEST, { value: p.digest });
  Object.defineProperty(out, ASSET_JSON, { value: () => packedAssetJson(p) });
  Object.defineProperty(out, PACKED, { value: p });
  return out as unknown as AssetReport;
}
