/**
 * The worker thread of the HTTP service (see offloaded-assistant.ts): it builds its own Assistant
 * from the same options as the main thread and answers the read calls the main thread sends it,
 * so that a fleet assessment (parsing every finding, scoring, ranking) never runs on the thread
 * that answers /health.
 *
 * Protocol: the main thread posts `{ id, method, args }`; the worker answers `{ id, ok: true,
 * value }` or `{ id, ok: false, error }`, the error as plain data (see toWireError), since a
 * structured clone keeps only an Error's message and name.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isDomainError } from '../domain/errors.js';
import type { AssetReport, FleetReportStream, FleetSummary } from '../ports/inbound/assessment/fleet-report.port.js';
import { packAsset, unpackAsset, type PackedAsset } from './packed-report.js';
import type { AssistantOptions } from './config.js';

export interface WorkerRequest {
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
  /** args[0] is a fleet report whose assets are PackedAssets (a report recorded in the history): unpacked here. */
  readonly packedReport?: true;
}

/** An error as data: its name, message, stack and own fields (code, field, suggestions ...). */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly domain: boolean;
  readonly fields: Record<string, unknown>;
}

/**
 * A large answer (a fleet report's assets, a findings report's findings) crosses in parts of
 * about PART_SIZE findings (an asset weighs its findings): the
 * answer with that list empty and `chunked`, then one part per acknowledgement from the main
 * thread. Copying a part in costs the main thread a few milliseconds, and it acknowledges on a
 * later turn of its event loop, so requests are served between parts instead of waiting for the
 * whole report to be copied at once.
 */
export const PART_SIZE = 1000;

/** What an item weighs towards PART_SIZE: an asset its findings (and one), anything else one. */
function weight(item: unknown): number {
  const r = item as { findings?: unknown[]; accepted?: unknown[] } | null;
  return 1 + (Array.isArray(r?.findings) ? r.findings.length : 0) + (Array.isArray(r?.accepted) ? r.accepted.length : 0);
}

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown; readonly chunked?: { readonly key: string; readonly total: number; readonly packed?: true } }
  /** A part of a list; for a packed fleet report (see packed-report.ts) the items are PackedAssets and the last part carries the summary. */
  | { readonly id: number; readonly part: readonly unknown[]; readonly done: boolean; readonly summary?: FleetSummary }
  | { readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly id: -1; readonly ok: false; readonly error: WireError };

export interface WorkerData {
  readonly options: AssistantOptions;
  /**
   * The module whose `createAssistant(options)` builds the worker's Assistant; default the
   * package's own (composition/index). Tests name one with a deliberately slow source.
   */
  readonly factory?: string;
  /** Items per part of a large answer (default PART_SIZE; tests use a small one). */
  readonly partSize?: number;
  /** Passed to the factory's createAssistant as its second argument (cloned; a SharedArrayBuffer is shared). */
  readonly factoryData?: unknown;
  /**
   * Whether a whole-fleet report is built asset by asset as it is sent and crosses packed (see
   * packed-report.ts); default true. false: built whole here and sent as plain objects (the
   * design before, kept to measure against: bench/worker-memory.bench.ts).
   */
  readonly packFleet?: boolean;
}

export function toWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), domain: false, fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    if (k === 'cause') continue;
    try {
      fields[k] = v === undefined ? v : JSON.parse(JSON.stringify(v));
    } catch {
      // a field that is not data (a client, a cycle) stays behind
    }
  }
  return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}), domain: isDomainError(err), fields };
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const data = workerData as WorkerData;
  let assistant: Record<string, unknown>;
  try {
    // A literal import for the default, so that a bundler (the Dockerfile's esbuild) inlines it.
    const factory = (data.factory ? await import(data.factory) : await import('./index.js')) as { createAssistant(o: AssistantOptions, extra?: unknown): Promise<unknown> };
    assistant = (await factory.createAssistant(data.options, data.factoryData)) as Record<string, unknown>;
  } catch (err) {
    port.postMessage({ id: -1, ok: false, error: toWireError(err) } satisfies WorkerResponse);
    return;
  }
  const partSize = data.partSize ?? PART_SIZE;
  /** Lists still to send, by call id: a list held whole, or a fleet report's assets still to build. */
  const outgoing = new Map<number, { readonly items: readonly unknown[]; next: number } | { readonly assets: Iterator<AssetReport>; readonly stream: FleetReportStream }>();
  const sendPart = (id: number): void => {
    const out = outgoing.get(id);
    if (!out) return;
    if ('stream' in out) {
      // Each asset's report is built here, packed, and dropped: the worker never holds the whole report.
      let answer: WorkerResponse;
      try {
        const part: unknown[] = [];
        let w = 0;
        let done = false;
        while (w < partSize) {
          const next = out.assets.next();
          if (next.done === true) {
            done = true;
            break;
          }
          w += weight(next.value);
          part.push(packAsset(next.value));
        }
        if (done) outgoing.delete(id);
        answer = done ? { id, part, done, summary: out.stream.summary() } : { id, part, done };
      } catch (err) {
        outgoing.delete(id);
        answer = { id, ok: false, error: toWireError(err) };
      }
      port.postMessage(answer);
      return;
    }
    let end = out.next;
    for (let w = 0; end < out.items.length && (end === out.next || w + weight(out.items[end]) <= partSize); end++) w += weight(out.items[end]);
    const part = out.items.slice(out.next, end);
    out.next = end;
    const done = out.next >= out.items.length;
    if (done) outgoing.delete(id);
    port.postMessage({ id, part, done } satisfies WorkerResponse);
  };
  const streamFleet = data.packFleet !== false && typeof assistant.streamFleet === 'function'
    ? (assistant.streamFleet as (r?: unknown) => Promise<FleetReportStream>).bind(assistant)
    : undefined;
  port.on('message', (msg: WorkerRequest | 'close' | { readonly ack: number }) => {
    if (typeof msg === 'object' && 'ack' in msg) {
      sendPart(msg.ack);
      return;
    }
    if (msg === 'close') {
      void (async () => {
        try {
          await (assistant.close as () => Promise<void>).call(assistant);
        } finally {
          port.close();
        }
      })();
      return;
    }
    void (async () => {
      let answer: WorkerResponse;
      try {
        if (msg.method === 'assessFleet' && streamFleet) {
          const stream = await streamFleet(msg.args[0]);
          outgoing.set(msg.id, { assets: stream.assets[Symbol.iterator](), stream });
          // The members of FleetReport in its order; assets and summary follow in parts.
          const value = { generatedAt: stream.generatedAt, asOf: stream.asOf, source: stream.source, assets: [], summary: null, warnings: stream.warnings, ...(stream.partial ? { partial: true } : {}) };
          port.postMessage({ id: msg.id, ok: true, value, chunked: { key: 'assets', total: stream.count, packed: true } } satisfies WorkerResponse);
          return;
        }
        const fn = assistant[msg.method];
        if (typeof fn !== 'function') throw new Error(`invariant: the Assistant has no method ${msg.method}`);
        const args = [...msg.args];
        if (msg.packedReport === true) {
          const report = args[0] as Record<string, unknown> & { readonly assets: readonly PackedAsset[] };
          args[0] = { ...report, assets: report.assets.map(unpackAsset) };
        }
        const value = await (fn as (...a: unknown[]) => Promise<unknown>).apply(assistant, args);
        const key = value !== null && typeof value === 'object' ? ['assets', 'findings'].find((k) => Array.isArray((value as Record<string, unknown>)[k])) : undefined;
        const items = key ? ((value as Record<string, unknown>)[key] as unknown[]) : [];
        if (key && items.reduce((w: number, i) => w + weight(i), 0) > partSize) {
          outgoing.set(msg.id, { items, next: 0 });
          answer = { id: msg.id, ok: true, value: { ...(value as Record<string, unknown>), [key]: [] }, chunked: { key, total: items.length } };
        } else {
          answer = { id: msg.id, ok: true, value };
        }
      } catch (err) {
        answer = { id: msg.id, ok: false, error: toWireError(err) };
      }
      port.postMessage(answer);
    })();
  });
  port.postMessage('ready');
}

await serve();
