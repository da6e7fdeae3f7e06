/**
 * The HTTP service records its own fresh fleet assessments in the history (docs/history.md): the
 * real server (startHttpServer) on loopback over a real SQLite state file, the cache TTL 0 so
 * every request assesses afresh. The source moves from the history-1 fixture to history-2 (two
 * days later) between requests; GET /v1/changes then sees what changed, and a request within
 * policy history.minIntervalMinutes records nothing new.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpLogger } from '../../../adapters/inbound/http/logger.js';
import { SqliteHistoryStore } from '../../../adapters/outbound/sqlite/sqlite-history-store.js';
import { startHttpServer, LOOPBACK, type RunningServer } from '../../../composition/http-server.js';
import { createAssistant } from '../../../composition/index.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { ChangesReport } from '../../../ports/inbound/history/history.port.js';
import { REPO_ROOT } from '../../support/paths.js';
import { KEY_CONFIG, KEYS, LogCapture } from '../http/http-test-kit.js';

const fixture = (n: number): string => `snapshot:${join(REPO_ROOT, 'test', 'fixtures', 'snapshots', `history-${n}`)}`;

describe('the HTTP service records its assessments in the history', function () {
  this.timeout(30_000);
  let dir: string;
  let statePath: string;
  const assistants: Assistant[] = [];
  let current = 0;
  let server: RunningServer;
  const logs = new LogCapture();

  const get = (path: string): Promise<Response> => fetch(server.url + path, { headers: { 'x-api-key': KEYS.reader.key } });
  const recorded = async (): Promise<readonly { id: string; origin: string; at: number }[]> => {
    const store = new SqliteHistoryStore(statePath);
    try {
      return [...(await store.listAssessments())].sort((a, b) => a.at - b.at);
    } finally {
      await store.close();
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-service-history-'));
    statePath = join(dir, 'state.db');
    for (const n of [1, 2]) assistants.push(await createAssistant({ source: fixture(n), stateStore: { kind: 'sqlite', path: statePath } }));
    // The service's source, moved from one fixture to the other by the test.
    const switching = new Proxy(assistants[0]!, {
      get(_target, prop) {
        const a = assistants[current]!;
        const value: unknown = Reflect.get(a, prop, a);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(a) : value;
      },
    });
    server = await startHttpServer(
      { port: 0, host: LOOPBACK, keys: KEY_CONFIG, keysFrom: null, insecureNoAuth: false, cacheTtlMs: 0, drainMs: 1_000, trustProxy: false, logLevel: 'info', assessmentWorker: false },
      { assistant: switching, logger: createHttpLogger({ level: 'info', destination: logs }), version: 'test', recordHistory: true },
    );
  });
  after(async () => {
    await server?.shutdown('test');
    for (const a of assistants) await a.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a fresh assessment once per interval, and GET /v1/changes sees two of them', async () => {
    // The warm-up and this request assess the same fleet as of the same instant: one record.
    expect((await get('/v1/assets')).status).to.equal(200);
    const first = await recorded();
    expect(first.map((h) => h.origin)).to.deep.equal(['service']);
    expect(new Date(first[0]!.at).toISOString()).to.equal('2026-11-20T12:00:00.000Z');

    // A second request within history.minIntervalMinutes records nothing new.
    expect((await get('/v1/assets')).status).to.equal(200);
    expect(await recorded()).to.have.length(1);

    // Two days later (the TTL is 0: this request assesses afresh): recorded.
    current = 1;
    expect((await get('/v1/assets')).status).to.equal(200);
    const second = await recorded();
    expect(second.map((h) => h.origin)).to.deep.equal(['service', 'service']);
    expect(new Date(second[1]!.at).toISOString()).to.equal('2026-11-22T12:00:00.000Z');
    expect((await get('/v1/assets')).status).to.equal(200);
    expect(await recorded()).to.have.length(2);

    const r = await get(`/v1/changes?from=${second[0]!.id}&to=${second[1]!.id}`);
    const body = (await r.json()) as ChangesReport;
    expect(r.status).to.equal(200);
    expect(body.added.map((f) => f.advisoryId)).to.deep.equal(['CVE-2025-55555']);
    expect(body.newlyOverdue).to.have.length(2);
    expect(body.from?.origin).to.equal('service');
    expect(body.to?.origin).to.equal('service');
    expect(logs.lines.filter((l) => l.msg === 'assessment recorded in the history')).to.have.length(2);
  });

  it('a recording that fails is a warning; the request is still answered', async () => {
    // The history fails to record (as a full disk would): the assessment is still answered.
    const broken = assistants[1]!;
    const original = broken.recordAssessmentIfDue.bind(broken);
    (broken as { recordAssessmentIfDue: Assistant['recordAssessmentIfDue'] }).recordAssessmentIfDue = async () => {
      throw new Error('disk I/O error');
    };
    try {
      const r = await get('/v1/assets');
      expect(r.status).to.equal(200);
      expect(logs.lines.some((l) => l.level === 'warn' && String(l.msg).startsWith('recording the assessment in the history failed') && l.err === 'disk I/O error')).to.equal(true);
    } finally {
      (broken as { recordAssessmentIfDue: Assistant['recordAssessmentIfDue'] }).recordAssessmentIfDue = original;
    }
  });
});
