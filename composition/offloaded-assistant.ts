/**
 * Assessments off the event loop. The HTTP service must answer /health (and every cached read)
 * while a fleet assessment runs, and an assessment of a large fleet is seconds of CPU: parsing
 * every finding, scoring, ranking. `offloadReads` wraps the main thread's Assistant so that its
 * read methods (the ones the cache keeps, CACHED_READS) run on a worker thread holding a second
 * Assistant built from the same options; everything else (patch runs, acceptances, the audit log,
 * the actor) stays on the main thread's Assistant. Both share the state store (a SQLite file or a
 * DynamoDB table), so an acceptance written here counts in the worker's next assessment.
 *
 * One worker, calls answered as they finish (the worker's own event loop interleaves them). A
 * worker that dies fails the calls in flight (502-free: they reject with its error) and the next
 * call starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import { CACHED_READS } from '../ports/use-cases/cached-assistant.js';
import type { WireError, WorkerData, WorkerRequest, WorkerResponse } from './assessment-worker.js';
import type { AssistantOptions } from './config.js';
import { packedFormOf, unpackAsset, type PackedAsset } from './packed-report.js';
import type { FleetReport } from '../ports/inbound/assessment/fleet-report.port.js';

export interface OffloadOptions {
  /** The options the worker builds its Assistant from (plain data: they are copied to the thread). */
  readonly options: AssistantOptions;
  /** See WorkerData.factory (tests). */
  readonly factory?: string;
  /** See WorkerData.factoryData (tests). */
  readonly factoryData?: unknown;
  /** See WorkerData.partSize (tests). */
  readonly partSize?: number;
  /** See WorkerData.packFleet (default true; false only to measure the design before). */
  readonly packFleet?: boolean;
}

/** The Assistant with its reads on a worker thread, and a handle to stop the worker. */
export type OffloadedAssistant<A extends Assistant> = A & { readonly offloaded: true };

const DOMAIN_ERROR = Symbol.for('sre-ops-assistant.DomainError');

/** The error the worker saw, rebuilt with its fields (kind, code, field, suggestions ...) and its brand. */
export function fromWireError(w: WireError): Error {
  const err = new Error(w.message);
  Object.assign(err, w.fields);
  err.name = w.name;
  if (w.stack) err.stack = w.stack;
  if (w.domain) Object.defineProperty(err, DOMAIN_ERROR, { value: true });
  return err;
}

/**
 * Where the worker's entry is: beside this module, with its extension: .ts from source (tsx),
 * .js built by tsc, .mjs in the container's bundle (the Dockerfile bundles both entries).
 */
function workerUrl(): URL {
  const ext = /\.(ts|mjs|js)$/.exec(new URL(import.meta.url).pathname)?.[1] ?? 'js';
  return new URL(`./assessment-worker.${ext}`, import.meta.url);
}

class AssessmentWorker {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; partial?: { value: Record<string, unknown>; list: unknown[]; packed: boolean } }>();
  private nextId = 1;

  constructor(private readonly data: WorkerData) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(workerUrl(), { workerData: this.data });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: WorkerResponse | 'ready') => {
        if (msg === 'ready') return resolve();
        if (msg.id === -1) return reject('error' in msg ? fromWireError(msg.error) : new Error('invariant: the worker failed to start'));
        const waiter = this.pending.get(msg.id);
        if (!waiter) return;
        // Asks for the next part on a later turn of the loop (see PART_SIZE).
        const ack = (): void => void setImmediate(() => this.worker === worker && worker.postMessage({ ack: msg.id }));
        if ('part' in msg) {
          if (!waiter.partial) return;
          const { list, packed, value } = waiter.partial;
          for (const item of msg.part) list.push(packed ? unpackAsset(item as PackedAsset) : item);
          if (!msg.done) return ack();
          if (msg.summary !== undefined) value.summary = msg.summary;
          this.pending.delete(msg.id);
          return waiter.resolve(waiter.partial.value);
        }
        if (msg.ok && msg.chunked) {
          const value = msg.value as Record<string, unknown>;
          waiter.partial = { value, list: value[msg.chunked.key] as unknown[], packed: msg.chunked.packed === true };
          return ack();
        }
        this.pending.delete(msg.id);
        if ('error' in msg) waiter.reject(fromWireError(msg.error));
        else waiter.resolve(msg.value);
      });
      const fail = (err: Error): void => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.ready = null;
        reject(err);
        for (const w of this.pending.values()) w.reject(err);
        this.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`the assessment worker stopped (exit code ${code})`)));
    });
    // A start that failed is retried by the next call.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  async call(method: string, args: readonly unknown[], flags: { readonly packedReport?: true } = {}): Promise<unknown> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new Error('the assessment worker stopped');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Options objects from callers may hold undefined fields; a structured clone keeps them.
      worker.postMessage({ id, method, args, ...flags } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    this.ready = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    // The worker closes its Assistant and its port; a worker that does not stop in time is ended.
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * `inner` with its read methods answered by a worker thread (started on the first read). close()
 * stops the worker, then closes `inner`.
 */
export function offloadReads<A extends Assistant>(inner: A, offload: OffloadOptions): OffloadedAssistant<A> {
  const worker = new AssessmentWorker({ options: offload.options, ...(offload.factory ? { factory: offload.factory } : {}), ...(offload.factoryData !== undefined ? { factoryData: offload.factoryData } : {}), ...(offload.partSize ? { partSize: offload.partSize } : {}), ...(offload.packFleet === false ? { packFleet: false } : {}) });
  const reads = new Set<string>(CACHED_READS);
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'offloaded') return true;
      // A streamed report would be assessed here, on the event loop: callers use assessFleet instead.
      if (prop === 'streamFleet') return undefined;
      if (typeof prop === 'string' && reads.has(prop)) return (...args: unknown[]) => worker.call(prop, args);
      if (prop === 'recordAssessmentIfDue') {
        // Recording reads every finding: a report whose assets crossed packed goes back to the
        // worker packed and is recorded there, instead of being unpacked on the event loop.
        return (report: FleetReport, origin?: unknown) => {
          const packed = report.assets.map(packedFormOf);
          if (packed.some((p) => p === undefined)) return target.recordAssessmentIfDue(report, origin as Parameters<A['recordAssessmentIfDue']>[1]);
          const crossing = Object.fromEntries(Object.entries(report).map(([k, v]) => [k, k === 'assets' ? packed : v]));
          return worker.call('recordAssessmentIfDue', [crossing, origin], { packedReport: true });
        };
      }
      if (prop === 'close') {
        return async () => {
          try {
            await worker.close();
          } finally {
            await target.close();
          }
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as OffloadedAssistant<A>;
}
