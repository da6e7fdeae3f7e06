/**
 * Issue 17 (c): a fleet assessment must not hold the event loop. Before, the HTTP service ran it
 * on the thread that answers /health, so while it ran (seconds for a large fleet) every request
 * waited, /health included. Now the reads run on a worker thread (composition/offloaded-assistant).
 *
 * The proof is ordering, not timing: the worker's assessment blocks its thread until the test
 * opens a gate (test/support/slow-assistant-factory), /health is asked while it is blocked and
 * must answer, and only then is the gate opened and /v1/assets answered.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteHistoryStore } from '../../../adapters/outbound/sqlite/sqlite-history-store.js';
import { createAssistant } from '../../../composition/index.js';
import { offloadReads } from '../../../composition/offloaded-assistant.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { RELEASE, STARTED } from '../../support/slow-assistant-factory.js';
import { NOW, startTestServer, type TestServer } from './http-test-kit.js';

const FACTORY = new URL(`../../support/slow-assistant-factory${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

describe('HTTP service: assessments off the event loop (issue 17)', function () {
  this.timeout(30_000);
  let dir: string;
  let server: TestServer;
  let assistant: Assistant;
  let gate: Int32Array;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-offload-'));
    const options = { source: `snapshot:${DEMO_FLEET}`, now: NOW, stateStore: { kind: 'sqlite' as const, path: join(dir, 'state.db') } };
    const buffer = new SharedArrayBuffer(8);
    gate = new Int32Array(buffer);
    assistant = offloadReads(await createAssistant(options), { options, factory: FACTORY, factoryData: buffer });
    server = await startTestServer({ assistant });
  });

  afterEach(async () => {
    Atomics.store(gate, RELEASE, 1);
    Atomics.notify(gate, RELEASE);
    await server.close();
    await assistant.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /health and a cached-free route while the assessment blocks its thread, then the assessment', async () => {
    const order: string[] = [];
    const assets = server.get('/v1/assets', 'reader').then(async (r) => {
      order.push('assets');
      return r;
    });
    // Wait (without a clock) until the worker is inside the blocking assessment.
    // Atomics.waitAsync is in Node 20 but not in this project's TypeScript lib.
    const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;
    const started = waitAsync(gate, STARTED, 0);
    if (started.async) await started.value;
    expect(Atomics.load(gate, STARTED)).to.equal(1);

    const health = await server.get('/health');
    order.push('health');
    expect(health.status).to.equal(200);
    // A route that does not assess answers too: the main thread is free, not just /health's shortcut.
    const doc = await server.get('/openapi.json');
    order.push('openapi');
    expect(doc.status).to.equal(200);
    expect(order, 'nothing waited for the assessment').to.deep.equal(['health', 'openapi']);

    Atomics.store(gate, RELEASE, 1);
    Atomics.notify(gate, RELEASE);
    const answer = await assets;
    expect(answer.status).to.equal(200);
    const body = (await answer.json()) as { assets: unknown[] };
    expect(body.assets.length).to.be.greaterThan(0);
    expect(order).to.deep.equal(['health', 'openapi', 'assets']);
  });

  it('a large answer crosses the thread in parts and arrives whole: the same report as in process', async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'sre-ops-offload-parts-'));
    const options = { source: `snapshot:${DEMO_FLEET}`, now: NOW, stateStore: { kind: 'sqlite' as const, path: join(dir2, 'state.db') } };
    const local = await createAssistant(options);
    const parted = offloadReads(await createAssistant(options), { options, partSize: 3 });
    try {
      const direct = await local.assessFleet();
      expect(direct.assets.length, 'more assets than a part').to.be.greaterThan(3);
      const crossed = await parted.assessFleet();
      expect(crossed).to.deep.equal(JSON.parse(JSON.stringify(direct)));
      // The JSON contract byte for byte, filtered too (the assets cross packed: packed-report.ts).
      expect(JSON.stringify(crossed)).to.equal(JSON.stringify(direct));
      expect(JSON.stringify(await parted.assessFleet({ decisions: ['patch-now', 'blocked'] }))).to.equal(JSON.stringify(await local.assessFleet({ decisions: ['patch-now', 'blocked'] })));
      expect(JSON.stringify(await parted.assessFleet({ exposed: true }))).to.equal(JSON.stringify(await local.assessFleet({ exposed: true })));
      const findings = await local.listFindings({ instance: direct.assets[0]!.instanceId });
      expect(await parted.listFindings({ instance: direct.assets[0]!.instanceId })).to.deep.equal(JSON.parse(JSON.stringify(findings)));
    } finally {
      await parted.close();
      await local.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('records a report whose findings crossed packed on the worker, not on the event loop, the same as in process', async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'sre-ops-offload-record-'));
    const optionsFor = (name: string) => ({ source: `snapshot:${DEMO_FLEET}`, now: NOW, stateStore: { kind: 'sqlite' as const, path: join(dir2, `${name}.db`) } });
    const local = await createAssistant(optionsFor('local'));
    const main = await createAssistant(optionsFor('offloaded'));
    let recordedOnMain = 0;
    const counted = new Proxy(main, {
      get(target, prop, receiver) {
        if (prop === 'recordAssessmentIfDue') recordedOnMain++;
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const offloaded = offloadReads(counted, { options: optionsFor('offloaded') });
    try {
      const expected = await local.recordAssessmentIfDue(await local.assessFleet(), 'service');
      const got = await offloaded.recordAssessmentIfDue(await offloaded.assessFleet(), 'service');
      expect(recordedOnMain, 'the main thread recorded nothing').to.equal(0);
      expect(got?.recorded.findings).to.be.greaterThan(0);
      expect({ ...got?.recorded, id: null }).to.deep.equal({ ...expected?.recorded, id: null });
      const stored = async (name: string) => {
        const store = new SqliteHistoryStore(join(dir2, `${name}.db`));
        try {
          const [header] = await store.listAssessments();
          const record = await store.getAssessment(header!.id);
          return { ...record, id: null };
        } finally {
          await store.close();
        }
      };
      expect(await stored('offloaded')).to.deep.equal(await stored('local'));
    } finally {
      await offloaded.close();
      await local.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('carries the worker\'s domain errors across the thread: an unknown instance is a 404 with suggestions', async () => {
    Atomics.store(gate, RELEASE, 1);
    const res = await server.get('/v1/assets/web-l', 'reader');
    expect(res.status).to.equal(404);
    const body = (await res.json()) as { error: { code: string; details?: { suggestions?: string[] } } };
    expect(body.error.code).to.equal('NOT_FOUND');
    expect(body.error.details?.suggestions ?? []).to.be.an('array').that.is.not.empty;
  });
});
