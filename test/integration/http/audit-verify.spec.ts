import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createAssistant } from '../../../composition/index.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { AuditVerificationReport } from '../../../ports/inbound/audit/audit.port.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { NOW, startTestServer, type TestServer } from './http-test-kit.js';

describe('HTTP API: GET /v1/audit/verify over a real SQLite state file', function () {
  this.timeout(30_000);
  let dir: string;
  let assistant: Assistant;
  let api: TestServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-http-verify-'));
    assistant = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW, stateStore: { kind: 'sqlite', path: join(dir, 'state.db') } });
    api = await startTestServer({ assistant });
  });
  afterEach(async () => {
    await api.close();
    await assistant.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('walks the chain: intact after real writes (a request, a rejection); after the first is rewritten behind the triggers, names it (read scope; no key, 401)', async () => {
    expect((await api.post('/v1/patch-runs', { instances: ['web-1'] }, 'operator')).status).to.equal(201);
    const run = (await (await api.get('/v1/patch-runs', 'reader')).json()) as { runs: { id: string }[] };
    expect((await api.post(`/v1/patch-runs/${run.runs[0]?.id}/reject`, { reason: 'not now' }, 'approver')).status).to.equal(200);

    const intact = await api.get('/v1/audit/verify', 'reader');
    const v = (await intact.json()) as AuditVerificationReport;
    expect(intact.status).to.equal(200);
    expect(v).to.deep.include({ ok: true, entries: 2, firstBreak: null });
    expect(v.head?.seq).to.equal(2);
    expect((await api.get('/v1/audit/verify')).status).to.equal(401);

    const db = new Database(join(dir, 'state.db'));
    db.exec('DROP TRIGGER audit_no_update');
    // The request made by ops-bot, rewritten as made by alice.
    const first = db.prepare('SELECT id, body FROM audit ORDER BY seq LIMIT 1').get() as { id: string; body: string };
    db.prepare('UPDATE audit SET body = ? WHERE id = ?').run(first.body.replace('"ops-bot"', '"alice"'), first.id);
    db.close();
    const broken = (await (await api.get('/v1/audit/verify', 'reader')).json()) as AuditVerificationReport;

    expect(broken).to.deep.include({ ok: false, entries: 2 });
    expect(broken.firstBreak).to.deep.equal({ position: 1, id: first.id, seq: 1, problem: 'its content does not match its hash: it was changed after it was written' });
  });
});
